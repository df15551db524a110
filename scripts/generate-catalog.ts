// generate-catalog: writes catalog.json — the index of every worker branch in
// the planning documents' format — for a catalog repository's default branch,
// byte for byte what the service answers on GET /v1/catalog.json for the same
// repository and clone URL. Commit the file on the default branch.
//
//   npm run generate-catalog -- [--repo PATH_OR_URL] [--out FILE] [--git-url URL] [--cache-dir DIR]
//
// The repository is opened and indexed exactly as `npm start` does (the same
// config rules, the same validation: only workers the service would serve are
// listed); with no --repo, the built-in catalog (fixtures/catalog). --git-url
// is the clone URL written into every entry (CATALOG_GIT_URL for the service).
// Without --out the file goes to stdout. Exit 0: written; 1: the repository
// could not be read; 2: bad usage or configuration.

import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { catalogJson } from '../src/catalog/catalogJson.js';
import type { Config } from '../src/config.js';
import { ConfigError } from '../src/configError.js';
import { CATALOG_SOURCE_FLAGS, configFromSourceFlags } from './lib/catalogSourceFlags.js';
import { indexConfiguredCatalog } from './lib/indexConfiguredCatalog.js';
import { describeFailure, runScriptMain } from './lib/scriptMain.js';

const USAGE = 'usage: npm run generate-catalog -- [--repo PATH_OR_URL] [--out FILE] [--git-url URL] [--cache-dir DIR]';

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        ...CATALOG_SOURCE_FLAGS,
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let config: Config;
  try {
    config = configFromSourceFlags(values, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`generate-catalog: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  let bytes: Buffer;
  let workers: number;
  try {
    const logger = pino({ name: 'generate-catalog', level: 'warn' }, pino.destination(2));
    const { snapshot } = await indexConfiguredCatalog(config, logger);
    bytes = catalogJson(snapshot).body;
    workers = snapshot.workers.size;
  } catch (error) {
    process.stderr.write(`generate-catalog: ${describeFailure(error)}\n`);
    return 1;
  }
  if (values.out === undefined) {
    process.stdout.write(bytes);
  } else {
    await writeFile(values.out, bytes);
    process.stderr.write(`generate-catalog: wrote ${workers} workers to ${values.out}; commit it on the default branch\n`);
  }
  return 0;
}

runScriptMain('generate-catalog', main);
