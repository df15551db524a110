// scripts/printsrcinfo.ts as a maintainer runs it: the exit codes and streams.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runScript } from '../helpers/runScript.js';
import { makeTempDir } from '../helpers/tempDir.js';

const printsrcinfo = (args: readonly string[]) => runScript('printsrcinfo', args);

test('a decidable PKGBUILD: exit 0 and the committed .SRCINFO on stdout', async () => {
  const run = await printsrcinfo(['fixtures/catalog/llm-worker-rbee-premium/PKGBUILD']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, readFileSync('fixtures/catalog/llm-worker-rbee-premium/.SRCINFO', 'utf8'));
});

test('undecidable: exit 3 naming the construct and line; unparsable or unreadable: exit 2', async (t) => {
  const undecidable = await printsrcinfo(['fixtures/pkgbuilds/undecidable-command-substitution/PKGBUILD']);
  assert.equal(undecidable.code, 3);
  assert.equal(undecidable.stdout, '');
  assert.match(undecidable.stderr, /PKGBUILD:2: undecidable: command substitution "\$\(date \+%Y%m%d\)"/);

  const dir = await makeTempDir(t, 'rbee-printsrcinfo');
  const broken = path.join(dir, 'PKGBUILD');
  writeFileSync(broken, 'pkgname=x\nif then fi (\n');
  const syntax = await printsrcinfo([broken]);
  assert.equal(syntax.code, 2);
  assert.match(syntax.stderr, /PKGBUILD:\d+: syntax error/);

  const missing = await printsrcinfo([path.join(dir, 'nothing-here')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read/);
});
