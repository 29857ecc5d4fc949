// The far side of the kiosk's simulated devices (hosts/simulated-devices.ts), typed on the console
// of `kiosk host --simulate-devices`: `scan <read>` is a read of the simulated scanner, `vmc ...`
// a command of the simulated vending machine, the same commands `kiosk simulate vmc` takes.
import type { SimulatedDevices } from '../hosts/simulated-devices.ts';
import { parseScanLine } from './simulate-scanner-command.ts';
import { parseConsoleCommand, runConsoleCommand } from './simulate-vmc-command.ts';
import { readStdinLines } from './simulator-session.ts';

export const SIMULATOR_CONSOLE_USAGE =
  'simulated devices: type `scan <code>` for the scanner, `vmc select <item> <price>` or `vmc help` for the vending machine (port sim:vending in Settings)';

/** Reads commands from stdin until it ends; resolves then. */
export async function runSimulatorConsole(devices: SimulatedDevices): Promise<void> {
  console.log(SIMULATOR_CONSOLE_USAGE);
  await readStdinLines(async (line) => {
    const [word = '', ...rest] = line.trim().split(/\s+/);
    const argument = line.trim().slice(word.length).trim();
    if (word === 'scan') {
      const read = parseScanLine(argument);
      if (read.type === 'invalid') return console.log(read.message);
      if (read.type === 'empty') return console.log('scan <code>');
      await devices.scanner.scan(read.data, read.symbology ? { symbology: read.symbology } : {});
    } else if (word === 'vmc') {
      // The console stays: `quit` and `unplug` end only `kiosk simulate vmc`'s own console.
      await runConsoleCommand(devices.vmc, parseConsoleCommand(rest.join(' ')), console.log);
    } else if (word !== '') {
      console.log(SIMULATOR_CONSOLE_USAGE);
    }
  });
}
