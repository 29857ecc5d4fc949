// A stand-in for the host's device factory in kiosk tests: every manager it makes is kept, so a
// test can see which one is in use, which were closed, and play scans and the vending machine's
// notifications through any of them. Devices report connected once started; nothing is opened.
import type { ScanEvent } from '../../../hardware/scanners/scan-read.ts';
import type { AttachedDevices } from '../../contract/replies.ts';
import type { Currency, DeviceInfo } from '../../contract/state.ts';
import type { DeviceConfig } from '../device-config.ts';
import type { DeviceFactory } from '../device-factory.ts';
import type { KioskDevices } from '../device-manager.ts';
import { FakeCashlessReader } from './fake-cashless-reader.ts';

export class FakeDevices implements KioskDevices {
  started = false;
  closed = false;
  readonly vendingReader: FakeCashlessReader | null;
  readonly #changeListeners = new Set<() => void>();
  readonly #scanListeners = new Set<(scan: ScanEvent) => void>();

  constructor(
    readonly configs: readonly DeviceConfig[],
    readonly currency: Currency,
  ) {
    const adapter = configs.some((config) => config.driver === 'qibixx');
    this.vendingReader = adapter ? new FakeCashlessReader() : null;
  }

  start(): void {
    this.started = true;
    for (const listener of this.#changeListeners) listener();
  }

  health(): DeviceInfo[] {
    return this.configs.map((config) => ({
      id: config.id,
      kind: config.driver === 'qibixx' ? 'vending' : 'scanner',
      name: config.name ?? config.id,
      status: this.started && !this.closed ? 'connected' : 'disconnected',
      ...(config.match.path === undefined ? {} : { port: config.match.path }),
    }));
  }

  onChange(listener: () => void): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  onScan(listener: (scan: ScanEvent) => void): () => void {
    this.#scanListeners.add(listener);
    return () => this.#scanListeners.delete(listener);
  }

  /** A good read from the first scanner, to whoever listens now. */
  scan(data: string): void {
    const source = this.configs[0]?.match.path ?? 'fake';
    const scan: ScanEvent = { source, symbology: 'unknown', data, at: Date.now() };
    for (const listener of this.#scanListeners) listener(scan);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

export class FakeDeviceFactory implements DeviceFactory {
  /** Every manager made, oldest first. */
  readonly made: FakeDevices[] = [];
  /** What `discover()` answers. */
  attached: AttachedDevices = { serialPorts: [], hidDevices: [], failures: [] };

  /** The manager made last: the one in use, unless the list was emptied since. */
  get latest(): FakeDevices | undefined {
    return this.made.at(-1);
  }

  async create(configs: readonly DeviceConfig[], currency: Currency): Promise<FakeDevices> {
    const devices = new FakeDevices(configs, currency);
    this.made.push(devices);
    return devices;
  }

  async discover(): Promise<AttachedDevices> {
    return this.attached;
  }
}
