// parseGitObjects: splitPerson must capture exactly what isomorphic-git's
// /^(.*) <(.*)> (.*) (.*)$/ captures, on every string — compared here on every
// short string over the characters the pattern cares about, and on random longer ones.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitPerson } from '../../src/git/parseGitObjects.js';

const PERSON = /^(.*) <(.*)> (.*) (.*)$/;
const ALPHABET = [' ', '<', '>', 'a', '\n'];

function expected(value: string): { name: string; email: string; time: string; zone: string } | undefined {
  const match = PERSON.exec(value);
  return match === null ? undefined : { name: match[1]!, email: match[2]!, time: match[3]!, zone: match[4]! };
}

test('splitPerson agrees with the regex on every string of up to 8 of its characters', () => {
  let matched = 0;
  const visit = (prefix: string): void => {
    const want = expected(prefix);
    if (want !== undefined) matched += 1;
    assert.deepEqual(splitPerson(prefix), want, JSON.stringify(prefix));
    if (prefix.length < 8) for (const char of ALPHABET) visit(prefix + char);
  };
  visit('');
  // The enumeration must reach strings the pattern matches, or it proves nothing.
  assert.ok(matched > 1000, `only ${matched} matching strings`);
});

test('splitPerson agrees with the regex on random longer strings and real signatures', () => {
  let seed = 12345;
  const random = (limit: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % limit;
  };
  const characters = [...ALPHABET, '\r', '\u2028', 'é', '+', '0'];
  for (let run = 0; run < 20_000; run += 1) {
    const length = 8 + random(30);
    let value = '';
    for (let index = 0; index < length; index += 1) value += characters[random(characters.length)];
    assert.deepEqual(splitPerson(value), expected(value), JSON.stringify(value));
  }
  for (const value of [
    'A U Thor <author@example.com> 1600000000 +0000',
    'Name <with> <brackets> <a@b> 1 +0200',
    'No Email 1600000000 +0000',
    '<a@b> 1 +0000',
    ' <a@b> 1 +0000',
    'x <a@b>  +0000',
  ]) {
    assert.deepEqual(splitPerson(value), expected(value), JSON.stringify(value));
  }
  assert.deepEqual(splitPerson('A U Thor <author@example.com> 1600000000 +0000'), { name: 'A U Thor', email: 'author@example.com', time: '1600000000', zone: '+0000' });
});
