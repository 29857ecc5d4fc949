// What is attached to the machine now, for an attendant choosing a device's port in Settings:
// both buses are listed side by side, and a bus that cannot be listed is reported with its
// reason instead of failing the whole answer (spec, Discovery and hot-plug).
import type {
  AttachedDevices,
  AttachedHidDevice,
  AttachedSerialPort,
} from '../contract/replies.ts';
import type { DeviceHardware, HidDeviceListing, SerialPortListing } from './device-manager.ts';

export async function listAttached(hardware: DeviceHardware): Promise<AttachedDevices> {
  // Through then(): a lister that throws before returning a promise is caught like a rejection.
  const [serial, hid] = await Promise.allSettled([
    Promise.resolve().then(() => hardware.listSerialPorts()),
    Promise.resolve().then(() => hardware.listHidDevices()),
  ]);
  const failures: AttachedDevices['failures'] = [];
  if (serial.status === 'rejected') failures.push({ bus: 'serial', message: reason(serial) });
  if (hid.status === 'rejected') failures.push({ bus: 'hid', message: reason(hid) });
  return {
    serialPorts: serial.status === 'fulfilled' ? serial.value.map(serialPort) : [],
    // An entry without a path cannot be opened, so it cannot be chosen either.
    hidDevices: hid.status === 'fulfilled' ? hid.value.flatMap(hidDevice) : [],
    failures,
  };
}

function serialPort(port: SerialPortListing): AttachedSerialPort {
  return {
    path: port.path,
    ...present({
      manufacturer: port.manufacturer,
      vendorId: port.vendorId,
      productId: port.productId,
      serialNumber: port.serialNumber,
    }),
  };
}

function hidDevice(device: HidDeviceListing): AttachedHidDevice[] {
  if (device.path === undefined) return [];
  return [
    {
      path: device.path,
      vendorId: device.vendorId,
      productId: device.productId,
      ...present({
        product: device.product,
        serialNumber: device.serialNumber,
        usagePage: device.usagePage,
      }),
    },
  ];
}

/** The fields that have a value: the answer crosses the bridge as JSON, without empty keys. */
function present<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined && value !== ''),
  ) as Partial<T>;
}

function reason(result: PromiseRejectedResult): string {
  const error: unknown = result.reason;
  return error instanceof Error ? error.message : String(error);
}
