// What every `kiosk simulate <device>` shares: a serial path given with --port or a PTY pair of
// its own with --pty, the lines typed on stdin, and an end on SIGINT, end of input or a lost port.
import { createInterface } from 'node:readline';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { startPtyPair, type PtyPair } from '../hardware/testing/pty-pair.ts';
import { SerialTransport } from '../hardware/transport/serial-transport.ts';

export interface SimulatorPortArgs {
  /** The serial path to open (end B of a socat pair), or null with `pty`. */
  port: string | null;
  /** Make a socat PTY pair and print the end the kiosk opens. */
  pty: boolean;
}

/**
 * A simulator's arguments: --port or --pty, exactly one of them, and the device's own `options`,
 * parsed as `parseArgs` does.
 */
export function parseSimulatorArgs<const O extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  usage: string,
  options: O,
): SimulatorPortArgs & { values: ReturnType<typeof parseArgs<{ options: O }>>['values'] } {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, pty: { type: 'boolean', default: false }, ...options },
  });
  // Typed for the device's options only; these two are there as well.
  const where = values as { port?: string; pty: boolean };
  const port = where.port ?? null;
  const pty = where.pty;
  if ((port === null) === !pty) throw new TypeError(`usage: ${usage}`);
  return { port, pty, values };
}

/** An option's whole number (at most 9 digits); `what` names it in the error. */
export function parseWholeOption(option: string, value: string, what = 'a whole number'): number {
  if (!/^\d{1,9}$/.test(value)) throw new TypeError(`${option} must be ${what}, got ${value}`);
  return Number(value);
}

export interface SimulatorPort {
  /** The serial path the simulator opens. */
  path: string;
  /** On `path`, not yet open. */
  transport: SerialTransport;
  /** Settles when the port closes; printed, with the reason, unless it was closed on purpose. */
  closed: Promise<void>;
  /** With --pty, the pair made for the run. */
  pair: PtyPair | undefined;
}

/**
 * Runs `simulate` on the serial path the simulator opens: the --port given, or end B of a PTY
 * pair made here, whose end A (the kiosk's) is printed first and which is stopped at the end.
 */
export async function onSimulatorPort(
  args: SimulatorPortArgs,
  usage: string,
  baudRate: number,
  simulate: (port: SimulatorPort) => Promise<void>,
): Promise<void> {
  const pair = args.pty ? await startPtyPair() : undefined;
  if (pair) console.log(`kiosk side: ${pair.a}`);
  try {
    const path = pair?.b ?? args.port;
    if (path === null) throw new TypeError(`usage: ${usage}`);
    const transport = new SerialTransport({ path, baudRate });
    const closed = new Promise<void>((resolve) => {
      transport.onClose(({ reason }) => {
        if (reason !== 'closed') console.log(`port closed: ${reason}`);
        resolve();
      });
    });
    await simulate({ path, transport, closed, pair });
  } finally {
    await pair?.stop();
  }
}

/**
 * Hands each line typed on stdin to `onLine` until it returns false, stdin ends, SIGINT comes or
 * one of `until` settles. An error is printed; the next line is read, or with `stopOnError` none.
 */
export async function readStdinLines(
  onLine: (line: string) => Promise<boolean | void>,
  { until = [], stopOnError = false }: { until?: Promise<void>[]; stopOnError?: boolean } = {},
): Promise<void> {
  const input = createInterface({ input: process.stdin, terminal: false });
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    input.once('close', () => resolve());
  });
  const typed = (async () => {
    for await (const line of input) {
      try {
        if ((await onLine(line)) === false) return;
      } catch (error) {
        console.log(error instanceof Error ? error.message : String(error));
        if (stopOnError) return;
      }
    }
  })();
  await Promise.race([typed, stopped, ...until]);
  input.close();
}
