// export-static: writes the catalog's read API as static files, for a CDN,
// a static host or an object store to serve at scale (see README "Static
// export" for the URL → file mapping and the host configuration).
//
//   npm run export-static -- --out DIR [--repo PATH_OR_URL] [--base-url URL] [--git-url URL] [--cache-dir DIR]
//
// The repository is opened and indexed exactly as `npm start` does, the
// service's app is built over that index, and every file is the body of
// app.inject on the live route: the same bytes as the API by construction.
// DIR must not exist or be empty. --base-url is where DIR will be published
// (it prefixes the paths in _headers and _redirects); --git-url is the clone
// URL written into the answers (CATALOG_GIT_URL for the service).
// Exit 0: written; 1: the repository could not be read or an answer failed;
// 2: bad usage, configuration, or a folder that is not empty.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { buildApp } from '../src/app.js';
import { gitWorkerHistory } from '../src/catalog/gitWorkerHistory.js';
import type { Config } from '../src/config.js';
import { ConfigError } from '../src/configError.js';
import { CATALOG_SOURCE_FLAGS, configFromSourceFlags } from './lib/catalogSourceFlags.js';
import { ExportError, exportStatic } from './lib/exportStatic.js';
import { exportStore } from './lib/exportStore.js';
import { indexConfiguredCatalog } from './lib/indexConfiguredCatalog.js';
import { describeFailure, runScriptMain } from './lib/scriptMain.js';
import { staticExportPlan, type ExportEntry } from './lib/staticExportPlan.js';

const USAGE = 'usage: npm run export-static -- --out DIR [--repo PATH_OR_URL] [--base-url URL] [--git-url URL] [--cache-dir DIR]';

// The version the service reports (it is in /openapi.json), read as src/server.ts reads it.
const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        'base-url': { type: 'string' },
        ...CATALOG_SOURCE_FLAGS,
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.out === undefined || values.out.trim() === '') return usageError('--out DIR is required');
  const outDir = path.resolve(values.out);
  let config: Config;
  try {
    // The answers' max-age is the service's, from the environment; the publishing URL is this script's own.
    config = configFromSourceFlags(values, process.env, {
      CATALOG_CACHE_MAX_AGE_SECONDS: process.env.CATALOG_CACHE_MAX_AGE_SECONDS,
      PUBLIC_BASE_URL: values['base-url'],
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return usageError(error.message.replace('PUBLIC_BASE_URL', '--base-url'));
  }
  const logger = pino({ name: 'export-static', level: 'warn' }, pino.destination(2));
  let opened: OpenedApp;
  try {
    opened = await openApp(config, logger);
  } catch (error) {
    return failure(error);
  }
  const { app, snapshotId, entries } = opened;
  try {
    const manifest = await exportStatic({ app, entries, snapshotId, outDir, baseUrl: config.publicBaseUrl });
    const bytes = manifest.files.reduce((sum, file) => sum + file.bytes, 0);
    process.stderr.write(`export-static: wrote ${manifest.files.length} files (${bytes} bytes) of snapshot ${snapshotId} to ${outDir}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ExportError && error.code === 'EXPORT_FOLDER_NOT_EMPTY') return usageError(error.message);
    return failure(error);
  } finally {
    await app.close();
  }
}

interface OpenedApp {
  readonly app: FastifyInstance;
  readonly snapshotId: string;
  readonly entries: readonly ExportEntry[];
}

/** The repository indexed and the service's app over it, as `npm start` builds them. */
async function openApp(config: Config, logger: Logger): Promise<OpenedApp> {
  const { repo, snapshot } = await indexConfiguredCatalog(config, logger);
  const app = await buildApp({
    store: exportStore(snapshot),
    logger,
    serviceVersion: packageJson.version,
    cacheMaxAgeSeconds: config.cacheMaxAgeSeconds,
    history: gitWorkerHistory({ repo }),
  });
  await app.ready();
  return { app, snapshotId: snapshot.id, entries: staticExportPlan(snapshot) };
}

function usageError(message: string): number {
  process.stderr.write(`export-static: ${message}\n${USAGE}\n`);
  return 2;
}

function failure(error: unknown): number {
  process.stderr.write(`export-static: ${describeFailure(error)}\n`);
  return 1;
}

runScriptMain('export-static', main);
