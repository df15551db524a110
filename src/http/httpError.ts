// HttpError: an error that is the answer — a status, a stable code, and a
// message safe to show the client.

export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(statusCode: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.code = code;
    this.headers = headers;
  }
}

export const workerNotFound = (): HttpError => new HttpError(404, 'WORKER_NOT_FOUND', 'Worker not found');
export const catalogNotReady = (): HttpError =>
  new HttpError(503, 'CATALOG_NOT_READY', 'The catalog is still being indexed; retry shortly', { 'retry-after': '5' });
