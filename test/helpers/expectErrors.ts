// expectErrors: asks for each URL and checks the status and the stable code
// of the error answer (read in the envelope its path must use); never the
// message text.

import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { errorAnswer } from './errorAnswer.js';

/** `[url, status, code]` triples, asked for in order. */
export type ErrorCase = readonly [url: string, status: number, code: string];

export async function expectErrors(app: FastifyInstance, cases: readonly ErrorCase[]): Promise<void> {
  for (const [url, status, code] of cases) {
    const response = await app.inject(url);
    assert.equal(response.statusCode, status, url);
    assert.equal(errorAnswer(url, response).code, code, url);
  }
}
