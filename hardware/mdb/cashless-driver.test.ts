// The driver against the VMC simulator over a memory pair, on fake timers: every timeout of the
// spec runs at its real length in no time. The same scenarios over a real socat PTY pair are in
// cashless-driver.pty.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eventQueue } from '../testing/event-queue.ts';
import { recordingLogger } from '../testing/log-recorder.ts';
import { MemoryTransport } from '../transport/memory-transport.ts';
import { DisconnectedError } from '../transport/transport.ts';
import { VmcSimulator, type VmcSimulatorOptions } from '../simulators/vmc-simulator.ts';
import { CashlessDriver, CashlessError, type TimerApi } from './cashless-driver.ts';
import type { CashlessNotification, SessionMode } from './cashless-session.ts';
import { RefusedTransitionError } from './refused-transition.ts';

interface RigOptions {
  mode?: SessionMode;
  sim?: Partial<VmcSimulatorOptions>;
  /** Leave the driver unstarted. */
  noStart?: boolean;
}

async function rig(options: RigOptions = {}) {
  const [kiosk, device] = MemoryTransport.pair(['kiosk', 'vmc']);
  const sim = new VmcSimulator({ transport: device, vendMs: 100, ...options.sim });
  await sim.open();
  const log = recordingLogger();
  const driver = new CashlessDriver({
    transport: kiosk,
    currencyCode: 978,
    mode: options.mode,
    logger: log.logger,
  });
  const events = eventQueue<CashlessNotification>((listener) => driver.subscribe(listener));
  const sent: string[] = [];
  const heard: string[] = [];
  driver.onTraffic(({ direction, line }) => (direction === 'out' ? sent : heard).push(line));
  if (!options.noStart) {
    await driver.start();
    expect(await events.next()).toMatchObject({ type: 'adapterIdentified', version: '4.0.2.0' });
    expect(await events.next()).toEqual({ type: 'ready' });
  }
  /** Lets the memory pair deliver everything in flight (it uses microtasks only). */
  const settle = () => vi.advanceTimersByTimeAsync(0);
  const count = (command: string) => sim.received.filter((line) => line === command).length;
  /** The last command other than a heartbeat `V`. */
  const lastCommand = () => sent.filter((line) => line !== 'V').at(-1);
  return { kiosk, device, sim, driver, events, log, sent, heard, settle, count, lastCommand };
}

type Rig = Awaited<ReturnType<typeof rig>>;

/** Mode A up to a vend request for item 3 at 1.50 with 3.00 of credit. */
async function vendRequested(r: Rig): Promise<void> {
  await r.driver.startSession(300);
  expect(await r.events.next()).toEqual({ type: 'sessionStarted', creditMinor: 300 });
  r.sim.select(3, 150);
  expect(await r.events.next()).toEqual({
    type: 'vendRequested',
    priceMinor: 150,
    item: 3,
    creditMinor: 300,
  });
}

const rigs: Rig[] = [];
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(async () => {
  for (const r of rigs.splice(0)) {
    await r.driver.close();
    await r.sim.close();
    r.events.stop();
  }
  vi.useRealTimers();
});
async function tracked(options?: RigOptions): Promise<Rig> {
  const r = await rig(options);
  rigs.push(r);
  return r;
}

describe('CashlessDriver, mode A (credit first)', () => {
  it('runs a session end to end: configure, start, vend, success, session over', async () => {
    const r = await tracked();
    await vendRequested(r);
    const outcome = r.driver.approveVend(150);
    await vi.advanceTimersByTimeAsync(100);
    expect(await outcome).toEqual({ result: 'succeeded', priceMinor: 150, item: 3 });
    expect(await r.events.next()).toEqual({ type: 'vendSucceeded', priceMinor: 150, item: 3 });
    expect(await r.events.next()).toEqual({ type: 'sessionEnded', reason: 'vendFinished' });
    expect(r.sent).toEqual([
      'V',
      'C,0',
      'C,SETCONF,mdb-currency-code=0x1978',
      'C,SETCONF,mdb-always-idle=0',
      'C,1',
      'C,START,3.00',
      'C,VEND,1.50',
    ]);
    expect(r.sim.vends).toEqual([
      { item: 3, priceMinor: 150, approvedMinor: 150, result: 'success' },
    ]);
    expect(r.driver.phase).toBe('enabled');
    expect(r.driver.state.adapter).toEqual({ version: '4.0.2.0', cpuId: 'SIM' });
  });

  it('approves from inside the vendRequested listener, in order, with no late denial', async () => {
    const r = await tracked();
    let approval: Promise<unknown> | undefined;
    r.driver.subscribe((n) => {
      if (n.type === 'vendRequested') approval = r.driver.approveVend(n.priceMinor);
    });
    await vendRequested(r);
    await vi.advanceTimersByTimeAsync(100);
    expect(await approval).toMatchObject({ result: 'succeeded' });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(r.events.all.map((n) => n.type)).toEqual([
      'adapterIdentified',
      'ready',
      'sessionStarted',
      'vendRequested',
      'vendSucceeded',
      'sessionEnded',
    ]);
    expect(r.sent).not.toContain('C,VEND,-1');
  });

  it('a listener that answers at once does not make later listeners hear things out of order', async () => {
    const r = await tracked();
    let denial: Promise<void> | undefined;
    r.driver.subscribe((n) => {
      if (n.type === 'vendRequested') denial = r.driver.denyVend();
    });
    const order: string[] = [];
    r.driver.subscribe((n) => order.push(n.type));
    await r.driver.startSession(300);
    r.sim.select(3, 150);
    await r.settle();
    await denial;
    expect(order).toEqual(['sessionStarted', 'vendRequested', 'vendFailed']);
  });

  it('approves within the 1 s limit, and denies once it has passed', async () => {
    const r = await tracked();
    await vendRequested(r);
    await vi.advanceTimersByTimeAsync(999);
    const outcome = r.driver.approveVend(150);
    await vi.advanceTimersByTimeAsync(100);
    expect(await outcome).toMatchObject({ result: 'succeeded' });
    expect(await r.events.next()).toMatchObject({ type: 'vendSucceeded' });
    expect(await r.events.next()).toMatchObject({ type: 'sessionEnded' });

    await vendRequested(r);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(r.lastCommand()).toBe('C,VEND,-1');
    expect(r.events.all.at(-1)).toEqual({
      type: 'vendFailed',
      priceMinor: 150,
      item: 3,
      reason: 'approvalTimeout',
    });
    await expect(r.driver.approveVend(150)).rejects.toThrow(RefusedTransitionError);
    expect(r.sim.phase).toBe('sessionIdle');
  });

  it('denies a price above the credit at once, and the session goes on', async () => {
    const r = await tracked();
    await r.driver.startSession(300);
    await r.events.next();
    r.sim.select(4, 350);
    expect(await r.events.next()).toEqual({
      type: 'vendFailed',
      priceMinor: 350,
      item: 4,
      reason: 'exceedsCredit',
    });
    await r.settle();
    expect(r.lastCommand()).toBe('C,VEND,-1');
    expect(r.sim.phase).toBe('sessionIdle');
    r.sim.select(3, 150);
    expect(await r.events.next()).toMatchObject({ type: 'vendRequested', priceMinor: 150 });
  });

  it('denies on the kiosk’s word', async () => {
    const r = await tracked();
    await vendRequested(r);
    await r.driver.denyVend();
    expect(await r.events.next()).toMatchObject({ type: 'vendFailed', reason: 'denied' });
    await r.settle();
    expect(r.sim.received.at(-1)).toBe('C,VEND,-1');
    expect(r.sim.phase).toBe('sessionIdle');
  });

  it('reports a vend failure and ends the session without a charge', async () => {
    const r = await tracked();
    r.sim.failNextVend();
    await vendRequested(r);
    const outcome = r.driver.approveVend(150);
    await vi.advanceTimersByTimeAsync(100);
    expect(await outcome).toEqual({
      result: 'failed',
      priceMinor: 150,
      item: 3,
      reason: 'vendFailed',
    });
    expect(await r.events.next()).toMatchObject({ type: 'vendFailed', reason: 'vendFailed' });
    expect(await r.events.next()).toEqual({ type: 'sessionEnded', reason: 'vendFinished' });
    expect(r.sim.vends[0]?.result).toBe('failure');
  });

  it('follows the VMC cancelling a vend request, then the session', async () => {
    const r = await tracked();
    await vendRequested(r);
    r.sim.cancel();
    expect(await r.events.next()).toMatchObject({ type: 'vendFailed', reason: 'vmcCancelled' });
    expect(r.driver.phase).toBe('sessionIdle');
    await expect(r.driver.approveVend(150)).rejects.toThrow(
      "'approveVend' does not apply in phase 'sessionIdle'",
    );
    r.sim.cancel();
    expect(await r.events.next()).toEqual({ type: 'sessionEnded', reason: 'vmcEnded' });
    expect(r.driver.phase).toBe('enabled');
  });

  it('ends the session when the consumer cancels before choosing', async () => {
    const r = await tracked();
    await r.driver.startSession(300);
    expect(await r.driver.endSession()).toBe('kioskStopped');
    expect(r.lastCommand()).toBe('C,STOP');
    expect(r.sim.phase).toBe('enabled');
  });

  it('stops the session after 90 s without a selection', async () => {
    const r = await tracked();
    await r.driver.startSession(300);
    await vi.advanceTimersByTimeAsync(89_999);
    expect(r.lastCommand()).toBe('C,START,3.00');
    await vi.advanceTimersByTimeAsync(1);
    expect(r.lastCommand()).toBe('C,STOP');
    await r.settle();
    expect(r.events.all.at(-1)).toEqual({ type: 'sessionEnded', reason: 'selectionTimeout' });
  });

  it('retries START -3 every 500 ms until the VMC takes it', async () => {
    const r = await tracked();
    r.sim.refuseStart(3);
    const started = r.driver.startSession(300);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(r.count('C,START,3.00')).toBe(3);
    await vi.advanceTimersByTimeAsync(500);
    await started;
    expect(r.count('C,START,3.00')).toBe(4);
    expect(r.driver.phase).toBe('sessionIdle');
  });

  it('gives up on START -3 after 10 s', async () => {
    const r = await tracked();
    r.sim.refuseStart(1_000);
    const started = r.driver.startSession(300);
    const refused = expect(started).rejects.toMatchObject({
      name: 'CashlessError',
      reason: 'startRefused',
    });
    await vi.advanceTimersByTimeAsync(10_000);
    await refused;
    expect(r.count('C,START,3.00')).toBe(21);
    expect(r.driver.phase).toBe('enabled');
  });

  it('marks a vend unconfirmed after 60 s without a result, and stops', async () => {
    const r = await tracked();
    r.sim.setVendMs(120_000);
    await vendRequested(r);
    const outcome = r.driver.approveVend(150);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await outcome).toMatchObject({ result: 'failed', reason: 'unconfirmed' });
    expect(r.lastCommand()).toBe('C,STOP');
    expect(
      r.log.entries().some((e) => e['msg'] === 'no vend result in time: the vend is unconfirmed'),
    ).toBe(true);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(r.events.all.at(-1)).toEqual({ type: 'sessionEnded', reason: 'vendFinished' });
  });

  it('follows a VMC reset in the middle of a session', async () => {
    const r = await tracked();
    await r.driver.startSession(300);
    await r.events.next();
    r.sim.resetVmc();
    await r.settle();
    expect(r.events.all.slice(-3)).toEqual([
      { type: 'sessionEnded', reason: 'vmcReset' },
      { type: 'vmcReset' },
      { type: 'ready' },
    ]);
    await r.driver.startSession(200);
    expect(r.sim.fundsMinor).toBe(200);
  });
});

describe('CashlessDriver, mode B (always idle)', () => {
  it('configures always-idle and approves a selection once paid', async () => {
    const r = await tracked({ mode: 'alwaysIdle' });
    expect(r.sent).toContain('C,SETCONF,mdb-always-idle=1');
    expect(r.sim.mode).toBe('alwaysIdle');
    r.sim.select(5, 250);
    expect(await r.events.next()).toEqual({
      type: 'vendRequested',
      priceMinor: 250,
      item: 5,
      creditMinor: null,
    });
    await vi.advanceTimersByTimeAsync(20_000); // the consumer pays in the wallet
    const outcome = r.driver.approveVend(250);
    await vi.advanceTimersByTimeAsync(100);
    expect(await outcome).toEqual({ result: 'succeeded', priceMinor: 250, item: 5 });
    expect(await r.events.next()).toMatchObject({ type: 'vendSucceeded' });
    expect(await r.events.next()).toEqual({ type: 'sessionEnded', reason: 'vendFinished' });
    expect(r.sent).not.toContain('C,START,2.50');
  });

  it('denies with C,STOP before the VMC gives up when the payment does not complete', async () => {
    const r = await tracked({ mode: 'alwaysIdle', sim: { approvalLimitMs: 30_000 } });
    r.sim.select(5, 250);
    await r.events.next();
    await vi.advanceTimersByTimeAsync(25_000);
    expect(r.lastCommand()).toBe('C,STOP');
    expect(r.events.all.slice(-2)).toEqual([
      { type: 'vendFailed', priceMinor: 250, item: 5, reason: 'approvalTimeout' },
      { type: 'sessionEnded', reason: 'vendDenied' },
    ]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(r.heard).not.toContain('c,ERR,"VEND 1"');
    expect(r.sim.phase).toBe('enabled');
  });

  it('reports a VMC that gave up first, and refuses the late approval', async () => {
    const r = await tracked({ mode: 'alwaysIdle', sim: { approvalLimitMs: 10_000 } });
    r.sim.select(5, 250);
    await r.events.next();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(r.events.all.slice(-2)).toEqual([
      { type: 'vendFailed', priceMinor: 250, item: 5, reason: 'vmcCancelled' },
      { type: 'sessionEnded', reason: 'vmcEnded' },
    ]);
    await expect(r.driver.approveVend(250)).rejects.toThrow(
      "'approveVend' does not apply in phase 'enabled'",
    );
    expect(r.sent).not.toContain('C,VEND,2.50');
  });

  it('refuses startSession, naming the mode', async () => {
    const r = await tracked({ mode: 'alwaysIdle' });
    await expect(r.driver.startSession(300)).rejects.toThrow(/creditFirst/);
  });
});

describe('CashlessDriver, faults', () => {
  it('logs garbage and unknown lines, skips them, and carries on', async () => {
    const r = await tracked();
    await r.driver.startSession(300);
    await r.events.next();
    r.sim.injectGarbage();
    r.sim.sendLine('c,STATUS,RESET');
    r.sim.sendLine('c,STATUS,VEND,1.5x,3');
    await r.settle();
    const skipped = r.log
      .warnings()
      .filter((e) => e['msg'] === 'skipped a line the driver does not understand');
    expect(skipped.map((e) => e['line'])).toEqual([
      '\u0000\u00ff\u0013c,\u008fSTA\u0007\u00fe',
      'c,STATUS,RESET',
      'c,STATUS,VEND,1.5x,3',
    ]);
    expect(r.heard).toContain('c,STATUS,RESET');
    expect(r.driver.phase).toBe('sessionIdle');
    r.sim.select(3, 150);
    expect(await r.events.next()).toMatchObject({ type: 'vendRequested', priceMinor: 150 });
  });

  it('finds a silent adapter by its heartbeat: V every 15 s, silent after 3 misses', async () => {
    const r = await tracked();
    await r.driver.startSession(300);
    await r.events.next();
    r.sim.setSilent(true);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(r.sent.at(-1)).toBe('V');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(r.count('V')).toBe(4); // start-up + 3 heartbeats
    expect(r.driver.phase).toBe('sessionIdle');
    await vi.advanceTimersByTimeAsync(15_000);
    expect(r.events.all.slice(-2)).toEqual([
      { type: 'sessionEnded', reason: 'adapterSilent' },
      { type: 'adapterSilent' },
    ]);
    expect(r.driver.phase).toBe('silent');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(r.count('V')).toBe(4);
  });

  it('keeps quiet while the adapter talks, and restarts after being silent', async () => {
    const r = await tracked();
    r.sim.setSilent(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(r.driver.phase).toBe('silent');
    r.sim.setSilent(false);
    await r.driver.start();
    expect(r.driver.phase).toBe('enabled');
    await vi.advanceTimersByTimeAsync(14_999);
    expect(r.sent.at(-1)).toBe('C,1');
  });

  it('reports an unplug mid-vend: the vend fails, the session ends, the link is gone', async () => {
    const r = await tracked();
    await vendRequested(r);
    const outcome = r.driver.approveVend(150);
    await r.settle();
    r.kiosk.unplug();
    expect(await outcome).toEqual({
      result: 'failed',
      priceMinor: 150,
      item: 3,
      reason: 'disconnected',
    });
    expect(r.events.all.slice(-3)).toEqual([
      { type: 'vendFailed', priceMinor: 150, item: 3, reason: 'disconnected' },
      { type: 'sessionEnded', reason: 'disconnected' },
      { type: 'disconnected', reason: 'unplugged' },
    ]);
    expect(r.driver.phase).toBe('disconnected');
  });

  it('reports a failed write even when the transport does not close itself', async () => {
    const [kiosk, device] = MemoryTransport.pair();
    const sim = new VmcSimulator({ transport: device });
    await sim.open();
    const driver = new CashlessDriver({ transport: kiosk, currencyCode: 978 });
    const events = eventQueue<CashlessNotification>((listener) => driver.subscribe(listener));
    await driver.start();
    // A port whose writes fail while it still claims to be open.
    vi.spyOn(kiosk, 'write').mockRejectedValue(new DisconnectedError('EIO'));
    await vi.advanceTimersByTimeAsync(15_000);
    expect(events.all.at(-1)).toEqual({ type: 'disconnected', reason: 'unplugged' });
    expect(kiosk.isOpen).toBe(false);
    events.stop();
    await driver.close();
    await sim.close();
  });

  it('finds a vanished PTY-like device only by writing: on the next heartbeat', async () => {
    const r = await tracked();
    await r.driver.startSession(300);
    r.device.unplug({ detect: 'on-write' });
    await vi.advanceTimersByTimeAsync(14_999);
    expect(r.driver.phase).toBe('sessionIdle');
    await vi.advanceTimersByTimeAsync(1);
    await r.settle();
    expect(r.events.all.slice(-2)).toEqual([
      { type: 'sessionEnded', reason: 'disconnected' },
      { type: 'disconnected', reason: 'unplugged' },
    ]);
  });

  it('rejects start() when the adapter does not answer V', async () => {
    const r = await tracked({ noStart: true });
    r.sim.setSilent(true);
    const start = r.driver.start();
    const failed = expect(start).rejects.toThrow(
      new CashlessError('noReply', 'the adapter did not answer V'),
    );
    await vi.advanceTimersByTimeAsync(2_000);
    await failed;
    expect(r.driver.phase).toBe('faulted');
  });

  it('rejects start() when the link is gone', async () => {
    const r = await tracked({ noStart: true });
    r.kiosk.unplug();
    await expect(r.driver.start()).rejects.toThrow(/no such device/);
  });

  it('refuses commands that do not fit, naming the phase', async () => {
    const r = await tracked();
    await expect(r.driver.approveVend(100)).rejects.toThrow(RefusedTransitionError);
    await expect(r.driver.denyVend()).rejects.toThrow(
      "'denyVend' does not apply in phase 'enabled'",
    );
    await expect(r.driver.start()).rejects.toThrow("'start' does not apply in phase 'enabled'");
    expect(await r.driver.endSession()).toBe('kioskStopped');
  });

  it('close() stops the open session, fails what waits, and closes the transport', async () => {
    const r = await tracked({ mode: 'alwaysIdle' });
    r.sim.select(5, 250);
    await r.events.next();
    await r.driver.close();
    expect(r.sim.received.at(-1)).toBe('C,STOP');
    expect(r.events.all.slice(-2)).toEqual([
      { type: 'vendFailed', priceMinor: 250, item: 5, reason: 'shutdown' },
      { type: 'sessionEnded', reason: 'shutdown' },
    ]);
    expect(r.kiosk.isOpen).toBe(false);
    expect(r.driver.phase).toBe('off');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(r.events.all.at(-1)).toEqual({ type: 'sessionEnded', reason: 'shutdown' });
  });

  it('close() fails a start() still waiting', async () => {
    const r = await tracked({ noStart: true });
    r.sim.setSilent(true);
    const start = r.driver.start();
    const closed = expect(start).rejects.toMatchObject({ reason: 'closed' });
    await r.settle();
    await r.driver.close();
    await closed;
  });
});

describe('CashlessDriver, injected timers', () => {
  it('arms its timers through the injected API and acts when they fire', async () => {
    const [kiosk, device] = MemoryTransport.pair();
    await device.open();
    const armed: { ms: number; fire: () => void; cleared: boolean }[] = [];
    const timers: TimerApi = {
      setTimeout: (fire, ms) => {
        const handle = { ms, fire, cleared: false };
        armed.push(handle);
        return handle;
      },
      clearTimeout: (handle) => {
        (handle as { cleared: boolean }).cleared = true;
      },
    };
    const driver = new CashlessDriver({ transport: kiosk, currencyCode: 554, timers });
    const start = driver.start();
    const failed = expect(start).rejects.toMatchObject({ reason: 'noReply' });
    await Promise.resolve();
    await Promise.resolve();
    expect(armed.map((t) => t.ms)).toEqual([2_000, 15_000]);
    armed[0]?.fire();
    await failed;
    expect(armed.every((t) => t.cleared || t === armed[0])).toBe(true);
    await driver.close();
    await device.close();
  });
});
