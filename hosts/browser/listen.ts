// One Fastify app on several addresses, one port. Fastify's listen takes one address (its
// `localhost` dual binding aside), so each further address gets a plain HTTP server that hands
// requests and WebSocket upgrades to the same app, the way Fastify binds `localhost` itself.
// One app means one set of routes, hooks and origin checks, whichever address a page came in on.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';

/**
 * Listens on every address (the first picks the port when `port` is 0); resolves with the port.
 * Call before the app is ready: it adds an onClose hook that closes the extra servers.
 */
export async function listenOnAll<Log extends FastifyBaseLogger>(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Log>,
  addresses: readonly string[],
  port: number,
): Promise<number> {
  const [first, ...rest] = addresses;
  if (first === undefined) throw new TypeError('listenOnAll needs at least one address');
  const extras: Server[] = [];
  app.addHook('onClose', async () => {
    await Promise.all(extras.map(closeServer));
  });
  await app.listen({ host: first, port });
  const address = app.server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  try {
    for (const host of rest) {
      const server = createServer((request, response) => app.routing(request, response));
      server.on('upgrade', (...args) => app.server.emit('upgrade', ...args));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host, port: bound }, () => {
          server.off('error', reject);
          resolve();
        });
      });
      extras.push(server);
    }
  } catch (error) {
    // A half-listening host would serve some addresses and not others; stop all of it.
    await app.close();
    throw error;
  }
  return bound;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections would hold close() open; upgraded sockets were closed by the
    // websocket plugin already.
    server.closeAllConnections();
  });
}
