// Finds the configured devices (scanners and the vending adapter), opens each with its driver over
// the right transport, reopens one that goes away, and keeps a health record per device for the
// device panel. There are no attach
// events to listen to (spec, Discovery and hot-plug): serial ports and HID devices are listed
// every 2 s, and a device that vanished is reopened with backoff 0.5, 1, 2, 4, 8, then every 10 s.
// A device that is missing or fails to open is reported in its record and never stops the kiosk.
import type { Logger } from 'pino';
import { CashlessDriver } from '../../hardware/mdb/cashless-driver.ts';
import type { HidReportTransport } from '../../hardware/scanners/hid-pos-scanner.ts';
import { HidPosScanner } from '../../hardware/scanners/hid-pos-scanner.ts';
import type { ScanEvent } from '../../hardware/scanners/scan-read.ts';
import { SerialScanner } from '../../hardware/scanners/serial-scanner.ts';
import type { HidTransportOptions } from '../../hardware/transport/hid-transport.ts';
import type { SerialTransportOptions } from '../../hardware/transport/serial-transport.ts';
import type { Transport } from '../../hardware/transport/transport.ts';
import type { Currency, DeviceInfo } from '../contract/state.ts';
import { cashlessDevice } from './cashless-device.ts';
import { usbIdValue, type DeviceConfig, type DeviceMatch } from './device-config.ts';
import { VendingReader, type CashlessReader } from './vending-reader.ts';

/** One entry of `SerialPort.list()`: IDs are hex strings without `0x`. */
export interface SerialPortListing {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  pnpId?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

/** One entry of node-hid's `devices()`: IDs are numbers. */
export interface HidDeviceListing {
  vendorId: number;
  productId: number;
  path?: string | undefined;
  serialNumber?: string | undefined;
  manufacturer?: string | undefined;
  product?: string | undefined;
  usagePage?: number | undefined;
  usage?: number | undefined;
}

/** What the manager needs of the machine; tests give fakes and memory transports. */
export interface DeviceHardware {
  listSerialPorts(): Promise<SerialPortListing[]>;
  listHidDevices(): Promise<HidDeviceListing[]>;
  serialTransport(options: SerialTransportOptions): Transport;
  hidTransport(options: HidTransportOptions & { path: string }): HidReportTransport;
}

/** The device manager as the kiosk uses it. */
export interface KioskDevices {
  /** Opens what can be opened now and starts polling; returns at once. */
  start(): void;
  /** One record per configured device, in configuration order. */
  health(): DeviceInfo[];
  /** Called whenever a record changes. */
  onChange(listener: () => void): () => void;
  /** Every good read of every scanner. */
  onScan(listener: (scan: ScanEvent) => void): () => void;
  /** The vending machine's reader, when a vending adapter is configured. */
  readonly vendingReader: CashlessReader | null;
  close(): Promise<void>;
}

export interface DeviceManagerOptions {
  devices: readonly DeviceConfig[];
  hardware: DeviceHardware;
  logger: Logger;
  /** The terminal's currency: the vending link's, unless its settings name another. */
  currency: Currency;
  /** How often devices are listed. Default 2000 ms. */
  pollIntervalMs?: number;
  /** Waits before each reopen of a device that vanished; the last repeats. */
  backoffMs?: readonly number[];
  now?: () => number;
}

export const POLL_INTERVAL_MS = 2_000;
export const RECONNECT_BACKOFF_MS: readonly number[] = [500, 1_000, 2_000, 4_000, 8_000, 10_000];
const HID_POS_USAGE_PAGE = 0x8c;

/** ISO 4217 numeric codes, for the MDB link. */
const CURRENCY_CODES: Record<Currency, number> = { NZD: 554, AUD: 36 };

/** What the manager needs of any device's driver once it is made. */
interface OpenedDriver {
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface Listings {
  /** Undefined when the listing failed (or the bus was not needed). */
  serial: SerialPortListing[] | undefined;
  hid: HidDeviceListing[] | undefined;
}

interface Slot {
  readonly config: DeviceConfig;
  readonly info: DeviceInfo;
  /** The driver for the path last opened; reopened in place while the path stays the same. */
  opened: { path: string; driver: OpenedDriver } | undefined;
  attempt: Promise<void> | undefined;
  retry: NodeJS.Timeout | undefined;
  /** Reopens that failed since the device vanished: picks the next wait. */
  failures: number;
}

export class DeviceManager implements KioskDevices {
  readonly #slots: Slot[];
  readonly #hardware: DeviceHardware;
  readonly #logger: Logger;
  readonly #pollIntervalMs: number;
  readonly #backoffMs: readonly number[];
  readonly #now: () => number;
  readonly #changeListeners = new Set<() => void>();
  readonly #scanListeners = new Set<(scan: ScanEvent) => void>();
  readonly #currency: Currency;
  readonly vendingReader: VendingReader | null;
  #pollTimer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #started = false;
  #closed = false;

  constructor(options: DeviceManagerOptions) {
    const pollIntervalMs = options.pollIntervalMs ?? POLL_INTERVAL_MS;
    if (!(pollIntervalMs > 0)) {
      throw new TypeError(`"pollIntervalMs" must be a number > 0, got ${String(pollIntervalMs)}`);
    }
    const backoffMs = options.backoffMs ?? RECONNECT_BACKOFF_MS;
    if (backoffMs.length === 0 || !backoffMs.every((ms) => ms >= 0)) {
      throw new TypeError(`"backoffMs" must be a non-empty list of waits >= 0`);
    }
    this.#hardware = options.hardware;
    this.#logger = options.logger.child({ module: 'device-manager' });
    this.#pollIntervalMs = pollIntervalMs;
    this.#backoffMs = backoffMs;
    this.#now = options.now ?? Date.now;
    this.#currency = options.currency;
    this.vendingReader = options.devices.some((config) => config.driver === 'qibixx')
      ? new VendingReader()
      : null;
    this.#slots = options.devices.map((config) => ({
      config,
      info: {
        id: config.id,
        kind: config.driver === 'qibixx' ? 'vending' : 'scanner',
        name: config.name ?? config.id,
        status: 'disconnected',
        detail: describe(config),
        ...(config.match.path === undefined ? {} : { port: config.match.path }),
      },
      opened: undefined,
      attempt: undefined,
      retry: undefined,
      failures: 0,
    }));
  }

  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    if (this.#slots.length === 0) return;
    this.#logger.info({ devices: this.#slots.map((slot) => slot.config.id) }, 'opening devices');
    this.#pollSoon();
    this.#pollTimer = setInterval(() => this.#pollSoon(), this.#pollIntervalMs);
  }

  health(): DeviceInfo[] {
    return this.#slots.map((slot) => ({ ...slot.info }));
  }

  onChange(listener: () => void): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  onScan(listener: (scan: ScanEvent) => void): () => void {
    this.#scanListeners.add(listener);
    return () => this.#scanListeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#pollTimer);
    for (const slot of this.#slots) clearTimeout(slot.retry);
    await this.#polling;
    await Promise.all(this.#slots.map((slot) => slot.attempt));
    await Promise.all(
      this.#slots.map(async (slot) => {
        try {
          await slot.opened?.driver.stop();
        } catch (error) {
          this.#logger.debug({ device: slot.config.id, err: errorText(error) }, 'stop failed');
        }
      }),
    );
    this.#changeListeners.clear();
    this.#scanListeners.clear();
  }

  /** A listing slower than the interval is not stacked on. */
  #pollSoon(): void {
    if (this.#polling || this.#closed) return;
    this.#polling = this.#poll()
      .catch((error: unknown) => this.#logger.error({ err: errorText(error) }, 'poll failed'))
      .finally(() => {
        this.#polling = undefined;
      });
  }

  /** Lists what is attached, notices listed devices that went, and tries the missing ones. */
  async #poll(): Promise<void> {
    const slots = this.#slots;
    const listings = await this.#list(slots.filter((slot) => slot.config.match.path === undefined));
    if (this.#closed) return;
    for (const slot of slots) {
      if (slot.info.status === 'connected') {
        if (isListedHere(slot, listings) === false) this.#vanished(slot, 'no longer listed');
      } else if (slot.info.status === 'disconnected' && !slot.attempt) {
        this.#tryOpen(slot, listings);
      }
    }
  }

  /** The buses the given slots need; a bus that fails to list is logged and left undefined. */
  async #list(slots: Slot[]): Promise<Listings> {
    const wants = (driver: DeviceConfig['driver']) =>
      slots.some((slot) => slot.config.driver === driver);
    const list = async <T>(bus: string, lister: () => Promise<T[]>): Promise<T[] | undefined> => {
      try {
        return await lister();
      } catch (error) {
        this.#logger.warn({ bus, err: errorText(error) }, 'listing devices failed');
        return undefined;
      }
    };
    const [serial, hid] = await Promise.all([
      wants('serial-scanner') || wants('qibixx')
        ? list('serial', () => this.#hardware.listSerialPorts())
        : undefined,
      wants('hid-pos') ? list('hid', () => this.#hardware.listHidDevices()) : undefined,
    ]);
    return { serial, hid };
  }

  #tryOpen(slot: Slot, listings?: Listings): void {
    if (this.#closed || slot.attempt) return;
    slot.attempt = this.#open(slot, listings).finally(() => {
      slot.attempt = undefined;
    });
  }

  async #open(slot: Slot, known?: Listings): Promise<void> {
    const { config } = slot;
    let path = config.match.path;
    let found: HidDeviceListing | undefined;
    if (path === undefined) {
      const listings = known ?? (await this.#list([slot]));
      const match = this.#findListed(slot, listings);
      if (!match) return this.#openFailed(slot, `not found (${describe(config)})`);
      path = match.path;
      found = match.hid;
      slot.info.lastSeenAt = new Date(this.#now()).toISOString();
    }
    if (this.#closed) return;
    slot.info.port = path;
    let driver: OpenedDriver;
    try {
      // A setting the transport refuses throws here: reported like any failed open.
      driver = this.#driverFor(slot, path, found);
      await driver.start();
    } catch (error) {
      return this.#openFailed(slot, errorText(error));
    }
    if (this.#closed) {
      await driver.stop().catch(() => undefined);
      return;
    }
    const reconnected = slot.info.status === 'reconnecting';
    slot.failures = 0;
    slot.info.status = 'connected';
    slot.info.lastSeenAt = new Date(this.#now()).toISOString();
    delete slot.info.lastError;
    this.#logger.info({ device: config.id, port: path }, reconnected ? 'reconnected' : 'connected');
    this.#changed();
  }

  #openFailed(slot: Slot, reason: string): void {
    const repeated = slot.info.lastError === reason;
    slot.info.lastError = reason;
    // Every 2 s for a device that is simply not plugged in: said once, then only at debug.
    const level = repeated ? 'debug' : 'warn';
    this.#logger[level]({ device: slot.config.id, reason }, 'device not opened');
    if (slot.info.status === 'reconnecting') this.#scheduleReopen(slot);
    if (!repeated) this.#changed();
  }

  /** The device went away while connected: reopen it with backoff. */
  #vanished(slot: Slot, reason: string): void {
    if (this.#closed || slot.info.status !== 'connected') return;
    slot.info.status = 'reconnecting';
    slot.info.lastError = reason;
    slot.info.lastSeenAt = new Date(this.#now()).toISOString();
    slot.failures = 0;
    this.#logger.warn({ device: slot.config.id, reason }, 'device lost; reconnecting');
    // Gone from the listing while the port still looks open (a silent link): close it first.
    const driver = slot.opened?.driver;
    if (driver) {
      driver.stop().catch((error: unknown) => {
        this.#logger.debug({ device: slot.config.id, err: errorText(error) }, 'stop failed');
      });
    }
    this.#scheduleReopen(slot);
    this.#changed();
  }

  #scheduleReopen(slot: Slot): void {
    if (this.#closed) return;
    const waitMs = this.#backoffMs[Math.min(slot.failures, this.#backoffMs.length - 1)] ?? 0;
    slot.failures += 1;
    clearTimeout(slot.retry);
    slot.retry = setTimeout(() => {
      slot.retry = undefined;
      this.#tryOpen(slot);
    }, waitMs);
    this.#logger.debug({ device: slot.config.id, waitMs }, 'reopen scheduled');
  }

  /** The attached device this slot's `match` names, not held by another slot. */
  #findListed(
    slot: Slot,
    listings: Listings,
  ): { path: string; hid?: HidDeviceListing } | undefined {
    const held = new Set(
      this.#slots.filter((other) => other !== slot && other.opened).map((o) => o.info.port),
    );
    const { match } = slot.config;
    if (isSerial(slot.config)) {
      const port = listings.serial?.find((p) => matchesSerial(match, p) && !held.has(p.path));
      return port && { path: port.path };
    }
    const candidates = (listings.hid ?? []).filter(
      (device): device is HidDeviceListing & { path: string } =>
        device.path !== undefined && matchesHid(match, device) && !held.has(device.path),
    );
    // A scanner lists one entry per interface: without a usage page asked for, prefer HID-POS.
    const hid =
      candidates.find((device) => device.usagePage === HID_POS_USAGE_PAGE) ?? candidates[0];
    return hid && { path: hid.path, hid };
  }

  #driverFor(slot: Slot, path: string, found: HidDeviceListing | undefined): OpenedDriver {
    if (slot.opened?.path === path) return slot.opened.driver;
    const { config } = slot;
    const logger = this.#logger;
    const lost = (driver: OpenedDriver, reason: string) => {
      if (slot.opened?.driver === driver) this.#vanished(slot, reason);
    };
    let driver: OpenedDriver;
    if (config.driver === 'qibixx') {
      const settings = config.vending;
      if (!settings) throw new TypeError(`${config.id}: a vending adapter needs its settings`);
      const cashless = new CashlessDriver({
        transport: this.#hardware.serialTransport({ path, ...config.serial, logger }),
        currencyCode: settings.currencyCode ?? CURRENCY_CODES[this.#currency],
        ...(settings.vmcTimeoutSeconds === undefined
          ? {}
          : { vmcTimeoutSeconds: settings.vmcTimeoutSeconds }),
        ...(settings.timeouts === undefined ? {} : { timeouts: settings.timeouts }),
        logger,
      });
      this.vendingReader?.attach(cashless);
      const device = cashlessDevice(cashless);
      device.onLost((reason) => lost(device, reason));
      driver = device;
    } else {
      const scanner = this.#scannerFor(config, path, found);
      scanner.onScan((scan) => {
        slot.info.lastSeenAt = new Date(scan.at).toISOString();
        for (const listener of this.#scanListeners) listener(scan);
      });
      scanner.onClose((close) =>
        lost(scanner, close.error ? errorText(close.error) : `link ${close.reason}`),
      );
      driver = scanner;
    }
    slot.opened = { path, driver };
    return driver;
  }

  #scannerFor(
    config: DeviceConfig,
    path: string,
    found: HidDeviceListing | undefined,
  ): HidPosScanner | SerialScanner {
    const logger = this.#logger;
    if (config.driver === 'hid-pos') {
      const transport = this.#hardware.hidTransport({
        path,
        ...(found ? { vendorId: found.vendorId, productId: found.productId } : {}),
        logger,
      });
      return new HidPosScanner({ transport, logger });
    }
    const transport = this.#hardware.serialTransport({ path, ...config.serial, logger });
    return new SerialScanner({ transport, ...config.scanner, logger });
  }

  #changed(): void {
    for (const listener of this.#changeListeners) {
      try {
        listener();
      } catch (error) {
        this.#logger.error({ err: errorText(error) }, 'device change listener threw');
      }
    }
  }
}

/** Whether a connected, discovered device is still in its bus's listing; undefined: unknown. */
function isListedHere(slot: Slot, listings: Listings): boolean | undefined {
  const { match } = slot.config;
  const port = slot.info.port;
  if (match.path !== undefined || port === undefined) return undefined;
  if (isSerial(slot.config)) return listings.serial?.some((p) => p.path === port);
  return listings.hid?.some((device) => device.path === port);
}

function matchesSerial(match: DeviceMatch, port: SerialPortListing): boolean {
  return (
    sameId(match.vendorId, port.vendorId) &&
    sameId(match.productId, port.productId) &&
    (match.serialNumber === undefined || match.serialNumber === port.serialNumber)
  );
}

function matchesHid(match: DeviceMatch, device: HidDeviceListing): boolean {
  return (
    sameId(match.vendorId, device.vendorId) &&
    sameId(match.productId, device.productId) &&
    (match.serialNumber === undefined || match.serialNumber === device.serialNumber) &&
    (match.usagePage === undefined || match.usagePage === device.usagePage)
  );
}

/** Scanners and vending adapters on a serial port (real or USB CDC) are listed the same way. */
function isSerial(config: DeviceConfig): boolean {
  return config.driver === 'serial-scanner' || config.driver === 'qibixx';
}

/** An ID the configuration does not ask for matches anything. */
function sameId(wanted: number | string | undefined, listed: number | string | undefined) {
  return wanted === undefined || usbIdValue(wanted) === usbIdValue(listed);
}

const hex = (id: number | string) => (usbIdValue(id) ?? 0).toString(16).padStart(4, '0');

/** The driver and how the device is found, for the device panel. */
function describe(config: DeviceConfig): string {
  const { match } = config;
  if (match.path !== undefined) return `${config.driver} at ${match.path}`;
  const parts = [
    match.vendorId !== undefined && `vendor ${hex(match.vendorId)}`,
    match.productId !== undefined && `product ${hex(match.productId)}`,
    match.serialNumber !== undefined && `serial ${match.serialNumber}`,
    match.usagePage !== undefined && `usage page ${hex(match.usagePage)}`,
  ].filter(Boolean);
  return `${config.driver}, ${parts.join(', ')}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
