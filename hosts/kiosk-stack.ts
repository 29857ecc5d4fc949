// What both hosts (Electron main and the browser host) start: the core embedded in this kiosk
// unless the settings name a remote payment API, then the terminal on top of it.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { startCore, type RunningCore } from '../core/server.ts';
import { DEMO } from '../core/seed/demo.ts';
import { createPaymentApiClient } from '../terminal/api/client.ts';
import { deviceFactory } from '../terminal/devices/device-factory.ts';
import { startKiosk, type Kiosk } from '../terminal/kiosk.ts';
import { FilePinHashStore } from './file-pin-hash-store.ts';
import type { SimulatedDevices } from './simulated-devices.ts';
import { loadSystemHardware } from './system-hardware.ts';
import type { SecretStore, SettingsStore } from '../terminal/settings.ts';

export interface KioskStackOptions {
  /** Where the embedded core's database and the terminal's journal live. */
  dataDir: string;
  settings: SettingsStore;
  secrets: SecretStore;
  logger: Logger;
  /** Simulated devices offered beside the machine's, used while the settings list none. */
  simulated?: SimulatedDevices;
}

export interface KioskStack {
  kiosk: Kiosk;
  /** The embedded core's base URL, or null when the kiosk talks to a remote core. */
  embeddedCoreUrl: string | null;
  /** The payment API the kiosk uses at start. */
  apiBaseUrl: string;
  close(): Promise<void>;
}

export async function startKioskStack(options: KioskStackOptions): Promise<KioskStack> {
  const { dataDir, logger } = options;
  await mkdir(dataDir, { recursive: true });
  const settings = await options.settings.read();
  let core: RunningCore | null = null;
  if (settings.apiBaseUrl === '') {
    core = await startCore({
      db: join(dataDir, 'core.db'),
      port: 0,
      logger: logger.child({ module: 'core' }),
      logRequests: false,
    });
    logger.info({ url: core.url }, 'embedded payment API started');
  }
  try {
    const { simulated } = options;
    const loadHardware = async () => {
      const real = await loadSystemHardware(logger);
      return simulated ? simulated.withHardware(real) : real;
    };
    const kiosk = await startKiosk({
      settings: simulated ? simulated.withSettings(options.settings) : options.settings,
      secrets: options.secrets,
      pinHashes: new FilePinHashStore(join(dataDir, 'attendant-pin')),
      journalPath: join(dataDir, 'journal.sqlite'),
      embeddedApiBaseUrl: core?.url ?? null,
      embeddedApiKey: core ? DEMO.terminalKey : null,
      createApi: (baseUrl, apiKey) =>
        createPaymentApiClient({
          baseUrl,
          apiKey,
          logger: logger.child({ module: 'payment-api' }),
        }),
      logger,
      devices: deviceFactory({ loadHardware, logger }),
    });
    return {
      kiosk,
      embeddedCoreUrl: core?.url ?? null,
      apiBaseUrl: core?.url ?? settings.apiBaseUrl,
      async close() {
        await kiosk.close();
        await core?.close();
      },
    };
  } catch (error) {
    await core?.close();
    throw error;
  }
}
