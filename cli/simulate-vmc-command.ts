import { parseAmount } from '../hardware/mdb/amount.ts';
import { VmcSimulator, type VmcMode } from '../hardware/simulators/vmc-simulator.ts';
import type { SimulatorPortArgs } from './simulator-session.ts';
import {
  onSimulatorPort,
  parseSimulatorArgs,
  parseWholeOption,
  readStdinLines,
} from './simulator-session.ts';

export const SIMULATE_VMC_USAGE =
  'kiosk simulate vmc (--port <path> | --pty) [--mode a|b] [--vend-ms <ms>] [--approval-limit-ms <ms>]';

/** The one-line list of console commands, printed at start and by `help`. */
export const VMC_CONSOLE_USAGE =
  'commands: select <item> <price> | cancel | fail-next-vend | garbage | silent [on|off] | ' +
  'slow <ms> | vend-ms <ms> | refuse-start <n> | reset | unplug | mode a|b | send <line> | ' +
  'status | help | quit';

export interface SimulateVmcArgs extends SimulatorPortArgs {
  mode: VmcMode;
  vendMs?: number;
  approvalLimitMs?: number;
}

const MODES: Record<string, VmcMode> = { a: 'creditFirst', b: 'alwaysIdle' };

const parseMs = (option: string, value: string): number =>
  parseWholeOption(option, value, 'a whole number of ms');

export function parseSimulateVmcArgs(argv: string[]): SimulateVmcArgs {
  const { port, pty, values } = parseSimulatorArgs(argv, SIMULATE_VMC_USAGE, {
    mode: { type: 'string', default: 'a' },
    'vend-ms': { type: 'string' },
    'approval-limit-ms': { type: 'string' },
  });
  const mode = MODES[values.mode];
  if (!mode) throw new TypeError(`--mode must be a or b, got ${values.mode}`);
  const args: SimulateVmcArgs = { port, pty, mode };
  if (values['vend-ms'] !== undefined) args.vendMs = parseMs('--vend-ms', values['vend-ms']);
  if (values['approval-limit-ms'] !== undefined)
    args.approvalLimitMs = parseMs('--approval-limit-ms', values['approval-limit-ms']);
  return args;
}

/** One line typed on the simulator's console. */
export type ConsoleCommand =
  | { type: 'select'; item: number; priceMinor: number }
  | { type: 'cancel' }
  | { type: 'failNextVend' }
  | { type: 'garbage' }
  | { type: 'silent'; silent: boolean }
  | { type: 'slow'; approvalLimitMs: number }
  | { type: 'vendMs'; vendMs: number }
  | { type: 'refuseStart'; times: number }
  | { type: 'reset' }
  | { type: 'unplug' }
  | { type: 'mode'; mode: VmcMode }
  | { type: 'send'; line: string }
  | { type: 'status' }
  | { type: 'help' }
  | { type: 'quit' }
  | { type: 'empty' }
  | { type: 'invalid'; message: string };

export function parseConsoleCommand(input: string): ConsoleCommand {
  const text = input.trim();
  const [word = '', ...rest] = text.split(/\s+/);
  const invalid = (message: string): ConsoleCommand => ({ type: 'invalid', message });
  const whole = (value: string | undefined) =>
    value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
  switch (word.toLowerCase()) {
    case '':
      return { type: 'empty' };
    case 'select': {
      const item = whole(rest[0]);
      const priceMinor = rest[1] === undefined ? undefined : parseAmount(rest[1]);
      if (item === undefined || priceMinor === undefined || rest.length !== 2)
        return invalid('select <item> <price>, e.g. select 3 1.50');
      return { type: 'select', item, priceMinor };
    }
    case 'cancel':
      return { type: 'cancel' };
    case 'fail-next-vend':
      return { type: 'failNextVend' };
    case 'garbage':
      return { type: 'garbage' };
    case 'silent':
      if (rest[0] === undefined || rest[0] === 'on') return { type: 'silent', silent: true };
      if (rest[0] === 'off') return { type: 'silent', silent: false };
      return invalid('silent [on|off]');
    case 'slow': {
      const approvalLimitMs = whole(rest[0]);
      return approvalLimitMs === undefined
        ? invalid('slow <ms>')
        : { type: 'slow', approvalLimitMs };
    }
    case 'vend-ms': {
      const vendMs = whole(rest[0]);
      return vendMs === undefined ? invalid('vend-ms <ms>') : { type: 'vendMs', vendMs };
    }
    case 'refuse-start': {
      const times = whole(rest[0] ?? '1');
      return times === undefined ? invalid('refuse-start <n>') : { type: 'refuseStart', times };
    }
    case 'reset':
      return { type: 'reset' };
    case 'unplug':
      return { type: 'unplug' };
    case 'mode': {
      const mode = MODES[rest[0] ?? ''];
      return mode ? { type: 'mode', mode } : invalid('mode a|b');
    }
    case 'send': {
      const line = text.slice(word.length).trim();
      return line ? { type: 'send', line } : invalid('send <line>');
    }
    case 'status':
      return { type: 'status' };
    case 'help':
    case '?':
      return { type: 'help' };
    case 'quit':
    case 'exit':
      return { type: 'quit' };
    default:
      return invalid(`unknown command '${word}'; ${VMC_CONSOLE_USAGE}`);
  }
}

/** Carries out one console command; returns false when the console should end. */
export async function runConsoleCommand(
  sim: VmcSimulator,
  command: ConsoleCommand,
  print: (text: string) => void,
): Promise<boolean> {
  switch (command.type) {
    case 'select':
      sim.select(command.item, command.priceMinor);
      break;
    case 'cancel':
      sim.cancel();
      break;
    case 'failNextVend':
      sim.failNextVend();
      print('the next approved vend fails');
      break;
    case 'garbage':
      sim.injectGarbage();
      break;
    case 'silent':
      sim.setSilent(command.silent);
      print(command.silent ? 'silent: answering nothing' : 'answering again');
      break;
    case 'slow':
      sim.setApprovalLimitMs(command.approvalLimitMs);
      print(`the VMC gives up after ${command.approvalLimitMs} ms without approval`);
      break;
    case 'vendMs':
      sim.setVendMs(command.vendMs);
      break;
    case 'refuseStart':
      sim.refuseStart(command.times);
      break;
    case 'reset':
      sim.resetVmc();
      break;
    case 'unplug':
      await sim.unplug();
      print('unplugged');
      return false;
    case 'mode':
      sim.setMode(command.mode);
      break;
    case 'send':
      sim.sendLine(command.line);
      break;
    case 'status':
      print(
        `phase ${sim.phase}, mode ${sim.mode}, funds ${sim.fundsMinor ?? '-'}, ` +
          `silent ${sim.silent}, vends ${sim.vends.length}`,
      );
      break;
    case 'help':
      print(VMC_CONSOLE_USAGE);
      break;
    case 'quit':
      return false;
    case 'empty':
      break;
    case 'invalid':
      print(command.message);
      break;
  }
  return true;
}

/** A line as the console shows it: printable as is, anything else escaped. */
const shown = (line: string): string => (/^[\x20-\x7e]*$/.test(line) ? line : JSON.stringify(line));

/**
 * `kiosk simulate vmc`: the Qibixx adapter and a vending machine on a serial path (end B of
 * `socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B`; the kiosk opens A), or on a PTY pair
 * it makes itself with `--pty`. Commands on stdin play the consumer and inject faults.
 */
export async function simulateVmcCommand(argv: string[]): Promise<void> {
  const args = parseSimulateVmcArgs(argv);
  // A lost port is only printed: the console stays, for `status` and `quit`.
  await onSimulatorPort(args, SIMULATE_VMC_USAGE, 115_200, async ({ path, transport, pair }) => {
    const sim = new VmcSimulator({
      transport,
      mode: args.mode,
      vendMs: args.vendMs,
      approvalLimitMs: args.approvalLimitMs,
      // With our own socat, unplugging kills it, as a pulled cable does; on a given path it can
      // only close the port, which the kiosk sees as an adapter gone silent.
      unplug: pair ? () => pair.stop() : undefined,
    });
    sim.onTraffic(({ direction, line }) =>
      console.log(`${direction === 'in' ? '<-' : '->'} ${shown(line)}`),
    );
    await sim.open();
    console.log(`VMC simulator on ${path}, mode ${args.mode === 'creditFirst' ? 'a' : 'b'}`);
    console.log(VMC_CONSOLE_USAGE);
    await readStdinLines((text) =>
      runConsoleCommand(sim, parseConsoleCommand(text), (out) => console.log(out)),
    );
    await sim.close();
  });
}
