// Which error body a request gets. The v1 API shares one envelope,
// `{"error":{"code","message"}}`; the routes rbee-hive and the previous
// service's clients read keep the flat `{error, code}` they always had.

export interface ErrorAnswer {
  readonly code: string;
  readonly message: string;
  /** Extra, safe-to-show facts (which parameter, what was expected). */
  readonly detail?: string;
}

/** True for every path of the v1 API (and its documentation). */
export function usesV1Envelope(url: string): boolean {
  return url.startsWith('/v1/') || url === '/v1' || url.startsWith('/openapi.json');
}

export function errorBody(url: string, answer: ErrorAnswer): Record<string, unknown> {
  const detail = answer.detail === undefined ? {} : { detail: answer.detail };
  if (usesV1Envelope(url)) return { error: { code: answer.code, message: answer.message, ...detail } };
  return { error: answer.message, code: answer.code, ...detail };
}

/** The v1 envelope as a JSON Schema, for route response schemas and OpenAPI. */
export const v1ErrorSchema = {
  $id: 'V1Error',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable, machine-readable error code, e.g. INVALID_QUERY.' },
        message: { type: 'string', description: 'What went wrong, for people.' },
        detail: { type: 'string' },
      },
    },
  },
} as const;

/** The error answers every v1 route may give, for its `response` schema. */
export const v1ErrorResponses = {
  400: { description: 'The request is invalid', $ref: 'V1Error#' },
  404: { description: 'No such resource', $ref: 'V1Error#' },
  503: { description: 'The catalog is still being indexed', $ref: 'V1Error#' },
} as const;
