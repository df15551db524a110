import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchesIfNoneMatch } from '../../src/http/sendCached.js';

test('If-None-Match matches by weak comparison, in lists, and with *', () => {
  const etag = '"abc"';
  assert.equal(matchesIfNoneMatch(undefined, etag), false);
  assert.equal(matchesIfNoneMatch('"abc"', etag), true);
  assert.equal(matchesIfNoneMatch('W/"abc"', etag), true);
  assert.equal(matchesIfNoneMatch('"x", "abc"', etag), true);
  assert.equal(matchesIfNoneMatch('"x","y"', etag), false);
  assert.equal(matchesIfNoneMatch('*', etag), true);
  assert.equal(matchesIfNoneMatch('abc', etag), false, 'an unquoted tag is not the same tag');
});
