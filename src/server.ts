// The service's entry point: the only place that reads process.env, listens,
// handles signals and exits. Order: config → app listening (so /health and
// /ready answer at once) → repository → first index → ready → refresh engine
// (webhooks and the reconcile loop) running.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import closeWithGrace from 'close-with-grace';
import { pino, type Logger } from 'pino';
import { buildApp } from './app.js';
import { CHILD_PROCESS_FROM_BRANCHES, firstIndex } from './catalog/firstIndex.js';
import { NotifyingCatalogStore } from './catalog/notifyingCatalogStore.js';
import { rebuildFromGit } from './catalog/rebuildFromGit.js';
import { DeferredWorkerHistory } from './catalog/deferredWorkerHistory.js';
import { gitWorkerHistory } from './catalog/gitWorkerHistory.js';
import { loadConfig, type Config } from './config.js';
import { ConfigError } from './configError.js';
import { CatalogMetrics } from './metrics/catalogMetrics.js';
import { parseConfigFile, type ConfigFile } from './configFile.js';
import { CommitStatusReporter } from './github/commitStatusReporter.js';
import { createGithubClient } from './github/githubClient.js';
import { openConfiguredRepository } from './openConfiguredRepository.js';
import { fullCollection } from './memory/fullCollection.js';
import { QuietCollector } from './memory/quietCollector.js';
import { releasePackData } from './git/releasePackData.js';
import { DeferredRefreshEngine } from './refresh/deferredRefreshEngine.js';
import { RefreshEngine } from './refresh/refreshEngine.js';
import { startReconcileLoop } from './refresh/reconcileLoop.js';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * Defence in depth: nothing logs a secret on purpose (URLs are redacted where
 * they are logged, tokens never are), and these paths are censored should one
 * ever reach a log line by way of an error's or a request's fields.
 */
const REDACTED_LOG_PATHS = [
  'token', '*.token', 'secret', '*.secret', 'password', '*.password', 'githubToken', '*.githubToken', 'webhookSecrets', '*.webhookSecrets',
  'headers.authorization', '*.headers.authorization', 'headers["x-hub-signature-256"]', '*.headers["x-hub-signature-256"]',
];

/** JSON lines, or readable lines on a terminal when pino-pretty (a dev dependency) is installed. */
function createLogger(config: Config): Logger {
  const pretty = process.stdout.isTTY && isInstalled('pino-pretty')
    ? { transport: { target: 'pino-pretty', options: { colorize: true } } }
    : {};
  return pino({ name: 'worker-catalog', level: config.logLevel, redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' }, ...pretty });
}

function isInstalled(specifier: string): boolean {
  try {
    import.meta.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

/** The file CATALOG_CONFIG names, parsed and checked; undefined when it is unset. */
function readConfigFile(file: string | undefined): ConfigFile | undefined {
  if (file === undefined || file.trim() === '') return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError('CATALOG_CONFIG', `names a file that cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, file);
  }
  return parseConfigFile(file, text);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env, readConfigFile(process.env.CATALOG_CONFIG));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`worker-catalog: configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config);
  const store = new NotifyingCatalogStore();
  const refresh = new DeferredRefreshEngine();
  // The repository opens after the app listens; history answers 503 until then.
  const history = new DeferredWorkerHistory();
  let firstIndexAt: Date | undefined;
  const metrics = new CatalogMetrics({ current: () => store.current, lastSuccess: () => refresh.status?.lastRefreshAt ?? firstIndexAt });
  const app = await buildApp({
    store,
    logger,
    serviceVersion: packageJson.version,
    cacheMaxAgeSeconds: config.cacheMaxAgeSeconds,
    webhooks: { secrets: config.webhookSecrets, repository: config.githubRepository, requester: refresh },
    refreshStatus: () => refresh.status,
    trustProxy: config.trustProxy,
    corsOrigins: config.corsOrigins,
    rateLimits: config.rateLimits,
    history,
    metrics,
  });
  // Run in order on SIGINT/SIGTERM: stop taking requests first, then let a running refresh finish.
  const shutdownSteps: Array<() => Promise<void> | void> = [() => app.close()];
  shutDownGracefully(logger, shutdownSteps);

  await app.listen({ host: config.host, port: config.port });

  const indexLog = logger.child({ component: 'index' });
  const started = performance.now();
  const { repo, gitUrl, sync } = await openConfiguredRepository(config, indexLog);
  history.attach(gitWorkerHistory({ repo }));
  // What the first index, each burst of pushes and each release of the saved records' decoded fields leave dead goes back once they are over.
  const collector = new QuietCollector({ collect: fullCollection(), logger: logger.child({ component: 'memory' }) });
  // The parsed index of the last run, verified against the refs, spares re-reading every branch.
  const first = await firstIndex({
    repo,
    gitUrl,
    serviceVersion: packageJson.version,
    savedIndexDir: path.join(config.cacheDir, 'saved-index'),
    logger: indexLog,
    onDetailsReleased: () => collector.changed(),
    // What indexing a large catalog allocates would stay resident here for good; a child's goes back when it exits.
    childProcessFromBranches: CHILD_PROCESS_FROM_BRANCHES,
    // Records re-read after pushes are served in their saved form once saved, and what they held goes back.
    adopt: { served: () => store.current, swap: (next) => store.swap(next) },
    onSavedIndexDamaged: rebuildFromGit({ repo, gitUrl, swap: (next) => store.swap(next), logger: indexLog }),
  });
  const { snapshot, saver } = first;
  store.swap(snapshot);
  firstIndexAt = new Date();
  // Whatever the first index read through isomorphic-git left it holding (whole packs) goes back to the disk.
  await releasePackData(repo);
  metrics.observeIndex('start', (performance.now() - started) / 1000);
  store.onSwap((next) => saver.schedule(next));
  saver.schedule(snapshot);
  store.onSwap(() => collector.changed());
  collector.changed();
  // Damaged parsed fields (their checksum is checked in the background) mean a rebuild from git.
  void first.verifyDetails().then((rebuilt) => rebuilt && store.swap(rebuilt), (error: unknown) => {
    indexLog.error({ err: error instanceof Error ? error.message : String(error) }, 'rebuilding the index from git failed; serving the saved one');
  });
  const rejected = [...snapshot.branches.values()].filter((branch) => branch.workers.length === 0).length;
  indexLog.info({
    workers: snapshot.workers.size,
    rejectedBranches: rejected,
    index: snapshot.id,
    from: first.from,
    reusedBranches: first.reusedBranches,
    indexedBranches: first.indexedBranches,
    savedIndexMs: first.savedIndexMs === undefined ? undefined : Math.round(first.savedIndexMs),
    childProcess: first.childProcess === undefined ? undefined : {
      indexMs: Math.round(first.childProcess.indexMs),
      saveMs: Math.round(first.childProcess.saveMs),
      savedMb: Math.round(first.childProcess.savedBytes / 1e5) / 10,
      peakRssMb: Math.round(first.childProcess.peakRssBytes / 1e6),
    },
    durationMs: Math.round(performance.now() - started),
  }, `catalog ready (from the ${first.from}): serving ${snapshot.workers.size} workers on http://${config.host}:${config.port}`);

  const statuses = createStatusReporter(config, logger);
  const engine = new RefreshEngine({
    repo,
    store,
    gitUrl,
    sync,
    logger: logger.child({ component: 'refresh' }),
    observer: metrics,
    onIndexed: statuses === undefined ? undefined : (records) => statuses.report(records),
  });
  refresh.attach(engine);
  const stopReconcile = startReconcileLoop({ requester: engine, intervalSeconds: config.pollSeconds });
  // The saver goes last: it writes the snapshot a refresh finishing during shutdown swapped in.
  shutdownSteps.push(stopReconcile, async () => {
    const { running, pending } = engine.status;
    // A running refresh is waited for; queued ones are dropped (the next start fetches every branch anyway).
    if (running || pending > 0) logger.info({ running, pending }, 'shutdown: letting the running refresh finish; queued refreshes are dropped');
    await engine.close();
  }, () => statuses?.close(), () => saver.close(), () => collector.close());
  logger.info({
    webhooks: config.webhookSecrets.length > 0 ? 'POST /webhooks/github' : 'off (WEBHOOK_SECRET unset)',
    pollSeconds: config.pollSeconds,
    commitStatuses: statuses === undefined ? 'off (GITHUB_TOKEN or GITHUB_REPOSITORY unset)' : config.githubApiUrl,
  }, 'following the catalog repository');
}

/** Commit statuses on GitHub, when a token and the repository are configured. */
function createStatusReporter(config: Config, logger: Logger): CommitStatusReporter | undefined {
  if (config.githubToken === undefined || config.githubRepository === undefined) return undefined;
  const log = logger.child({ component: 'github' });
  const client = createGithubClient({ token: config.githubToken, apiUrl: config.githubApiUrl, logger: log });
  return new CommitStatusReporter({ client, repository: config.githubRepository, publicBaseUrl: config.publicBaseUrl, logger: log });
}

/** How long shutdown may take before the process exits with 1 anyway (a refresh stuck on the network). */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * SIGINT, SIGTERM (and the other terminating signals) or an uncaught error
 * run `steps` in order, then exit: 0 after a signal, 1 after an error, a
 * timeout or a second signal (which exits at once). close-with-grace calls
 * process.exit itself, which is why this lives here.
 */
function shutDownGracefully(logger: Logger, steps: ReadonlyArray<() => Promise<void> | void>): void {
  const log = logger.child({ component: 'shutdown' });
  closeWithGrace({
    delay: SHUTDOWN_GRACE_MS,
    logger: { error: (message: unknown) => log.error({ err: message instanceof Error ? message.message : String(message) }, 'shutdown failed') },
    onSecondSignal: (signal) => log.error({ signal }, 'second signal during shutdown; exiting at once'),
    onTimeout: (delay) => log.error({ delayMs: delay }, 'shutdown did not finish in time; exiting'),
  }, async ({ signal, err }) => {
    if (err !== undefined) log.error({ err: err.stack ?? err.message }, 'uncaught error; shutting down');
    else log.info({ signal }, 'shutting down: no new connections; finishing requests in flight');
    const started = performance.now();
    await runInOrder(steps);
    log.info({ durationMs: Math.round(performance.now() - started) }, 'shut down cleanly');
  });
}

async function runInOrder(steps: ReadonlyArray<() => Promise<void> | void>): Promise<void> {
  for (const step of steps) await step();
}

main().catch((error: unknown) => {
  // The code (e.g. MIRROR_DAMAGED) is what an operator or a supervisor searches for.
  const code = (error as { code?: unknown } | null)?.code;
  const label = typeof code === 'string' ? ` [${code}]` : '';
  process.stderr.write(`worker-catalog: failed to start${label}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
