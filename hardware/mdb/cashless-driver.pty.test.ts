// The driver and the VMC simulator through the real serialport stack: each on one end of a socat
// PTY pair (spec/hardware.md, "Simulators"). Real timers with the kiosk's limits shortened, so the
// whole file runs in a few seconds; the full-length timeouts are covered on fake timers in
// cashless-driver.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { eventQueue } from '../testing/event-queue.ts';
import { recordingLogger } from '../testing/log-recorder.ts';
import { startPtyPair } from '../testing/pty-pair.ts';
import { SerialTransport } from '../transport/serial-transport.ts';
import { VmcSimulator, type VmcSimulatorOptions } from '../simulators/vmc-simulator.ts';
import { CashlessDriver } from './cashless-driver.ts';
import type { CashlessNotification, CashlessTimeouts, SessionMode } from './cashless-session.ts';

const FAST: Partial<CashlessTimeouts> = {
  replyMs: 1_000,
  heartbeatMs: 400,
  heartbeatMisses: 3,
  startRetryMs: 50,
  startRetryForMs: 1_000,
  creditFirstApprovalMs: 1_000,
};

interface RigOptions {
  mode?: SessionMode;
  sim?: Partial<VmcSimulatorOptions>;
  timeouts?: Partial<CashlessTimeouts>;
}

/** Polls until `done()` holds: the far side acts on what crosses the PTY a moment later. */
async function until(done: () => boolean, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${done.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function rig(options: RigOptions = {}) {
  const pair = await startPtyPair();
  cleanups.push(() => pair.stop());
  const device = new SerialTransport({ path: pair.b, baudRate: 115_200 });
  const kiosk = new SerialTransport({ path: pair.a, baudRate: 115_200 });
  const sim = new VmcSimulator({
    transport: device,
    vendMs: 50,
    unplug: () => pair.stop(),
    ...options.sim,
  });
  await sim.open();
  cleanups.push(() => sim.close());
  const log = recordingLogger();
  const driver = new CashlessDriver({
    transport: kiosk,
    currencyCode: 978,
    mode: options.mode,
    logger: log.logger,
    timeouts: { ...FAST, ...options.timeouts },
  });
  cleanups.push(() => driver.close());
  const events = eventQueue<CashlessNotification>((listener) => driver.subscribe(listener));
  cleanups.push(async () => events.stop());
  await driver.start();
  expect((await events.next()).type).toBe('adapterIdentified');
  expect(await events.next()).toEqual({ type: 'ready' });
  /** The next notification that is not a heartbeat's by-product, within `ms`. */
  const next = (ms = 3_000) => events.next(ms);
  return { pair, sim, driver, events, log, next, kiosk };
}

describe('CashlessDriver over a socat PTY pair', () => {
  it('mode A: a session from payment to vend success', async () => {
    const r = await rig();
    expect(r.sim.settings).toEqual(
      new Map([
        ['mdb-currency-code', '0x1978'],
        ['mdb-always-idle', '0'],
      ]),
    );
    await r.driver.startSession(300);
    expect(await r.next()).toEqual({ type: 'sessionStarted', creditMinor: 300 });
    r.sim.select(3, 150);
    expect(await r.next()).toEqual({
      type: 'vendRequested',
      priceMinor: 150,
      item: 3,
      creditMinor: 300,
    });
    expect(await r.driver.approveVend(150)).toEqual({
      result: 'succeeded',
      priceMinor: 150,
      item: 3,
    });
    expect(await r.next()).toEqual({ type: 'vendSucceeded', priceMinor: 150, item: 3 });
    expect(await r.next()).toEqual({ type: 'sessionEnded', reason: 'vendFinished' });
    expect(r.sim.vends).toEqual([
      { item: 3, priceMinor: 150, approvedMinor: 150, result: 'success' },
    ]);
    expect(r.sim.received.filter((line) => line !== 'V')).toEqual([
      'C,0',
      'C,SETCONF,mdb-currency-code=0x1978',
      'C,SETCONF,mdb-always-idle=0',
      'C,1',
      'C,START,3.00',
      'C,VEND,1.50',
    ]);
  });

  it('mode A: a price above the credit is denied, a vend failure charges nothing, the VMC may cancel', async () => {
    const r = await rig();
    await r.driver.startSession(300);
    await r.next();
    r.sim.select(4, 350);
    expect(await r.next()).toEqual({
      type: 'vendFailed',
      priceMinor: 350,
      item: 4,
      reason: 'exceedsCredit',
    });
    await until(() => r.sim.phase === 'sessionIdle');
    r.sim.failNextVend();
    r.sim.select(3, 150);
    await r.next();
    expect(await r.driver.approveVend(150)).toMatchObject({
      result: 'failed',
      reason: 'vendFailed',
    });
    expect(await r.next()).toMatchObject({ type: 'vendFailed', reason: 'vendFailed' });
    expect(await r.next()).toEqual({ type: 'sessionEnded', reason: 'vendFinished' });
    await r.driver.startSession(300);
    await r.next();
    r.sim.cancel();
    expect(await r.next()).toEqual({ type: 'sessionEnded', reason: 'vmcEnded' });
  });

  it('mode A: START -3 is retried until the VMC takes it', async () => {
    const r = await rig();
    r.sim.refuseStart(3);
    await r.driver.startSession(300);
    expect(r.sim.received.filter((line) => line === 'C,START,3.00')).toHaveLength(4);
  });

  it('mode B: a slow approval within the VMC’s limit vends; one past the kiosk’s limit is denied', async () => {
    const r = await rig({
      mode: 'alwaysIdle',
      sim: { approvalLimitMs: 1_500 },
      timeouts: { alwaysIdleApprovalMs: 800 },
    });
    expect(r.sim.mode).toBe('alwaysIdle');
    r.sim.select(5, 250);
    expect(await r.next()).toEqual({
      type: 'vendRequested',
      priceMinor: 250,
      item: 5,
      creditMinor: null,
    });
    await new Promise((resolve) => setTimeout(resolve, 400)); // the wallet pays
    expect(await r.driver.approveVend(250)).toEqual({
      result: 'succeeded',
      priceMinor: 250,
      item: 5,
    });
    expect(await r.next()).toMatchObject({ type: 'vendSucceeded' });
    expect(await r.next()).toEqual({ type: 'sessionEnded', reason: 'vendFinished' });

    r.sim.select(6, 400);
    await r.next();
    expect(await r.next()).toEqual({
      type: 'vendFailed',
      priceMinor: 400,
      item: 6,
      reason: 'approvalTimeout',
    });
    expect(await r.next()).toEqual({ type: 'sessionEnded', reason: 'vendDenied' });
    await until(() => r.sim.phase === 'enabled');
    expect(r.sim.received.filter((line) => line !== 'V').at(-1)).toBe('C,STOP');
  });

  it('logs garbage, skips it, and the session goes on', async () => {
    const r = await rig();
    await r.driver.startSession(300);
    await r.next();
    r.sim.injectGarbage();
    r.sim.sendLine('c,STATUS,RESET');
    r.sim.select(3, 150);
    expect(await r.next()).toMatchObject({ type: 'vendRequested' });
    const skipped = r.log
      .warnings()
      .filter((entry) => entry['msg'] === 'skipped a line the driver does not understand')
      .map((entry) => entry['line']);
    expect(skipped).toEqual(['\u0000\u00ff\u0013c,\u008fSTA\u0007\u00fe', 'c,STATUS,RESET']);
    await r.driver.denyVend();
  });

  it('finds a silent adapter by its heartbeat', async () => {
    const r = await rig();
    r.sim.setSilent(true);
    const started = Date.now();
    expect(await r.next(4_000)).toEqual({ type: 'adapterSilent' });
    // Quiet for 400 ms, then three unanswered heartbeats 400 ms apart.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
    expect(r.driver.phase).toBe('silent');
  });

  it('reports an unplug mid-session (socat killed), found by the next write', async () => {
    const r = await rig();
    await r.driver.startSession(300);
    await r.next();
    await r.sim.unplug();
    expect(await r.next()).toEqual({ type: 'sessionEnded', reason: 'disconnected' });
    expect(await r.next()).toEqual({ type: 'disconnected', reason: 'unplugged' });
    await until(() => !r.kiosk.isOpen);
    expect(r.driver.phase).toBe('disconnected');
  });
});
