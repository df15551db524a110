// srcinfoPrinterPool: readings made on worker threads are exactly printSrcinfo's
// on this thread, for every PKGBUILD of the corpus (decided, undecidable and
// syntax errors alike), in any order of completion; a closed pool refuses work.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { printSrcinfo } from '../../src/parse/pkgbuildSrcinfo.js';
import { createSrcinfoPrinterPool } from '../../src/parse/srcinfoPrinterPool.js';

const CORPUS = fileURLToPath(new URL('../../fixtures/pkgbuilds/', import.meta.url));

function corpus(): string[] {
  const texts: string[] = [];
  for (const entry of readdirSync(CORPUS, { withFileTypes: true })) {
    const file = path.join(CORPUS, entry.name, 'PKGBUILD');
    if (entry.isDirectory()) texts.push(readFileSync(file, 'utf8'));
  }
  // Readings that are not decided, too: a syntax error and an undecidable top-level command.
  texts.push('pkgname=(broken\n', 'pkgname=x\npkgver=1\nrm -rf /\n');
  return texts;
}

test('every corpus PKGBUILD reads the same on the pool as on this thread', { timeout: 120_000 }, async (t) => {
  const pool = createSrcinfoPrinterPool({ threads: 2 });
  t.after(() => pool.close());
  const texts = corpus();
  assert.ok(texts.length > 50);
  const pooled = await Promise.all(texts.map((text) => pool.print(text)));
  const kinds = new Set<string>();
  for (let index = 0; index < texts.length; index += 1) {
    assert.deepEqual(pooled[index], await printSrcinfo(texts[index]!), `PKGBUILD ${index}`);
    kinds.add(pooled[index]!.kind);
  }
  assert.deepEqual([...kinds].sort(), ['decided', 'syntax', 'undecidable']);
});

test('a closed pool refuses new work', { timeout: 60_000 }, async () => {
  const pool = createSrcinfoPrinterPool({ threads: 1 });
  assert.equal((await pool.print('pkgname=x\npkgver=1\npkgrel=1\narch=(any)\n')).kind, 'decided');
  await pool.close();
  await assert.rejects(pool.print('pkgname=x\n'));
});
