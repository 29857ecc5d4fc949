// A payment API without Server-Sent Events: a pass-through proxy in front of a real core that
// answers 404 for `/api/payment-requests/<id>/events`, as Centrapay's own API does. The kiosk's
// request watcher takes the 404 for "this core does not stream" and polls every second, so the
// benchmark can time the polling path against the same core code.
import { createServer, request, Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { register } from './lifecycle.ts';

const EVENTS_PATH = /^\/api\/payment-requests\/[^/]+\/events(?:\?|$)/;

export interface RunningProxy {
  url: string;
  stop(): Promise<void>;
}

export async function startNoEventsProxy(coreUrl: string): Promise<RunningProxy> {
  const target = new URL(coreUrl);
  // Keep-alive on both sides, so the proxy adds a hop and not a TCP handshake per poll.
  const agent = new Agent({ keepAlive: true });
  const server = createServer((incoming, outgoing) => {
    if (EVENTS_PATH.test(incoming.url ?? '')) {
      incoming.resume();
      outgoing.writeHead(404, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify({ message: 'Not Found' }));
      return;
    }
    forward(incoming, outgoing, target, agent);
  });
  const stop = register(async () => {
    server.closeAllConnections();
    // A server that never got to listen has nothing to close.
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    agent.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, stop };
}

function forward(
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  target: URL,
  agent: Agent,
): void {
  const upstream = request(
    {
      host: target.hostname,
      port: target.port,
      method: incoming.method,
      path: incoming.url,
      headers: { ...incoming.headers, host: target.host },
      agent,
    },
    (reply) => {
      outgoing.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(outgoing);
    },
  );
  upstream.on('error', () => {
    // The core is gone (the benchmark is stopping it): answer as a gateway would.
    if (!outgoing.headersSent) outgoing.writeHead(502);
    outgoing.end();
  });
  incoming.pipe(upstream);
}
