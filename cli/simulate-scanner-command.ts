import { readFile } from 'node:fs/promises';
import type { Symbology } from '../hardware/scanners/scan-read.ts';
import { ScannerSimulator, type ScanSuffix } from '../hardware/simulators/scanner-simulator.ts';
import type { SimulatorPortArgs } from './simulator-session.ts';
import {
  onSimulatorPort,
  parseSimulatorArgs,
  parseWholeOption,
  readStdinLines,
} from './simulator-session.ts';

export const SIMULATE_SCANNER_USAGE =
  'kiosk simulate scanner (--port <path> | --pty) [--suffix cr|lf|crlf|none] [--aim] ' +
  '[--byte-delay-ms <ms>] [--baud <rate>] [--script <file> [--interval-ms <ms>]]';

export interface SimulateScannerArgs extends SimulatorPortArgs {
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

export function parseSimulateScannerArgs(argv: string[]): SimulateScannerArgs {
  const { port, pty, values } = parseSimulatorArgs(argv, SIMULATE_SCANNER_USAGE, {
    suffix: { type: 'string', default: 'cr' },
    aim: { type: 'boolean', default: false },
    'byte-delay-ms': { type: 'string', default: '0' },
    baud: { type: 'string', default: '9600' },
    script: { type: 'string' },
    'interval-ms': { type: 'string', default: '500' },
  });
  const suffix = SUFFIXES[values.suffix];
  if (suffix === undefined) {
    throw new TypeError(`--suffix must be cr, lf, crlf or none, got ${values.suffix}`);
  }
  const baudRate = parseWholeOption('--baud', values.baud);
  if (baudRate === 0) throw new TypeError('--baud must be above 0');
  return {
    port,
    pty,
    suffix,
    aim: values.aim,
    byteDelayMs: parseWholeOption('--byte-delay-ms', values['byte-delay-ms']),
    baudRate,
    script: values.script ?? null,
    intervalMs: parseWholeOption('--interval-ms', values['interval-ms']),
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
  await onSimulatorPort(args, SIMULATE_SCANNER_USAGE, args.baudRate, async (port) => {
    const { path, transport } = port;
    const simulator = new ScannerSimulator({
      transport,
      suffix: args.suffix,
      aimPrefix: args.aim,
      byteDelayMs: args.byteDelayMs,
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
      await readStdinLines(send, { until: [port.closed], stopOnError: true });
    } finally {
      await transport.close();
    }
  });
}
