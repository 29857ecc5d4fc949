// The vending machine with plain values: every phase × every event it accepts (table, for a
// pre-auth and a pay-max machine), the rest refused with an error that names phase and event
// (matrix), whole journeys, and recovery after a restart from each journal point. Time is data:
// timers are effects with an absolute `at` or a `delayMs`, so no clock is needed.
import { describe, expect, it } from 'vitest';
import { deepFreeze, refusalOf } from './testing/transition-tables.ts';
import type { RequestSummary } from '../contract/state.ts';
import type { RefusedTransitionError } from './refused-transition.ts';
import {
  GIVE_UP_AFTER_EXPIRY_MS,
  initialVendingState,
  MONEY_RETRY_DELAYS_MS,
  recover,
  referenceFor,
  RESULT_SHOWN_MS,
  SELECTION_LIMIT_MS,
  SESSION_START_LIMIT_MS,
  transitionVending,
  VEND_RESULT_LIMIT_MS,
  type MoneyStep,
  type MoneyStepRecord,
  type SettleReason,
  type VendingConfig,
  type VendingEffect,
  type VendingEvent,
  type VendingEventType,
  type VendingJournalRecord,
  type VendingPhase,
  type VendingState,
  type VendingTransition,
  type VendRecord,
} from './vending-flow.ts';

const preAuth: VendingConfig = deepFreeze({
  terminalId: 'term-7',
  currency: 'NZD',
  maxPriceMinor: 400,
  preAuth: true,
});
const payMax: VendingConfig = deepFreeze({ ...preAuth, preAuth: false });
const CONFIGS = [
  { label: 'pre-auth', c: preAuth },
  { label: 'pay-max', c: payMax },
];

const SESSION = 'vs_1';
const VISIT = 'visit-1';
const PRICE = 250;
const ITEM = 12;
const EXPIRES_AT = '2026-11-25T09:05:00.000Z';
const GIVE_UP_AT = Date.UTC(2026, 10, 25, 9, 5, 0) + GIVE_UP_AFTER_EXPIRY_MS;

const request: RequestSummary = deepFreeze({
  id: 'pr_v1',
  shortCode: 'CP-V3N-D01',
  url: 'https://kiosk.test/pay/pr_v1',
  expiresAt: EXPIRES_AT,
});

// ---- money steps ---------------------------------------------------------------------------

const releaseStep: MoneyStep = { kind: 'release', reference: 'vs_1:release' };
const voidStep: MoneyStep = { kind: 'void', reference: 'vs_1:void' };
const confirmStep = (amountMinor = PRICE): MoneyStep => ({
  kind: 'confirm',
  amountMinor,
  item: ITEM,
  reference: 'vs_1:confirm',
});
const refundStep = (amountMinor: number): MoneyStep => ({
  kind: 'refund',
  amountMinor,
  reference: 'vs_1:refund',
});
/** Everything back: release the hold, or void the pay-max request. */
const giveBack = (c: VendingConfig): MoneyStep => (c.preAuth ? releaseStep : voidStep);

const pending = (step: MoneyStep): MoneyStepRecord => ({ step, status: 'pending' });
const doneStep = (step: MoneyStep): MoneyStepRecord => ({ step, status: 'done' });

// ---- journal records -----------------------------------------------------------------------

function record(
  c: VendingConfig,
  fields: Partial<VendingJournalRecord> = {},
): VendingJournalRecord {
  return deepFreeze({
    flow: 'vending',
    sessionId: SESSION,
    terminalId: c.terminalId,
    currency: c.currency,
    preAuth: c.preAuth,
    creditMinor: c.maxPriceMinor,
    requestId: null,
    shortCode: null,
    stage: 'creating',
    vend: null,
    money: [],
    reason: null,
    ...fields,
  });
}
const withRequest = (c: VendingConfig, fields: Partial<VendingJournalRecord> = {}) =>
  record(c, { requestId: request.id, shortCode: request.shortCode, ...fields });

const approved: VendRecord = { priceMinor: PRICE, item: ITEM, decision: 'approved', result: null };
const succeeded: VendRecord = { ...approved, result: 'succeeded' };
const failedVend = (failure: VendRecord['failure']): VendRecord => ({
  ...approved,
  result: 'failed',
  failure,
});

const settlingRecord = (
  c: VendingConfig,
  reason: SettleReason,
  money: MoneyStepRecord[],
  fields: Partial<VendingJournalRecord> = {},
) => withRequest(c, { stage: 'settling', reason, money, ...fields });

// ---- states --------------------------------------------------------------------------------

const base = (c: VendingConfig, readerAvailable = true) => ({ config: c, readerAvailable });
const idle = (c: VendingConfig, readerAvailable = true): VendingState =>
  deepFreeze({ phase: 'idle', ...base(c, readerAvailable) });
const creating = (c: VendingConfig, cancelRequested = false, readerAvailable = true) =>
  deepFreeze<VendingState>({
    phase: 'creating',
    ...base(c, readerAvailable),
    record: record(c),
    visitId: VISIT,
    cancelRequested,
  });
const awaiting = (c: VendingConfig, readerAvailable = true) =>
  deepFreeze<VendingState>({
    phase: 'awaitingPayment',
    ...base(c, readerAvailable),
    record: withRequest(c, { stage: 'awaitingPayment' }),
    request,
  });
const checking = (c: VendingConfig, readerAvailable = true) =>
  deepFreeze<VendingState>({
    phase: 'checking',
    ...base(c, readerAvailable),
    record: withRequest(c, { stage: 'awaitingPayment' }),
    request,
  });
const starting = (c: VendingConfig, readerAvailable = true) =>
  deepFreeze<VendingState>({
    phase: 'startingSession',
    ...base(c, readerAvailable),
    record: withRequest(c, { stage: 'paid' }),
  });
const sessionIdle = (c: VendingConfig, readerAvailable = true) =>
  deepFreeze<VendingState>({
    phase: 'sessionIdle',
    ...base(c, readerAvailable),
    record: withRequest(c, { stage: 'sessionOpen' }),
  });
const vending = (c: VendingConfig, readerAvailable = true) =>
  deepFreeze<VendingState>({
    phase: 'vending',
    ...base(c, readerAvailable),
    record: withRequest(c, { stage: 'vending', vend: approved }),
  });
const settling = (
  c: VendingConfig,
  rec: VendingJournalRecord,
  attempt = 0,
  readerAvailable = true,
): VendingState =>
  deepFreeze({ phase: 'settling', ...base(c, readerAvailable), record: rec, attempt });
const done = (c: VendingConfig, rec: VendingJournalRecord, readerAvailable = true): VendingState =>
  deepFreeze({ phase: 'done', ...base(c, readerAvailable), record: rec });

// ---- effects -------------------------------------------------------------------------------

const journal = (rec: VendingJournalRecord): VendingEffect => ({ type: 'journal', record: rec });
const money = (rec: VendingJournalRecord, step: MoneyStep): VendingEffect => ({
  type: 'money',
  sessionId: SESSION,
  requestId: rec.requestId,
  currency: 'NZD',
  step,
});
const answer = (kind: 'busy' | 'outOfService' | 'unavailable'): VendingEffect => ({
  type: 'answerVisit',
  visitId: VISIT,
  answer: { kind },
});
/** Settling starts: the plan goes to the journal first, then the first step goes out. */
const settleEffects = (rec: VendingJournalRecord, extra: VendingEffect[] = []): VendingEffect[] => [
  journal(rec),
  { type: 'stopTimers' },
  ...extra,
  money(rec, (rec.money[0] as MoneyStepRecord).step),
];
/** The session is over on screen; the result shows for a while. */
const finishEffects = (rec: VendingJournalRecord, extra: VendingEffect[] = []): VendingEffect[] => [
  journal(rec),
  { type: 'stopTimers' },
  ...extra,
  { type: 'startTimerIn', timer: 'backToIdle', delayMs: RESULT_SHOWN_MS },
];
const END: VendingEffect = { type: 'endSession' };
const UNWATCH: VendingEffect = { type: 'unwatch' };

// ---- events: one of each type (the Record makes the compiler list every type) --------------

const EVENTS: Record<VendingEventType, VendingEvent> = deepFreeze({
  urlOpened: { type: 'urlOpened', visitId: VISIT, sessionId: SESSION },
  created: { type: 'created', request },
  createRefused: { type: 'createRefused', code: 'MERCHANT_CONFIG_NOT_FOUND' },
  createOutcomeUnknown: { type: 'createOutcomeUnknown' },
  statusObserved: { type: 'statusObserved', status: 'new' },
  finalStatus: { type: 'finalStatus', status: 'expired' },
  cancelPressed: { type: 'cancelPressed' },
  readerReady: { type: 'readerReady' },
  readerDisabled: { type: 'readerDisabled' },
  sessionStarted: { type: 'sessionStarted', creditMinor: 400 },
  vendRequested: { type: 'vendRequested', priceMinor: PRICE, item: ITEM },
  vendSucceeded: { type: 'vendSucceeded', priceMinor: PRICE, item: ITEM },
  vendFailed: { type: 'vendFailed', priceMinor: PRICE, item: ITEM, reason: 'vendFailed' },
  sessionEnded: { type: 'sessionEnded', reason: 'vmcEnded' },
  vmcReset: { type: 'vmcReset' },
  adapterSilent: { type: 'adapterSilent' },
  disconnected: { type: 'disconnected' },
  moneyStepDone: { type: 'moneyStepDone' },
  moneyStepRefused: { type: 'moneyStepRefused', code: 'PRE_AUTH_PENDING' },
  moneyStepOutcomeUnknown: { type: 'moneyStepOutcomeUnknown' },
  timerFired: { type: 'timerFired', timer: 'giveUp' },
  dismissed: { type: 'dismissed' },
});
const EVENT_TYPES = Object.keys(EVENTS) as VendingEventType[];
const timer = (name: Extract<VendingEvent, { type: 'timerFired' }>['timer']): VendingEvent => ({
  type: 'timerFired',
  timer: name,
});

const settledReturn = (c: VendingConfig) =>
  settlingRecord(c, 'cancelPressed', [pending(giveBack(c))]);

/** One state per phase (the Record makes the compiler list every phase). */
const PHASES: Record<VendingPhase, VendingState> = {
  idle: idle(preAuth),
  creating: creating(preAuth),
  awaitingPayment: awaiting(preAuth),
  checking: checking(preAuth),
  startingSession: starting(preAuth),
  sessionIdle: sessionIdle(preAuth),
  vending: vending(preAuth),
  settling: settling(preAuth, settledReturn(preAuth)),
  done: done(preAuth, withRequest(preAuth, { stage: 'settled', reason: 'expired' })),
};

const READER: VendingEventType[] = [
  'readerReady',
  'readerDisabled',
  'adapterSilent',
  'disconnected',
  'vmcReset',
];
const LATE_DRIVER: VendingEventType[] = [
  'sessionStarted',
  'vendRequested',
  'vendSucceeded',
  'vendFailed',
  'sessionEnded',
];

/** The events each phase accepts; every other event is refused. */
const ACCEPTED: Record<VendingPhase, VendingEventType[]> = {
  idle: ['urlOpened', 'timerFired', ...READER],
  creating: [
    'created',
    'createRefused',
    'createOutcomeUnknown',
    'cancelPressed',
    'urlOpened',
    'timerFired',
    ...READER,
  ],
  awaitingPayment: ['statusObserved', 'timerFired', 'cancelPressed', 'urlOpened', ...READER],
  checking: [
    'finalStatus',
    'statusObserved',
    'cancelPressed',
    'urlOpened',
    'timerFired',
    ...READER,
  ],
  startingSession: [
    'sessionStarted',
    'sessionEnded',
    'timerFired',
    'cancelPressed',
    'urlOpened',
    'statusObserved',
    'finalStatus',
    ...READER,
  ],
  sessionIdle: [
    'vendRequested',
    'vendFailed',
    'sessionEnded',
    'timerFired',
    'cancelPressed',
    'urlOpened',
    'statusObserved',
    'finalStatus',
    ...READER,
  ],
  vending: [
    'vendSucceeded',
    'vendFailed',
    'sessionEnded',
    'timerFired',
    'urlOpened',
    'statusObserved',
    'finalStatus',
    ...READER,
  ],
  settling: [
    'moneyStepDone',
    'moneyStepRefused',
    'moneyStepOutcomeUnknown',
    'timerFired',
    'cancelPressed',
    'urlOpened',
    'statusObserved',
    'finalStatus',
    ...LATE_DRIVER,
    ...READER,
  ],
  done: [
    'urlOpened',
    'dismissed',
    'timerFired',
    'statusObserved',
    'finalStatus',
    ...LATE_DRIVER,
    ...READER,
  ],
};

function refusal(state: VendingState, event: VendingEvent): RefusedTransitionError {
  return refusalOf(transitionVending, state, event);
}

/** Feeds events one after another; returns each step's transition. */
function walk(start: VendingTransition, events: VendingEvent[]): VendingTransition[] {
  const steps = [start];
  for (const event of events) {
    const last = steps[steps.length - 1] as VendingTransition;
    steps.push(transitionVending(deepFreeze(last.state), event));
  }
  return steps;
}
const begin = (state: VendingState): VendingTransition => ({ state, effects: [] });
const lastOf = (steps: VendingTransition[]) => steps[steps.length - 1] as VendingTransition;
const moneyCalls = (steps: VendingTransition[]) =>
  steps
    .flatMap((step) => step.effects)
    .filter((effect) => effect.type === 'money')
    .map((effect) => effect.step);

// ---- tests ---------------------------------------------------------------------------------

describe('timers and references are data', () => {
  it('gives up 5–10 s after expiresAt, never before', () => {
    expect(GIVE_UP_AFTER_EXPIRY_MS).toBeGreaterThanOrEqual(5_000);
    expect(GIVE_UP_AFTER_EXPIRY_MS).toBeLessThanOrEqual(10_000);
  });

  it('arms the give-up timer at the absolute instant expiresAt + the grace', () => {
    const { effects } = transitionVending(creating(preAuth), EVENTS.created);
    expect(effects).toContainEqual({ type: 'startTimer', timer: 'giveUp', at: GIVE_UP_AT });
  });

  it('reads expiresAt with any UTC offset as the same instant', () => {
    const offset = { ...request, expiresAt: '2026-11-25T22:05:00.000+13:00' };
    const { effects } = transitionVending(creating(preAuth), { type: 'created', request: offset });
    expect(effects).toContainEqual({ type: 'startTimer', timer: 'giveUp', at: GIVE_UP_AT });
  });

  it('the kiosk watchdogs leave the driver its own limits first (reply+START -3, 90 s, 60 s)', () => {
    expect(SESSION_START_LIMIT_MS).toBeGreaterThan(2_000 + 10_000);
    expect(SELECTION_LIMIT_MS).toBeGreaterThan(90_000);
    expect(VEND_RESULT_LIMIT_MS).toBeGreaterThan(60_000);
  });

  it('retries an unknown money step after positive, growing pauses', () => {
    expect(MONEY_RETRY_DELAYS_MS.length).toBeGreaterThan(0);
    expect([...MONEY_RETRY_DELAYS_MS].sort((a, b) => a - b)).toEqual([...MONEY_RETRY_DELAYS_MS]);
    expect(MONEY_RETRY_DELAYS_MS[0]).toBeGreaterThan(0);
  });

  it('derives every reference from the session id alone', () => {
    expect(referenceFor('vs_9', 'confirm')).toBe('vs_9:confirm');
    expect(referenceFor('vs_9', 'create')).toBe('vs_9:create');
  });

  it('starts idle, out of service until the driver says ready', () => {
    expect(initialVendingState(preAuth)).toEqual({
      phase: 'idle',
      config: preAuth,
      readerAvailable: false,
    });
  });
});

interface Row {
  name: string;
  from: VendingState;
  event: VendingEvent;
  to: VendingState;
  effects: VendingEffect[];
}

/** Rows that hold for both kinds of machine; `c` picks pre-auth or pay-max. */
function rowsFor(label: string, c: VendingConfig): Row[] {
  const back = giveBack(c);
  const back1 = (reason: SettleReason, fields: Partial<VendingJournalRecord> = {}) =>
    settlingRecord(c, reason, [pending(back)], fields);
  const vendBack = (reason: SettleReason, failure: VendRecord['failure']) =>
    back1(reason, { vend: failedVend(failure) });
  const paidRecord = withRequest(c, { stage: 'paid' });
  const startEffects: VendingEffect[] = [
    journal(paidRecord),
    { type: 'stopTimers' },
    UNWATCH,
    { type: 'startSession', creditMinor: 400 },
    { type: 'startTimerIn', timer: 'sessionStart', delayMs: SESSION_START_LIMIT_MS },
  ];
  const held: VendingEvent = {
    type: 'statusObserved',
    status: 'paid',
    ...(c.preAuth ? { preAuthStatus: 'authorized' } : {}),
  };
  const rows: Row[] = [
    // idle
    {
      name: 'idle + urlOpened → creating: journal first, then create for the maximum price',
      from: idle(c),
      event: EVENTS.urlOpened,
      to: creating(c),
      effects: [
        journal(record(c)),
        {
          type: 'createRequest',
          sessionId: SESSION,
          terminalId: 'term-7',
          amountMinor: 400,
          currency: 'NZD',
          preAuth: c.preAuth,
          reference: 'vs_1:create',
        },
      ],
    },

    // creating
    {
      name: 'creating + created → awaitingPayment: journal the id, send the visitor to pay, watch',
      from: creating(c),
      event: EVENTS.created,
      to: awaiting(c),
      effects: [
        journal(withRequest(c, { stage: 'awaitingPayment' })),
        { type: 'answerVisit', visitId: VISIT, answer: { kind: 'pay', url: request.url } },
        { type: 'watch', requestId: request.id },
        { type: 'startTimer', timer: 'giveUp', at: GIVE_UP_AT },
      ],
    },
    {
      name: 'creating (cancel pressed) + created → settling: give back what the create made',
      from: creating(c, true),
      event: EVENTS.created,
      to: settling(c, back1('cancelPressed')),
      effects: settleEffects(back1('cancelPressed'), [answer('unavailable')]),
    },
    {
      name: 'creating (reader lost) + created → settling, readerLost',
      from: creating(c, false, false),
      event: EVENTS.created,
      to: settling(c, back1('readerLost'), 0, false),
      effects: settleEffects(back1('readerLost'), [answer('unavailable')]),
    },
    {
      name: 'creating + createRefused → done, nothing taken, settled',
      from: creating(c),
      event: EVENTS.createRefused,
      to: done(c, record(c, { stage: 'settled', reason: 'createRefused' })),
      effects: finishEffects(record(c, { stage: 'settled', reason: 'createRefused' }), [
        answer('unavailable'),
      ]),
    },
    {
      name: 'creating + createOutcomeUnknown → settling by externalRef (no request id)',
      from: creating(c),
      event: EVENTS.createOutcomeUnknown,
      to: settling(
        c,
        record(c, { stage: 'settling', reason: 'outcomeUnknown', money: [pending(back)] }),
      ),
      effects: settleEffects(
        record(c, { stage: 'settling', reason: 'outcomeUnknown', money: [pending(back)] }),
        [answer('unavailable')],
      ),
    },
    {
      name: 'creating + cancelPressed → creating, waits for the create to answer',
      from: creating(c),
      event: EVENTS.cancelPressed,
      to: creating(c, true),
      effects: [],
    },

    // awaitingPayment
    {
      name: 'awaitingPayment + statusObserved paid (held) → startingSession with the credit',
      from: awaiting(c),
      event: held,
      to: starting(c),
      effects: startEffects,
    },
    {
      name: 'awaitingPayment + statusObserved cancelled → done, requestCancelled',
      from: awaiting(c),
      event: { type: 'statusObserved', status: 'cancelled' },
      to: done(c, withRequest(c, { stage: 'settled', reason: 'requestCancelled' })),
      effects: finishEffects(withRequest(c, { stage: 'settled', reason: 'requestCancelled' }), [
        UNWATCH,
      ]),
    },
    ...(['new', 'expired'] as const).map((status): Row => ({
      name: `awaitingPayment + statusObserved ${status} → keeps waiting until the give-up time`,
      from: awaiting(c),
      event: { type: 'statusObserved', status },
      to: awaiting(c),
      effects: [],
    })),
    {
      name: 'awaitingPayment + giveUp timer → checking, one last look',
      from: awaiting(c),
      event: timer('giveUp'),
      to: checking(c),
      effects: [{ type: 'checkStatus', requestId: request.id }],
    },
    {
      name: 'awaitingPayment + a stale timer → unchanged',
      from: awaiting(c),
      event: timer('selection'),
      to: awaiting(c),
      effects: [],
    },
    {
      name: 'awaitingPayment + cancelPressed → settling, give everything back',
      from: awaiting(c),
      event: EVENTS.cancelPressed,
      to: settling(c, back1('cancelPressed')),
      effects: settleEffects(back1('cancelPressed'), [UNWATCH]),
    },
    {
      name: 'awaitingPayment + urlOpened → the next visitor is sent to the same pay page',
      from: awaiting(c),
      event: { type: 'urlOpened', visitId: 'visit-2', sessionId: 'vs_2' },
      to: awaiting(c),
      effects: [
        { type: 'answerVisit', visitId: 'visit-2', answer: { kind: 'pay', url: request.url } },
      ],
    },
    ...(['readerDisabled', 'adapterSilent', 'disconnected', 'vmcReset'] as const).map(
      (type): Row => ({
        name: `awaitingPayment + ${type} → settling, readerLost (no session could start)`,
        from: awaiting(c),
        event: { type },
        to: settling(c, back1('readerLost'), 0, false),
        effects: settleEffects(back1('readerLost'), [UNWATCH]),
      }),
    ),

    // checking
    {
      name: 'checking + finalStatus paid (held) → startingSession',
      from: checking(c),
      event: { ...held, type: 'finalStatus' } as VendingEvent,
      to: starting(c),
      effects: startEffects,
    },
    {
      name: 'checking + finalStatus expired → done, expired',
      from: checking(c),
      event: { type: 'finalStatus', status: 'expired' },
      to: done(c, withRequest(c, { stage: 'settled', reason: 'expired' })),
      effects: finishEffects(withRequest(c, { stage: 'settled', reason: 'expired' }), [UNWATCH]),
    },
    {
      name: 'checking + finalStatus cancelled → done, requestCancelled',
      from: checking(c),
      event: { type: 'finalStatus', status: 'cancelled' },
      to: done(c, withRequest(c, { stage: 'settled', reason: 'requestCancelled' })),
      effects: finishEffects(withRequest(c, { stage: 'settled', reason: 'requestCancelled' }), [
        UNWATCH,
      ]),
    },
    {
      name: 'checking + finalStatus new (open past expiry) → settling, give back',
      from: checking(c),
      event: { type: 'finalStatus', status: 'new' },
      to: settling(c, back1('expired')),
      effects: settleEffects(back1('expired'), [UNWATCH]),
    },
    {
      name: 'checking + finalStatus unknown → settling, outcomeUnknown',
      from: checking(c),
      event: { type: 'finalStatus', status: 'unknown' },
      to: settling(c, back1('outcomeUnknown')),
      effects: settleEffects(back1('outcomeUnknown'), [UNWATCH]),
    },
    {
      name: 'checking + statusObserved paid (held) → startingSession',
      from: checking(c),
      event: held,
      to: starting(c),
      effects: startEffects,
    },
    {
      name: 'checking + statusObserved expired → unchanged (the last look decides)',
      from: checking(c),
      event: { type: 'statusObserved', status: 'expired' },
      to: checking(c),
      effects: [],
    },
    {
      name: 'checking + statusObserved cancelled → done, requestCancelled',
      from: checking(c),
      event: { type: 'statusObserved', status: 'cancelled' },
      to: done(c, withRequest(c, { stage: 'settled', reason: 'requestCancelled' })),
      effects: finishEffects(withRequest(c, { stage: 'settled', reason: 'requestCancelled' }), [
        UNWATCH,
      ]),
    },
    {
      name: 'checking (reader lost meanwhile) + finalStatus paid → settling, readerLost',
      from: checking(c, false),
      event: { ...held, type: 'finalStatus' } as VendingEvent,
      to: settling(c, back1('readerLost'), 0, false),
      effects: settleEffects(back1('readerLost'), [UNWATCH]),
    },
    {
      name: 'checking + cancelPressed → settling, give back',
      from: checking(c),
      event: EVENTS.cancelPressed,
      to: settling(c, back1('cancelPressed')),
      effects: settleEffects(back1('cancelPressed'), [UNWATCH]),
    },
    {
      name: 'checking + urlOpened → busy',
      from: checking(c),
      event: EVENTS.urlOpened,
      to: checking(c),
      effects: [answer('busy')],
    },

    // startingSession
    {
      name: 'startingSession + sessionStarted → sessionIdle, selection watchdog armed',
      from: starting(c),
      event: EVENTS.sessionStarted,
      to: sessionIdle(c),
      effects: [
        journal(withRequest(c, { stage: 'sessionOpen' })),
        { type: 'stopTimers' },
        { type: 'startTimerIn', timer: 'selection', delayMs: SELECTION_LIMIT_MS },
      ],
    },
    {
      name: 'startingSession + sessionEnded (START refused) → settling, sessionNotStarted',
      from: starting(c),
      event: { type: 'sessionEnded', reason: 'startRefused' },
      to: settling(c, back1('sessionNotStarted', { stage: 'settling' })),
      effects: settleEffects(back1('sessionNotStarted')),
    },
    {
      name: 'startingSession + sessionStart timer → end the session, settling',
      from: starting(c),
      event: timer('sessionStart'),
      to: settling(c, back1('sessionNotStarted')),
      effects: settleEffects(back1('sessionNotStarted'), [END]),
    },
    {
      name: 'startingSession + cancelPressed → end the session, settling',
      from: starting(c),
      event: EVENTS.cancelPressed,
      to: settling(c, back1('cancelPressed')),
      effects: settleEffects(back1('cancelPressed'), [END]),
    },
    {
      name: 'startingSession + disconnected → settling, readerLost',
      from: starting(c),
      event: EVENTS.disconnected,
      to: settling(c, back1('readerLost'), 0, false),
      effects: settleEffects(back1('readerLost')),
    },
    {
      name: 'startingSession + urlOpened → busy',
      from: starting(c),
      event: EVENTS.urlOpened,
      to: starting(c),
      effects: [answer('busy')],
    },
    {
      name: 'startingSession + a late statusObserved → unchanged',
      from: starting(c),
      event: held,
      to: starting(c),
      effects: [],
    },

    // sessionIdle
    {
      name: 'sessionIdle + vendRequested within the credit → vending: journal, approve, watchdog',
      from: sessionIdle(c),
      event: EVENTS.vendRequested,
      to: vending(c),
      effects: [
        journal(withRequest(c, { stage: 'vending', vend: approved })),
        { type: 'stopTimers' },
        { type: 'approveVend', priceMinor: PRICE },
        { type: 'startTimerIn', timer: 'vendResult', delayMs: VEND_RESULT_LIMIT_MS },
      ],
    },
    {
      name: 'sessionIdle + vendRequested at exactly the credit → approved',
      from: sessionIdle(c),
      event: { type: 'vendRequested', priceMinor: 400, item: 3 },
      to: {
        ...sessionIdle(c),
        phase: 'vending',
        record: withRequest(c, {
          stage: 'vending',
          vend: { priceMinor: 400, item: 3, decision: 'approved', result: null },
        }),
      },
      effects: [
        journal(
          withRequest(c, {
            stage: 'vending',
            vend: { priceMinor: 400, item: 3, decision: 'approved', result: null },
          }),
        ),
        { type: 'stopTimers' },
        { type: 'approveVend', priceMinor: 400 },
        { type: 'startTimerIn', timer: 'vendResult', delayMs: VEND_RESULT_LIMIT_MS },
      ],
    },
    ...[401, 0].map((priceMinor): Row => {
      const denied = back1('vendDenied', {
        vend: { priceMinor, item: ITEM, decision: 'denied', result: null },
      });
      return {
        name: `sessionIdle + vendRequested at ${priceMinor} → deny, end the session, give back`,
        from: sessionIdle(c),
        event: { type: 'vendRequested', priceMinor, item: ITEM },
        to: settling(c, denied),
        effects: settleEffects(denied, [{ type: 'denyVend' }, END]),
      };
    }),
    {
      name: 'sessionIdle + vendFailed (driver denied above the credit) → end, give back',
      from: sessionIdle(c),
      event: { type: 'vendFailed', priceMinor: 900, item: ITEM, reason: 'exceedsCredit' },
      to: settling(
        c,
        back1('vendFailed', {
          vend: {
            priceMinor: 900,
            item: ITEM,
            decision: 'denied',
            result: 'failed',
            failure: 'exceedsCredit',
          },
        }),
      ),
      effects: settleEffects(
        back1('vendFailed', {
          vend: {
            priceMinor: 900,
            item: ITEM,
            decision: 'denied',
            result: 'failed',
            failure: 'exceedsCredit',
          },
        }),
        [END],
      ),
    },
    {
      name: 'sessionIdle + sessionEnded selectionTimeout → settling, selectionTimeout',
      from: sessionIdle(c),
      event: { type: 'sessionEnded', reason: 'selectionTimeout' },
      to: settling(c, back1('selectionTimeout')),
      effects: settleEffects(back1('selectionTimeout')),
    },
    {
      name: 'sessionIdle + sessionEnded by the VMC without a vend → settling, sessionEnded',
      from: sessionIdle(c),
      event: EVENTS.sessionEnded,
      to: settling(c, back1('sessionEnded')),
      effects: settleEffects(back1('sessionEnded')),
    },
    {
      name: 'sessionIdle + selection timer → end the session, settling',
      from: sessionIdle(c),
      event: timer('selection'),
      to: settling(c, back1('selectionTimeout')),
      effects: settleEffects(back1('selectionTimeout'), [END]),
    },
    {
      name: 'sessionIdle + cancelPressed → end the session, settling',
      from: sessionIdle(c),
      event: EVENTS.cancelPressed,
      to: settling(c, back1('cancelPressed')),
      effects: settleEffects(back1('cancelPressed'), [END]),
    },
    {
      name: 'sessionIdle + adapterSilent → settling, readerLost',
      from: sessionIdle(c),
      event: EVENTS.adapterSilent,
      to: settling(c, back1('readerLost'), 0, false),
      effects: settleEffects(back1('readerLost')),
    },
    {
      name: 'sessionIdle + readerDisabled → unchanged but unavailable (the driver ends it)',
      from: sessionIdle(c),
      event: EVENTS.readerDisabled,
      to: sessionIdle(c, false),
      effects: [],
    },

    // vending
    {
      name: 'vending + vendFailed → settling, give everything back, end the session',
      from: vending(c),
      event: EVENTS.vendFailed,
      to: settling(c, vendBack('vendFailed', 'vendFailed')),
      effects: settleEffects(vendBack('vendFailed', 'vendFailed'), [END]),
    },
    {
      name: 'vending + vendFailed unconfirmed → settling, vendUnconfirmed',
      from: vending(c),
      event: { ...EVENTS.vendFailed, reason: 'unconfirmed' } as VendingEvent,
      to: settling(c, vendBack('vendUnconfirmed', 'unconfirmed')),
      effects: settleEffects(vendBack('vendUnconfirmed', 'unconfirmed'), [END]),
    },
    {
      name: 'vending + vendFailed disconnected → settling, no endSession (the link is gone)',
      from: vending(c),
      event: { ...EVENTS.vendFailed, reason: 'disconnected' } as VendingEvent,
      to: settling(c, vendBack('vendFailed', 'disconnected')),
      effects: settleEffects(vendBack('vendFailed', 'disconnected')),
    },
    {
      name: 'vending + sessionEnded without a result → settling, vendUnconfirmed',
      from: vending(c),
      event: EVENTS.sessionEnded,
      to: settling(c, vendBack('vendUnconfirmed', 'noResult')),
      effects: settleEffects(vendBack('vendUnconfirmed', 'noResult')),
    },
    {
      name: 'vending + vendResult timer → end the session, vendUnconfirmed',
      from: vending(c),
      event: timer('vendResult'),
      to: settling(c, vendBack('vendUnconfirmed', 'unconfirmed')),
      effects: settleEffects(vendBack('vendUnconfirmed', 'unconfirmed'), [END]),
    },
    ...(['adapterSilent', 'disconnected', 'vmcReset'] as const).map((type): Row => ({
      name: `vending + ${type} → settling, readerLost, nothing charged`,
      from: vending(c),
      event: { type },
      to: settling(c, vendBack('readerLost', type), 0, false),
      effects: settleEffects(vendBack('readerLost', type)),
    })),
    {
      name: 'vending + urlOpened → busy',
      from: vending(c),
      event: EVENTS.urlOpened,
      to: vending(c),
      effects: [answer('busy')],
    },

    // settling (give back)
    {
      name: 'settling + moneyStepDone (last step) → done, settled',
      from: settling(c, back1('cancelPressed')),
      event: EVENTS.moneyStepDone,
      to: done(c, back1('cancelPressed', { stage: 'settled', money: [doneStep(back)] })),
      effects: finishEffects(back1('cancelPressed', { stage: 'settled', money: [doneStep(back)] })),
    },
    {
      name: 'settling + moneyStepRefused → done, settled, refusal recorded for staff',
      from: settling(c, back1('cancelPressed')),
      event: { type: 'moneyStepRefused', code: 'VOID_WINDOW_EXCEEDED' },
      to: done(
        c,
        back1('cancelPressed', {
          stage: 'settled',
          money: [{ step: back, status: 'refused', code: 'VOID_WINDOW_EXCEEDED' }],
        }),
      ),
      effects: finishEffects(
        back1('cancelPressed', {
          stage: 'settled',
          money: [{ step: back, status: 'refused', code: 'VOID_WINDOW_EXCEEDED' }],
        }),
      ),
    },
    {
      name: 'settling + moneyStepOutcomeUnknown → retry timer, attempt counted',
      from: settling(c, back1('cancelPressed')),
      event: EVENTS.moneyStepOutcomeUnknown,
      to: settling(c, back1('cancelPressed'), 1),
      effects: [
        { type: 'startTimerIn', timer: 'moneyRetry', delayMs: MONEY_RETRY_DELAYS_MS[0] as number },
      ],
    },
    {
      name: 'settling + moneyRetry timer → the same step again, same reference',
      from: settling(c, back1('cancelPressed'), 1),
      event: timer('moneyRetry'),
      to: settling(c, back1('cancelPressed'), 1),
      effects: [money(back1('cancelPressed'), back)],
    },
    {
      name: 'settling (retries used up) + moneyStepOutcomeUnknown → done, step left pending',
      from: settling(c, back1('cancelPressed'), MONEY_RETRY_DELAYS_MS.length),
      event: EVENTS.moneyStepOutcomeUnknown,
      to: done(c, back1('cancelPressed')),
      effects: finishEffects(back1('cancelPressed')),
    },
    {
      name: 'settling + sessionStarted late → end it',
      from: settling(c, back1('sessionNotStarted')),
      event: EVENTS.sessionStarted,
      to: settling(c, back1('sessionNotStarted')),
      effects: [END],
    },
    {
      name: 'settling + vendRequested late → deny and end',
      from: settling(c, back1('sessionNotStarted')),
      event: EVENTS.vendRequested,
      to: settling(c, back1('sessionNotStarted')),
      effects: [{ type: 'denyVend' }, END],
    },
    {
      name: 'settling + vendSucceeded late → not charged',
      from: settling(c, vendBack('vendUnconfirmed', 'unconfirmed')),
      event: EVENTS.vendSucceeded,
      to: settling(c, vendBack('vendUnconfirmed', 'unconfirmed')),
      effects: [],
    },
    {
      name: 'settling + urlOpened → busy',
      from: settling(c, back1('cancelPressed')),
      event: EVENTS.urlOpened,
      to: settling(c, back1('cancelPressed')),
      effects: [answer('busy')],
    },
  ];
  return rows.map((row) => ({ ...row, name: `${row.name} [${label}]` }));
}

/** Rows where the two kinds of machine differ: what a vend success charges. */
const chargeRows: Row[] = [
  {
    name: 'pre-auth vending + vendSucceeded → confirm the price, then release the rest',
    from: vending(preAuth),
    event: EVENTS.vendSucceeded,
    to: settling(
      preAuth,
      settlingRecord(preAuth, 'vended', [pending(confirmStep()), pending(releaseStep)], {
        vend: succeeded,
      }),
    ),
    effects: settleEffects(
      settlingRecord(preAuth, 'vended', [pending(confirmStep()), pending(releaseStep)], {
        vend: succeeded,
      }),
    ),
  },
  {
    name: 'pay-max vending + vendSucceeded → refund maximum minus price',
    from: vending(payMax),
    event: EVENTS.vendSucceeded,
    to: settling(
      payMax,
      settlingRecord(payMax, 'vended', [pending(refundStep(150))], { vend: succeeded }),
    ),
    effects: settleEffects(
      settlingRecord(payMax, 'vended', [pending(refundStep(150))], { vend: succeeded }),
    ),
  },
  {
    name: 'pre-auth settling + confirm done → journal it, release next',
    from: settling(
      preAuth,
      settlingRecord(preAuth, 'vended', [pending(confirmStep()), pending(releaseStep)], {
        vend: succeeded,
      }),
      2,
    ),
    event: EVENTS.moneyStepDone,
    to: settling(
      preAuth,
      settlingRecord(preAuth, 'vended', [doneStep(confirmStep()), pending(releaseStep)], {
        vend: succeeded,
      }),
    ),
    effects: [
      journal(
        settlingRecord(preAuth, 'vended', [doneStep(confirmStep()), pending(releaseStep)], {
          vend: succeeded,
        }),
      ),
      { type: 'stopTimers' },
      money(withRequest(preAuth), releaseStep),
    ],
  },
  {
    name: 'pre-auth settling + confirm refused → recorded, the rest is still released',
    from: settling(
      preAuth,
      settlingRecord(preAuth, 'vended', [pending(confirmStep()), pending(releaseStep)], {
        vend: succeeded,
      }),
    ),
    event: { type: 'moneyStepRefused', code: 'PRE_AUTH_RELEASED' },
    to: settling(
      preAuth,
      settlingRecord(
        preAuth,
        'vended',
        [
          { step: confirmStep(), status: 'refused', code: 'PRE_AUTH_RELEASED' },
          pending(releaseStep),
        ],
        { vend: succeeded },
      ),
    ),
    effects: [
      journal(
        settlingRecord(
          preAuth,
          'vended',
          [
            { step: confirmStep(), status: 'refused', code: 'PRE_AUTH_RELEASED' },
            pending(releaseStep),
          ],
          { vend: succeeded },
        ),
      ),
      { type: 'stopTimers' },
      money(withRequest(preAuth), releaseStep),
    ],
  },
];

/** Rows for the phases' other edges (reader, late events, done, idle). */
const otherRows: Row[] = [
  {
    name: 'idle (reader unavailable) + urlOpened → out of service, nothing created',
    from: idle(preAuth, false),
    event: EVENTS.urlOpened,
    to: idle(preAuth, false),
    effects: [answer('outOfService')],
  },
  {
    name: 'idle + readerReady → available',
    from: idle(preAuth, false),
    event: EVENTS.readerReady,
    to: idle(preAuth),
    effects: [],
  },
  ...(['readerDisabled', 'adapterSilent', 'disconnected', 'vmcReset'] as const).map(
    (type): Row => ({
      name: `idle + ${type} → unavailable`,
      from: idle(preAuth),
      event: { type },
      to: idle(preAuth, false),
      effects: [],
    }),
  ),
  {
    name: 'idle + a stale timer → unchanged',
    from: idle(preAuth),
    event: timer('backToIdle'),
    to: idle(preAuth),
    effects: [],
  },
  {
    name: 'creating + urlOpened → busy',
    from: creating(preAuth),
    event: EVENTS.urlOpened,
    to: creating(preAuth),
    effects: [answer('busy')],
  },
  {
    name: 'creating + disconnected → unavailable (the created request will be given back)',
    from: creating(preAuth),
    event: EVENTS.disconnected,
    to: creating(preAuth, false, false),
    effects: [],
  },
  {
    name: 'done + backToIdle timer → idle',
    from: PHASES.done,
    event: timer('backToIdle'),
    to: idle(preAuth),
    effects: [],
  },
  {
    name: 'done + dismissed → idle',
    from: PHASES.done,
    event: EVENTS.dismissed,
    to: idle(preAuth),
    effects: [],
  },
  {
    name: 'done + urlOpened → a new session starts at once',
    from: PHASES.done,
    event: { type: 'urlOpened', visitId: VISIT, sessionId: 'vs_2' },
    to: {
      ...creating(preAuth),
      record: record(preAuth, { sessionId: 'vs_2' }),
    } as VendingState,
    effects: [
      journal(record(preAuth, { sessionId: 'vs_2' })),
      {
        type: 'createRequest',
        sessionId: 'vs_2',
        terminalId: 'term-7',
        amountMinor: 400,
        currency: 'NZD',
        preAuth: true,
        reference: 'vs_2:create',
      },
    ],
  },
  {
    name: 'done (reader unavailable) + urlOpened → idle, out of service',
    from: done(preAuth, withRequest(preAuth, { stage: 'settled', reason: 'readerLost' }), false),
    event: EVENTS.urlOpened,
    to: idle(preAuth, false),
    effects: [answer('outOfService')],
  },
  {
    name: 'done + vendRequested late → deny and end',
    from: PHASES.done,
    event: EVENTS.vendRequested,
    to: PHASES.done,
    effects: [{ type: 'denyVend' }, END],
  },
  {
    name: 'done + sessionEnded late → unchanged',
    from: PHASES.done,
    event: EVENTS.sessionEnded,
    to: PHASES.done,
    effects: [],
  },
  {
    name: 'done + readerReady → available for the next session',
    from: done(preAuth, withRequest(preAuth, { stage: 'settled', reason: 'readerLost' }), false),
    event: EVENTS.readerReady,
    to: done(preAuth, withRequest(preAuth, { stage: 'settled', reason: 'readerLost' })),
    effects: [],
  },
  {
    name: 'pay-max vending + vendSucceeded at the maximum → done, nothing to refund',
    from: {
      ...vending(payMax),
      record: withRequest(payMax, {
        stage: 'vending',
        vend: { ...approved, priceMinor: 400 },
      }),
    } as VendingState,
    event: { type: 'vendSucceeded', priceMinor: 400, item: ITEM },
    to: done(
      payMax,
      withRequest(payMax, {
        stage: 'settled',
        reason: 'vended',
        vend: { ...succeeded, priceMinor: 400 },
      }),
    ),
    effects: finishEffects(
      withRequest(payMax, {
        stage: 'settled',
        reason: 'vended',
        vend: { ...succeeded, priceMinor: 400 },
      }),
    ),
  },
  {
    name: 'pre-auth vending + vendSucceeded at the maximum → confirm only, nothing to release',
    from: {
      ...vending(preAuth),
      record: withRequest(preAuth, {
        stage: 'vending',
        vend: { ...approved, priceMinor: 400 },
      }),
    } as VendingState,
    event: { type: 'vendSucceeded', priceMinor: 400, item: ITEM },
    to: settling(
      preAuth,
      settlingRecord(preAuth, 'vended', [pending(confirmStep(400))], {
        vend: { ...succeeded, priceMinor: 400 },
      }),
    ),
    effects: settleEffects(
      settlingRecord(preAuth, 'vended', [pending(confirmStep(400))], {
        vend: { ...succeeded, priceMinor: 400 },
      }),
    ),
  },
  {
    name: 'pre-auth awaitingPayment + paid but not authorized yet → keeps waiting',
    from: awaiting(preAuth),
    event: { type: 'statusObserved', status: 'paid' },
    to: awaiting(preAuth),
    effects: [],
  },
  {
    name: 'pre-auth checking + finalStatus paid with the hold released → give back',
    from: checking(preAuth),
    event: { type: 'finalStatus', status: 'paid', preAuthStatus: 'released' },
    to: settling(preAuth, settlingRecord(preAuth, 'outcomeUnknown', [pending(releaseStep)])),
    effects: settleEffects(settlingRecord(preAuth, 'outcomeUnknown', [pending(releaseStep)]), [
      UNWATCH,
    ]),
  },
  {
    name: 'pay-max awaitingPayment + paid (no pre-auth status) → startingSession',
    from: awaiting(payMax),
    event: { type: 'statusObserved', status: 'paid' },
    to: starting(payMax),
    effects: [
      journal(withRequest(payMax, { stage: 'paid' })),
      { type: 'stopTimers' },
      UNWATCH,
      { type: 'startSession', creditMinor: 400 },
      { type: 'startTimerIn', timer: 'sessionStart', delayMs: SESSION_START_LIMIT_MS },
    ],
  },
];

const ROWS: Row[] = [
  ...CONFIGS.flatMap(({ label, c }) => rowsFor(label, c)),
  ...chargeRows,
  ...otherRows,
];

describe('transitions (table)', () => {
  it.each(ROWS.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    const result = transitionVending(row.from, row.event);
    expect(result.state).toEqual(row.to);
    expect(result.effects).toEqual(row.effects);
  });

  it('every effect list that changes the record writes the journal first', () => {
    for (const row of ROWS) {
      const journalAt = row.effects.findIndex((effect) => effect.type === 'journal');
      if (journalAt >= 0) expect(journalAt, row.name).toBe(0);
      const moved = row.effects.some((effect) =>
        ['money', 'approveVend', 'startSession', 'createRequest'].includes(effect.type),
      );
      if (moved && row.event.type !== 'timerFired') expect(journalAt, row.name).toBe(0);
    }
  });
});

describe('refused transitions (phase × event matrix)', () => {
  const cells = (Object.keys(PHASES) as VendingPhase[]).flatMap((phase) =>
    EVENT_TYPES.map((type) => ({ phase, type, accepted: ACCEPTED[phase].includes(type) })),
  );

  it.each(cells.filter((cell) => !cell.accepted))(
    '$phase refuses $type, naming both',
    ({ phase, type }) => {
      const error = refusal(PHASES[phase], EVENTS[type]);
      expect(error.phase).toBe(phase);
      expect(error.event).toBe(type);
      expect(error.message).toContain(`'${type}' does not apply in phase '${phase}'`);
      expect(error.allowed).not.toContain(type);
    },
  );

  it.each(cells.filter((cell) => cell.accepted))('$phase accepts $type', ({ phase, type }) => {
    expect(() => transitionVending(PHASES[phase], EVENTS[type])).not.toThrow();
  });

  it('the allowed list of each refusal is exactly what the phase accepts', () => {
    for (const phase of Object.keys(PHASES) as VendingPhase[]) {
      const refused = EVENT_TYPES.find((type) => !ACCEPTED[phase].includes(type));
      if (!refused) continue;
      const error = refusal(PHASES[phase], EVENTS[refused]);
      expect([...error.allowed].sort(), phase).toEqual([...ACCEPTED[phase]].sort());
    }
  });

  it('a vend success without an approval is refused, never charged', () => {
    const error = refusal(sessionIdle(preAuth), EVENTS.vendSucceeded);
    expect(error.phase).toBe('sessionIdle');
    expect(error.event).toBe('vendSucceeded');
  });

  it('no cancel while the item is dropping', () => {
    expect(refusal(vending(payMax), EVENTS.cancelPressed).phase).toBe('vending');
  });
});

describe('journeys', () => {
  const start = (c: VendingConfig) => begin(idle(c));
  const toSession = (c: VendingConfig): VendingEvent[] => [
    EVENTS.urlOpened,
    EVENTS.created,
    { type: 'statusObserved', status: 'paid', preAuthStatus: c.preAuth ? 'authorized' : undefined },
    EVENTS.sessionStarted,
  ];
  const phases = (steps: VendingTransition[]) => steps.map((step) => step.state.phase);

  it('pre-auth success: confirm exactly the price, release the rest, settled', () => {
    const steps = walk(start(preAuth), [
      ...toSession(preAuth),
      EVENTS.vendRequested,
      EVENTS.vendSucceeded,
      { type: 'sessionEnded', reason: 'vendFinished' },
      EVENTS.moneyStepDone,
      EVENTS.moneyStepDone,
      timer('backToIdle'),
    ]);
    expect(phases(steps)).toEqual([
      'idle',
      'creating',
      'awaitingPayment',
      'startingSession',
      'sessionIdle',
      'vending',
      'settling',
      'settling',
      'settling',
      'done',
      'idle',
    ]);
    expect(moneyCalls(steps)).toEqual([confirmStep(PRICE), releaseStep]);
    const last = steps[9]?.state;
    expect(last?.phase === 'done' && last.record).toEqual(
      settlingRecord(preAuth, 'vended', [doneStep(confirmStep()), doneStep(releaseStep)], {
        stage: 'settled',
        vend: succeeded,
      }),
    );
  });

  it('pay-max success: refund maximum minus price, nothing else', () => {
    const steps = walk(start(payMax), [
      ...toSession(payMax),
      EVENTS.vendRequested,
      EVENTS.vendSucceeded,
      EVENTS.moneyStepDone,
    ]);
    expect(moneyCalls(steps)).toEqual([refundStep(400 - PRICE)]);
    expect(lastOf(steps).state.phase).toBe('done');
  });

  it.each(CONFIGS)('$label vend failure: everything given back, nothing charged', ({ c }) => {
    const steps = walk(start(c), [
      ...toSession(c),
      EVENTS.vendRequested,
      EVENTS.vendFailed,
      { type: 'sessionEnded', reason: 'vendFinished' },
      EVENTS.moneyStepDone,
    ]);
    expect(moneyCalls(steps)).toEqual([giveBack(c)]);
    const last = lastOf(steps).state;
    expect(last.phase === 'done' && last.record.reason).toBe('vendFailed');
  });

  it.each(CONFIGS)('$label selection timeout: the session ends, all given back', ({ c }) => {
    const steps = walk(start(c), [
      ...toSession(c),
      { type: 'sessionEnded', reason: 'selectionTimeout' },
      EVENTS.moneyStepDone,
    ]);
    expect(moneyCalls(steps)).toEqual([giveBack(c)]);
    const last = lastOf(steps).state;
    expect(last.phase === 'done' && last.record.reason).toBe('selectionTimeout');
  });

  it('payment timeout: give up after expiry, the last look says expired, nothing to give back', () => {
    const steps = walk(start(payMax), [
      EVENTS.urlOpened,
      EVENTS.created,
      { type: 'statusObserved', status: 'expired' },
      timer('giveUp'),
      { type: 'finalStatus', status: 'expired' },
    ]);
    expect(phases(steps)).toEqual([
      'idle',
      'creating',
      'awaitingPayment',
      'awaitingPayment',
      'checking',
      'done',
    ]);
    expect(moneyCalls(steps)).toEqual([]);
  });

  it.each(CONFIGS)(
    '$label disconnect mid-vend: the driver reports the failure, all given back',
    ({ c }) => {
      const steps = walk(start(c), [
        ...toSession(c),
        EVENTS.vendRequested,
        { ...EVENTS.vendFailed, reason: 'disconnected' } as VendingEvent,
        { type: 'sessionEnded', reason: 'disconnected' },
        EVENTS.disconnected,
        EVENTS.moneyStepDone,
        timer('backToIdle'),
        EVENTS.urlOpened,
      ]);
      expect(moneyCalls(steps)).toEqual([giveBack(c)]);
      expect(steps.flatMap((step) => step.effects)).not.toContainEqual({ type: 'endSession' });
      // Back at idle the reader is out of service until the driver is ready again.
      expect(lastOf(steps)).toEqual({ state: idle(c, false), effects: [answer('outOfService')] });
    },
  );

  it('disconnect mid-vend with no driver failure first: settled by the link loss alone', () => {
    const steps = walk(start(payMax), [
      ...toSession(payMax),
      EVENTS.vendRequested,
      EVENTS.disconnected,
    ]);
    expect(moneyCalls(steps)).toEqual([voidStep]);
  });

  it('money step unknown: retried with the same reference until it goes through', () => {
    const steps = walk(start(preAuth), [
      ...toSession(preAuth),
      EVENTS.vendRequested,
      EVENTS.vendSucceeded,
      EVENTS.moneyStepOutcomeUnknown,
      timer('moneyRetry'),
      EVENTS.moneyStepOutcomeUnknown,
      timer('moneyRetry'),
      EVENTS.moneyStepDone,
      EVENTS.moneyStepOutcomeUnknown,
      timer('moneyRetry'),
      EVENTS.moneyStepDone,
    ]);
    expect(moneyCalls(steps)).toEqual([
      confirmStep(),
      confirmStep(),
      confirmStep(),
      releaseStep,
      releaseStep,
    ]);
    const delays = steps
      .flatMap((step) => step.effects)
      .filter((effect) => effect.type === 'startTimerIn' && effect.timer === 'moneyRetry')
      .map((effect) => (effect.type === 'startTimerIn' ? effect.delayMs : 0));
    // The attempt count starts again for the release.
    expect(delays).toEqual([
      MONEY_RETRY_DELAYS_MS[0],
      MONEY_RETRY_DELAYS_MS[1],
      MONEY_RETRY_DELAYS_MS[0],
    ]);
    expect(lastOf(steps).state.phase).toBe('done');
  });

  it('money step unknown for good: handed to the reconciler, which repeats it with its reference', () => {
    const events: VendingEvent[] = [
      ...toSession(payMax),
      EVENTS.vendRequested,
      EVENTS.vendSucceeded,
    ];
    for (let i = 0; i < MONEY_RETRY_DELAYS_MS.length; i += 1) {
      events.push(EVENTS.moneyStepOutcomeUnknown, timer('moneyRetry'));
    }
    events.push(EVENTS.moneyStepOutcomeUnknown);
    const steps = walk(start(payMax), events);
    const last = lastOf(steps).state;
    expect(last.phase).toBe('done');
    if (last.phase !== 'done') return;
    expect(last.record.stage).toBe('settling');
    expect(last.record.money).toEqual([pending(refundStep(150))]);
    const again = recover(last.record);
    expect(again.effects).toEqual([journal(last.record), END, money(last.record, refundStep(150))]);
  });

  it('cancel while the request is being created: the late request is given back by id', () => {
    const steps = walk(start(preAuth), [
      EVENTS.urlOpened,
      EVENTS.cancelPressed,
      EVENTS.created,
      EVENTS.moneyStepDone,
    ]);
    expect(moneyCalls(steps)).toEqual([releaseStep]);
    expect(steps[3]?.effects).toContainEqual(money(withRequest(preAuth), releaseStep));
  });

  it('a session that starts after the kiosk gave up is ended, and its vend denied', () => {
    const steps = walk(start(payMax), [
      EVENTS.urlOpened,
      EVENTS.created,
      { type: 'statusObserved', status: 'paid' },
      timer('sessionStart'),
      EVENTS.sessionStarted,
      EVENTS.vendRequested,
      EVENTS.moneyStepDone,
    ]);
    expect(steps[5]?.effects).toEqual([END]);
    expect(steps[6]?.effects).toEqual([{ type: 'denyVend' }, END]);
    expect(moneyCalls(steps)).toEqual([voidStep]);
    expect(steps.flatMap((step) => step.effects)).not.toContainEqual(
      expect.objectContaining({ type: 'approveVend' }),
    );
  });

  it('nothing is ever charged twice: each reference is used for one kind of step', () => {
    const steps = walk(start(preAuth), [
      ...toSession(preAuth),
      EVENTS.vendRequested,
      EVENTS.vendSucceeded,
      EVENTS.moneyStepOutcomeUnknown,
      timer('moneyRetry'),
      EVENTS.moneyStepDone,
      EVENTS.moneyStepDone,
    ]);
    const byReference = new Map<string, MoneyStep>();
    for (const step of moneyCalls(steps)) {
      const seen = byReference.get(step.reference);
      if (seen) expect(step).toEqual(seen);
      byReference.set(step.reference, step);
    }
    expect([...byReference.keys()]).toEqual(['vs_1:confirm', 'vs_1:release']);
  });
});

describe('recover after a restart (one case per journal point)', () => {
  interface RecoverCase {
    name: string;
    record: VendingJournalRecord;
    /** The steps recover sends, in order, and whether it ends the session first. */
    steps: MoneyStep[];
    endSession: boolean;
  }
  const cases: RecoverCase[] = CONFIGS.flatMap(({ label, c }): RecoverCase[] => [
    {
      name: `${label}: creating (create outcome unknown) → give back by externalRef`,
      record: record(c),
      steps: [giveBack(c)],
      endSession: false,
    },
    {
      name: `${label}: awaiting payment → give back (cancels unpaid, returns paid)`,
      record: withRequest(c, { stage: 'awaitingPayment' }),
      steps: [giveBack(c)],
      endSession: false,
    },
    {
      name: `${label}: paid, session maybe starting → C,STOP, give back`,
      record: withRequest(c, { stage: 'paid' }),
      steps: [giveBack(c)],
      endSession: true,
    },
    {
      name: `${label}: session open → C,STOP, give back`,
      record: withRequest(c, { stage: 'sessionOpen' }),
      steps: [giveBack(c)],
      endSession: true,
    },
    {
      name: `${label}: vend approved, no result → unconfirmed: C,STOP, give back`,
      record: withRequest(c, { stage: 'vending', vend: approved }),
      steps: [giveBack(c)],
      endSession: true,
    },
    {
      name: `${label}: vend denied → C,STOP, give back`,
      record: withRequest(c, {
        stage: 'sessionOpen',
        vend: { ...approved, decision: 'denied' },
      }),
      steps: [giveBack(c)],
      endSession: true,
    },
    {
      name: `${label}: giving back pending → the same step, same reference`,
      record: settlingRecord(c, 'vendFailed', [pending(giveBack(c))], {
        vend: failedVend('vendFailed'),
      }),
      steps: [giveBack(c)],
      endSession: true,
    },
  ]);
  cases.push(
    {
      name: 'pre-auth: vend success recorded, confirm pending → confirm the price, then release',
      record: settlingRecord(preAuth, 'vended', [pending(confirmStep()), pending(releaseStep)], {
        vend: succeeded,
      }),
      steps: [confirmStep()],
      endSession: true,
    },
    {
      name: 'pre-auth: confirm done, release pending → release only (never confirm twice)',
      record: settlingRecord(preAuth, 'vended', [doneStep(confirmStep()), pending(releaseStep)], {
        vend: succeeded,
      }),
      steps: [releaseStep],
      endSession: true,
    },
    {
      name: 'pay-max: vend success recorded, refund pending → refund the difference',
      record: settlingRecord(payMax, 'vended', [pending(refundStep(150))], { vend: succeeded }),
      steps: [refundStep(150)],
      endSession: true,
    },
    {
      name: 'pre-auth: a vend success in an older record with no plan → charge, not give back',
      record: withRequest(preAuth, { stage: 'vending', vend: succeeded }),
      steps: [confirmStep()],
      endSession: true,
    },
  );

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, recoverCase) => {
    const { state, effects } = recover(deepFreeze(recoverCase.record));
    expect(state.phase).toBe('settling');
    expect(effects[0]?.type).toBe('journal');
    expect(effects.some((effect) => effect.type === 'endSession')).toBe(recoverCase.endSession);
    expect(effects.filter((effect) => effect.type === 'money').map((e) => e.step)).toEqual(
      recoverCase.steps,
    );
    // Charged only with a recorded success, and then exactly its price.
    const vend = recoverCase.record.vend;
    const charges = effects.flatMap((effect) =>
      effect.type === 'money' && effect.step.kind === 'confirm' ? [effect.step.amountMinor] : [],
    );
    if (vend?.result !== 'succeeded') expect(charges).toEqual([]);
  });

  it('recovered from an approved vend without result: recorded as unconfirmed', () => {
    const { state, effects } = recover(withRequest(payMax, { stage: 'vending', vend: approved }));
    const expected = settlingRecord(payMax, 'restarted', [pending(voidStep)], {
      vend: failedVend('noResult'),
    });
    expect(state).toEqual(settling(payMax, expected, 0, false));
    expect(effects).toEqual(settleEffects(expected, [END]));
  });

  it('recovery then runs on: the remaining steps finish the session', () => {
    const rec = settlingRecord(preAuth, 'vended', [pending(confirmStep()), pending(releaseStep)], {
      vend: succeeded,
    });
    const steps = walk(recover(rec), [EVENTS.moneyStepDone, EVENTS.moneyStepDone]);
    expect(moneyCalls(steps)).toEqual([confirmStep(), releaseStep]);
    const last = lastOf(steps).state;
    expect(last.phase === 'done' && last.record.stage).toBe('settled');
  });

  it('a settled record needs nothing', () => {
    const rec = withRequest(preAuth, { stage: 'settled', reason: 'expired' });
    expect(recover(rec)).toEqual({ state: done(preAuth, rec, false), effects: [] });
  });

  it('a settling record whose steps are all done or refused is just marked settled', () => {
    const rec = settlingRecord(payMax, 'vendFailed', [
      { step: voidStep, status: 'refused', code: 'VOID_WINDOW_EXCEEDED' },
    ]);
    const { state, effects } = recover(rec);
    expect(state).toEqual(done(payMax, { ...rec, stage: 'settled' }, false));
    expect(effects).toEqual(finishEffects({ ...rec, stage: 'settled' }, [END]));
  });

  it('a pay-max success at the maximum price has nothing to refund', () => {
    const rec = withRequest(payMax, {
      stage: 'vending',
      vend: { ...succeeded, priceMinor: 400 },
    });
    const { state, effects } = recover(rec);
    const settled = { ...rec, stage: 'settled' as const, reason: 'vended' as const };
    expect(state).toEqual(done(payMax, settled, false));
    expect(effects).toEqual(finishEffects(settled, [END]));
  });
});
