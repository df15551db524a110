// parseDeliveryBody: turns a verified webhook body into its JSON payload.
// GitHub sends either `application/json` (the body is the JSON) or
// `application/x-www-form-urlencoded` (the JSON is the `payload=` field);
// both are signed over the raw body, so this runs only after verification.

import { webhookPayloadInvalid } from './webhookErrors.js';

const FORM = 'application/x-www-form-urlencoded';

export function parseDeliveryBody(rawBody: string, contentType: string | undefined): Record<string, unknown> {
  const mediaType = contentType?.split(';', 1)[0]?.trim().toLowerCase();
  let json: string = rawBody;
  if (mediaType === FORM) {
    const field = new URLSearchParams(rawBody).get('payload');
    if (field === null) throw webhookPayloadInvalid('has no payload= field');
    json = field;
  }
  let value: unknown;
  try {
    // Plain JSON.parse is safe here: the payload is only read field by field
    // (own properties), never merged into another object.
    value = JSON.parse(json);
  } catch {
    throw webhookPayloadInvalid('is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw webhookPayloadInvalid('is not a JSON object');
  return value as Record<string, unknown>;
}
