import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ScanEvent } from '../hardware/scanners/scan-read.ts';
import { SerialScanner } from '../hardware/scanners/serial-scanner.ts';
import { eventQueue } from '../hardware/testing/event-queue.ts';
import { SerialTransport } from '../hardware/transport/serial-transport.ts';
import { parseScanLine, parseSimulateScannerArgs } from './simulate-scanner-command.ts';

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
    const bin = fileURLToPath(new URL('../bin/kiosk.mjs', import.meta.url));
    const child = spawn(process.execPath, [bin, 'simulate', 'scanner', '--pty', '--aim'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    const output = eventQueue<string>((listener) => {
      const lines = createInterface({ input: child.stdout });
      lines.on('line', listener);
      return () => lines.close();
    });
    let scanner: SerialScanner | undefined;
    try {
      const path = /^kiosk side: (.+)$/.exec(await output.next(15_000))?.[1];
      expect(path).toBeDefined();
      while (!(await output.next(5_000)).startsWith('scanner simulator on'));
      const started = new SerialScanner({ transport: new SerialTransport({ path: path ?? '' }) });
      scanner = started;
      const scans = eventQueue<ScanEvent>((listener) => started.onScan(listener));
      await started.start();
      await new Promise((resolve) => setTimeout(resolve, 250));
      child.stdin.write('[ean-13] 4006381333931\nCODE-128-READ\n');
      expect(await scans.next(5_000)).toMatchObject({ data: '4006381333931', symbology: 'ean-13' });
      expect(await scans.next(5_000)).toMatchObject({
        data: 'CODE-128-READ',
        symbology: 'code-128',
      });
      child.stdin.end();
      expect(await exited).toBe(0);
    } finally {
      await scanner?.stop();
      output.stop();
      if (child.exitCode === null) child.kill();
    }
  });
});
