// The vending machine's static URL for a host with no HTTP server of its own (Electron): a Fastify
// app with the vending visit route and nothing else, so a phone on the network can reach it
// without reaching the kiosk's screen or its bridge.
import Fastify, { LogController } from 'fastify';
import type { Logger } from 'pino';
import type { Kiosk } from '../terminal/kiosk.ts';
import { httpUrl, LOOPBACK, thinClientAddresses } from './browser/addresses.ts';
import { registerVendingVisitRoute } from './vending-visit-route.ts';

export interface StaticUrlServerOptions {
  kiosk: Kiosk;
  /** An IP address of this machine, or 0.0.0.0 / :: for all of them. */
  host: string;
  /** Keep it fixed in production: the printed QR code encodes it. 0 picks a free port (tests). */
  port: number;
  logger: Logger;
}

export interface RunningStaticUrlServer {
  /**
   * Where phones reach it: for a wildcard, this machine's first network address now (loopback
   * when it has none). The kiosk is told, and uses it unless `publicBaseUrl` says otherwise.
   */
  url: string;
  close(): Promise<void>;
}

/** Listens, then tells the kiosk where; rejects (with nothing left open) if it cannot listen. */
export async function startStaticUrlServer(
  options: StaticUrlServerOptions,
): Promise<RunningStaticUrlServer> {
  const { kiosk, host } = options;
  const app = Fastify({
    loggerInstance: options.logger.child({ module: 'static-url-server' }),
    logController: new LogController({ disableRequestLogging: true }),
  });
  registerVendingVisitRoute(app, kiosk);
  try {
    await app.listen({ host, port: options.port });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const [reachable = LOOPBACK] = thinClientAddresses(host);
  const url = httpUrl(reachable, port);
  kiosk.setHostPublicUrl(url);
  return { url, close: () => app.close() };
}
