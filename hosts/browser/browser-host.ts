// The browser host: serves the built renderer over HTTP and carries the kiosk bridge over a
// WebSocket, so the kiosk runs in any Chromium in --kiosk mode. Only pages this host served,
// holding this start's token, may drive it: the socket checks the Origin against the host's
// own addresses (a page elsewhere, or a DNS-rebound name, is refused) and the subprotocol
// against the token, which reaches the page only through its URL fragment.
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

export interface BrowserHostOptions {
  kiosk: Kiosk;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  port: number;
  /** 127.0.0.1 unless thin clients elsewhere are explicitly allowed. */
  host?: string;
  logger: Logger;
}

export interface RunningBrowserHost {
  /** The host's address, as printed: `http://127.0.0.1:<port>`. */
  url: string;
  /** The page to open: the address with this start's token in its fragment. */
  pageUrl: string;
  close(): Promise<void>;
}

/** Commands arrive as small JSON frames; anything larger is not a kiosk page talking. */
const MAX_FRAME_BYTES = 64 * 1024;

export async function startBrowserHost(options: BrowserHostOptions): Promise<RunningBrowserHost> {
  const { kiosk, logger } = options;
  const host = options.host ?? '127.0.0.1';
  const token = randomBytes(24).toString('base64url');
  const allowedOrigins = new Set<string>();

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
      if (origin === undefined || !allowedOrigins.has(origin)) {
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

  await app.listen({ port: options.port, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${host}:${port}`;
  allowedOrigins.add(url);
  if (host === '127.0.0.1') allowedOrigins.add(`http://localhost:${port}`);
  return {
    url,
    pageUrl: `${url}/#token=${token}`,
    close: () => app.close(),
  };
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
