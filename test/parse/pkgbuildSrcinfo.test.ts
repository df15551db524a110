// The PKGBUILD reader against Debian's real makepkg: for every PKGBUILD in
// fixtures/pkgbuilds/ the reader calls decidable, its .SRCINFO must be byte
// for byte what `makepkg --printsrcinfo` prints. Folders named
// `undecidable-*` hold constructs that need running code or the build
// machine's environment: the reader must refuse them, never answer.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { printSrcinfo } from '../../src/parse/pkgbuildSrcinfo.js';
import { MAKEPKG_SKIP_MESSAGE, makepkgProblem, printSrcinfoForFolder } from '../helpers/makepkg.js';

const CORPUS = path.resolve('fixtures/pkgbuilds');
const folders = readdirSync(CORPUS, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
const problem = makepkgProblem();

// makepkg takes about a second a run: all start now (the helper caps them at one per core).
const oracle = new Map<string, Promise<string>>();
if (problem === undefined) {
  for (const name of folders.filter((folder) => !folder.startsWith('undecidable-'))) {
    const output = printSrcinfoForFolder(path.join(CORPUS, name));
    output.catch(() => {});
    oracle.set(name, output);
  }
}

test('the corpus is large enough to mean something', () => {
  assert.ok(folders.length >= 80, `${folders.length} PKGBUILDs`);
});

const realWorld = folders.filter((name) => !name.startsWith('undecidable-'));
const decided = new Set<string>();

for (const name of folders) {
  test(`${name}: ${name.startsWith('undecidable-') ? 'undecidable' : 'identical to makepkg when decided'}`, async (t) => {
    const reading = await printSrcinfo(readFileSync(path.join(CORPUS, name, 'PKGBUILD'), 'utf8'));
    if (name.startsWith('undecidable-')) {
      assert.equal(reading.kind, 'undecidable', JSON.stringify(reading));
      return;
    }
    // The reader may refuse what makepkg accepts (that counts against the rate
    // below), but never answer differently.
    if (reading.kind === 'syntax') assert.fail(`tree-sitter-bash cannot read line ${reading.line}`);
    if (reading.kind === 'undecidable') {
      t.diagnostic(`not decided: ${reading.reason} (line ${reading.line})`);
      return;
    }
    decided.add(name);
    if (problem !== undefined) {
      if (process.env.CI) assert.fail(`makepkg oracle cannot run in CI: ${problem}`);
      t.skip(MAKEPKG_SKIP_MESSAGE);
      return;
    }
    assert.equal(reading.srcinfo, await oracle.get(name));
  });
}

test('at least 90% of the real-world PKGBUILDs are decided', () => {
  const rate = decided.size / realWorld.length;
  const undecided = realWorld.filter((name) => !decided.has(name));
  assert.ok(rate >= 0.9, `${decided.size}/${realWorld.length} decided; not: ${undecided.join(', ')}`);
});
