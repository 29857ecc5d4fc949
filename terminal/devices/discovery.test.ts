import { describe, expect, it } from 'vitest';
import type { DeviceHardware } from './device-manager.ts';
import { listAttached } from './discovery.ts';

/** Hardware that only lists; opening is not what discovery does. */
function hardware(lists: Pick<DeviceHardware, 'listSerialPorts' | 'listHidDevices'>) {
  const never = () => {
    throw new Error('discovery opens nothing');
  };
  return { ...lists, serialTransport: never, hidTransport: never };
}

describe('listAttached', () => {
  it('lists serial ports and HID devices with what identifies each', async () => {
    const attached = await listAttached(
      hardware({
        listSerialPorts: async () => [
          {
            path: '/dev/ttyUSB0',
            manufacturer: 'FTDI',
            serialNumber: 'A1',
            pnpId: 'usb-FTDI_A1-if00-port0',
            vendorId: '0403',
            productId: '6001',
          },
          { path: '/dev/ttyS0', manufacturer: undefined },
        ],
        listHidDevices: async () => [
          {
            vendorId: 0x0c2e,
            productId: 0x0b61,
            path: '/dev/hidraw2',
            product: 'Scanner',
            manufacturer: 'Honeywell',
            serialNumber: '',
            usagePage: 0x8c,
            usage: 2,
          },
          // Not openable without a path, so not offered.
          { vendorId: 1, productId: 2 },
        ],
      }),
    );
    expect(attached).toEqual({
      serialPorts: [
        {
          path: '/dev/ttyUSB0',
          manufacturer: 'FTDI',
          serialNumber: 'A1',
          vendorId: '0403',
          productId: '6001',
        },
        { path: '/dev/ttyS0' },
      ],
      hidDevices: [
        {
          path: '/dev/hidraw2',
          vendorId: 0x0c2e,
          productId: 0x0b61,
          product: 'Scanner',
          usagePage: 0x8c,
        },
      ],
      failures: [],
    });
  });

  it('answers with the bus that listed, and why the other did not', async () => {
    const attached = await listAttached(
      hardware({
        listSerialPorts: async () => [{ path: '/dev/ttyACM0' }],
        listHidDevices: () => {
          throw new Error('node-hid is unavailable: no binding');
        },
      }),
    );
    expect(attached).toEqual({
      serialPorts: [{ path: '/dev/ttyACM0' }],
      hidDevices: [],
      failures: [{ bus: 'hid', message: 'node-hid is unavailable: no binding' }],
    });
  });

  it('never rejects, even when neither bus lists', async () => {
    const attached = await listAttached(
      hardware({
        listSerialPorts: () => Promise.reject(new Error('EACCES')),
        listHidDevices: () => Promise.reject(new Error('no hidraw')),
      }),
    );
    expect(attached.failures).toEqual([
      { bus: 'serial', message: 'EACCES' },
      { bus: 'hid', message: 'no hidraw' },
    ]);
  });
});
