// The machine's serial ports and HID devices, for the device manager. serialport and node-hid are
// native modules: they are loaded only once a device is configured or looked for, and a machine
// where one fails to load still starts; the devices that need it report why in their health record,
// and a listing of its bus says why it failed.
import type { Logger } from 'pino';
import type { DeviceHardware } from '../terminal/devices/device-manager.ts';
import { HidTransport } from '../hardware/transport/hid-transport.ts';

async function load<T>(what: string, logger: Logger, importer: () => Promise<T>) {
  try {
    return { module: await importer() };
  } catch (error) {
    const reason = `${what} is unavailable: ${error instanceof Error ? error.message : error}`;
    logger.warn({ module: 'system-hardware' }, reason);
    return { reason };
  }
}

export async function loadSystemHardware(logger: Logger): Promise<DeviceHardware> {
  const [serial, hid] = await Promise.all([
    // The transport module loads serialport (and its binding) as it is imported.
    load('serialport', logger, () => import('../hardware/transport/serial-transport.ts')),
    load('node-hid', logger, () => import('node-hid')),
  ]);
  return {
    async listSerialPorts() {
      if (!serial.module) throw new Error(serial.reason);
      const { SerialPort } = await import('serialport');
      return SerialPort.list();
    },
    async listHidDevices() {
      if (!hid.module) throw new Error(hid.reason);
      return hid.module.devicesAsync();
    },
    serialTransport(options) {
      if (!serial.module) throw new Error(serial.reason);
      return new serial.module.SerialTransport(options);
    },
    hidTransport(options) {
      if (!hid.module) throw new Error(hid.reason);
      return new HidTransport(options);
    },
  };
}
