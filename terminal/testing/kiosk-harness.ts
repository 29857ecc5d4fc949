// A real kiosk (journal, flows, attendant lock) over stand-ins: a scripted payment API, a fake
// device factory and settings kept in memory, so kiosk tests see exactly what gets stored.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { ScriptedPaymentApi } from '../api/testing/scripted-payment-api.ts';
import type { CommandInput, CommandName } from '../contract/commands.ts';
import type { CommandResult } from '../contract/replies.ts';
import type { KioskState } from '../contract/state.ts';
import type { FakeDeviceFactory } from '../devices/testing/fake-devices.ts';
import { startKiosk, type Kiosk } from '../kiosk.ts';
import type { TerminalSettings } from '../settings.ts';

export interface TestKiosk {
  kiosk: Kiosk;
  /** What the settings store holds now. */
  stored(): TerminalSettings;
  /** The snapshot the kiosk publishes now. */
  state(): KioskState;
  /** Unlocks with the demo PIN, then sends the command. */
  asAttendant<N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandResult<N>>;
}

export async function startTestKiosk(options: {
  /** Holds the journal. */
  dir: string;
  settings: Partial<TerminalSettings>;
  api: ScriptedPaymentApi;
  devices: FakeDeviceFactory;
  logger: Logger;
}): Promise<TestKiosk> {
  let stored: TerminalSettings = {
    apiBaseUrl: '',
    publicBaseUrl: '',
    configId: 'mc_demo',
    terminalId: 'kiosk-1',
    deviceId: 'SN-1',
    merchantName: 'Demo Café',
    currency: 'NZD',
    kioskMode: true,
    expirySeconds: 120,
    devices: [],
    ...options.settings,
  };
  const kiosk = await startKiosk({
    settings: {
      read: async () => stored,
      write: async (settings) => void (stored = settings),
    },
    secrets: { read: async () => null, write: async () => undefined },
    pinHashes: { read: async () => null, write: async () => undefined },
    journalPath: join(options.dir, 'journal.sqlite'),
    embeddedApiBaseUrl: 'http://core.test',
    embeddedApiKey: 'demo-key',
    createApi: () => options.api,
    logger: options.logger,
    reconcileIntervalMs: 3_600_000,
    devices: options.devices,
  });
  return {
    kiosk,
    stored: () => stored,
    state() {
      let now: KioskState | undefined;
      kiosk.subscribe((snapshot) => (now = snapshot))();
      return now!;
    },
    async asAttendant(name, input) {
      await kiosk.invoke('attendant.unlock', { pin: '1234' });
      return kiosk.invoke(name, input);
    },
  };
}
