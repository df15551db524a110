// Maintainer tool: rewrites the .SRCINFO of every worker folder under a
// directory from its PKGBUILD with the real makepkg, normalised exactly as the
// oracle test (test/fixtures/srcinfo-matches-makepkg.test.ts) expects.
//
// Usage: tsx scripts/regenerate-srcinfo.ts [--check] [DIR]   (DIR defaults to fixtures/catalog)
//   --check  write nothing; list stale .SRCINFO files and exit 1 if any
// Needs makepkg and pacman (.ci/install-makepkg.sh); as root it runs makepkg as 'nobody'.

import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makepkgProblem, printSrcinfoForFolder } from './lib/makepkg.js';

const args = process.argv.slice(2);
const check = args.includes('--check');
const positional = args.filter((arg) => arg !== '--check');
if (positional.length > 1 || positional.some((arg) => arg.startsWith('-'))) {
  console.error('usage: tsx scripts/regenerate-srcinfo.ts [--check] [DIR]');
  process.exit(2);
}
const root = path.resolve(positional[0] ?? 'fixtures/catalog');

const problem = makepkgProblem();
if (problem !== undefined) {
  console.error(`regenerate-srcinfo: ${problem}; run .ci/install-makepkg.sh`);
  process.exit(1);
}

const folders = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(path.join(root, entry.name, 'PKGBUILD')))
  .map((entry) => path.join(root, entry.name))
  .sort();

// Every folder starts at once; the makepkg module caps how many run together.
const results = await Promise.allSettled(folders.map(async (folder) => {
  const srcinfo = await printSrcinfoForFolder(folder);
  const target = path.join(folder, '.SRCINFO');
  const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
  if (current === srcinfo) return 'unchanged';
  if (!check) writeFileSync(target, srcinfo);
  return check ? 'stale' : 'written';
}));

let failed = false;
results.forEach((result, index) => {
  const name = path.relative(process.cwd(), folders[index]!);
  if (result.status === 'rejected') {
    failed = true;
    console.error(`${name}: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`);
  } else {
    if (result.value === 'stale') failed = true;
    console.log(`${name}: ${result.value}`);
  }
});
console.log(`${folders.length} folder(s) under ${path.relative(process.cwd(), root) || '.'}`);
process.exitCode = failed ? 1 : 0;
