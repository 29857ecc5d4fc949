// A vending machine for host tests: the VMC simulator on one end of a socat PTY, and the kiosk's
// vending adapter setting for the other end.
import { VmcSimulator } from '../../hardware/simulators/vmc-simulator.ts';
import { SerialTransport } from '../../hardware/transport/serial-transport.ts';
import type { DeviceConfig } from '../../terminal/devices/device-config.ts';

/** The machine's highest price, in cents: what a visit asks the consumer to pay or hold. */
export const MAX_PRICE = 500;

/** The simulator on `path`, open. */
export async function startVmc(path: string): Promise<VmcSimulator> {
  const vmc = new VmcSimulator({ transport: new SerialTransport({ path }) });
  await vmc.open();
  return vmc;
}

/** The kiosk's vending adapter on `path`. */
export function vendingAdapter(path: string, preAuth: boolean): DeviceConfig {
  return {
    id: 'vmc',
    name: 'Vending machine',
    driver: 'qibixx',
    match: { path },
    vending: { maxCredit: MAX_PRICE, preAuth },
  };
}
