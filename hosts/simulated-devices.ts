// Simulated devices, for trying the kiosk on a machine with none (`npm start`): a barcode scanner
// and a vending machine controller, each the simulator from hardware/simulators/ at the far end
// of an in-memory serial link. They appear as the serial ports `sim:scanner` and `sim:vending`
// beside the machine's own, so the device manager opens them like real ones and Settings offers
// them; while the settings list no devices, the kiosk uses the simulated scanner. Whoever runs
// the kiosk plays the far side from its console (cli/simulator-console.ts).
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { ScannerSimulator } from '../hardware/simulators/scanner-simulator.ts';
import { VmcSimulator } from '../hardware/simulators/vmc-simulator.ts';
import { MemoryTransport } from '../hardware/transport/memory-transport.ts';
import type { DeviceConfig } from '../terminal/devices/device-config.ts';
import type { DeviceHardware } from '../terminal/devices/device-manager.ts';
import type { SettingsStore } from '../terminal/settings.ts';

export const SIMULATED_SCANNER_PATH = 'sim:scanner';
export const SIMULATED_VENDING_PATH = 'sim:vending';

/** What the kiosk uses while its settings list no devices. */
export const SIMULATED_SCANNER: DeviceConfig = {
  id: 'simulated-scanner',
  name: 'Simulated scanner',
  driver: 'serial-scanner',
  match: { path: SIMULATED_SCANNER_PATH },
};

/** A simulated unplug lasts this long, then the device is back. */
const UNPLUGGED_MS = 5_000;

export interface SimulatedDevices {
  scanner: ScannerSimulator;
  vmc: VmcSimulator;
  /** The machine's hardware with the simulated ports added. */
  withHardware(real: DeviceHardware): DeviceHardware;
  /** Settings that list the simulated scanner while the stored ones list no devices. */
  withSettings(store: SettingsStore): SettingsStore;
  close(): Promise<void>;
}

export async function startSimulatedDevices(logger: Logger): Promise<SimulatedDevices> {
  // Links that run for as long as the kiosk does keep nothing of what passed.
  const links = { recordWrites: false };
  const [scannerPort, scannerEnd] = MemoryTransport.pair(
    [SIMULATED_SCANNER_PATH, 'scanner'],
    links,
  );
  const [vendingPort, vendingEnd] = MemoryTransport.pair([SIMULATED_VENDING_PATH, 'vmc'], links);
  const ports = new Map([
    [SIMULATED_SCANNER_PATH, scannerPort],
    [SIMULATED_VENDING_PATH, vendingPort],
  ]);
  const scanner = new ScannerSimulator({ transport: scannerEnd, suffix: '\r\n' });
  const vmc = new VmcSimulator({
    transport: vendingEnd,
    logger,
    unplug: () => {
      vendingEnd.unplug();
      setTimeout(() => {
        vendingEnd.replug();
        vendingEnd.open().catch((error: unknown) => logger.warn({ err: error }, 'replug failed'));
      }, UNPLUGGED_MS).unref();
    },
  });
  await scannerEnd.open();
  await vmc.open();

  return {
    scanner,
    vmc,
    withHardware: (real) => ({
      async listSerialPorts() {
        const simulated = [...ports.keys()].map((path) => ({ path, manufacturer: 'Simulated' }));
        return [...simulated, ...(await real.listSerialPorts())];
      },
      listHidDevices: () => real.listHidDevices(),
      serialTransport: (options) => ports.get(options.path) ?? real.serialTransport(options),
      hidTransport: (options) => real.hidTransport(options),
    }),
    withSettings: (store) => ({
      async read() {
        const settings = await store.read();
        return settings.devices.length > 0
          ? settings
          : { ...settings, devices: [SIMULATED_SCANNER] };
      },
      // Stored as none again: a later start on real hardware must not look for a simulator.
      write: (settings) =>
        store.write(
          isDeepStrictEqual(settings.devices, [SIMULATED_SCANNER])
            ? { ...settings, devices: [] }
            : settings,
        ),
    }),
    async close() {
      await vmc.close();
      await scannerEnd.close();
    },
  };
}
