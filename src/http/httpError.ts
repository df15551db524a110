// HttpError: an error that is the answer — a status, a stable code, and a
// message safe to show the client.

export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Extra facts for the client (which parameter, what was expected). */
  readonly detail: string | undefined;

  constructor(statusCode: number, code: string, message: string, options: { headers?: Record<string, string>; detail?: string } = {}) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.code = code;
    this.headers = options.headers ?? {};
    this.detail = options.detail;
  }
}

export const workerNotFound = (): HttpError => new HttpError(404, 'WORKER_NOT_FOUND', 'Worker not found');
export const catalogNotReady = (): HttpError =>
  new HttpError(503, 'CATALOG_NOT_READY', 'The catalog is still being indexed; retry shortly', { headers: { 'retry-after': '5' } });
/** A query parameter or body field the route's schema cannot express the rule for. */
export const invalidQuery = (message: string, detail?: string): HttpError =>
  new HttpError(400, 'INVALID_QUERY', message, detail === undefined ? {} : { detail });
