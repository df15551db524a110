// buildApp: the Fastify application with every plugin and route registered.
// It never listens and never reads the environment: server.ts does that, and
// tests build a fresh app per test and drive it with inject().

import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { CatalogStore } from './catalog/catalogStore.js';
import type { RateLimits } from './config.js';
import type { WorkerHistory } from './catalog/workerHistory.js';
import { catalogPlugin } from './http/catalogPlugin.js';
import { errorHandler } from './http/errorHandler.js';
import { notFoundHandler } from './http/notFoundHandler.js';
import { lazyChildLogger } from './http/lazyRequestLogger.js';
import { OneLineRequestLog } from './http/requestLog.js';
import type { RefreshStatus } from './refresh/refreshEngine.js';
import type { RefreshRequester } from './refresh/refreshRequest.js';
import { addSecurityHeaders } from './http/securityHeaders.js';
import { v1ErrorSchema } from './http/errorEnvelope.js';
import { corsPlugin } from './http/corsPlugin.js';
import { openApiPlugin } from './http/openApi.js';
import { rateLimitPlugin } from './http/rateLimits.js';
import type { CatalogMetrics } from './metrics/catalogMetrics.js';
import { metricsPlugin } from './metrics/metricsPlugin.js';
import { problemSchema, v1WorkerSchema } from './http/schemas/v1WorkerSchema.js';
import { aurRpcRoutes } from './routes/aurRpc.js';
import { catalogFileRoutes } from './routes/catalogFiles.js';
import { cloneUrlRoutes } from './routes/cloneUrl.js';
import { healthRoutes } from './routes/health.js';
import { legacyWorkerRoutes } from './routes/legacyWorkers.js';
import { problemRoutes } from './routes/problems.js';
import { resolveRoutes } from './routes/resolve.js';
import { searchRoutes } from './routes/search.js';
import { snapshotRoutes } from './routes/snapshots.js';
import { v1WorkerRoutes } from './routes/v1Workers.js';
import { versionRoutes } from './routes/versions.js';
import { webhookRoutes } from './routes/webhooks.js';

export interface AppOptions {
  readonly store: CatalogStore;
  /** A pino logger; Fastify's own type for it keeps every plugin's instance type the default one. */
  readonly logger: FastifyBaseLogger;
  readonly serviceVersion: string;
  readonly cacheMaxAgeSeconds: number;
  /** GitHub webhooks; absent → POST /webhooks/github answers 503 WEBHOOK_NOT_CONFIGURED. */
  readonly webhooks?: { readonly secrets: readonly string[]; readonly repository?: string | undefined; readonly requester: RefreshRequester };
  /** Whose X-Forwarded-For to believe (Fastify's trustProxy); default false. */
  readonly trustProxy?: boolean | number | string;
  /** Origins browsers may read from; absent or 'none': no CORS headers. */
  readonly corsOrigins?: '*' | 'none' | readonly string[];
  /** Per-address limits a minute; absent: none (tests and tools). */
  readonly rateLimits?: RateLimits;
  /** Prometheus metrics and GET /metrics; absent: neither. */
  readonly metrics?: CatalogMetrics;
  /** How many search answers each index keeps by query (default 256; 0 turns the cache off). */
  readonly searchAnswerCacheEntries?: number;
  /** What /health and /ready report about refreshes; absent when nothing refreshes the index. */
  readonly refreshStatus?: () => RefreshStatus | undefined;
  /** Branch history (versions, pinned files, snapshots); absent → those routes answer 503 HISTORY_UNAVAILABLE. */
  readonly history?: WorkerHistory;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    logController: new OneLineRequestLog(),
    // Each request's child logger is built when the request first logs, not for every request.
    childLoggerFactory: lazyChildLogger,
    bodyLimit: 1024 * 1024,
    // Long ids must reach validation (400), not fall off the router as 404s.
    routerOptions: { maxParamLength: 2048 },
    // A hop count as proxy-addr reads one: the nearest n proxies are trusted.
    trustProxy: typeof options.trustProxy === 'number' ? trustNearestHops(options.trustProxy) : options.trustProxy ?? false,
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler(app));
  addSecurityHeaders(app);
  for (const schema of [v1ErrorSchema, problemSchema, v1WorkerSchema]) app.addSchema(schema);
  if (options.corsOrigins !== undefined && options.corsOrigins !== 'none') await app.register(corsPlugin, { origins: options.corsOrigins });
  if (options.rateLimits !== undefined) await app.register(rateLimitPlugin, options.rateLimits);
  await app.register(metricsPlugin, { metrics: options.metrics });
  // Before the routes: it collects every route's schema as the route is added.
  await app.register(openApiPlugin, { serviceVersion: options.serviceVersion });

  await app.register(catalogPlugin, { store: options.store, cacheMaxAgeSeconds: options.cacheMaxAgeSeconds });
  await app.register(healthRoutes, { serviceVersion: options.serviceVersion, refreshStatus: options.refreshStatus });
  await app.register(legacyWorkerRoutes);
  await app.register(searchRoutes, { answerCacheEntries: options.searchAnswerCacheEntries });
  await app.register(v1WorkerRoutes);
  await app.register(versionRoutes, { history: options.history });
  await app.register(snapshotRoutes, { history: options.history });
  await app.register(resolveRoutes);
  await app.register(cloneUrlRoutes);
  await app.register(catalogFileRoutes);
  await app.register(problemRoutes);
  await app.register(aurRpcRoutes);
  await app.register(webhookRoutes, options.webhooks ?? { secrets: [] });
  return app;
}

function trustNearestHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}
