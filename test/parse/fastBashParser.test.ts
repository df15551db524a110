// The fast bash parser against tree-sitter-bash, differentially: for every
// PKGBUILD we have (the corpus, the catalog and broken fixtures, the
// synthetic benchmark template) and for thousands of mutations of them
// (truncated at each line, odd characters inserted, characters dropped,
// quotes left open), whenever the fast parser returns a tree it must be
// tree-sitter's tree node for node; giving up is always allowed. It must
// also accept the common cases, or the fast path would silently be a no-op.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseBashWithTreeSitter } from '../../src/parse/bashParser.js';
import { parseBashFast } from '../../src/parse/fastBashParser.js';
import { syntheticWorkerFiles, syntheticWorkerId } from '../../scripts/lib/syntheticCatalog.js';
import { bashTreeDiff } from './bashTreeDiff.js';
import { mutations } from './pkgbuildMutations.js';

function pkgbuildsUnder(folder: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name === 'PKGBUILD') {
      const file = path.join(entry.parentPath, entry.name);
      found.set(path.relative('.', file), readFileSync(file, 'utf8'));
    }
  }
  return found;
}

const corpus = pkgbuildsUnder('fixtures/pkgbuilds');
const catalog = pkgbuildsUnder('fixtures/catalog');
const broken = pkgbuildsUnder('fixtures/broken');
const template = syntheticWorkerFiles(syntheticWorkerId(0)).get('PKGBUILD')!.toString('utf8');
const originals = new Map([...corpus, ...catalog, ...broken, ['synthetic template', template]]);

/** Whether the fast parser gave a tree (false: it left the text to tree-sitter); a tree that differs is put in `differences`. */
async function compare(label: string, text: string, differences: string[]): Promise<boolean> {
  const fast = parseBashFast(text);
  if (fast === undefined) return false;
  const tree = await parseBashWithTreeSitter(text);
  // Identical trees imply tree-sitter found no error either: the fast parser never builds ERROR nodes.
  const difference = bashTreeDiff(tree.rootNode, fast.rootNode);
  tree.delete();
  if (difference !== undefined) differences.push(`${label}: ${difference}\n  in ${JSON.stringify(text.slice(0, 300))}`);
  return true;
}

test('every fixture PKGBUILD the fast parser accepts parses as tree-sitter parses it', async () => {
  const differences: string[] = [];
  for (const [name, text] of originals) await compare(name, text, differences);
  assert.deepEqual(differences, []);
});

test('every mutation the fast parser accepts parses as tree-sitter parses it', async () => {
  let tried = 0;
  let accepted = 0;
  const differences: string[] = [];
  for (const [name, text] of originals) {
    for (const [index, mutated] of mutations(name, text).entries()) {
      tried += 1;
      if (await compare(`${name} mutation ${index}`, mutated, differences)) accepted += 1;
    }
  }
  assert.deepEqual(differences.slice(0, 10), [], `${differences.length} mutations parsed differently`);
  // Most line prefixes are valid PKGBUILDs: if none were accepted the comparison above proved nothing.
  assert.ok(tried > 10_000, `${tried} mutations`);
  assert.ok(accepted > tried / 4, `${accepted} of ${tried} mutations accepted`);
});

test('the fast parser accepts the common cases', async () => {
  assert.ok(parseBashFast(template) !== undefined, 'the synthetic template');
  for (const [name, text] of catalog) {
    const tree = await parseBashWithTreeSitter(text);
    const treeSitterFails = tree.rootNode.hasError;
    tree.delete();
    // llm-worker-rbee-rocm's "${AMDGPU_TARGETS:-gfx1030;gfx1100;gfx90a}" is an ERROR to tree-sitter: it stays there.
    if (!treeSitterFails) assert.ok(parseBashFast(text) !== undefined, name);
  }
  const accepted = [...corpus].filter(([, text]) => parseBashFast(text) !== undefined).length;
  assert.ok(accepted >= corpus.size * 0.75, `${accepted} of ${corpus.size} corpus PKGBUILDs`);
});

test('the fast parser leaves what it does not know to tree-sitter', () => {
  const others = ['cat <<EOF\nx\nEOF\n', 'x=$((1 + 2))\n', 'for a in b; do c; done\n', 'a=(x{1,2})\n', 'echo hi > file\n', 'x=a\\ b\n', 'x="unclosed\n', ''];
  for (const text of others) assert.equal(parseBashFast(text), undefined, JSON.stringify(text));
});
