// How the kiosk gets its devices: a device manager per configured list, made when the kiosk
// starts and again whenever an attendant changes the list, and a listing of what is attached for
// the attendant to choose from. Hosts give the machine's hardware; kiosk tests give fakes.
import type { Logger } from 'pino';
import type { AttachedDevices } from '../contract/replies.ts';
import type { Currency } from '../contract/state.ts';
import type { DeviceConfig } from './device-config.ts';
import { DeviceManager, type DeviceHardware, type KioskDevices } from './device-manager.ts';
import { listAttached } from './discovery.ts';

export interface DeviceFactory {
  /** Devices for `configs`, not started: nothing is opened before `start()`. */
  create(configs: readonly DeviceConfig[], currency: Currency): Promise<KioskDevices>;
  /** What is attached now; never rejects (a bus that fails to list is in `failures`). */
  discover(): Promise<AttachedDevices>;
}

export interface DeviceFactoryOptions {
  /**
   * Loads the machine's serial and HID support. Called once, the first time a device is
   * configured or looked for: a kiosk without devices never loads the native modules. Never
   * rejects: support that fails to load fails each listing and open with its reason instead.
   */
  loadHardware(): Promise<DeviceHardware>;
  logger: Logger;
}

export function deviceFactory(options: DeviceFactoryOptions): DeviceFactory {
  let loading: Promise<DeviceHardware> | undefined;
  const hardware = () => (loading ??= options.loadHardware());
  return {
    create: async (configs, currency) =>
      new DeviceManager({
        devices: configs,
        currency,
        hardware: await hardware(),
        logger: options.logger,
      }),
    discover: async () => listAttached(await hardware()),
  };
}
