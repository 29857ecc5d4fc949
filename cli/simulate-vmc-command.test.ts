import { describe, expect, it } from 'vitest';
import { CashlessDriver } from '../hardware/mdb/cashless-driver.ts';
import type { CashlessNotification } from '../hardware/mdb/cashless-session.ts';
import { eventQueue } from '../hardware/testing/event-queue.ts';
import { SerialTransport } from '../hardware/transport/serial-transport.ts';
import { parseConsoleCommand, parseSimulateVmcArgs } from './simulate-vmc-command.ts';
import { withSimulatorProcess } from './testing/simulator-process.ts';

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
    const argv = ['vmc', '--pty', '--vend-ms', '20'];
    await withSimulatorProcess(argv, 'commands:', async ({ path, output, stdin, exited }) => {
      const transport = new SerialTransport({ path, baudRate: 115_200 });
      const driver = new CashlessDriver({ transport, currencyCode: 978 });
      try {
        const events = eventQueue<CashlessNotification>((listener) => driver.subscribe(listener));
        await driver.start();
        await driver.startSession(300);
        stdin.write('select 3 1.50\n');
        while ((await events.next(5_000)).type !== 'vendRequested');
        expect(await driver.approveVend(150)).toEqual({
          result: 'succeeded',
          priceMinor: 150,
          item: 3,
        });
        while ((await output.next(5_000)) !== '-> c,VEND,SUCCESS');
        expect(output.all).toContain('<- C,VEND,1.50');
        events.stop();
        stdin.write('quit\n');
        expect(await exited).toBe(0);
      } finally {
        await driver.close();
      }
    });
  });
});
