import { describe, expect, it } from 'vitest';
import type { ScanEvent } from '../hardware/scanners/scan-read.ts';
import { SerialScanner } from '../hardware/scanners/serial-scanner.ts';
import { eventQueue } from '../hardware/testing/event-queue.ts';
import { SerialTransport } from '../hardware/transport/serial-transport.ts';
import { parseScanLine, parseSimulateScannerArgs } from './simulate-scanner-command.ts';
import { withSimulatorProcess } from './testing/simulator-process.ts';

describe('parseSimulateScannerArgs', () => {
  it('takes a port or --pty, the suffix, AIM, timings and a script', () => {
    expect(parseSimulateScannerArgs(['--port', '/tmp/b'])).toEqual({
      port: '/tmp/b',
      pty: false,
      suffix: '\r',
      aim: false,
      byteDelayMs: 0,
      baudRate: 9600,
      script: null,
      intervalMs: 500,
    });
    expect(
      parseSimulateScannerArgs([
        '--pty',
        '--suffix',
        'crlf',
        '--aim',
        '--byte-delay-ms',
        '2',
        '--baud',
        '115200',
        '--script',
        'reads.txt',
        '--interval-ms',
        '100',
      ]),
    ).toEqual({
      port: null,
      pty: true,
      suffix: '\r\n',
      aim: true,
      byteDelayMs: 2,
      baudRate: 115200,
      script: 'reads.txt',
      intervalMs: 100,
    });
  });

  it.each([
    [[]],
    [['--port', 'x', '--pty']],
    [['--pty', '--suffix', 'tab']],
    [['--pty', '--byte-delay-ms', '-1']],
    [['--pty', '--baud', '0']],
  ])('refuses %j', (argv) => {
    expect(() => parseSimulateScannerArgs(argv)).toThrow(TypeError);
  });
});

describe('parseScanLine', () => {
  it.each([
    ['4006381333931', { type: 'scan', data: '4006381333931' }],
    ['[ean-13] 4006381333931', { type: 'scan', data: '4006381333931', symbology: 'ean-13' }],
    ['[qr]https://x.test/a b', { type: 'scan', data: 'https://x.test/a b', symbology: 'qr' }],
    ['  ', { type: 'empty' }],
    ['[upc] 1', { type: 'invalid', message: expect.stringMatching(/unknown symbology upc/) }],
    ['[qr]', { type: 'invalid', message: expect.stringMatching(/needs a read/) }],
  ])('%j', (line, parsed) => {
    expect(parseScanLine(line)).toEqual(parsed);
  });
});

describe('kiosk simulate scanner', () => {
  it('runs on its own PTY pair and sends typed lines as reads a kiosk driver takes', async () => {
    const argv = ['scanner', '--pty', '--aim'];
    await withSimulatorProcess(argv, 'scanner simulator on', async ({ path, stdin, exited }) => {
      const scanner = new SerialScanner({ transport: new SerialTransport({ path }) });
      const scans = eventQueue<ScanEvent>((listener) => scanner.onScan(listener));
      try {
        await scanner.start();
        await new Promise((resolve) => setTimeout(resolve, 250));
        stdin.write('[ean-13] 4006381333931\nCODE-128-READ\n');
        expect(await scans.next(5_000)).toMatchObject({
          data: '4006381333931',
          symbology: 'ean-13',
        });
        expect(await scans.next(5_000)).toMatchObject({
          data: 'CODE-128-READ',
          symbology: 'code-128',
        });
        stdin.end();
        expect(await exited).toBe(0);
      } finally {
        await scanner.stop();
      }
    });
  });
});
