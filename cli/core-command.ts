import { parseArgs } from 'node:util';
import pino from 'pino';
import { startCore } from '../core/server.ts';
import { defaultCoreDatabase, describeDatabase } from './data-dir.ts';
import { parsePort } from './port.ts';

export const CORE_USAGE =
  'kiosk core [--port <n>] [--host <addr>] [--db <file or postgres:// URL>] [--public-url <url>]';

/** `kiosk core`: runs the payment API until SIGTERM or SIGINT, then drains and closes. */
export async function coreCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      db: { type: 'string' },
      'public-url': { type: 'string' },
    },
  });
  const port = parsePort(values.port);
  const db = values.db ?? defaultCoreDatabase();
  const logger = pino({
    name: 'core',
    level: process.env['LOG_LEVEL'] ?? 'info',
    redact: ['req.headers.authorization', 'req.headers["x-api-key"]'],
  });
  logger.info({ db: describeDatabase(db) }, 'opening database');
  const core = await startCore({
    db,
    port,
    host: values.host,
    logger,
    logRequests: logger.isLevelEnabled('debug'),
    ...(values['public-url'] !== undefined && { publicBaseUrl: values['public-url'] }),
  });
  console.log(`core listening on ${core.url}`);
  console.log(`API docs at ${core.url}/api/documentation`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'finishing in-flight requests and closing the database');
    core.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
