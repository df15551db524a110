import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogApp, catalogWorkerIds } from '../helpers/catalogApp.js';
import { openApiValidator } from '../helpers/openApiValidator.js';

interface Operation {
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: unknown;
  responses: Record<string, { description: string; content?: Record<string, { schema?: unknown }> }>;
}

type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

test('/openapi.json documents every v1 route with its parameters, a success schema and the v1 error envelope', async (t) => {
  const { app } = await catalogApp(t);
  const response = await app.inject('/openapi.json');
  assert.equal(response.statusCode, 200);
  const document = response.json() as Document;
  assert.match(document.openapi, /^3\.1\./);
  assert.ok('V1Worker' in document.components.schemas && 'V1Error' in document.components.schemas);

  const v1 = Object.entries(document.paths).filter(([path]) => path.startsWith('/v1/'));
  const expected = ['/v1/workers', '/v1/workers/info', '/v1/workers/{id}', '/v1/workers/{id}/PKGBUILD', '/v1/workers/{id}/versions', '/v1/workers/{id}/snapshot.tar.gz', '/v1/workers/{id}/clone-url', '/v1/suggest', '/v1/tags', '/v1/resolve', '/v1/catalog.json', '/v1/index.json.gz', '/v1/changes', '/v1/problems'];
  for (const path of expected) assert.ok(document.paths[path] !== undefined, `${path} is documented`);

  for (const [path, operations] of v1) {
    for (const [method, operation] of Object.entries(operations)) {
      const where = `${method.toUpperCase()} ${path}`;
      const success = Object.entries(operation.responses).find(([status]) => status.startsWith('2'));
      assert.ok(success !== undefined, `${where}: a success response`);
      assert.ok(success[1].content !== undefined && Object.values(success[1].content).every((media) => media.schema !== undefined), `${where}: a success schema`);
      assert.ok(operation.responses['400'] !== undefined || !/[{?]/.test(path) && operation.parameters === undefined && operation.requestBody === undefined,
        `${where}: a route that takes input documents its 400`);
      for (const param of path.match(/\{(\w+)\}/g) ?? []) {
        assert.ok(operation.parameters?.some((p) => p.in === 'path' && `{${p.name}}` === param), `${where}: path parameter ${param}`);
      }
    }
  }
});

test('what the v1 routes send matches what /openapi.json says they send', async (t) => {
  const { app } = await catalogApp(t);
  const validate = await openApiValidator(app);
  const [id] = catalogWorkerIds();
  const answers: Array<[string, string, number]> = [
    ['/v1/workers', '/v1/workers?q=worker&facets=1&limit=2', 200],
    ['/v1/workers', '/v1/workers?limit=0', 400],
    ['/v1/workers/{id}', `/v1/workers/${id}`, 200],
    ['/v1/workers/{id}', '/v1/workers/no-such-worker', 404],
    ['/v1/suggest', '/v1/suggest?q=llm', 200],
    ['/v1/tags', '/v1/tags', 200],
    ['/v1/problems', '/v1/problems', 200],
  ];
  for (const [route, url, status] of answers) {
    const response = await app.inject(url);
    assert.equal(response.statusCode, status, url);
    assert.deepEqual(validate(route, status, response.json()), [], url);
  }
});
