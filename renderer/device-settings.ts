// The Settings devices section's logic: what a new device's form makes, how a configured device is
// found, and which attached ports and devices fit the kind being added.
import type {
  AttachedDevices,
  AttachedHidDevice,
  AttachedSerialPort,
  Currency,
  DeviceConfig,
} from './contract.ts';
import { parseMinorUnits } from './money.ts';

export type Driver = DeviceConfig['driver'];
export type Match = DeviceConfig['match'];

export const DRIVERS: readonly Driver[] = ['serial-scanner', 'hid-pos', 'qibixx'];

/** A port or device from `devices.discover`, as the attendant picks it. */
export type AttachedChoice =
  { bus: 'serial'; port: AttachedSerialPort } | { bus: 'hid'; device: AttachedHidDevice };

export interface NewDeviceForm {
  driver: Driver;
  name: string;
  /** A discovered port or device; when null, `path` is used. */
  picked: AttachedChoice | null;
  path: string;
  /** The vending adapter's highest price, as typed. */
  maxPrice: string;
  preAuth: boolean;
}

export type NewDeviceProblem = 'nameMissing' | 'portMissing' | 'maxPriceInvalid' | 'secondAdapter';

export function emptyForm(driver: Driver = 'serial-scanner'): NewDeviceForm {
  return { driver, name: '', picked: null, path: '', maxPrice: '', preAuth: true };
}

/** The attached ports or devices a device of `driver` could be on. */
export function choicesFor(driver: Driver, attached: AttachedDevices): AttachedChoice[] {
  return driver === 'hid-pos'
    ? attached.hidDevices.map((device) => ({ bus: 'hid', device }))
    : attached.serialPorts.map((port) => ({ bus: 'serial', port }));
}

/** The device the form describes, added to `existing`, or what is wrong with the form. */
export function newDevice(
  form: NewDeviceForm,
  existing: readonly DeviceConfig[],
  currency: Currency,
): { ok: true; device: DeviceConfig } | { ok: false; problem: NewDeviceProblem } {
  const name = form.name.trim();
  if (name === '') return { ok: false, problem: 'nameMissing' };
  const match = form.picked ? matchFor(form.picked) : pathMatch(form.path);
  if (match === null) return { ok: false, problem: 'portMissing' };
  const device: DeviceConfig = { id: uniqueId(name, existing), name, driver: form.driver, match };
  if (form.driver !== 'qibixx') return { ok: true, device };
  if (existing.some((config) => config.driver === 'qibixx')) {
    return { ok: false, problem: 'secondAdapter' };
  }
  const maxCredit = parseMinorUnits(form.maxPrice, currency);
  if (maxCredit === null || maxCredit === 0) return { ok: false, problem: 'maxPriceInvalid' };
  return { ok: true, device: { ...device, vending: { maxCredit, preAuth: form.preAuth } } };
}

/**
 * How the device manager should find a picked port or device. A path may change when a device is
 * plugged in again, so a device that says who it is (USB IDs, and a serial number for a serial
 * port, where identical adapters are common) is matched by that; anything else by its path.
 */
export function matchFor(choice: AttachedChoice): Match {
  if (choice.bus === 'serial') {
    const { path, vendorId, productId, serialNumber } = choice.port;
    if (vendorId && productId && serialNumber) return { vendorId, productId, serialNumber };
    return { path };
  }
  const { vendorId, productId, serialNumber, usagePage } = choice.device;
  return {
    vendorId,
    productId,
    ...(serialNumber === undefined ? {} : { serialNumber }),
    ...(usagePage === undefined ? {} : { usagePage }),
  };
}

function pathMatch(typed: string): Match | null {
  const path = typed.trim();
  return path === '' ? null : { path };
}

/** The USB IDs as `lsusb` shows them: `0c2e:0b61`. */
export function usbIds(match: Match): string {
  return [match.vendorId, match.productId].map(hex).join(':');
}

export function hex(id: number | string | undefined): string {
  if (id === undefined) return '?';
  const text = typeof id === 'number' ? id.toString(16) : id.replace(/^0x/i, '');
  return text.toLowerCase().padStart(4, '0');
}

/** An id from the name (`Front scanner` → `front-scanner`), made unique among `existing`. */
function uniqueId(name: string, existing: readonly DeviceConfig[]): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'device';
  const taken = new Set(existing.map((config) => config.id));
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
  return id;
}

/** Whether the edited list differs from the saved one (the order counts: it is the panel's). */
export function devicesChanged(saved: readonly DeviceConfig[], draft: readonly DeviceConfig[]) {
  return JSON.stringify(saved) !== JSON.stringify(draft);
}
