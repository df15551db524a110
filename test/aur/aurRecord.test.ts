import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildAurCatalog } from '../../src/aur/aurCatalog.js';
import { relationName } from '../../src/aur/aurRecord.js';
import { catalogApp } from '../helpers/catalogApp.js';

test('relationName is aurweb parse_dep\'s name: no description, no version condition', () => {
  assert.equal(relationName('glibc'), 'glibc');
  assert.equal(relationName('llm-worker-rbee=0.1.1'), 'llm-worker-rbee');
  assert.equal(relationName('python>=3.10'), 'python');
  assert.equal(relationName('foo<2'), 'foo');
  assert.equal(relationName('nvidia-utils: nvidia-smi, used by rbee-hive'), 'nvidia-utils');
  assert.equal(relationName('cuda>=12: the toolkit'), 'cuda');
  assert.equal(relationName('libc++'), 'libc++');
});

test('a rebuilt AUR view reuses the serialised entries of unchanged records, in Name order', async (t) => {
  const { snapshot } = await catalogApp(t);
  const records = [...snapshot.workers.values()].map((served) => served.record);
  const first = buildAurCatalog(records);
  const second = buildAurCatalog([...records].reverse());
  assert.deepEqual(first.names, [...snapshot.workers.keys()]);
  assert.deepEqual(second.names, first.names);
  first.entries.forEach((entry, index) => assert.equal(second.entries[index], entry));
  // Keyed by the lowercased Name; every fixture id is lowercase already, so each is its own key.
  for (const entry of first.entries) assert.equal(first.byName.get(entry.name.toLowerCase()), entry);
  assert.equal(first.byName.size, first.entries.length);
});
