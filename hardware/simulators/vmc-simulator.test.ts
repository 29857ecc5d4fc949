import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LineSplitter } from '../mdb/line-codec.ts';
import { MemoryTransport } from '../transport/memory-transport.ts';
import { VmcSimulator, type VmcSimulatorOptions } from './vmc-simulator.ts';

/** A kiosk end that sends raw commands and collects the simulator's lines. */
async function harness(options: Partial<VmcSimulatorOptions> = {}) {
  const [kiosk, device] = MemoryTransport.pair(['kiosk', 'vmc']);
  const sim = new VmcSimulator({ transport: device, vendMs: 100, ...options });
  await sim.open();
  await kiosk.open();
  const splitter = new LineSplitter();
  const lines: string[] = [];
  const raw: Uint8Array[] = [];
  kiosk.onData((bytes) => {
    raw.push(bytes);
    lines.push(...splitter.push(bytes));
  });
  /** Sends commands and returns the lines that came back (after the simulator's writes). */
  const send = async (...commands: string[]): Promise<string[]> => {
    const before = lines.length;
    for (const command of commands) await kiosk.write(Buffer.from(`${command}\n`));
    await sim.flush();
    return lines.slice(before);
  };
  /** Lines that arrive while fake time moves on. */
  const after = async (ms: number): Promise<string[]> => {
    const before = lines.length;
    await vi.advanceTimersByTimeAsync(ms);
    await sim.flush();
    return lines.slice(before);
  };
  /** Lines a scripted action sends. */
  const doing = async (action: () => void): Promise<string[]> => {
    const before = lines.length;
    action();
    await sim.flush();
    return lines.slice(before);
  };
  return { kiosk, device, sim, lines, raw, send, after, doing };
}

/** Cashless on and a session with 3.00 open. */
async function inSession(options: Partial<VmcSimulatorOptions> = {}) {
  const h = await harness(options);
  await h.send('C,1', 'C,START,3.00');
  return h;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('VmcSimulator: the adapter', () => {
  it('answers V with its version', async () => {
    const { send } = await harness();
    expect(await send('V')).toEqual(['v,4.0.2.0,SIM']);
  });

  it('turns cashless on through INACTIVE, DISABLED, ENABLED, and refuses it twice', async () => {
    const { send, sim } = await harness();
    expect(await send('C,1')).toEqual([
      'c,STATUS,INACTIVE',
      'c,STATUS,DISABLED',
      'c,STATUS,ENABLED',
    ]);
    expect(sim.phase).toBe('enabled');
    expect(await send('C,1')).toEqual(['c,ERR,"cashless is on"']);
  });

  it('takes SETCONF only while off, and mdb-always-idle switches the mode', async () => {
    const { send, sim } = await harness();
    expect(await send('C,SETCONF,mdb-currency-code=0x1978', 'C,SETCONF,mdb-always-idle=1')).toEqual(
      ['c,SET,OK', 'c,SET,OK'],
    );
    expect(sim.settings.get('mdb-currency-code')).toBe('0x1978');
    expect(sim.mode).toBe('alwaysIdle');
    await send('C,1');
    expect(await send('C,SETCONF,mdb-always-idle=0')).toEqual(['c,ERR,"cashless is on"']);
    expect(await send('C,0', 'C,SETCONF,mdb-always-idle=0')).toEqual(['c,SET,OK']);
    expect(sim.mode).toBe('creditFirst');
  });

  it('sends every line with CR LF', async () => {
    const { send, raw } = await harness();
    await send('V');
    expect(Buffer.concat(raw).toString('latin1')).toBe('v,4.0.2.0,SIM\r\n');
  });
});

describe('VmcSimulator: a credit-first session', () => {
  it('opens a session, asks for a vend, and vends after vendMs', async () => {
    const h = await harness();
    await h.send('C,1');
    expect(await h.send('C,START,3.00')).toEqual(['c,STATUS,IDLE,3.00']);
    expect(await h.doing(() => h.sim.select(3, 150))).toEqual(['c,STATUS,VEND,1.50,3']);
    expect(await h.send('C,VEND,1.50')).toEqual([]);
    expect(await h.after(99)).toEqual([]);
    expect(await h.after(1)).toEqual(['c,VEND,SUCCESS', 'c,STATUS,IDLE,1.50', 'c,STATUS,ENABLED']);
    expect(h.sim.vends).toEqual([
      { item: 3, priceMinor: 150, approvedMinor: 150, result: 'success' },
    ]);
    expect(h.sim.phase).toBe('enabled');
  });

  it('returns to session idle on a denial', async () => {
    const h = await inSession();
    await h.doing(() => h.sim.select(3, 150));
    expect(await h.send('C,VEND,-1')).toEqual(['c,STATUS,IDLE,3.00']);
    expect(h.sim.phase).toBe('sessionIdle');
  });

  it('ends the session on C,STOP', async () => {
    const h = await inSession();
    expect(await h.send('C,STOP')).toEqual(['c,STATUS,ENABLED']);
    expect(h.sim.phase).toBe('enabled');
  });

  it('fails the next vend when asked to', async () => {
    const h = await inSession();
    h.sim.failNextVend();
    await h.doing(() => h.sim.select(3, 150));
    await h.send('C,VEND,1.50');
    expect(await h.after(100)).toEqual([
      'c,ERR,"VEND 3"',
      'c,STATUS,IDLE,3.00',
      'c,STATUS,ENABLED',
    ]);
    expect(h.sim.vends[0]?.result).toBe('failure');
  });

  it('fails a vend approved below the price', async () => {
    const h = await inSession();
    await h.doing(() => h.sim.select(3, 150));
    await h.send('C,VEND,1.00');
    expect((await h.after(100))[0]).toBe('c,ERR,"VEND 3"');
  });

  it('gives up on a slow approval (VEND 1) and refuses the late one (VEND -3)', async () => {
    const h = await inSession({ approvalLimitMs: 1_000 });
    await h.doing(() => h.sim.select(3, 150));
    expect(await h.after(999)).toEqual([]);
    expect(await h.after(1)).toEqual(['c,ERR,"VEND 1"']);
    expect(h.sim.phase).toBe('sessionIdle');
    expect(await h.send('C,VEND,1.50')).toEqual(['c,ERR,"VEND -3"']);
  });

  it('refuses the first N starts with START -3', async () => {
    const h = await harness();
    await h.send('C,1');
    h.sim.refuseStart(2);
    expect(await h.send('C,START,3.00', 'C,START,3.00', 'C,START,3.00')).toEqual([
      'c,ERR,"START -3"',
      'c,ERR,"START -3"',
      'c,STATUS,IDLE,3.00',
    ]);
  });

  it('refuses a start before cashless is on', async () => {
    const h = await harness();
    expect(await h.send('C,START,3.00')).toEqual(['c,ERR,"START -3"']);
  });

  it('lets the consumer cancel a session or a vend request', async () => {
    const h = await inSession();
    await h.doing(() => h.sim.select(3, 150));
    expect(await h.doing(() => h.sim.cancel())).toEqual(['c,ERR,"VEND 1"']);
    expect(await h.doing(() => h.sim.cancel())).toEqual(['c,STATUS,ENABLED']);
    expect(() => h.sim.cancel()).toThrow(/nothing to cancel in phase 'enabled'/);
  });

  it('refuses a selection with no session, naming the phase', async () => {
    const h = await harness();
    await h.send('C,1');
    expect(() => h.sim.select(3, 150)).toThrow(/cannot select in phase 'enabled'/);
  });

  it('a VMC reset drops the session and enables the reader again', async () => {
    const h = await inSession();
    expect(await h.doing(() => h.sim.resetVmc())).toEqual([
      'c,ERR,"VEND 5"',
      'c,STATUS,INACTIVE',
      'c,STATUS,DISABLED',
      'c,STATUS,ENABLED',
    ]);
    expect(h.sim.phase).toBe('enabled');
    expect(h.sim.fundsMinor).toBeNull();
  });
});

describe('VmcSimulator: always idle (mode B)', () => {
  it('asks for a vend before any payment and vends on approval', async () => {
    const h = await harness({ mode: 'alwaysIdle' });
    await h.send('C,1');
    expect(await h.doing(() => h.sim.select(5, 250))).toEqual(['c,STATUS,VEND,2.50,5']);
    await h.send('C,VEND,2.50');
    expect(await h.after(100)).toEqual(['c,VEND,SUCCESS', 'c,STATUS,IDLE', 'c,STATUS,ENABLED']);
  });

  it('ends the request on C,STOP and goes back to enabled after VEND 1', async () => {
    const h = await harness({ mode: 'alwaysIdle', approvalLimitMs: 500 });
    await h.send('C,1');
    await h.doing(() => h.sim.select(5, 250));
    expect(await h.send('C,STOP')).toEqual(['c,STATUS,ENABLED']);
    await h.doing(() => h.sim.select(5, 250));
    expect(await h.after(500)).toEqual(['c,ERR,"VEND 1"']);
    expect(h.sim.phase).toBe('enabled');
  });
});

describe('VmcSimulator: faults', () => {
  it('says nothing at all while silent, not even to V', async () => {
    const h = await harness();
    h.sim.setSilent(true);
    expect(await h.send('V', 'C,1')).toEqual([]);
    expect(h.sim.received).toEqual(['V', 'C,1']);
    h.sim.setSilent(false);
    expect(await h.send('V')).toEqual(['v,4.0.2.0,SIM']);
  });

  it('sends garbage as raw bytes', async () => {
    const h = await harness();
    await h.doing(() => h.sim.injectGarbage());
    expect(h.lines).toEqual(['\u0000\u00ff\u0013c,\u008fSTA\u0007\u00fe']);
    await h.doing(() => h.sim.injectGarbage('@@@\r\n'));
    expect(h.lines.at(-1)).toBe('@@@');
  });

  it('sends any line a script asks for', async () => {
    const h = await harness();
    expect(await h.doing(() => h.sim.sendLine('c,STATUS,ONLINE'))).toEqual(['c,STATUS,ONLINE']);
  });

  it('answers an unknown command with an error', async () => {
    const h = await harness();
    expect(await h.send('C,BOGUS')).toEqual(['c,ERR,"unknown command"']);
  });

  it('unplugs by closing its transport, or as told', async () => {
    const h = await inSession();
    await h.sim.unplug();
    expect(h.device.isOpen).toBe(false);
    const unplug = vi.fn();
    const [, device] = MemoryTransport.pair();
    const sim = new VmcSimulator({ transport: device, unplug });
    await sim.open();
    await sim.unplug();
    expect(unplug).toHaveBeenCalledOnce();
    expect(device.isOpen).toBe(true);
    await sim.close();
  });

  it('names a bad option', () => {
    const [, device] = MemoryTransport.pair();
    expect(() => new VmcSimulator({ transport: device, vendMs: -1 })).toThrow(/vendMs/);
    expect(() => new VmcSimulator({ transport: device, mode: 'b' as never })).toThrow(/mode/);
  });
});
