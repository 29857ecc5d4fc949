import { describe, expect, it } from 'vitest';
import {
  cashlessConfig,
  configSettings,
  initialCashlessState,
  isSessionOpen,
  KIOSK_COMMAND_PHASES,
  transitionCashless,
  type CashlessConfig,
  type CashlessEffect,
  type CashlessEvent,
  type CashlessNotification,
  type CashlessPhase,
  type CashlessState,
  type CashlessTimer,
} from './cashless-session.ts';
import { parseAdapterLine } from './qibixx-lines.ts';
import { RefusedTransitionError } from './refused-transition.ts';

const A = cashlessConfig({ currencyCode: 978 });
const B = cashlessConfig({ mode: 'alwaysIdle', currencyCode: 978 });

const line = (text: string): CashlessEvent => ({ type: 'line', line: parseAdapterLine(text) });
const timer = (name: CashlessTimer): CashlessEvent => ({ type: 'timerFired', timer: name });

/** Runs events in order; returns the last state and every effect. */
function run(config: CashlessConfig, state: CashlessState, ...events: CashlessEvent[]) {
  const effects: CashlessEffect[] = [];
  for (const event of events) {
    const next = transitionCashless(config, state, event);
    state = next.state;
    effects.push(...next.effects);
  }
  return { state, effects };
}

const sent = (effects: CashlessEffect[]): string[] =>
  effects.flatMap((e) => (e.type === 'send' ? [e.command] : []));
const notified = (effects: CashlessEffect[]): CashlessNotification[] =>
  effects.flatMap((e) => (e.type === 'notify' ? [e.notification] : []));
const started = (effects: CashlessEffect[]): Partial<Record<CashlessTimer, number>> =>
  Object.fromEntries(effects.flatMap((e) => (e.type === 'startTimer' ? [[e.timer, e.ms]] : [])));
const stopped = (effects: CashlessEffect[]): CashlessTimer[] =>
  effects.flatMap((e) => (e.type === 'stopTimer' ? [e.timer] : []));
const logged = (effects: CashlessEffect[], level: string): string[] =>
  effects.flatMap((e) => (e.type === 'log' && e.level === level ? [e.message] : []));
const stopsAll = (effects: CashlessEffect[]): boolean =>
  effects.some((e) => e.type === 'stopAllTimers');

const common = { heartbeat: { outstanding: false, misses: 0 }, adapter: null };

/** One state per phase, mode A (mode B's vend phases have no credit). */
function sample(phase: CashlessPhase, config: CashlessConfig = A): CashlessState {
  const credit = config.mode === 'creditFirst' ? 300 : null;
  switch (phase) {
    case 'off':
      return initialCashlessState();
    case 'identifying':
    case 'enabling':
    case 'enabled':
    case 'silent':
      return { ...common, phase };
    case 'configuring':
      return { ...common, phase, remaining: configSettings(config) };
    case 'waitingForVmc':
      return { ...common, phase, status: 'disabled' };
    case 'starting':
      return { ...common, phase, creditMinor: 300, retriesLeft: 20 };
    case 'sessionIdle':
      return { ...common, phase, creditMinor: 300 };
    case 'vendRequested':
    case 'vending':
      return { ...common, phase, creditMinor: credit, priceMinor: 150, item: 7 };
    case 'ending':
      return { ...common, phase, reason: 'vendFinished', stopSent: false };
    case 'faulted':
      return { ...common, phase, command: 'V' };
    case 'disconnected':
      return { ...common, phase, reason: 'unplugged' };
  }
}

const ALL_PHASES: CashlessPhase[] = [
  'off',
  'identifying',
  'configuring',
  'enabling',
  'waitingForVmc',
  'enabled',
  'starting',
  'sessionIdle',
  'vendRequested',
  'vending',
  'ending',
  'silent',
  'faulted',
  'disconnected',
];

describe('cashlessConfig', () => {
  it('applies the spec defaults', () => {
    expect(A.mode).toBe('creditFirst');
    expect(A.decimals).toBe(2);
    expect(A.timeouts).toEqual({
      replyMs: 2_000,
      selectionMs: 90_000,
      creditFirstApprovalMs: 1_000,
      alwaysIdleApprovalMs: 25_000,
      vendResultMs: 60_000,
      heartbeatMs: 15_000,
      heartbeatMisses: 3,
      startRetryMs: 500,
      startRetryForMs: 10_000,
    });
  });

  it('names a bad option', () => {
    expect(() => cashlessConfig({ currencyCode: 9780 })).toThrow(/currencyCode/);
    expect(() => cashlessConfig({ currencyCode: 978, decimals: 1.5 })).toThrow(/decimals/);
    expect(() => cashlessConfig({ currencyCode: 978, timeouts: { replyMs: 0 } })).toThrow(
      /timeouts\.replyMs/,
    );
    expect(() => cashlessConfig({ currencyCode: 978, mode: 'b' as never })).toThrow(/mode/);
    expect(() => cashlessConfig({ currencyCode: 978, vmcTimeoutSeconds: -1 })).toThrow(
      /vmcTimeoutSeconds/,
    );
  });

  it('lists the SETCONF settings for each mode', () => {
    expect(configSettings(A)).toEqual([
      'C,SETCONF,mdb-currency-code=0x1978',
      'C,SETCONF,mdb-always-idle=0',
    ]);
    expect(
      configSettings(
        cashlessConfig({ mode: 'alwaysIdle', currencyCode: 36, vmcTimeoutSeconds: 30 }),
      ),
    ).toEqual([
      'C,SETCONF,mdb-currency-code=0x1036',
      'C,SETCONF,mdb-always-idle=1',
      'C,SETCONF,mdb-timeout=30',
    ]);
  });
});

describe('start-up', () => {
  it('identifies, configures while off, turns cashless on and waits for ENABLED', () => {
    let step = run(A, initialCashlessState(), { type: 'start' });
    expect(step.state.phase).toBe('identifying');
    expect(sent(step.effects)).toEqual(['V']);
    expect(started(step.effects)).toEqual({ reply: 2_000, heartbeat: 15_000 });

    step = run(A, step.state, line('v,4.0.2.0,ABC123'));
    expect(step.state).toMatchObject({
      phase: 'configuring',
      adapter: { version: '4.0.2.0', cpuId: 'ABC123' },
    });
    expect(notified(step.effects)).toEqual([
      { type: 'adapterIdentified', version: '4.0.2.0', cpuId: 'ABC123' },
    ]);
    expect(sent(step.effects)).toEqual(['C,0', 'C,SETCONF,mdb-currency-code=0x1978']);

    step = run(A, step.state, line('c,SET,OK'));
    expect(sent(step.effects)).toEqual(['C,SETCONF,mdb-always-idle=0']);
    expect(started(step.effects).reply).toBe(2_000);

    step = run(A, step.state, line('c,SET,OK'));
    expect(step.state.phase).toBe('enabling');
    expect(sent(step.effects)).toEqual(['C,1']);

    step = run(A, step.state, line('c,STATUS,INACTIVE'));
    expect(step.state).toMatchObject({ phase: 'waitingForVmc', status: 'inactive' });
    expect(stopped(step.effects)).toContain('reply');

    step = run(A, step.state, line('c,STATUS,DISABLED'));
    expect(step.state).toMatchObject({ phase: 'waitingForVmc', status: 'disabled' });
    expect(notified(step.effects)).toEqual([]);

    step = run(A, step.state, line('c,STATUS,ENABLED'));
    expect(step.state.phase).toBe('enabled');
    expect(notified(step.effects)).toEqual([{ type: 'ready' }]);
  });

  it('configures always-idle for mode B', () => {
    const step = run(B, sample('identifying', B), line('v,1,2'), line('c,SET,OK'));
    expect(sent(step.effects).at(-1)).toBe('C,SETCONF,mdb-always-idle=1');
  });

  it('goes straight to enabled when ENABLED is the first reply to C,1', () => {
    const step = run(A, sample('enabling'), line('c,STATUS,ENABLED'));
    expect(step.state.phase).toBe('enabled');
    expect(notified(step.effects)).toEqual([{ type: 'ready' }]);
  });

  it.each(['c,1', 'c,STATUS,ONLINE', 'c,ERR,"cashless is on"'])(
    'takes %s as cashless on, waiting for the VMC',
    (text) => {
      const step = run(A, sample('enabling'), line(text));
      expect(step.state).toMatchObject({ phase: 'waitingForVmc', status: 'online' });
      expect(stopped(step.effects)).toContain('reply');
    },
  );

  it.each([
    ['identifying', 'V'],
    ['configuring', 'C,SETCONF,mdb-currency-code=0x1978'],
    ['enabling', 'C,1'],
  ] as const)('faults when %s gets no reply, naming %s', (phase, command) => {
    const step = run(A, sample(phase), timer('reply'));
    expect(step.state).toMatchObject({ phase: 'faulted', command });
    expect(notified(step.effects)).toEqual([{ type: 'fault', reason: 'noReply', command }]);
    expect(stopsAll(step.effects)).toBe(true);
  });

  it('does not advance the configuration on an error line; the reply timer decides', () => {
    const step = run(A, sample('configuring'), line('c,ERR,"bad key"'));
    expect(step.state).toEqual(sample('configuring'));
    expect(sent(step.effects)).toEqual([]);
    expect(logged(step.effects, 'warn')).toHaveLength(1);
  });

  it.each(['silent', 'faulted', 'disconnected'] as const)('starts again from %s', (phase) => {
    const step = run(A, sample(phase), { type: 'start' });
    expect(step.state.phase).toBe('identifying');
    expect(sent(step.effects)).toEqual(['V']);
  });
});

describe('refused kiosk commands', () => {
  const commands: [keyof typeof KIOSK_COMMAND_PHASES, CashlessEvent][] = [
    ['start', { type: 'start' }],
    ['startSession', { type: 'startSession', creditMinor: 300 }],
    ['approveVend', { type: 'approveVend', priceMinor: 150 }],
    ['denyVend', { type: 'denyVend' }],
    ['endSession', { type: 'endSession' }],
  ];
  const cases = commands.flatMap(([name, event]) =>
    ALL_PHASES.filter(
      (phase) => !(KIOSK_COMMAND_PHASES[name] as readonly string[]).includes(phase),
    ).map((phase) => [name, phase, event] as const),
  );

  it.each(cases)(
    '%s is refused in %s, naming the phase and the allowed ones',
    (name, phase, event) => {
      const attempt = () => transitionCashless(A, sample(phase), event);
      expect(attempt).toThrow(RefusedTransitionError);
      expect(attempt).toThrow(`'${name}' does not apply in phase '${phase}'`);
      expect(attempt).toThrow(KIOSK_COMMAND_PHASES[name].join(', '));
    },
  );

  it('refuses startSession in mode B, saying why', () => {
    expect(() =>
      transitionCashless(B, sample('enabled', B), { type: 'startSession', creditMinor: 300 }),
    ).toThrow(/creditFirst/);
  });

  it('refuses a credit that is not a positive integer', () => {
    for (const creditMinor of [0, -1, 1.5, Number.NaN]) {
      expect(() =>
        transitionCashless(A, sample('enabled'), { type: 'startSession', creditMinor }),
      ).toThrow(RangeError);
    }
  });

  it('refuses an approval at another price than the request', () => {
    expect(() =>
      transitionCashless(A, sample('vendRequested'), { type: 'approveVend', priceMinor: 100 }),
    ).toThrow(/requested price 150/);
  });

  it.each(['enabled', 'waitingForVmc', 'ending'] as const)(
    'endSession in %s changes nothing',
    (phase) => {
      const step = run(A, sample(phase), { type: 'endSession' });
      expect(step.state).toEqual(sample(phase));
      expect(step.effects).toEqual([]);
    },
  );
});

describe('mode A: credit first', () => {
  it('opens a session with the credit and starts the selection timer', () => {
    let step = run(A, sample('enabled'), { type: 'startSession', creditMinor: 300 });
    expect(step.state).toMatchObject({ phase: 'starting', creditMinor: 300, retriesLeft: 20 });
    expect(sent(step.effects)).toEqual(['C,START,3.00']);
    expect(started(step.effects)).toEqual({ reply: 2_000 });

    step = run(A, step.state, line('c,STATUS,IDLE,3.00'));
    expect(step.state).toMatchObject({ phase: 'sessionIdle', creditMinor: 300 });
    expect(notified(step.effects)).toEqual([{ type: 'sessionStarted', creditMinor: 300 }]);
    expect(started(step.effects)).toMatchObject({ selection: 90_000 });
    expect(stopped(step.effects)).toEqual(expect.arrayContaining(['reply', 'startRetry']));
  });

  it('accepts IDLE without funds, and warns when the funds differ', () => {
    expect(run(A, sample('starting'), line('c,STATUS,IDLE')).state.phase).toBe('sessionIdle');
    const step = run(A, sample('starting'), line('c,STATUS,IDLE,2.00'));
    expect(notified(step.effects)).toEqual([{ type: 'sessionStarted', creditMinor: 300 }]);
    expect(logged(step.effects, 'warn')).toEqual([
      'the session opened with other funds than asked for',
    ]);
  });

  it('retries START -3 every 500 ms for 10 s, then gives the session up', () => {
    let state = run(A, sample('enabled'), { type: 'startSession', creditMinor: 300 }).state;
    const all: CashlessEffect[] = [];
    for (let i = 0; i < 20; i += 1) {
      const refused = run(A, state, line('c,ERR,"START -3"'));
      expect(started(refused.effects)).toEqual({ startRetry: 500, heartbeat: 15_000 });
      const retried = run(A, refused.state, timer('startRetry'));
      expect(sent(retried.effects)).toEqual(['C,START,3.00']);
      all.push(...refused.effects, ...retried.effects);
      state = retried.state;
    }
    expect(state).toMatchObject({ phase: 'starting', retriesLeft: 0 });
    const last = run(A, state, line('c,ERR,"START -3"'));
    expect(last.state.phase).toBe('enabled');
    expect(notified(last.effects)).toEqual([{ type: 'sessionEnded', reason: 'startRefused' }]);
    expect(notified(all)).toEqual([]);
  });

  it('a START that succeeds on a retry opens the session', () => {
    const step = run(
      A,
      sample('starting'),
      line('c,ERR,"START -3"'),
      timer('startRetry'),
      line('c,STATUS,IDLE,3.00'),
    );
    expect(step.state.phase).toBe('sessionIdle');
    expect(notified(step.effects)).toEqual([{ type: 'sessionStarted', creditMinor: 300 }]);
  });

  it('stops when START gets no reply, and ends the session that never started', () => {
    let step = run(A, sample('starting'), timer('reply'));
    expect(sent(step.effects)).toEqual(['C,STOP']);
    expect(step.state).toMatchObject({ phase: 'ending', reason: 'startNoReply', stopSent: true });
    step = run(A, step.state, line('c,STATUS,ENABLED'));
    expect(notified(step.effects)).toEqual([{ type: 'sessionEnded', reason: 'startNoReply' }]);
    expect(step.state.phase).toBe('enabled');
  });

  it('asks the kiosk about a vend within the credit and gives it 1 s', () => {
    const step = run(A, sample('sessionIdle'), line('c,STATUS,VEND,1.50,7'));
    expect(step.state).toMatchObject({
      phase: 'vendRequested',
      priceMinor: 150,
      item: 7,
      creditMinor: 300,
    });
    expect(notified(step.effects)).toEqual([
      { type: 'vendRequested', priceMinor: 150, item: 7, creditMinor: 300 },
    ]);
    expect(started(step.effects)).toMatchObject({ approval: 1_000 });
    expect(stopped(step.effects)).toContain('selection');
  });

  it('asks about a vend at exactly the credit', () => {
    expect(run(A, sample('sessionIdle'), line('c,STATUS,VEND,3.00,1')).state.phase).toBe(
      'vendRequested',
    );
  });

  it('denies a vend above the credit at once and keeps the session', () => {
    const step = run(A, sample('sessionIdle'), line('c,STATUS,VEND,3.01,9'));
    expect(sent(step.effects)).toEqual(['C,VEND,-1']);
    expect(notified(step.effects)).toEqual([
      { type: 'vendFailed', priceMinor: 301, item: 9, reason: 'exceedsCredit' },
    ]);
    expect(step.state).toMatchObject({ phase: 'sessionIdle', creditMinor: 300 });
    expect(started(step.effects)).toMatchObject({ selection: 90_000 });
  });

  it('approves at the price and waits 60 s for the result', () => {
    const step = run(A, sample('vendRequested'), { type: 'approveVend', priceMinor: 150 });
    expect(sent(step.effects)).toEqual(['C,VEND,1.50']);
    expect(step.state).toMatchObject({ phase: 'vending', priceMinor: 150, item: 7 });
    expect(started(step.effects)).toEqual({ vendResult: 60_000 });
    expect(stopped(step.effects)).toEqual(['approval']);
  });

  it('reports success, then waits for ENABLED to end the session', () => {
    let step = run(A, sample('vending'), line('c,VEND,SUCCESS'));
    expect(notified(step.effects)).toEqual([{ type: 'vendSucceeded', priceMinor: 150, item: 7 }]);
    expect(step.state).toMatchObject({ phase: 'ending', reason: 'vendFinished', stopSent: false });
    expect(started(step.effects)).toMatchObject({ reply: 2_000 });
    step = run(A, step.state, line('c,STATUS,IDLE,1.50'));
    expect(notified(step.effects)).toEqual([]);
    step = run(A, step.state, line('c,STATUS,ENABLED'));
    expect(notified(step.effects)).toEqual([{ type: 'sessionEnded', reason: 'vendFinished' }]);
    expect(step.state.phase).toBe('enabled');
  });

  it('reports a vend failure (VEND 3), then ends the session', () => {
    const step = run(
      A,
      sample('vending'),
      line('c,ERR,"VEND 3"'),
      line('c,STATUS,IDLE'),
      line('c,STATUS,ENABLED'),
    );
    expect(notified(step.effects)).toEqual([
      { type: 'vendFailed', priceMinor: 150, item: 7, reason: 'vendFailed' },
      { type: 'sessionEnded', reason: 'vendFinished' },
    ]);
  });

  it('sends C,STOP when ENABLED does not follow a result, and gives up waiting after that', () => {
    let step = run(A, sample('ending'), timer('reply'));
    expect(sent(step.effects)).toEqual(['C,STOP']);
    expect(step.state).toMatchObject({ phase: 'ending', stopSent: true });
    step = run(A, step.state, timer('reply'));
    expect(sent(step.effects)).toEqual([]);
    expect(notified(step.effects)).toEqual([{ type: 'sessionEnded', reason: 'vendFinished' }]);
    expect(logged(step.effects, 'warn')).toHaveLength(1);
    expect(step.state.phase).toBe('enabled');
  });

  it('denies on the kiosk’s word and keeps the session for another pick', () => {
    const step = run(A, sample('vendRequested'), { type: 'denyVend' });
    expect(sent(step.effects)).toEqual(['C,VEND,-1']);
    expect(notified(step.effects)).toEqual([
      { type: 'vendFailed', priceMinor: 150, item: 7, reason: 'denied' },
    ]);
    expect(step.state).toMatchObject({ phase: 'sessionIdle', creditMinor: 300 });
    expect(started(step.effects)).toEqual({ selection: 90_000 });
  });

  it('denies when the kiosk does not approve within 1 s', () => {
    const step = run(A, sample('vendRequested'), timer('approval'));
    expect(sent(step.effects)).toEqual(['C,VEND,-1']);
    expect(notified(step.effects)).toEqual([
      { type: 'vendFailed', priceMinor: 150, item: 7, reason: 'approvalTimeout' },
    ]);
    expect(step.state.phase).toBe('sessionIdle');
  });

  it.each(['starting', 'sessionIdle'] as const)(
    'cancel in %s sends C,STOP and waits for ENABLED',
    (phase) => {
      let step = run(A, sample(phase), { type: 'endSession' });
      expect(sent(step.effects)).toEqual(['C,STOP']);
      expect(step.state).toMatchObject({ phase: 'ending', reason: 'kioskStopped', stopSent: true });
      step = run(A, step.state, line('c,STATUS,ENABLED'));
      expect(notified(step.effects)).toEqual([{ type: 'sessionEnded', reason: 'kioskStopped' }]);
    },
  );

  it('cancel during a vend request denies it, then stops', () => {
    const step = run(A, sample('vendRequested'), { type: 'endSession' });
    expect(sent(step.effects)).toEqual(['C,VEND,-1', 'C,STOP']);
    expect(notified(step.effects)).toEqual([
      { type: 'vendFailed', priceMinor: 150, item: 7, reason: 'denied' },
    ]);
    expect(step.state).toMatchObject({ phase: 'ending', reason: 'kioskStopped' });
  });

  it('stops after 90 s without a selection', () => {
    const step = run(A, sample('sessionIdle'), timer('selection'));
    expect(sent(step.effects)).toEqual(['C,STOP']);
    expect(step.state).toMatchObject({
      phase: 'ending',
      reason: 'selectionTimeout',
      stopSent: true,
    });
  });

  it('ends the session when the VMC does (ENABLED in session idle)', () => {
    const step = run(A, sample('sessionIdle'), line('c,STATUS,ENABLED'));
    expect(notified(step.effects)).toEqual([{ type: 'sessionEnded', reason: 'vmcEnded' }]);
    expect(stopped(step.effects)).toContain('selection');
    expect(step.state.phase).toBe('enabled');
  });

  it('keeps the session when the VMC cancels a vend request (VEND 1)', () => {
    const step = run(A, sample('vendRequested'), line('c,ERR,"VEND 1"'));
    expect(notified(step.effects)).toEqual([
      { type: 'vendFailed', priceMinor: 150, item: 7, reason: 'vmcCancelled' },
    ]);
    expect(step.state).toMatchObject({ phase: 'sessionIdle', creditMinor: 300 });
    expect(stopped(step.effects)).toContain('approval');
  });

  it('fails a vend whose approval came too late (VEND -3) or was cancelled while vending', () => {
    expect(notified(run(A, sample('vending'), line('c,ERR,"VEND -3"')).effects)).toEqual([
      { type: 'vendFailed', priceMinor: 150, item: 7, reason: 'rejected' },
    ]);
    expect(notified(run(A, sample('vending'), line('c,ERR,"VEND 1"')).effects)).toEqual([
      { type: 'vendFailed', priceMinor: 150, item: 7, reason: 'vmcCancelled' },
    ]);
  });

  it('ENABLED with a vend pending fails it: cancelled if not yet approved, unconfirmed if approved', () => {
    expect(notified(run(A, sample('vendRequested'), line('c,STATUS,ENABLED')).effects)).toEqual([
      { type: 'vendFailed', priceMinor: 150, item: 7, reason: 'vmcCancelled' },
      { type: 'sessionEnded', reason: 'vmcEnded' },
    ]);
    expect(notified(run(A, sample('vending'), line('c,STATUS,ENABLED')).effects)).toEqual([
      { type: 'vendFailed', priceMinor: 150, item: 7, reason: 'unconfirmed' },
      { type: 'sessionEnded', reason: 'vmcEnded' },
    ]);
  });

  it('marks the vend unconfirmed after 60 s, stops, and logs a late success as an error', () => {
    let step = run(A, sample('vending'), timer('vendResult'));
    expect(sent(step.effects)).toEqual(['C,STOP']);
    expect(notified(step.effects)).toEqual([
      { type: 'vendFailed', priceMinor: 150, item: 7, reason: 'unconfirmed' },
    ]);
    expect(step.state).toMatchObject({ phase: 'ending', reason: 'vendFinished', stopSent: true });
    step = run(A, step.state, line('c,VEND,SUCCESS'));
    expect(notified(step.effects)).toEqual([]);
    expect(logged(step.effects, 'error')).toEqual(['a vend success nobody waited for']);
  });

  it('denies a vend request with no session (the adapter is probably always-idle)', () => {
    const step = run(A, sample('enabled'), line('c,STATUS,VEND,1.00,2'));
    expect(sent(step.effects)).toEqual(['C,STOP']);
    expect(notified(step.effects)).toEqual([]);
    expect(step.state.phase).toBe('enabled');
  });

  it('ignores a second vend request while one is pending', () => {
    const step = run(A, sample('vendRequested'), line('c,STATUS,VEND,1.00,2'));
    expect(step.state).toEqual(sample('vendRequested'));
    expect(notified(step.effects)).toEqual([]);
    expect(logged(step.effects, 'warn')).toHaveLength(1);
  });
});

describe('mode B: always idle', () => {
  it('passes a vend request in enabled to the kiosk, with no credit and 25 s to pay', () => {
    const step = run(B, sample('enabled', B), line('c,STATUS,VEND,2.50,12'));
    expect(step.state).toMatchObject({
      phase: 'vendRequested',
      creditMinor: null,
      priceMinor: 250,
    });
    expect(notified(step.effects)).toEqual([
      { type: 'vendRequested', priceMinor: 250, item: 12, creditMinor: null },
    ]);
    expect(started(step.effects)).toMatchObject({ approval: 25_000 });
  });

  it('approves once paid and ends after the result', () => {
    const step = run(
      B,
      sample('vendRequested', B),
      { type: 'approveVend', priceMinor: 150 },
      line('c,VEND,SUCCESS'),
      line('c,STATUS,IDLE'),
      line('c,STATUS,ENABLED'),
    );
    expect(sent(step.effects)).toEqual(['C,VEND,1.50']);
    expect(notified(step.effects)).toEqual([
      { type: 'vendSucceeded', priceMinor: 150, item: 7 },
      { type: 'sessionEnded', reason: 'vendFinished' },
    ]);
    expect(step.state.phase).toBe('enabled');
  });

  it.each([
    ['denyVend', { type: 'denyVend' }, 'denied', 'vendDenied'],
    ['the approval timer', timer('approval'), 'approvalTimeout', 'vendDenied'],
    ['endSession', { type: 'endSession' }, 'denied', 'kioskStopped'],
  ] as const)('answers %s with C,STOP (no C,VEND,-1)', (_name, event, reason, endReason) => {
    let step = run(B, sample('vendRequested', B), event);
    expect(sent(step.effects)).toEqual(['C,STOP']);
    expect(notified(step.effects)).toEqual([
      { type: 'vendFailed', priceMinor: 150, item: 7, reason },
    ]);
    expect(step.state).toMatchObject({ phase: 'ending', reason: endReason, stopSent: true });
    step = run(B, step.state, line('c,STATUS,ENABLED'));
    expect(notified(step.effects)).toEqual([{ type: 'sessionEnded', reason: endReason }]);
  });

  it('the VMC giving up (VEND 1) ends the request at once', () => {
    const step = run(B, sample('vendRequested', B), line('c,ERR,"VEND 1"'));
    expect(notified(step.effects)).toEqual([
      { type: 'vendFailed', priceMinor: 150, item: 7, reason: 'vmcCancelled' },
      { type: 'sessionEnded', reason: 'vmcEnded' },
    ]);
    expect(step.state.phase).toBe('enabled');
  });

  it('a late approval refused with VEND -3 fails the vend', () => {
    const step = run(B, sample('vending', B), line('c,ERR,"VEND -3"'));
    expect(notified(step.effects)).toEqual([
      { type: 'vendFailed', priceMinor: 150, item: 7, reason: 'rejected' },
      { type: 'sessionEnded', reason: 'vmcEnded' },
    ]);
  });

  it('ignores IDLE lines in enabled (always-idle firmware may print them)', () => {
    const step = run(B, sample('enabled', B), line('c,STATUS,IDLE'));
    expect(step.state.phase).toBe('enabled');
    expect(notified(step.effects)).toEqual([]);
  });
});

describe('the VMC resets or disables the reader', () => {
  it.each([
    ['sessionIdle', [{ type: 'sessionEnded', reason: 'vmcReset' }]],
    [
      'vending',
      [
        { type: 'vendFailed', priceMinor: 150, item: 7, reason: 'vmcReset' },
        { type: 'sessionEnded', reason: 'vmcReset' },
      ],
    ],
    ['enabled', []],
  ] as const)('VEND 5 in %s ends what was open and waits for the VMC', (phase, before) => {
    let step = run(A, sample(phase), line('c,ERR,"VEND 5"'));
    expect(notified(step.effects)).toEqual([...before, { type: 'vmcReset' }]);
    expect(step.state).toMatchObject({ phase: 'waitingForVmc', status: 'inactive' });
    step = run(
      A,
      step.state,
      line('c,STATUS,INACTIVE'),
      line('c,STATUS,DISABLED'),
      line('c,STATUS,ENABLED'),
    );
    expect(notified(step.effects)).toEqual([{ type: 'ready' }]);
  });

  it('DISABLED in a session ends it and reports the reader disabled', () => {
    const step = run(A, sample('vendRequested'), line('c,STATUS,DISABLED'));
    expect(notified(step.effects)).toEqual([
      { type: 'vendFailed', priceMinor: 150, item: 7, reason: 'vmcCancelled' },
      { type: 'sessionEnded', reason: 'vmcEnded' },
      { type: 'readerDisabled', status: 'disabled' },
    ]);
    expect(step.state).toMatchObject({ phase: 'waitingForVmc', status: 'disabled' });
  });

  it('INACTIVE in enabled reports the reader disabled; ENABLED brings ready back', () => {
    let step = run(A, sample('enabled'), line('c,STATUS,INACTIVE'));
    expect(notified(step.effects)).toEqual([{ type: 'readerDisabled', status: 'inactive' }]);
    step = run(A, step.state, line('c,STATUS,ENABLED'));
    expect(notified(step.effects)).toEqual([{ type: 'ready' }]);
  });

  it('an ending session keeps its own reason when the reader is disabled', () => {
    const step = run(
      A,
      { ...common, phase: 'ending', reason: 'kioskStopped', stopSent: true },
      line('c,STATUS,DISABLED'),
    );
    expect(notified(step.effects)).toEqual([
      { type: 'sessionEnded', reason: 'kioskStopped' },
      { type: 'readerDisabled', status: 'disabled' },
    ]);
  });
});

describe('heartbeat', () => {
  it('sends V after 15 s of quiet, and declares the adapter silent after 3 misses', () => {
    let step = run(A, sample('enabled'), timer('heartbeat'));
    expect(sent(step.effects)).toEqual(['V']);
    expect(step.state.heartbeat).toEqual({ outstanding: true, misses: 0 });
    for (const misses of [1, 2]) {
      step = run(A, step.state, timer('heartbeat'));
      expect(sent(step.effects)).toEqual(['V']);
      expect(step.state.heartbeat).toEqual({ outstanding: true, misses });
    }
    step = run(A, step.state, timer('heartbeat'));
    expect(sent(step.effects)).toEqual([]);
    expect(notified(step.effects)).toEqual([{ type: 'adapterSilent' }]);
    expect(stopsAll(step.effects)).toBe(true);
    expect(step.state.phase).toBe('silent');
  });

  it('any understood line proves the adapter is there and restarts the wait', () => {
    const missed = run(A, sample('enabled'), timer('heartbeat'), timer('heartbeat')).state;
    expect(missed.heartbeat).toEqual({ outstanding: true, misses: 1 });
    const answered = run(A, missed, line('v,4.0.2.0,SIM'));
    expect(answered.state.heartbeat).toEqual({ outstanding: false, misses: 0 });
    expect(started(answered.effects)).toEqual({ heartbeat: 15_000 });
    const garbage = run(A, missed, line('\u0000\u00ffnoise'));
    expect(garbage.state.heartbeat).toEqual({ outstanding: true, misses: 1 });
  });

  it('a silent adapter fails a vend in progress and ends the session', () => {
    const silent = { ...sample('vending'), heartbeat: { outstanding: true, misses: 2 } };
    const step = run(A, silent, timer('heartbeat'));
    expect(notified(step.effects)).toEqual([
      { type: 'vendFailed', priceMinor: 150, item: 7, reason: 'adapterSilent' },
      { type: 'sessionEnded', reason: 'adapterSilent' },
      { type: 'adapterSilent' },
    ]);
  });

  it.each(['off', 'silent', 'faulted', 'disconnected'] as const)('does nothing in %s', (phase) => {
    const step = run(A, sample(phase), timer('heartbeat'));
    expect(step.state).toEqual(sample(phase));
    expect(sent(step.effects)).toEqual([]);
  });
});

describe('the link and shutdown', () => {
  it('a lost link fails the vend in progress, ends the session and reports it', () => {
    const step = run(A, sample('vending'), { type: 'linkLost', reason: 'unplugged' });
    expect(notified(step.effects)).toEqual([
      { type: 'vendFailed', priceMinor: 150, item: 7, reason: 'disconnected' },
      { type: 'sessionEnded', reason: 'disconnected' },
      { type: 'disconnected', reason: 'unplugged' },
    ]);
    expect(step.state).toMatchObject({ phase: 'disconnected', reason: 'unplugged' });
    expect(stopsAll(step.effects)).toBe(true);
  });

  it('a lost link with no session only reports it; off and disconnected ignore it', () => {
    expect(
      notified(run(A, sample('enabled'), { type: 'linkLost', reason: 'error' }).effects),
    ).toEqual([{ type: 'disconnected', reason: 'error' }]);
    for (const phase of ['off', 'disconnected'] as const) {
      expect(run(A, sample(phase), { type: 'linkLost', reason: 'unplugged' }).effects).toEqual([]);
    }
  });

  it('shutdown stops an open session and turns the machine off', () => {
    const step = run(A, sample('sessionIdle'), { type: 'shutdown' });
    expect(sent(step.effects)).toEqual(['C,STOP']);
    expect(notified(step.effects)).toEqual([{ type: 'sessionEnded', reason: 'shutdown' }]);
    expect(step.state.phase).toBe('off');
    expect(stopsAll(step.effects)).toBe(true);
  });

  it('shutdown does not repeat a C,STOP already sent, and fails a vend in progress', () => {
    const ending = { ...common, phase: 'ending', reason: 'kioskStopped', stopSent: true } as const;
    expect(sent(run(A, ending, { type: 'shutdown' }).effects)).toEqual([]);
    expect(notified(run(A, sample('vending'), { type: 'shutdown' }).effects)).toEqual([
      { type: 'vendFailed', priceMinor: 150, item: 7, reason: 'shutdown' },
      { type: 'sessionEnded', reason: 'shutdown' },
    ]);
  });

  it('shutdown without a session sends nothing', () => {
    const step = run(A, sample('enabled'), { type: 'shutdown' });
    expect(step.effects.filter((e) => e.type === 'send' || e.type === 'notify')).toEqual([]);
  });
});

describe('lines and timers the phase does not expect', () => {
  it('skips an unknown line with a warning and changes nothing', () => {
    const step = run(A, sample('sessionIdle'), line('x,80,123,AB'));
    expect(step.state).toEqual(sample('sessionIdle'));
    expect(step.effects).toEqual([
      {
        type: 'log',
        level: 'warn',
        message: 'skipped a line the driver does not understand',
        fields: { line: 'x,80,123,AB', reason: 'unrecognised line' },
      },
    ]);
  });

  it('ignores r,ACK apart from the heartbeat', () => {
    const step = run(A, sample('sessionIdle'), line('r,ACK'));
    expect(step.state).toEqual(sample('sessionIdle'));
    expect(step.effects).toEqual([{ type: 'startTimer', timer: 'heartbeat', ms: 15_000 }]);
  });

  it('ignores every line while off', () => {
    const step = run(A, initialCashlessState(), line('c,STATUS,ENABLED'), line('c,VEND,SUCCESS'));
    expect(step.state).toEqual(initialCashlessState());
    expect(step.effects.every((e) => e.type === 'log')).toBe(true);
  });

  it('a stale timer only logs', () => {
    for (const name of ['selection', 'approval', 'vendResult', 'startRetry', 'reply'] as const) {
      const step = run(A, sample('enabled'), timer(name));
      expect(step.state).toEqual(sample('enabled'));
      expect(step.effects.every((e) => e.type === 'log')).toBe(true);
    }
  });

  it('never throws on any line or timer in any phase, in either mode', () => {
    const lines = [
      'c,STATUS,INACTIVE',
      'c,STATUS,DISABLED',
      'c,STATUS,ENABLED',
      'c,STATUS,IDLE,3.00',
      'c,STATUS,VEND,1.50,7',
      'c,VEND,SUCCESS',
      'c,ERR,"VEND 3"',
      'c,ERR,"VEND 1"',
      'c,ERR,"VEND 5"',
      'c,ERR,"START -3"',
      'c,ERR,"VEND -3"',
      'c,ERR,"cashless is on"',
      'c,ERR,"who knows"',
      'c,SET,OK',
      'v,4.0.2.0,SIM',
      'r,ACK',
      'c,1',
      'c,STATUS,ONLINE',
      'garbage',
    ];
    const timers: CashlessTimer[] = [
      'reply',
      'selection',
      'approval',
      'vendResult',
      'heartbeat',
      'startRetry',
    ];
    for (const config of [A, B]) {
      for (const phase of ALL_PHASES) {
        for (const event of [
          ...lines.map(line),
          ...timers.map(timer),
          { type: 'linkLost', reason: 'error' } as const,
          { type: 'shutdown' } as const,
        ]) {
          expect(() => transitionCashless(config, sample(phase, config), event)).not.toThrow();
        }
      }
    }
  });
});

describe('isSessionOpen', () => {
  it('is true exactly from starting to ending', () => {
    const open = ALL_PHASES.filter((phase) => isSessionOpen(sample(phase)));
    expect(open).toEqual(['starting', 'sessionIdle', 'vendRequested', 'vending', 'ending']);
  });
});
