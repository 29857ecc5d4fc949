// Device configuration in the stored settings: a valid list is kept as it is, anything wrong falls
// back to no devices, as every other setting falls back to its default.
import { describe, expect, it } from 'vitest';
import { defaultSettings, settingsFromStored } from '../../hosts/default-settings.ts';
import type { DeviceConfig } from '../../terminal/devices/device-config.ts';

const scanner: DeviceConfig = {
  id: 'front',
  name: 'Front scanner',
  driver: 'serial-scanner',
  match: { vendorId: '0c2e', productId: 0x0b61, serialNumber: 'S1' },
  serial: { baudRate: 9600, dataBits: 8, stopBits: 1, parity: 'none' },
  scanner: { framing: 'silence', interByteTimeoutMs: 50 },
};
const hid: DeviceConfig = {
  id: 'hid',
  driver: 'hid-pos',
  match: { vendorId: 0x0c2e, usagePage: 0x8c },
};
const vending: DeviceConfig = {
  id: 'vmc',
  driver: 'qibixx',
  match: { path: '/dev/ttyACM0' },
  serial: { baudRate: 115_200 },
  vending: { maxCredit: 500, preAuth: true, timeouts: { selectionMs: 60_000 } },
};

describe('devices in the stored settings', () => {
  it('defaults to none', () => {
    expect(defaultSettings().devices).toEqual([]);
    expect(settingsFromStored({}).devices).toEqual([]);
  });

  it('keeps a valid list as it is', () => {
    const devices = [scanner, hid, vending];
    expect(settingsFromStored({ devices }).devices).toBe(devices);
  });

  it.each<[string, unknown]>([
    ['not a list', { id: 'front' }],
    ['an unknown driver', [{ ...hid, driver: 'wedge' }]],
    ['an empty match', [{ ...hid, match: {} }]],
    ['a match on an unknown field', [{ ...hid, match: { port: 'COM3' } }]],
    ['a vendor ID that is not hex', [{ ...hid, match: { vendorId: '0xZZ' } }]],
    ['a vendor ID out of range', [{ ...hid, match: { vendorId: 0x10000 } }]],
    ['an impossible baud rate', [{ ...scanner, serial: { baudRate: 0 } }]],
    ['an unknown field', [{ ...hid, colour: 'red' }]],
    ['no id', [{ driver: 'hid-pos', match: { path: '/dev/hidraw0' } }]],
    ['two devices with one id', [hid, { ...scanner, id: 'hid' }]],
    ['a vending adapter without its prices', [{ ...vending, vending: undefined }]],
    [
      'a vending price that is not whole minor units',
      [{ ...vending, vending: { maxCredit: 2.5 } }],
    ],
    ['two vending adapters', [vending, { ...vending, id: 'vmc-2' }]],
  ])('falls back to none for %s, keeping the other settings', (_, devices) => {
    const read = settingsFromStored({ devices, terminalId: 'kiosk-9' });
    expect(read.devices).toEqual([]);
    expect(read.terminalId).toBe('kiosk-9');
  });
});
