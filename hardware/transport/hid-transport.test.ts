// HidTransport with a fake node-hid device: no virtual HID device exists here.
import { describe, expect, it } from 'vitest';
import { eventQueue } from '../testing/event-queue.ts';
import { FakeHidDevice } from '../testing/fake-hid-device.ts';
import { HidTransport } from './hid-transport.ts';
import { CancelledError, DisconnectedError } from './transport.ts';

async function openFake(info: ConstructorParameters<typeof FakeHidDevice>[0] = {}) {
  const device = new FakeHidDevice(info);
  const transport = new HidTransport({ device, name: '/dev/hidraw-fake' });
  const chunks = eventQueue<Uint8Array>((listener) => transport.onData(listener));
  const closes = eventQueue((listener) => transport.onClose(listener));
  await transport.open();
  return { device, transport, chunks, closes };
}

describe('HidTransport with a fake node-hid device (no virtual HID device exists here)', () => {
  it('delivers each input report as one chunk, report ID first', async () => {
    const { device, chunks } = await openFake();
    const first = Buffer.alloc(64, 0x11);
    first[0] = 0x02;
    const second = Buffer.alloc(64, 0x22);
    second[0] = 0x02;
    device.input(first);
    device.input(second);
    expect(chunks.all.map((chunk) => Buffer.from(chunk))).toEqual([first, second]);
  });

  it('write() sends one output report and sendFeatureReport() one feature report, bytes as given', async () => {
    const { device, transport } = await openFake();
    await transport.write(Uint8Array.of(0x04, 0x01, 0x02));
    await transport.sendFeatureReport(Uint8Array.of(0xfe, 0x01));
    expect(device.writes).toEqual([[0x04, 0x01, 0x02]]);
    expect(device.featureReports).toEqual([[0xfe, 0x01]]);
  });

  it('takes the vendor and product ID from the device when the options give none', async () => {
    const { transport } = await openFake({ vendorId: 0x0c2e, productId: 0x0b8f });
    expect(transport.vendorId).toBe(0x0c2e);
    expect(transport.productId).toBe(0x0b8f);
    const given = new HidTransport({ device: new FakeHidDevice(), vendorId: 0x05e0 });
    await given.open();
    expect(given.vendorId).toBe(0x05e0);
  });

  it('a node-hid "error" means unplugged: onClose once, the handle is closed, writes reject with DisconnectedError', async () => {
    const { device, transport, closes } = await openFake();
    device.unplug();
    device.unplug();
    expect(await closes.next()).toMatchObject({ reason: 'unplugged' });
    expect(closes.all).toHaveLength(1);
    expect(transport.isOpen).toBe(false);
    expect(device.closed).toBe(true);
    await expect(transport.write(Uint8Array.of(0))).rejects.toBeInstanceOf(DisconnectedError);
  });

  it('a failing send rejects with the device error and leaves the transport open: only the read loop says unplugged', async () => {
    const { device, transport, closes } = await openFake();
    device.failNextSend = new Error('Cannot write to hid device');
    const error = await transport.write(Uint8Array.of(0, 1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(DisconnectedError);
    expect((error as Error).message).toMatch(/Cannot write to hid device/);
    expect(transport.isOpen).toBe(true);
    expect(closes.all).toHaveLength(0);
    await transport.write(Uint8Array.of(0, 2));
    expect(device.writes).toEqual([[0, 2]]);
  });

  it('close() ends with reason "closed", closes the device and cancels a pending write', async () => {
    const { device, transport, closes } = await openFake();
    const pending = transport.write(Uint8Array.of(0, 1));
    await transport.close();
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    expect(await closes.next()).toMatchObject({ reason: 'closed' });
    expect(device.closed).toBe(true);
    await expect(transport.write(Uint8Array.of(0))).rejects.toBeInstanceOf(CancelledError);
    // node-hid device objects are spent once closed; only a path can be opened again.
    await expect(transport.open()).rejects.toThrow(/no path/);
  });

  it('ignores a late report from a device it has let go of', async () => {
    const { device, transport, chunks } = await openFake();
    await transport.close();
    device.input(Uint8Array.of(0x02, 0));
    expect(chunks.all).toHaveLength(0);
  });

  it('needs a device or a path', () => {
    expect(() => new HidTransport({})).toThrow(TypeError);
    expect(() => new HidTransport({ path: '' })).toThrow(/"device" or "path"/);
  });
});
