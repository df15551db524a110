// Test helpers for the webhook endpoint: an app listening on loopback with a
// recording refresh requester, and a client that signs deliveries the way
// GitHub does — with node:crypto, independently of the code under test.

import { createHmac, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../../src/app.js';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { CatalogStore } from '../../src/catalog/catalogStore.js';
import type { CatalogMetrics } from '../../src/metrics/catalogMetrics.js';
import type { RefreshRequest, RefreshRequester } from '../../src/refresh/refreshRequest.js';
import { fixtureRepository, SERVICE_VERSION, TEST_GIT_URL } from '../helpers/catalogApp.js';

export const SECRET = 'current-secret-0123456789';
export const PREVIOUS_SECRET = 'previous-secret-0123456789';
export const REPOSITORY = 'veighnsche/rbee-worker-catalog';

/** `sha256=` + hex HMAC of the body, as GitHub computes X-Hub-Signature-256. */
export function sign(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export class RecordingRequester implements RefreshRequester {
  readonly calls: RefreshRequest[] = [];
  request(request: RefreshRequest): void {
    this.calls.push(request);
  }
}

export interface WebhookApp {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly requester: RecordingRequester;
  readonly store: CatalogStore;
}

export interface WebhookAppOptions {
  /** undefined → the app is built without webhook options at all. */
  readonly secrets?: readonly string[];
  readonly repository?: string;
  /** Whether the store already holds an index of the fixture repository (default true). */
  readonly ready?: boolean;
  readonly logger?: FastifyBaseLogger;
  readonly metrics?: CatalogMetrics;
}

/** A listening app (closed after the test) whose webhooks queue into a RecordingRequester. */
export async function webhookApp(t: TestContext, options: WebhookAppOptions = {}): Promise<WebhookApp> {
  const store = new CatalogStore();
  if (options.ready ?? true) await indexFixtures(t, store);
  const requester = new RecordingRequester();
  const app = await buildApp({
    store,
    logger: options.logger ?? pino({ level: 'silent' }),
    serviceVersion: SERVICE_VERSION,
    cacheMaxAgeSeconds: 3600,
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    ...(options.secrets === undefined
      ? {}
      : { webhooks: { secrets: options.secrets, requester, ...(options.repository === undefined ? {} : { repository: options.repository }) } }),
  });
  t.after(() => app.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, requester, store };
}

export async function indexFixtures(t: TestContext, store: CatalogStore): Promise<void> {
  const { repo } = await fixtureRepository(t);
  store.swap(await buildSnapshot({ repo, gitUrl: TEST_GIT_URL }));
}

export interface Delivery {
  readonly event: string | undefined;
  readonly payload?: unknown;
  /** The exact body; defaults to JSON of the payload. */
  readonly body?: string;
  readonly delivery?: string | undefined;
  readonly secret?: string;
  /** Overrides the computed signature; null sends none. */
  readonly signature?: string | null;
  readonly contentType?: string;
}

export interface DeliveryAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly json: Record<string, unknown>;
}

/** POSTs a signed delivery to the listening app over real HTTP. */
export async function postDelivery(baseUrl: string, delivery: Delivery): Promise<DeliveryAnswer> {
  const body = delivery.body ?? JSON.stringify(delivery.payload);
  const headers: Record<string, string> = { 'content-type': delivery.contentType ?? 'application/json', 'user-agent': 'GitHub-Hookshot/test' };
  if (delivery.event !== undefined) headers['x-github-event'] = delivery.event;
  const id = 'delivery' in delivery ? delivery.delivery : randomUUID();
  if (id !== undefined) headers['x-github-delivery'] = id;
  const signature = delivery.signature === undefined ? sign(delivery.secret ?? SECRET, body) : delivery.signature;
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  const response = await fetch(`${baseUrl}/webhooks/github`, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** A minimal push payload as GitHub shapes it. */
export function pushPayload(overrides: { ref?: string; created?: boolean; deleted?: boolean; forced?: boolean; fullName?: string; defaultBranch?: string } = {}): Record<string, unknown> {
  return {
    ref: overrides.ref ?? 'refs/heads/llm-worker-rbee-cpu',
    before: overrides.created ? '0000000000000000000000000000000000000000' : 'a'.repeat(40),
    after: overrides.deleted ? '0000000000000000000000000000000000000000' : 'b'.repeat(40),
    created: overrides.created ?? false,
    deleted: overrides.deleted ?? false,
    forced: overrides.forced ?? false,
    repository: { full_name: overrides.fullName ?? REPOSITORY, default_branch: overrides.defaultBranch ?? 'master' },
    commits: [],
  };
}
