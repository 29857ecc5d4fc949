import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { checkThinClientAddress } from '../hosts/browser/addresses.ts';
import { startBrowserHost } from '../hosts/browser/browser-host.ts';
import { FileSecretStore } from '../hosts/file-secret-store.ts';
import { FileSettingsStore } from '../hosts/file-settings-store.ts';
import { startKioskStack } from '../hosts/kiosk-stack.ts';
import { startSimulatedDevices } from '../hosts/simulated-devices.ts';
import { dataDir } from './data-dir.ts';
import { parsePort } from './port.ts';
import { runSimulatorConsole } from './simulator-console.ts';

export const HOST_USAGE =
  'kiosk host [--port <n>] [--api-url <url>] [--thin-clients <address>] [--simulate-devices]   (key of a remote API in $KIOSK_API_KEY)';

const RENDERER_DIR = fileURLToPath(new URL('../dist/renderer', import.meta.url));

export interface HostArgs {
  port: number;
  apiUrl?: string;
  /** The address thin clients reach the kiosk at; loopback only without it. */
  thinClients?: string;
  /** Offer simulated devices, played from this console (what `npm start` runs). */
  simulateDevices: boolean;
}

/**
 * The options of `kiosk host`. `--thin-clients` is the one way off loopback, on purpose: there
 * is no `--host`, so serving the kiosk to the network always comes with pairing.
 */
export function parseHostArgs(argv: string[]): HostArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '0' },
      'api-url': { type: 'string' },
      'thin-clients': { type: 'string' },
      'simulate-devices': { type: 'boolean', default: false },
    },
  });
  const args: HostArgs = {
    port: parsePort(values.port),
    simulateDevices: values['simulate-devices'],
  };
  if (values['api-url'] !== undefined) args.apiUrl = values['api-url'];
  if (values['thin-clients'] !== undefined) {
    args.thinClients = checkThinClientAddress(values['thin-clients']);
  }
  return args;
}

/**
 * `kiosk host`: the kiosk in the browser host (the embedded core unless --api-url names a
 * remote one). `--api-url` and $KIOSK_API_KEY are stored in the kiosk's settings. It serves
 * 127.0.0.1 only, and with `--thin-clients <address>` that address too, behind pairing.
 */
export async function hostCommand(argv: string[]): Promise<void> {
  const args = parseHostArgs(argv);
  const logger = pino({ name: 'kiosk', level: process.env['LOG_LEVEL'] ?? 'info' });
  const directory = dataDir();
  const settings = new FileSettingsStore(join(directory, 'settings.json'));
  const secrets = new FileSecretStore(join(directory, 'secrets'));
  if (args.apiUrl !== undefined) {
    await settings.write({ ...(await settings.read()), apiBaseUrl: args.apiUrl });
  }
  const apiKey = process.env['KIOSK_API_KEY'];
  if (apiKey) await secrets.write('apiKey', apiKey);

  const simulated = args.simulateDevices
    ? await startSimulatedDevices(logger.child({ module: 'simulated-devices' }))
    : undefined;
  const stack = await startKioskStack({
    dataDir: directory,
    settings,
    secrets,
    logger,
    ...(simulated && { simulated }),
  });
  const host = await startBrowserHost({
    kiosk: stack.kiosk,
    rendererDir: RENDERER_DIR,
    port: args.port,
    ...(args.thinClients !== undefined && { thinClients: { address: args.thinClients } }),
    logger,
  });
  console.log(`kiosk host on ${host.url}`);
  console.log(`payment API on ${stack.apiBaseUrl}`);
  console.log(`open ${host.pageUrl}`);
  // The pairing code goes to this console alone (console.log, not the logger), so only whoever
  // stands at the kiosk can pair a thin client. A new line follows each successful pairing.
  const thinClients = host.thinClients;
  if (thinClients?.urls.length === 0) {
    console.log(`thin clients: this machine has no network address for ${args.thinClients}`);
  }
  thinClients?.onPairingCode(({ code }) => {
    for (const url of thinClients.urls) console.log(`thin clients: ${url} (pairing code ${code})`);
  });
  if (simulated) void runSimulatorConsole(simulated);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'closing the kiosk');
    host
      .close()
      .then(() => stack.close())
      .then(() => simulated?.close())
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
