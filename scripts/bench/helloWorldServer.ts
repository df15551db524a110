// The HTTP measurement's yardstick, run in its own process by http.ts: a
// bare Fastify app answering {"hello":"world"} on loopback, no logger, no
// plugins. Prints its port as one JSON line and serves until SIGTERM.

import Fastify from 'fastify';

const app = Fastify();
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
if (address === null || typeof address === 'string') throw new Error('no TCP address');
process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
process.once('SIGTERM', () => {
  app.close().then(() => process.exit(0), () => process.exit(1));
});
