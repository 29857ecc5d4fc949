// A stand-in for a node-hid device (HID.HIDAsync), for driver tests on machines with no HID
// scanner: no virtual HID device exists here (no uhid access), so tests feed real HID-POS report
// bytes through this fake and read back what the driver sent.
import { EventEmitter } from 'node:events';
import type { Device } from 'node-hid';
import type { HidDevice } from '../transport/hid-transport.ts';

export class FakeHidDevice extends EventEmitter implements HidDevice {
  readonly featureReports: number[][] = [];
  readonly writes: number[][] = [];
  closed = false;
  /** Make the next write or feature report fail with this error. */
  failNextSend: Error | undefined;
  readonly #info: Device;

  constructor(info: Partial<Device> = {}) {
    super();
    this.#info = { vendorId: 0x05e0, productId: 0x1200, release: 0, interface: 0, ...info };
  }

  async getDeviceInfo(): Promise<Device> {
    return this.#info;
  }

  async write(report: number[] | Buffer): Promise<number> {
    this.#maybeFail();
    this.writes.push([...report]);
    return report.length;
  }

  async sendFeatureReport(report: number[] | Buffer): Promise<number> {
    this.#maybeFail();
    this.featureReports.push([...report]);
    return report.length;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** An input report arrives, as node-hid emits it (report ID as byte 0). */
  input(report: Uint8Array): void {
    this.emit('data', Buffer.from(report));
  }

  /** The read loop fails, as node-hid reports a pulled device. */
  unplug(error = new Error('could not read from HID device')): void {
    this.emit('error', error);
  }

  #maybeFail(): void {
    const error = this.failNextSend;
    this.failNextSend = undefined;
    if (error) throw error;
  }
}
