// The webhook endpoint's refusals, as HttpErrors the app's error handler
// turns into `{error, code}` answers. Messages say what to fix.

import { HttpError } from '../http/httpError.js';

export const webhookNotConfigured = (): HttpError =>
  new HttpError(503, 'WEBHOOK_NOT_CONFIGURED', 'Webhooks are not configured on this server: set WEBHOOK_SECRET');

export const webhookSignatureInvalid = (): HttpError =>
  new HttpError(
    401,
    'WEBHOOK_SIGNATURE_INVALID',
    'X-Hub-Signature-256 is missing or does not match the body; verify that the webhook secret matches WEBHOOK_SECRET',
  );

export const webhookHeadersInvalid = (header: string): HttpError =>
  new HttpError(400, 'WEBHOOK_HEADERS_INVALID', `${header} is missing or malformed`);

export const webhookPayloadInvalid = (detail: string): HttpError =>
  new HttpError(400, 'WEBHOOK_PAYLOAD_INVALID', `The delivery body ${detail}`);
