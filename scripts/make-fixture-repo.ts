// make-fixture-repo: builds a bare git repository from a folder of branch
// folders (e.g. fixtures/catalog) with createRepositoryFromFolders, and prints
// each branch with its commit oid.
// Usage: tsx scripts/make-fixture-repo.ts SOURCE_DIR GITDIR [--default-branch master]

import { parseArgs } from 'node:util';
import { createRepositoryFromFolders } from '../src/git/createRepositoryFromFolders.js';

const USAGE = 'usage: tsx scripts/make-fixture-repo.ts SOURCE_DIR GITDIR [--default-branch master]';

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { 'default-branch': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help === true) {
    console.log(USAGE);
    return 0;
  }
  const [sourceDir, gitdir, ...extra] = parsed.positionals;
  if (sourceDir === undefined || gitdir === undefined || extra.length > 0) {
    console.error(USAGE);
    return 2;
  }
  try {
    const { branches } = await createRepositoryFromFolders({ sourceDir, gitdir, defaultBranch: parsed.values['default-branch'] });
    for (const branch of branches) console.log(`${branch.oid} ${branch.name}`);
    console.error(`make-fixture-repo: wrote ${branches.length} branches to ${gitdir}`);
    return 0;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    console.error(`make-fixture-repo: ${typeof code === 'string' ? `${code}: ` : ''}${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
