import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Symbology } from '../hardware/scanners/scan-read.ts';
import { ScannerSimulator, type ScanSuffix } from '../hardware/simulators/scanner-simulator.ts';
import { startPtyPair, type PtyPair } from '../hardware/testing/pty-pair.ts';
import { SerialTransport } from '../hardware/transport/serial-transport.ts';

export const SIMULATE_SCANNER_USAGE =
  'kiosk simulate scanner (--port <path> | --pty) [--suffix cr|lf|crlf|none] [--aim] ' +
  '[--byte-delay-ms <ms>] [--baud <rate>] [--script <file> [--interval-ms <ms>]]';

export interface SimulateScannerArgs {
  /** The serial path to write to (end B of a socat pair), or null with `pty`. */
  port: string | null;
  /** Make a socat PTY pair and print the end the kiosk opens. */
  pty: boolean;
  suffix: ScanSuffix;
  /** Prefix reads with their AIM identifier. */
  aim: boolean;
  byteDelayMs: number;
  baudRate: number;
  /** Send this file's lines instead of reading stdin. */
  script: string | null;
  /** Between script lines. */
  intervalMs: number;
}

const SUFFIXES: Record<string, ScanSuffix> = { cr: '\r', lf: '\n', crlf: '\r\n', none: '' };
const SYMBOLOGIES: readonly Exclude<Symbology, 'unknown'>[] = [
  'ean-13',
  'ean-8',
  'code-128',
  'gs1-128',
  'code-39',
  'itf',
  'qr',
  'data-matrix',
];

function whole(option: string, value: string): number {
  if (!/^\d{1,9}$/.test(value))
    throw new TypeError(`${option} must be a whole number, got ${value}`);
  return Number(value);
}

export function parseSimulateScannerArgs(argv: string[]): SimulateScannerArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      pty: { type: 'boolean', default: false },
      suffix: { type: 'string', default: 'cr' },
      aim: { type: 'boolean', default: false },
      'byte-delay-ms': { type: 'string', default: '0' },
      baud: { type: 'string', default: '9600' },
      script: { type: 'string' },
      'interval-ms': { type: 'string', default: '500' },
    },
  });
  const port = values.port ?? null;
  if ((port === null) === !values.pty) throw new TypeError(`usage: ${SIMULATE_SCANNER_USAGE}`);
  const suffix = SUFFIXES[values.suffix];
  if (suffix === undefined) {
    throw new TypeError(`--suffix must be cr, lf, crlf or none, got ${values.suffix}`);
  }
  const baudRate = whole('--baud', values.baud);
  if (baudRate === 0) throw new TypeError('--baud must be above 0');
  return {
    port,
    pty: values.pty,
    suffix,
    aim: values.aim,
    byteDelayMs: whole('--byte-delay-ms', values['byte-delay-ms']),
    baudRate,
    script: values.script ?? null,
    intervalMs: whole('--interval-ms', values['interval-ms']),
  };
}

export type ScanLine =
  | { type: 'scan'; data: string; symbology?: Exclude<Symbology, 'unknown'> }
  | { type: 'empty' }
  | { type: 'invalid'; message: string };

/**
 * One typed or scripted line: the read itself, or `[symbology] read` to choose the AIM prefix
 * (with --aim; Code 128 otherwise), e.g. `[ean-13] 4006381333931`.
 */
export function parseScanLine(line: string): ScanLine {
  const text = line.replace(/\r?\n$/, '');
  if (text.trim() === '') return { type: 'empty' };
  const tagged = /^\[([a-z0-9-]+)\]\s*(.*)$/.exec(text);
  if (!tagged) return { type: 'scan', data: text };
  const [, name = '', data = ''] = tagged;
  const symbology = SYMBOLOGIES.find((known) => known === name);
  if (!symbology) {
    return {
      type: 'invalid',
      message: `unknown symbology ${name}; one of ${SYMBOLOGIES.join(', ')}`,
    };
  }
  if (data === '') return { type: 'invalid', message: `[${name}] needs a read after it` };
  return { type: 'scan', data, symbology };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `kiosk simulate scanner`: a serial barcode scanner on a serial path (end B of
 * `socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B`; the kiosk opens A), or on a PTY pair
 * it makes itself with `--pty`. Every line typed on stdin (or read from --script) is one read.
 */
export async function simulateScannerCommand(argv: string[]): Promise<void> {
  const args = parseSimulateScannerArgs(argv);
  let pair: PtyPair | undefined;
  let path = args.port;
  if (args.pty) {
    pair = await startPtyPair();
    path = pair.b;
    console.log(`kiosk side: ${pair.a}`);
  }
  if (path === null) throw new TypeError(`usage: ${SIMULATE_SCANNER_USAGE}`);
  const transport = new SerialTransport({ path, baudRate: args.baudRate });
  const simulator = new ScannerSimulator({
    transport,
    suffix: args.suffix,
    aimPrefix: args.aim,
    byteDelayMs: args.byteDelayMs,
  });
  const portGone = new Promise<void>((resolve) => {
    transport.onClose(({ reason }) => {
      if (reason !== 'closed') console.log(`port closed: ${reason}`);
      resolve();
    });
  });
  await transport.open();
  console.log(`scanner simulator on ${path}; one read per line, [symbology] read to choose`);
  const send = async (line: string): Promise<void> => {
    const parsed = parseScanLine(line);
    if (parsed.type === 'invalid') return console.log(parsed.message);
    if (parsed.type === 'empty') return;
    await simulator.scan(parsed.data, parsed.symbology ? { symbology: parsed.symbology } : {});
    console.log(`-> ${JSON.stringify(parsed.data)}`);
  };
  try {
    if (args.script !== null) {
      const lines = (await readFile(args.script, 'utf8')).split('\n');
      for (const [index, line] of lines.entries()) {
        if (index > 0) await sleep(args.intervalMs);
        await send(line);
      }
      return;
    }
    const input = createInterface({ input: process.stdin, terminal: false });
    const stopped = new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      input.once('close', () => resolve());
    });
    const typed = (async () => {
      for await (const line of input) {
        try {
          await send(line);
        } catch (error) {
          console.log(error instanceof Error ? error.message : String(error));
          return;
        }
      }
    })();
    await Promise.race([typed, stopped, portGone]);
    input.close();
  } finally {
    await transport.close();
    await pair?.stop();
  }
}
