import { describe, expect, it } from 'vitest';
import type { AttachedDevices, DeviceConfig } from './contract.ts';
import {
  choicesFor,
  devicesChanged,
  emptyForm,
  matchFor,
  newDevice,
  usbIds,
  type NewDeviceForm,
} from './device-settings.ts';

const front: DeviceConfig = {
  id: 'front-scanner',
  name: 'Front scanner',
  driver: 'serial-scanner',
  match: { path: '/dev/ttyUSB0' },
};
const adapter: DeviceConfig = {
  id: 'vmc',
  driver: 'qibixx',
  match: { path: '/dev/ttyACM0' },
  vending: { maxCredit: 500, preAuth: true },
};
const attached: AttachedDevices = {
  serialPorts: [
    { path: '/dev/ttyUSB0', vendorId: '0403', productId: '6001', serialNumber: 'A1' },
    { path: '/dev/ttyS0' },
  ],
  hidDevices: [{ path: '/dev/hidraw2', vendorId: 0x0c2e, productId: 0x0b61, usagePage: 0x8c }],
  failures: [],
};
const form = (changes: Partial<NewDeviceForm>): NewDeviceForm => ({ ...emptyForm(), ...changes });

describe('a new device from the form', () => {
  it('is a scanner on the typed path, with an id from its name', () => {
    expect(newDevice(form({ name: ' Front scanner ', path: ' /dev/pts/4 ' }), [], 'NZD')).toEqual({
      ok: true,
      device: {
        id: 'front-scanner',
        name: 'Front scanner',
        driver: 'serial-scanner',
        match: { path: '/dev/pts/4' },
      },
    });
  });

  it('gets an id no other device has', () => {
    const made = newDevice(form({ name: 'Front scanner', path: '/dev/ttyS1' }), [front], 'NZD');
    expect(made).toMatchObject({ ok: true, device: { id: 'front-scanner-2' } });
  });

  it('is a vending adapter with its highest price in minor units and pre-auth as chosen', () => {
    const made = newDevice(
      form({
        driver: 'qibixx',
        name: 'Drinks',
        path: '/dev/ttyACM0',
        maxPrice: '4.5',
        preAuth: false,
      }),
      [front],
      'NZD',
    );
    expect(made).toMatchObject({
      ok: true,
      device: { driver: 'qibixx', vending: { maxCredit: 450, preAuth: false } },
    });
  });

  it.each<[string, Partial<NewDeviceForm>, readonly DeviceConfig[], string]>([
    ['no name', { path: '/dev/ttyS1' }, [], 'nameMissing'],
    ['no port', { name: 'Front' }, [], 'portMissing'],
    [
      'a price that is not an amount',
      { driver: 'qibixx', name: 'V', path: '/p', maxPrice: '4,50' },
      [],
      'maxPriceInvalid',
    ],
    [
      'a price of nothing',
      { driver: 'qibixx', name: 'V', path: '/p', maxPrice: '0.00' },
      [],
      'maxPriceInvalid',
    ],
    [
      'a second vending adapter',
      { driver: 'qibixx', name: 'V', path: '/p', maxPrice: '4' },
      [adapter],
      'secondAdapter',
    ],
  ])('is refused for %s', (_, changes, existing, problem) => {
    expect(newDevice(form(changes), existing, 'NZD')).toEqual({ ok: false, problem });
  });

  it('takes a picked port over a typed path', () => {
    const picked = { bus: 'serial' as const, port: { path: '/dev/ttyS0' } };
    const made = newDevice(form({ name: 'Front', picked, path: '/typed' }), [], 'NZD');
    expect(made).toMatchObject({ ok: true, device: { match: { path: '/dev/ttyS0' } } });
  });
});

describe('attached ports and devices', () => {
  it('offers serial ports for serial scanners and vending adapters, HID devices for HID-POS', () => {
    expect(choicesFor('serial-scanner', attached).map((c) => c.bus)).toEqual(['serial', 'serial']);
    expect(choicesFor('qibixx', attached)).toHaveLength(2);
    expect(choicesFor('hid-pos', attached)).toEqual([
      { bus: 'hid', device: attached.hidDevices[0] },
    ]);
  });

  it('finds a port that says who it is by that, and any other by its path', () => {
    const [usb, plain] = attached.serialPorts;
    expect(matchFor({ bus: 'serial', port: usb! })).toEqual({
      vendorId: '0403',
      productId: '6001',
      serialNumber: 'A1',
    });
    expect(matchFor({ bus: 'serial', port: plain! })).toEqual({ path: '/dev/ttyS0' });
    expect(matchFor({ bus: 'hid', device: attached.hidDevices[0]! })).toEqual({
      vendorId: 0x0c2e,
      productId: 0x0b61,
      usagePage: 0x8c,
    });
  });

  it('shows USB IDs as lsusb does', () => {
    expect(usbIds({ vendorId: 0x0c2e, productId: '0B61' })).toBe('0c2e:0b61');
    expect(usbIds({ vendorId: '0x403', productId: 1 })).toBe('0403:0001');
  });
});

describe('devicesChanged', () => {
  it('sees an added, removed or reordered device, and nothing in an equal copy', () => {
    expect(devicesChanged([front], [{ ...front, match: { ...front.match } }])).toBe(false);
    expect(devicesChanged([front], [front, adapter])).toBe(true);
    expect(devicesChanged([front, adapter], [adapter, front])).toBe(true);
    expect(devicesChanged([front], [])).toBe(true);
  });
});
