// The baseline the core is measured against: Fastify answering `{}` after the same API-key
// check the core makes (the core's own authenticator over the core's own storage), so a ratio
// shows what the payment work costs on top of HTTP, JSON and one indexed key lookup.
//
//   node --import tsx bench/baseline-server.ts --db <sqlite file or postgres:// URL>
import Fastify from 'fastify';
import { parseArgs } from 'node:util';
import { createAuthenticator } from '../core/auth/authenticate.ts';
import { loadSigningKey } from '../core/auth/signing-keys.ts';
import { systemClock } from '../core/clock.ts';
import { openStorage } from '../core/db/storage.ts';
import { seedDemo } from '../core/seed/demo.ts';

const { values } = parseArgs({ options: { db: { type: 'string' } } });
if (values.db === undefined) throw new TypeError('--db is required');

const storage = await openStorage(values.db);
// A new database gets the demo keys; one the core already seeded is left as it is.
await seedDemo(storage, systemClock.now());
const authenticate = createAuthenticator(
  storage,
  await loadSigningKey(storage, systemClock.now()),
  systemClock,
);

const app = Fastify({ logger: false });
app.addHook('onRequest', async (request) => {
  await authenticate(request);
});
app.get('/', async () => ({}));

await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
console.log(`baseline listening on http://127.0.0.1:${port}`);

const stop = () => {
  void app
    .close()
    .then(() => storage.close())
    .finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
