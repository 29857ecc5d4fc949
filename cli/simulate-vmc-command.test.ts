import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CashlessDriver } from '../hardware/mdb/cashless-driver.ts';
import type { CashlessNotification } from '../hardware/mdb/cashless-session.ts';
import { eventQueue } from '../hardware/testing/event-queue.ts';
import { SerialTransport } from '../hardware/transport/serial-transport.ts';
import { parseConsoleCommand, parseSimulateVmcArgs } from './simulate-vmc-command.ts';

describe('parseSimulateVmcArgs', () => {
  it('takes a port or --pty, a mode and timings', () => {
    expect(parseSimulateVmcArgs(['--port', '/tmp/b'])).toEqual({
      port: '/tmp/b',
      pty: false,
      mode: 'creditFirst',
    });
    expect(
      parseSimulateVmcArgs([
        '--pty',
        '--mode',
        'b',
        '--vend-ms',
        '500',
        '--approval-limit-ms',
        '5000',
      ]),
    ).toEqual({ port: null, pty: true, mode: 'alwaysIdle', vendMs: 500, approvalLimitMs: 5000 });
  });

  it.each([
    [[]],
    [['--port', 'x', '--pty']],
    [['--pty', '--mode', 'c']],
    [['--pty', '--vend-ms', '1.5']],
  ])('refuses %j', (argv) => {
    expect(() => parseSimulateVmcArgs(argv)).toThrow(TypeError);
  });
});

describe('parseConsoleCommand', () => {
  it.each([
    ['select 3 1.50', { type: 'select', item: 3, priceMinor: 150 }],
    ['  select 12 2  ', { type: 'select', item: 12, priceMinor: 200 }],
    ['cancel', { type: 'cancel' }],
    ['fail-next-vend', { type: 'failNextVend' }],
    ['garbage', { type: 'garbage' }],
    ['silent', { type: 'silent', silent: true }],
    ['silent off', { type: 'silent', silent: false }],
    ['slow 40000', { type: 'slow', approvalLimitMs: 40000 }],
    ['vend-ms 2000', { type: 'vendMs', vendMs: 2000 }],
    ['refuse-start 3', { type: 'refuseStart', times: 3 }],
    ['refuse-start', { type: 'refuseStart', times: 1 }],
    ['reset', { type: 'reset' }],
    ['unplug', { type: 'unplug' }],
    ['mode b', { type: 'mode', mode: 'alwaysIdle' }],
    ['send c,STATUS,ONLINE', { type: 'send', line: 'c,STATUS,ONLINE' }],
    ['status', { type: 'status' }],
    ['help', { type: 'help' }],
    ['quit', { type: 'quit' }],
    ['', { type: 'empty' }],
  ])('%j', (text, command) => {
    expect(parseConsoleCommand(text)).toEqual(command);
  });

  it.each([
    'select 3',
    'select x 1.50',
    'select 3 1.505',
    'select 3 -1',
    'slow fast',
    'mode c',
    'send',
    'dance',
  ])('%j is invalid', (text) => {
    expect(parseConsoleCommand(text)).toMatchObject({ type: 'invalid' });
  });
});

describe('kiosk simulate vmc', () => {
  it('runs on its own PTY pair and vends for a kiosk driver', async () => {
    const bin = fileURLToPath(new URL('../bin/kiosk.mjs', import.meta.url));
    const child = spawn(process.execPath, [bin, 'simulate', 'vmc', '--pty', '--vend-ms', '20'], {
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
    let cashless: CashlessDriver | undefined;
    try {
      const first = await output.next(15_000);
      const path = /^kiosk side: (.+)$/.exec(first)?.[1];
      expect(path).toBeDefined();
      while (!(await output.next(5_000)).startsWith('commands:'));
      const transport = new SerialTransport({ path: path ?? '', baudRate: 115_200 });
      const driver = new CashlessDriver({ transport, currencyCode: 978 });
      cashless = driver;
      const events = eventQueue<CashlessNotification>((listener) => driver.subscribe(listener));
      await driver.start();
      await driver.startSession(300);
      child.stdin.write('select 3 1.50\n');
      while ((await events.next(5_000)).type !== 'vendRequested');
      expect(await driver.approveVend(150)).toEqual({
        result: 'succeeded',
        priceMinor: 150,
        item: 3,
      });
      while ((await output.next(5_000)) !== '-> c,VEND,SUCCESS');
      expect(output.all).toContain('<- C,VEND,1.50');
      events.stop();
      child.stdin.write('quit\n');
      expect(await exited).toBe(0);
    } finally {
      await cashless?.close();
      output.stop();
      if (child.exitCode === null) child.kill();
    }
  });
});
