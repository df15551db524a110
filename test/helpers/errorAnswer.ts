// Reads an error answer in the envelope its path must use: `{error:{code,
// message}}` under /v1, `{error, code}` on the rbee-hive routes. A body in
// the wrong envelope fails the assertion instead of being read leniently.

import assert from 'node:assert/strict';

export interface ErrorAnswerRead {
  readonly code: string;
  readonly message: string;
}

export function errorAnswer(path: string, response: { json(): unknown }): ErrorAnswerRead {
  const body = response.json() as Record<string, unknown>;
  if (path.startsWith('/v1/')) {
    const error = body.error as Record<string, unknown> | undefined;
    assert.equal(typeof error, 'object', `${path}: a v1 error is {"error":{"code","message"}}`);
    assert.equal(typeof error?.code, 'string', `${path}: error.code`);
    assert.equal(typeof error?.message, 'string', `${path}: error.message`);
    return { code: error!.code as string, message: error!.message as string };
  }
  assert.equal(typeof body.code, 'string', `${path}: a legacy error is {"error","code"}`);
  assert.equal(typeof body.error, 'string', `${path}: a legacy error is {"error","code"}`);
  return { code: body.code as string, message: body.error as string };
}
