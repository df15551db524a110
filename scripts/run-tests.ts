// Runs every test file under test/ with node:test through tsx.
//
// Node 20 silently runs zero tests when `node --test` is given a glob or a
// folder, so this lists the files itself, and it fails when no test ran.
// Usage: tsx scripts/run-tests.ts [FILE...]   (no files = every *.test.ts)

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';

function findTestFiles(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** Reads the totals node's TAP reporter writes as `# pass N` lines at the end. */
function readTapTotals(tap: string): { tests: number; pass: number; fail: number } {
  const total = (name: string): number => {
    const match = new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap);
    return match ? Number(match[1]) : 0;
  };
  return { tests: total('tests'), pass: total('pass'), fail: total('fail') };
}

const requested = process.argv.slice(2);
const files = requested.length > 0 ? requested : findTestFiles('test');
if (files.length === 0) {
  console.error('run-tests: no *.test.ts files found under test/');
  process.exit(1);
}

// Node's default is one file fewer than there are cores: one at a time on a
// two-core runner, where the suite waits on child processes and git much of
// the time. Two at once there took 487 s instead of 671 s, with none failing.
const concurrency = Math.max(2, availableParallelism() - 1);

const reportDir = mkdtempSync(path.join(tmpdir(), 'rbee-tests-'));
const tapFile = path.join(reportDir, 'report.tap');
const child = spawn(
  process.execPath,
  [
    '--import', 'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
    ...files,
  ],
  { stdio: 'inherit' },
);

child.on('exit', (code, signal) => {
  const totals = readTapTotals(readFileSync(tapFile, 'utf8'));
  rmSync(reportDir, { recursive: true, force: true });
  console.log(`\n${totals.pass} passed, ${totals.fail} failed`);
  if (totals.tests === 0) {
    console.error('run-tests: no test ran; failing on purpose');
    process.exit(1);
  }
  process.exit(signal ? 1 : (code ?? 1));
});
