import assert from 'node:assert/strict';
import { test } from 'node:test';
import { legacyArgs, rawQueryOf, versionOf } from '../../src/aur/aurQuery.js';

// The cases of aurweb's test_rpc_mixedargs (archlinux/aurweb test/test_rpc.py) and its parse_args docstring.
test('the last arg alone wins when it comes after every arg[]', () => {
  assert.deepEqual(legacyArgs('v=5&arg[]=big-chungus&arg=gluggly-chungus&type=info'), ['gluggly-chungus']);
});

test('a trailing run of arg[] wins, last first, up to the previous arg', () => {
  assert.deepEqual(legacyArgs('v=5&arg=big-chungus&arg[]=gluggly-chungus&type=info&arg[]=chungy-chungus'), ['chungy-chungus', 'gluggly-chungus']);
  assert.deepEqual(legacyArgs('arg[]=a&arg[]=b&arg[]=c'), ['c', 'b', 'a']);
});

test('keys and values are percent-decoded, but + stays + as in aurweb (unquote, not form decoding)', () => {
  assert.deepEqual(legacyArgs('arg%5B%5D=a&arg%5b%5d=b'), ['b', 'a']);
  assert.deepEqual(legacyArgs('arg=libc++'), ['libc++']);
  assert.deepEqual(legacyArgs('arg=libc%2B%2B'), ['libc++']);
  assert.deepEqual(legacyArgs('arg=a%20b'), ['a b']);
  assert.deepEqual(legacyArgs('arg=100%'), ['100%'], 'a malformed escape stays as written');
});

test('no arg, an empty value and other keys', () => {
  assert.deepEqual(legacyArgs(''), []);
  assert.deepEqual(legacyArgs('v=5&type=info'), []);
  assert.deepEqual(legacyArgs('arg'), [], 'a key without = is no argument');
  assert.deepEqual(legacyArgs('arg='), ['']);
  assert.deepEqual(legacyArgs('args=x&xarg=y'), []);
});

test('rawQueryOf and versionOf', () => {
  assert.equal(rawQueryOf('/rpc?v=5&arg=x'), 'v=5&arg=x');
  assert.equal(rawQueryOf('/rpc'), '');
  assert.equal(versionOf(undefined), null);
  assert.equal(versionOf('5'), 5);
  assert.equal(versionOf('-1'), -1);
});
