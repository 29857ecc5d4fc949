// A Transport over node-hid: each input report is one data chunk (node-hid keeps a numbered
// report's ID as byte 0), and write() sends one output report. node-hid has no close event: a
// device that goes away makes its read loop emit `error`, which we take as `unplugged`. A failed
// send rejects with the device's error and leaves the transport open.
import type { Device, HID, HIDAsync } from 'node-hid';
import { silentLogger, type HardwareLogger } from '../logger.ts';
import {
  CancelledError,
  DisconnectedError,
  type Transport,
  type TransportClose,
} from './transport.ts';

/**
 * The part of a node-hid device (`HID.HID` or `HID.HIDAsync`) the transport uses, so tests can
 * inject a fake. Reading starts when a `data` listener is added, as node-hid does.
 */
export interface HidDevice {
  on(event: 'data', listener: (report: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeAllListeners(event?: string): unknown;
  write(report: number[] | Buffer): number | Promise<number>;
  sendFeatureReport(report: number[] | Buffer): number | Promise<number>;
  close(): void | Promise<void>;
  getDeviceInfo?(): Device | Promise<Device>;
}

export interface HidTransportOptions {
  /** An opened node-hid device (or a fake). It cannot be reopened after close(). */
  device?: HidDevice;
  /** A hidraw path from `HID.devices()`, opened with `HID.HIDAsync.open` on every open(). */
  path?: string;
  /** From discovery; when absent, read from the device on open (if it can tell). */
  vendorId?: number;
  productId?: number;
  /** For logs and the device panel. Default: the path, else `hid`. */
  name?: string;
  /** pino or compatible; logs under `{ module: 'hid-transport' }`. Default: silent. */
  logger?: HardwareLogger;
}

interface PendingWrite {
  resolve(): void;
  reject(error: Error): void;
}

export class HidTransport implements Transport {
  readonly name: string;
  readonly #path: string | undefined;
  readonly #logger: HardwareLogger;
  readonly #dataListeners = new Set<(bytes: Uint8Array) => void>();
  readonly #closeListeners = new Set<(close: TransportClose) => void>();
  readonly #pending = new Set<PendingWrite>();
  #injected: HidDevice | undefined;
  #device: HidDevice | undefined;
  #state: 'closed' | 'opening' | 'open' = 'closed';
  #ended: TransportClose | undefined;
  #vendorId: number | undefined;
  #productId: number | undefined;

  constructor(options: HidTransportOptions) {
    if (!options.device && !options.path) {
      throw new TypeError('"device" or "path" is required');
    }
    if (options.path !== undefined && (typeof options.path !== 'string' || options.path === '')) {
      throw new TypeError(`"path" must be a non-empty string, got ${String(options.path)}`);
    }
    this.#injected = options.device;
    this.#path = options.path;
    this.#vendorId = options.vendorId;
    this.#productId = options.productId;
    this.name = options.name ?? options.path ?? 'hid';
    this.#logger = (options.logger ?? silentLogger).child({
      module: 'hid-transport',
      device: this.name,
    });
  }

  get isOpen(): boolean {
    return this.#state === 'open';
  }

  /** USB vendor ID, once known (from the options or the opened device). */
  get vendorId(): number | undefined {
    return this.#vendorId;
  }

  get productId(): number | undefined {
    return this.#productId;
  }

  async open(): Promise<void> {
    if (this.#state !== 'closed') throw new Error(`${this.name} is already ${this.#state}`);
    this.#state = 'opening';
    let device: HidDevice;
    try {
      device = await this.#openDevice();
      if (this.#vendorId === undefined && device.getDeviceInfo) {
        const info = await device.getDeviceInfo();
        this.#vendorId = info.vendorId;
        this.#productId ??= info.productId;
      }
    } catch (error) {
      this.#state = 'closed';
      throw error;
    }
    this.#device = device;
    this.#ended = undefined;
    this.#state = 'open';
    device.on('error', (error) => {
      if (device !== this.#device) return;
      this.#end({ reason: 'unplugged', error });
    });
    device.on('data', (report) => {
      if (device !== this.#device) return;
      for (const listener of this.#dataListeners) listener(report);
    });
    this.#logger.debug({ vendorId: this.#vendorId, productId: this.#productId }, 'opened');
  }

  /** One output report; byte 0 is the report ID (0 for a device without numbered reports). */
  write(bytes: Uint8Array): Promise<void> {
    return this.#send(bytes, (device, report) => device.write(report), 'write');
  }

  /** One feature report; byte 0 is the report ID. */
  sendFeatureReport(bytes: Uint8Array): Promise<void> {
    return this.#send(bytes, (device, report) => device.sendFeatureReport(report), 'feature');
  }

  async close(): Promise<void> {
    if (this.#state !== 'open') return;
    const device = this.#device;
    this.#end({ reason: 'closed' });
    if (device) await this.#closeDevice(device);
  }

  onData(listener: (bytes: Uint8Array) => void): () => void {
    this.#dataListeners.add(listener);
    return () => this.#dataListeners.delete(listener);
  }

  onClose(listener: (close: TransportClose) => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  async #openDevice(): Promise<HidDevice> {
    if (this.#injected) {
      const device = this.#injected;
      // A node-hid device object is spent once closed; only a path can be opened again.
      if (!this.#path) this.#injected = undefined;
      return device;
    }
    if (!this.#path) throw new Error(`${this.name} was closed and has no path to reopen`);
    // Loaded on demand: tests with an injected device never load the native module.
    const hid = await import('node-hid');
    const device: HIDAsync | HID = await hid.HIDAsync.open(this.#path);
    return device;
  }

  #send(
    bytes: Uint8Array,
    send: (device: HidDevice, report: Buffer) => number | Promise<number>,
    what: string,
  ): Promise<void> {
    const device = this.#device;
    if (this.#state !== 'open' || !device) return Promise.reject(this.#notOpenError());
    return new Promise<void>((resolve, reject) => {
      const pending: PendingWrite = { resolve, reject };
      this.#pending.add(pending);
      // HID.HID sends synchronously and throws; HIDAsync returns a promise: one path for both.
      Promise.resolve()
        .then(() => send(device, Buffer.from(bytes)))
        .then(
          () => {
            if (this.#pending.delete(pending)) resolve();
          },
          (error: unknown) => {
            if (!this.#pending.delete(pending)) return;
            const cause = error instanceof Error ? error : new Error(String(error));
            // hidapi also fails a report the device does not take (a stall), so a failed send is
            // not taken as an unplug: a device that is gone ends the read loop with `error`.
            this.#logger.warn({ err: cause.message, what }, 'send failed');
            reject(new Error(`${this.name}: ${what} report failed: ${cause.message}`, { cause }));
          },
        );
    });
  }

  async #closeDevice(device: HidDevice): Promise<void> {
    device.removeAllListeners('data');
    try {
      await device.close();
    } catch (error) {
      this.#logger.debug({ err: (error as Error).message }, 'close failed');
    }
  }

  #end(close: TransportClose): void {
    if (this.#state !== 'open') return;
    const device = this.#device;
    this.#state = 'closed';
    this.#ended = close;
    this.#device = undefined;
    for (const pending of this.#pending) {
      pending.reject(
        close.reason === 'closed'
          ? new CancelledError(`${this.name} was closed`)
          : new DisconnectedError(`${this.name} is gone (${close.reason})`),
      );
    }
    this.#pending.clear();
    if (close.reason !== 'closed') {
      this.#logger.warn({ reason: close.reason, err: close.error?.message }, 'closed');
      // The read loop has stopped; free the handle.
      if (device && close.reason === 'unplugged') void this.#closeDevice(device);
    }
    for (const listener of this.#closeListeners) listener(close);
  }

  #notOpenError(): Error {
    if (this.#ended?.reason === 'closed') return new CancelledError(`${this.name} is closed`);
    if (this.#ended) return new DisconnectedError(`${this.name} is gone (${this.#ended.reason})`);
    return new Error(`${this.name} is not open`);
  }
}
