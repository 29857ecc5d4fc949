// The kiosk's devices over its whole life: one device manager at a time, and the vending flow that
// drives the adapter on its list. A new list (an attendant's, in Settings) replaces both whole:
// the old manager lets go of its ports before the new one opens them, and a new manager brings a
// new reader, so the vending runner is rebuilt on it. A closed runner leaves its unfinished
// sessions in the journal; the next one settles them when it starts. Changes run one at a time.
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import type { ScanEvent } from '../../hardware/scanners/scan-read.ts';
import type { AttachedDevices } from '../contract/replies.ts';
import type { Currency, DeviceInfo } from '../contract/state.ts';
import type { VendingRunner } from '../vending-runner.ts';
import type { DeviceConfig, VendingSettings } from './device-config.ts';
import type { DeviceFactory } from './device-factory.ts';
import type { KioskDevices } from './device-manager.ts';
import type { CashlessReader } from './vending-reader.ts';

export interface DeviceSetOptions {
  factory: DeviceFactory;
  logger: Logger;
  /** A runner, not started, for the vending adapter's settings, driving `reader`. */
  vendingRunner(reader: CashlessReader, settings: VendingSettings): VendingRunner;
  /** A device's health changed, or the devices were replaced. */
  onChange(): void;
  /** A good read from any scanner in use. */
  onScan(scan: ScanEvent): void;
}

export class DeviceSet {
  readonly #options: DeviceSetOptions;
  readonly #logger: Logger;
  #configs: readonly DeviceConfig[] = [];
  #devices: KioskDevices | null = null;
  #vending: VendingRunner | null = null;
  #unwire: (() => void)[] = [];
  #changes: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(options: DeviceSetOptions) {
    this.#options = options;
    this.#logger = options.logger.child({ module: 'device-set' });
  }

  /** The vending flow, while a vending adapter is in use. */
  get vending(): VendingRunner | null {
    return this.#vending;
  }

  /** One record per device in use, in configuration order. */
  health(): DeviceInfo[] {
    return this.#devices?.health() ?? [];
  }

  discover(): Promise<AttachedDevices> {
    return this.#options.factory.discover();
  }

  /** Whether `configs` is the list in use now. */
  isInUse(configs: readonly DeviceConfig[]): boolean {
    return isDeepStrictEqual(configs, this.#configs);
  }

  /**
   * Puts `configs` in use in place of the current list. Resolves once the old devices are closed
   * and the new ones started: they open in the background and report in their health.
   */
  use(configs: readonly DeviceConfig[], currency: Currency): Promise<void> {
    const change = this.#changes.then(() => this.#replace(configs, currency));
    this.#changes = change.catch(() => undefined);
    return change;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#changes;
    await this.#release()?.close();
  }

  async #replace(configs: readonly DeviceConfig[], currency: Currency): Promise<void> {
    if (this.#closed) return;
    const next = configs.length > 0 ? await this.#options.factory.create(configs, currency) : null;
    if (this.#closed) return;
    // Nothing waits from here until devices and runner are both replaced: no command can meet
    // the new devices with the old runner, or the other way round.
    const previous = this.#release();
    this.#logChange(configs);
    this.#configs = configs;
    this.#devices = next;
    if (next) {
      this.#unwire = [
        next.onChange(() => this.#options.onChange()),
        next.onScan((scan) => this.#options.onScan(scan)),
      ];
    }
    this.#vending = this.#vendingFor(configs, next);
    this.#vending?.start();
    this.#options.onChange();
    // A port on both lists is let go by the old manager before the new one opens it.
    await previous?.close();
    next?.start();
  }

  /** Stops the vending flow and stops listening to the devices in use; returns those devices. */
  #release(): KioskDevices | null {
    this.#vending?.close();
    this.#vending = null;
    for (const unwire of this.#unwire.splice(0)) unwire();
    const devices = this.#devices;
    this.#devices = null;
    return devices;
  }

  #vendingFor(configs: readonly DeviceConfig[], devices: KioskDevices | null) {
    const settings = configs.find((config) => config.driver === 'qibixx')?.vending;
    const reader = devices?.vendingReader;
    return settings && reader ? this.#options.vendingRunner(reader, settings) : null;
  }

  /** Which devices come, go or change, by id: their settings need not be repeated in the log. */
  #logChange(configs: readonly DeviceConfig[]): void {
    const before = new Map(this.#configs.map((config) => [config.id, config]));
    const after = new Set(configs.map((config) => config.id));
    const added = configs.filter((config) => !before.has(config.id)).map((config) => config.id);
    const removed = [...before.keys()].filter((id) => !after.has(id));
    const changed = configs
      .filter(
        (config) => before.has(config.id) && !isDeepStrictEqual(before.get(config.id), config),
      )
      .map((config) => config.id);
    if (added.length + removed.length + changed.length === 0) return;
    this.#logger.info({ added, removed, changed }, 'devices in use');
  }
}
