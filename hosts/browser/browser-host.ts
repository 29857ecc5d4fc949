// The browser host: serves the built renderer over HTTP and carries the kiosk bridge over a
// WebSocket, so the kiosk runs in any Chromium in --kiosk mode. Only pages this host served,
// holding this start's token, may drive it: the socket checks the Origin against the host's
// own addresses (a page elsewhere, or a DNS-rebound name, is refused) and the subprotocol
// against the token, which reaches the page only through its URL fragment. It listens on
// loopback only, unless thin clients on another address were explicitly allowed: then a page
// served there, having no start link, pairs (pairing.ts) to earn the same token.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { LogController } from 'fastify';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { CommandName } from '../../terminal/contract/commands.ts';
import {
  SOCKET_PATH,
  SUBPROTOCOL_PREFIX,
  type CommandMessage,
  type HostMessage,
} from '../../terminal/contract/socket-messages.ts';
import type { Kiosk } from '../../terminal/kiosk.ts';
import {
  checkThinClientAddress,
  httpUrl,
  listenAddresses,
  LOOPBACK,
  ownOrigins,
  thinClientAddresses,
} from './addresses.ts';
import { listenOnAll } from './listen.ts';
import { Pairing, type PairingCode, type PairingOptions } from './pairing.ts';
import { registerPairingRoute } from './pairing-route.ts';
import { registerVendingVisitRoute } from '../vending-visit-route.ts';

export interface BrowserHostOptions {
  kiosk: Kiosk;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  port: number;
  /**
   * Thin clients on another address, served there as well as on 127.0.0.1 and paired with a
   * code. Without it the host listens on 127.0.0.1 alone; there is no other way off loopback.
   */
  thinClients?: ThinClientOptions;
  logger: Logger;
}

export interface ThinClientOptions {
  /** An IP address of this machine, or 0.0.0.0 / :: for all of them. */
  address: string;
  /** Lifetime and wrong-code budget; the defaults are 10 minutes and 5. */
  pairing?: PairingOptions;
}

export interface RunningBrowserHost {
  /** The host's address, as printed: `http://127.0.0.1:<port>`. */
  url: string;
  /** The page to open: the address with this start's token in its fragment. */
  pageUrl: string;
  /**
   * Where phones reach this host, and the kiosk's static URL with it unless the `publicBaseUrl`
   * setting names another address: the thin clients' address when they are allowed, else this
   * machine's loopback address.
   */
  publicUrl: string;
  /** Present when thin clients were allowed. */
  thinClients?: RunningThinClients;
  close(): Promise<void>;
}

export interface RunningThinClients {
  /** Where thin clients open the kiosk: `http://<address>:<port>`, one per address. */
  urls: string[];
  /**
   * Calls `listener` at once with the current pairing code, then with each next one. The code
   * is for the kiosk's own console only: never log it.
   */
  onPairingCode(listener: (code: PairingCode) => void): () => void;
}

/** Commands arrive as small JSON frames; anything larger is not a kiosk page talking. */
const MAX_FRAME_BYTES = 64 * 1024;

export async function startBrowserHost(options: BrowserHostOptions): Promise<RunningBrowserHost> {
  const { kiosk, logger } = options;
  const thinClientAddress =
    options.thinClients === undefined
      ? undefined
      : checkThinClientAddress(options.thinClients.address);
  const token = randomBytes(24).toString('base64url');
  // Filled once the port is known; until then no origin is ours and nothing is accepted.
  let allowedOrigins = new Set<string>();
  const isOwnOrigin = (origin: string | undefined) =>
    origin !== undefined && allowedOrigins.has(origin);

  const app = Fastify({
    loggerInstance: logger.child({ module: 'browser-host' }),
    logController: new LogController({ disableRequestLogging: true }),
  });
  await app.register(fastifyWebsocket, {
    options: {
      maxPayload: MAX_FRAME_BYTES,
      // The page offers exactly one subprotocol, `kiosk.<token>`; echo it back.
      handleProtocols: (protocols) => [...protocols].find(isKioskProtocol) ?? false,
    },
  });
  if (existsSync(join(options.rendererDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: options.rendererDir, index: 'index.html' });
  } else {
    app.get('/', async (_request, reply) =>
      reply
        .code(503)
        .type('text/plain')
        .send('The kiosk UI is not built. Run `npm start`, which builds it.'),
    );
  }

  await app.register(async (socketScope) => {
    socketScope.addHook('preValidation', async (request, reply) => {
      const origin = request.headers.origin;
      const offered = String(request.headers['sec-websocket-protocol'] ?? '')
        .split(',')
        .map((protocol) => protocol.trim());
      if (!isOwnOrigin(origin)) {
        request.log.warn({ origin }, 'kiosk socket refused: foreign origin');
        return reply.code(403).send({ message: 'origin not allowed' });
      }
      if (!offered.some((protocol) => tokenMatches(protocol, token))) {
        request.log.warn('kiosk socket refused: missing or wrong token');
        return reply.code(401).send({ message: 'token required' });
      }
    });
    socketScope.get(SOCKET_PATH, { websocket: true }, (socket) =>
      serveSocket(socket, kiosk, logger),
    );
  });

  registerVendingVisitRoute(app, kiosk);

  // Without thin clients there is no pairing route at all: nothing to guess at.
  const pairing = options.thinClients && new Pairing(options.thinClients.pairing);
  if (pairing) registerPairingRoute(app, { pairing, token, isOwnOrigin });

  const port = await listenOnAll(app, listenAddresses(thinClientAddress), options.port);
  const url = httpUrl(LOOPBACK, port);
  const thinClientUrls =
    thinClientAddress === undefined
      ? []
      : thinClientAddresses(thinClientAddress).map((address) => httpUrl(address, port));
  allowedOrigins = ownOrigins(port, thinClientUrls);
  const running: RunningBrowserHost = {
    url,
    pageUrl: `${url}/#token=${token}`,
    publicUrl: thinClientUrls[0] ?? url,
    close: () => app.close(),
  };
  kiosk.setHostPublicUrl(running.publicUrl);
  if (pairing) {
    running.thinClients = {
      urls: thinClientUrls,
      onPairingCode: (listener) => pairing.onCode(listener),
    };
  }
  return running;
}

function isKioskProtocol(protocol: string): boolean {
  return protocol.startsWith(SUBPROTOCOL_PREFIX);
}

function tokenMatches(protocol: string, token: string): boolean {
  if (!isKioskProtocol(protocol)) return false;
  const offered = Buffer.from(protocol.slice(SUBPROTOCOL_PREFIX.length));
  const expected = Buffer.from(token);
  return offered.length === expected.length && timingSafeEqual(offered, expected);
}

function serveSocket(socket: WebSocket, kiosk: Kiosk, logger: Logger): void {
  const send = (message: HostMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const unsubscribe = kiosk.subscribe((state) => send({ type: 'state', state }));
  socket.on('message', (data) => {
    const message = parseCommand(data.toString());
    if (message === null) {
      logger.warn('kiosk socket: a frame that is not a command was ignored');
      return;
    }
    kiosk
      .invoke(message.name, message.input as never)
      .then((result) => send({ type: 'reply', id: message.id, result }))
      .catch((error: unknown) => {
        logger.error({ err: error, command: message.name }, 'kiosk command failed');
        socket.close(1011, 'internal error');
      });
  });
  socket.on('close', unsubscribe);
}

/** A frame's shape; the kiosk validates the command's name and input itself. */
function parseCommand(text: string): CommandMessage | null {
  try {
    const value = JSON.parse(text) as Partial<CommandMessage> | null;
    if (typeof value !== 'object' || value === null) return null;
    if (!Number.isSafeInteger(value.id) || typeof value.name !== 'string') return null;
    return { id: value.id as number, name: value.name as CommandName, input: value.input ?? {} };
  } catch {
    return null;
  }
}
