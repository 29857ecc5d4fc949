import { SIMULATE_SCANNER_USAGE, simulateScannerCommand } from './simulate-scanner-command.ts';
import { SIMULATE_VMC_USAGE, simulateVmcCommand } from './simulate-vmc-command.ts';

/** One entry per simulated device: `kiosk simulate <device> ...`. */
const simulators: Record<string, { usage: string; run: (argv: string[]) => Promise<void> }> = {
  vmc: { usage: SIMULATE_VMC_USAGE, run: simulateVmcCommand },
  scanner: { usage: SIMULATE_SCANNER_USAGE, run: simulateScannerCommand },
};

export const SIMULATE_USAGE = Object.values(simulators)
  .map((simulator) => simulator.usage)
  .join('\n  ');

/** `kiosk simulate <device>`: runs a device simulator on a serial port or PTY. */
export async function simulateCommand(argv: string[]): Promise<void> {
  const [device, ...rest] = argv;
  const simulator = device === undefined ? undefined : simulators[device];
  if (!simulator) throw new TypeError(`usage:\n  ${SIMULATE_USAGE}`);
  await simulator.run(rest);
}
