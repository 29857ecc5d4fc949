import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { startBrowserHost } from '../hosts/browser/browser-host.ts';
import { FileSecretStore } from '../hosts/file-secret-store.ts';
import { FileSettingsStore } from '../hosts/file-settings-store.ts';
import { startKioskStack } from '../hosts/kiosk-stack.ts';
import { dataDir } from './data-dir.ts';
import { parsePort } from './port.ts';

export const HOST_USAGE =
  'kiosk host [--port <n>] [--api-url <url>]   (key of a remote API in $KIOSK_API_KEY)';

const RENDERER_DIR = fileURLToPath(new URL('../dist/renderer', import.meta.url));

/**
 * `kiosk host`: the kiosk in the browser host (the embedded core unless --api-url names a
 * remote one). `--api-url` and $KIOSK_API_KEY are stored in the kiosk's settings.
 */
export async function hostCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '0' },
      'api-url': { type: 'string' },
    },
  });
  const port = parsePort(values.port);
  const logger = pino({ name: 'kiosk', level: process.env['LOG_LEVEL'] ?? 'info' });
  const directory = dataDir();
  const settings = new FileSettingsStore(join(directory, 'settings.json'));
  const secrets = new FileSecretStore(join(directory, 'secrets'));
  if (values['api-url'] !== undefined) {
    await settings.write({ ...(await settings.read()), apiBaseUrl: values['api-url'] });
  }
  const apiKey = process.env['KIOSK_API_KEY'];
  if (apiKey) await secrets.write('apiKey', apiKey);

  const stack = await startKioskStack({ dataDir: directory, settings, secrets, logger });
  const host = await startBrowserHost({
    kiosk: stack.kiosk,
    rendererDir: RENDERER_DIR,
    port,
    logger,
  });
  console.log(`kiosk host on ${host.url}`);
  console.log(`payment API on ${stack.apiBaseUrl}`);
  console.log(`open ${host.pageUrl}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'closing the kiosk');
    host
      .close()
      .then(() => stack.close())
      .then(
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
