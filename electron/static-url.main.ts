// Electron has no HTTP server, yet a vending machine's printed QR code opens the kiosk's static
// URL on a phone: the main process serves it (hosts/static-url-server.ts) from the moment the
// kiosk drives a vending machine, at start or once an adapter is added in Settings, until it
// quits. A kiosk without one opens no port. A port that cannot be had is never fatal: the kiosk
// keeps running without a static URL (its vending screen says it is not set up) and tries again.
import type { Logger } from 'pino';
import { startStaticUrlServer, type RunningStaticUrlServer } from '../hosts/static-url-server.ts';
import type { Kiosk } from '../terminal/kiosk.ts';

export interface StaticUrlListen {
  /** 0.0.0.0 in production: phones reach the kiosk from the network. */
  host: string;
  port: number;
}

export interface StaticUrlServing {
  /** Stops serving, and trying to. */
  close(): Promise<void>;
}

/** Whatever holds the port (a kiosk still shutting down, another program) may let it go. */
const RETRY_MS = 30_000;

export function serveStaticUrlWhileVending(options: {
  kiosk: Kiosk;
  listen: StaticUrlListen;
  logger: Logger;
  /** How long after a failed listen the next try is; default 30 s. */
  retryMs?: number;
}): StaticUrlServing {
  const { kiosk, listen } = options;
  const logger = options.logger.child({ module: 'electron.static-url' });
  // Null until the kiosk first drives a vending machine, and again after a failed try until the
  // retry is due.
  let server: Promise<RunningStaticUrlServer | null> | null = null;
  let retry: NodeJS.Timeout | undefined;
  let drivesVending = false;
  let closed = false;

  const serve = () => {
    server = startStaticUrlServer({ kiosk, ...listen, logger: options.logger }).then(
      (running) => {
        logger.info({ url: running.url }, 'serving the static URL');
        return running;
      },
      (error: unknown) => {
        const retryMs = options.retryMs ?? RETRY_MS;
        logger.error({ err: error, ...listen, retryMs }, 'the static URL cannot be served');
        if (!closed) {
          retry = setTimeout(() => {
            server = null;
            if (drivesVending) serve();
          }, retryMs);
        }
        return null;
      },
    );
  };

  const unsubscribe = kiosk.subscribe((state) => {
    drivesVending = state.vending !== null;
    if (drivesVending && server === null && !closed) serve();
  });

  return {
    async close() {
      closed = true;
      unsubscribe();
      clearTimeout(retry);
      await (await server)?.close();
    },
  };
}
