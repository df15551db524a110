// POST /webhooks/github: GitHub push/delete/ping deliveries. An encapsulated
// plugin so its raw-string body parsers (the signature is over the exact
// bytes) never reach the catalog routes. It verifies, de-duplicates,
// classifies and queues a refresh request — and answers before any git work.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isWorkerId } from '../catalog/workerId.js';
import { classifyDelivery } from '../github/classifyDelivery.js';
import { DeliveryLog } from '../github/deliveryLog.js';
import { parseDeliveryBody } from '../github/parseDeliveryBody.js';
import { createSignatureVerifier } from '../github/verifySignature.js';
import { webhookHeadersInvalid, webhookNotConfigured, webhookSignatureInvalid } from '../github/webhookErrors.js';
import { catalogNotReady } from '../http/httpError.js';
import type { RefreshRequester } from '../refresh/refreshRequest.js';

export interface WebhookRouteOptions {
  /** Accepted secrets, current first; empty → the endpoint answers 503 and processes nothing. */
  readonly secrets: readonly string[];
  /** `owner/name`; deliveries about other repositories are ignored. */
  readonly repository?: string | undefined;
  /** Required when secrets are configured. */
  readonly requester?: RefreshRequester | undefined;
  readonly deliveryLog?: DeliveryLog | undefined;
}

// GitHub caps payloads at 25 MB, but a push payload lists at most 20 commits
// and is typically well under 100 kB. The body is buffered before the HMAC
// can be checked, so an unauthenticated caller may make us hold this much:
// 5 MB keeps a 50x margin over real pushes while bounding that memory.
// A larger delivery is refused (413) and the reconcile loop catches up.
export const WEBHOOK_BODY_LIMIT = 5 * 1024 * 1024;

// GitHub's delivery ids are GUIDs and event names are snake_case words; the
// patterns only keep hostile header values out of logs and answers.
const DELIVERY_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;
const EVENT_PATTERN = /^[a-z_]{1,64}$/;

const responseSchema = {
  200: {
    type: 'object',
    properties: {
      ok: { type: 'boolean' },
      zen: { type: 'string' },
      ignored: { type: 'boolean' },
      reason: { type: 'string' },
      duplicate: { type: 'boolean' },
      delivery: { type: 'string' },
    },
  },
  202: {
    type: 'object',
    required: ['accepted', 'delivery'],
    properties: { accepted: { type: 'boolean' }, delivery: { type: 'string' } },
  },
} as const;

export async function webhookRoutes(app: FastifyInstance, options: WebhookRouteOptions): Promise<void> {
  const { requester, repository } = options;
  const configured = options.secrets.length > 0;
  if (configured && requester === undefined) throw new TypeError('webhookRoutes: secrets are configured but no requester was given');
  const verify = createSignatureVerifier(options.secrets);
  const deliveries = options.deliveryLog ?? new DeliveryLog();
  const { store } = app.catalog;
  // Each delivery's outcome, for the metrics; failures are read off the status code.
  const outcomes = new WeakMap<FastifyRequest, DeliveryOutcome>();
  app.addHook('onResponse', async (request, reply) => {
    app.catalogMetrics?.observeDelivery(eventLabel(header(request, 'x-github-event')), outcomes.get(request) ?? failureOutcome(reply.statusCode));
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/json', 'application/x-www-form-urlencoded'],
    { parseAs: 'string' },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/webhooks/github',
    {
      bodyLimit: WEBHOOK_BODY_LIMIT,
      schema: { response: responseSchema },
      // Refuse before the body is read: no need to buffer what cannot be accepted.
      onRequest: async (request) => {
        if (!configured) throw webhookNotConfigured();
        if (header(request, 'x-hub-signature-256') === undefined) {
          request.log.warn(deliveryContext(request), 'webhook refused: no X-Hub-Signature-256 header');
          throw webhookSignatureInvalid();
        }
      },
    },
    async (request, reply) => {
      const rawBody = typeof request.body === 'string' ? request.body : '';
      if (!(await verify(rawBody, header(request, 'x-hub-signature-256')))) {
        // Never the body or the secret: the ids are enough to find the delivery in GitHub's log.
        request.log.warn(deliveryContext(request), 'webhook refused: signature does not match; verify that the webhook secret matches WEBHOOK_SECRET');
        throw webhookSignatureInvalid();
      }
      const { deliveryId, event } = deliveryContext(request);
      if (deliveryId === undefined) throw webhookHeadersInvalid('X-GitHub-Delivery');
      if (event === undefined) throw webhookHeadersInvalid('X-GitHub-Event');
      const log = request.log.child({ deliveryId, event });

      // Not recorded yet: GitHub's "redeliver" (or the reconcile loop) covers what is refused here.
      if (store.current === undefined) throw catalogNotReady();
      const payload = parseDeliveryBody(rawBody, header(request, 'content-type'));

      if (!deliveries.record(deliveryId)) {
        outcomes.set(request, 'duplicate');
        log.info('webhook delivery already seen; not processed again');
        return reply.code(200).send({ duplicate: true, delivery: deliveryId });
      }

      const outcome = classifyDelivery(event, payload, { repository, isWorkerBranchName: isWorkerId });
      if ('ping' in outcome) {
        outcomes.set(request, 'ping');
        log.info('webhook ping');
        return reply.code(200).send(outcome.zen === undefined ? { ok: true } : { ok: true, zen: outcome.zen });
      }
      if ('ignore' in outcome) {
        outcomes.set(request, 'ignored');
        log.info({ reason: outcome.ignore }, 'webhook delivery ignored');
        return reply.code(200).send({ ignored: true, reason: outcome.ignore, delivery: deliveryId });
      }
      const branch = outcome.action.kind === 'full' ? undefined : outcome.action.branch;
      log.child({ branch, oid: pushedOid(payload) }).info({ kind: outcome.action.kind }, 'webhook delivery accepted; refresh queued');
      // Only queues: the answer must not wait for git (GitHub gives up after 10 s).
      requester?.request({ ...outcome.action, deliveryId });
      outcomes.set(request, 'accepted');
      return reply.code(202).send({ accepted: true, delivery: deliveryId });
    },
  );
}

type DeliveryOutcome = 'accepted' | 'ping' | 'ignored' | 'duplicate' | 'signature_invalid' | 'invalid' | 'too_large' | 'unsupported_type' | 'unavailable' | 'failed';

/** The events a catalog acts on keep their name in the metrics; any other is `other`, so labels stay few. */
const COUNTED_EVENTS = new Set(['push', 'create', 'delete', 'ping']);

/** The commit a push says the branch now points at, when it is a well-formed oid (the payload is hostile). */
function pushedOid(payload: Record<string, unknown>): string | undefined {
  const { after } = payload;
  return typeof after === 'string' && /^[0-9a-f]{40}$/.test(after) ? after : undefined;
}

function eventLabel(event: string | undefined): string {
  if (event === undefined) return 'none';
  return COUNTED_EVENTS.has(event) ? event : 'other';
}

function failureOutcome(status: number): DeliveryOutcome {
  const byStatus: Readonly<Record<number, DeliveryOutcome>> = { 400: 'invalid', 401: 'signature_invalid', 413: 'too_large', 415: 'unsupported_type', 503: 'unavailable' };
  return byStatus[status] ?? 'failed';
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The delivery's ids when they are well-formed; hostile values never reach logs or answers. */
function deliveryContext(request: FastifyRequest): { deliveryId: string | undefined; event: string | undefined } {
  const deliveryId = header(request, 'x-github-delivery');
  const event = header(request, 'x-github-event');
  return {
    deliveryId: deliveryId !== undefined && DELIVERY_ID_PATTERN.test(deliveryId) ? deliveryId : undefined,
    event: event !== undefined && EVENT_PATTERN.test(event) ? event : undefined,
  };
}
