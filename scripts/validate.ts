// validate: checks a worker branch's working copy with exactly the rules the
// catalog applies to a push, before you push.
//
//   npm run validate -- DIR [--branch NAME] [--json]
//
// The branch name is --branch, else the one checked out in DIR, else DIR's
// folder name. Exit 0: the catalog would serve it (warnings may remain);
// 1: it has errors and would be rejected; 2: bad usage or an unreadable DIR.

import { parseArgs } from 'node:util';
import { indexBranchFiles } from '../src/catalog/indexBranch.js';
import type { Problem } from '../src/catalog/problem.js';
import { readWorkingCopy, workingCopyBranch } from './lib/readWorkingCopy.js';

const USAGE = 'usage: npm run validate -- DIR [--branch NAME] [--json]';

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { branch: { type: 'string' }, json: { type: 'boolean', default: false } } });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  const [dir, ...extra] = parsed.positionals;
  if (dir === undefined || extra.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let files;
  try {
    files = await readWorkingCopy(dir);
  } catch (error) {
    process.stderr.write(`validate: cannot read ${dir}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const branch = parsed.values.branch ?? await workingCopyBranch(dir);
  const record = await indexBranchFiles({ name: branch, oid: files.commit.oid }, files);
  const problems = record.problems;
  const served = record.workers.length > 0;
  if (parsed.values.json) {
    process.stdout.write(`${JSON.stringify({ branch, served, version: record.workers[0]?.version ?? null, problems }, null, 2)}\n`);
  } else {
    process.stdout.write(humanReport(branch, served, record.workers[0]?.version, problems));
  }
  return served ? 0 : 1;
}

function humanReport(branch: string, served: boolean, version: string | undefined, problems: readonly Problem[]): string {
  const lines = problems.map((problem) => {
    const where = problem.file === '' ? '' : `${problem.file}${problem.line === undefined ? '' : `:${problem.line}`}: `;
    return `${where}${problem.severity} ${problem.code}: ${problem.message}`;
  });
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  const warnings = problems.length - errors;
  const verdict = served
    ? `${branch}: OK — would be served as version ${version ?? '?'}${warnings > 0 ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}`
    : `${branch}: REJECTED — ${errors} error${errors === 1 ? '' : 's'}${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`;
  return `${[...lines, verdict].join('\n')}\n`;
}

main().then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`validate: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(2);
});
