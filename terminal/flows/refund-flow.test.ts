// The refund machine with plain values: every accepted transition with its effects (table), the
// rest refused with an error naming phase and event (matrix), and the journey that proves a
// refund retried after an unknown outcome keeps its reference.
import { describe, expect, it } from 'vitest';
import { acceptedPairs, deepFreeze, refusalOf } from './testing/transition-tables.ts';
import type { RefundState, RefundTarget } from '../contract/state.ts';
import type { RefusedTransitionError } from './refused-transition.ts';
import {
  OUTCOME_UNKNOWN,
  refundableAmount,
  transitionRefund,
  type RefundEffect,
  type RefundEvent,
  type RefundTransition,
} from './refund-flow.ts';

type EventType = RefundEvent['type'];
type Phase = RefundState['phase'];

const target: RefundTarget = deepFreeze({
  id: 'pr_1',
  shortCode: 'CP-C7F-ZS5',
  status: 'paid',
  paidAmount: 5_000,
  refundedAmount: 1_000,
  currency: 'AUD',
  createdAt: '2026-11-25T09:00:00.000Z',
});

const idle: RefundState = deepFreeze({ phase: 'idle' });
const lookingUp: RefundState = deepFreeze({ phase: 'lookingUp', shortCode: 'CP-C7F-ZS5' });
const notFound: RefundState = deepFreeze({
  phase: 'notFound',
  shortCode: 'CP-C7F-ZS5',
  reason: 'unknown',
});
const found: RefundState = deepFreeze({ phase: 'found', target });
const refunding = (amount: number, reference: string): RefundState =>
  deepFreeze({ phase: 'refunding', target, amount, reference });
const refunded: RefundState = deepFreeze({
  phase: 'refunded',
  target,
  amount: 1_500,
  reference: 'ref-1',
});
const declinedWith = (code: string, amount = 1_500, reference = 'ref-1'): RefundState =>
  deepFreeze({ phase: 'refundDeclined', target, amount, reference, code });

const refundEffect = (amount: number, reference: string): RefundEffect => ({
  type: 'refund',
  requestId: target.id,
  amount,
  reference,
  currency: 'AUD',
});

const EVENTS: Record<EventType, RefundEvent> = deepFreeze({
  lookupRequested: { type: 'lookupRequested', shortCode: 'CP-NEW-001' },
  found: { type: 'found', target },
  notFound: { type: 'notFound', reason: 'unknown' },
  refundRequested: { type: 'refundRequested', amount: 1_500, newReference: 'ref-new' },
  refunded: { type: 'refunded' },
  refundRefused: { type: 'refundRefused', code: 'REFUND_EXCEEDS_PAID' },
  refundOutcomeUnknown: { type: 'refundOutcomeUnknown' },
  dismissed: { type: 'dismissed' },
});
const EVENT_TYPES = Object.keys(EVENTS) as EventType[];

const PHASES: Record<Phase, RefundState> = {
  idle,
  lookingUp,
  notFound,
  found,
  refunding: refunding(1_500, 'ref-1'),
  refunded,
  refundDeclined: declinedWith(OUTCOME_UNKNOWN),
};

const ACCEPTED: Record<Phase, EventType[]> = {
  idle: ['lookupRequested', 'dismissed'],
  lookingUp: ['found', 'notFound', 'dismissed'],
  notFound: ['lookupRequested', 'dismissed'],
  found: ['lookupRequested', 'refundRequested', 'dismissed'],
  refunding: ['refunded', 'refundRefused', 'refundOutcomeUnknown'],
  refunded: ['lookupRequested', 'dismissed'],
  refundDeclined: ['refundRequested', 'lookupRequested', 'dismissed'],
};

interface Row {
  name: string;
  from: RefundState;
  event: RefundEvent;
  to: RefundState;
  effects: RefundEffect[];
}

const lookupRows = (['idle', 'notFound', 'found', 'refunded', 'refundDeclined'] as const).map(
  (phase): Row => ({
    name: `${phase} + lookupRequested → lookingUp, look the code up`,
    from: PHASES[phase],
    event: EVENTS.lookupRequested,
    to: { phase: 'lookingUp', shortCode: 'CP-NEW-001' },
    effects: [{ type: 'lookup', shortCode: 'CP-NEW-001' }],
  }),
);

const dismissRows = (Object.keys(PHASES) as Phase[])
  .filter((phase) => phase !== 'refunding')
  .map((phase): Row => ({
    name: `${phase} + dismissed → idle`,
    from: PHASES[phase],
    event: EVENTS.dismissed,
    to: idle,
    effects: [],
  }));

const ROWS: Row[] = [
  ...lookupRows,
  ...dismissRows,
  {
    name: 'found + refundRequested → refunding with the new reference',
    from: found,
    event: { type: 'refundRequested', amount: 1_500, newReference: 'ref-1' },
    to: refunding(1_500, 'ref-1'),
    effects: [refundEffect(1_500, 'ref-1')],
  },
  {
    name: 'lookingUp + found → found',
    from: lookingUp,
    event: EVENTS.found,
    to: found,
    effects: [],
  },
  ...(['unknown', 'checksum', 'unreachable'] as const).map((reason): Row => ({
    name: `lookingUp + notFound (${reason}) → notFound, keeps the code`,
    from: lookingUp,
    event: { type: 'notFound', reason },
    to: { phase: 'notFound', shortCode: 'CP-C7F-ZS5', reason },
    effects: [],
  })),
  {
    name: 'refunding + refunded → refunded, journal the refund',
    from: refunding(1_500, 'ref-1'),
    event: EVENTS.refunded,
    to: refunded,
    effects: [{ type: 'journalRefund', requestId: target.id, amount: 1_500 }],
  },
  {
    name: 'refunding + refundRefused → refundDeclined with the API’s code',
    from: refunding(1_500, 'ref-1'),
    event: { type: 'refundRefused', code: 'REFUND_EXCEEDS_PAID' },
    to: declinedWith('REFUND_EXCEEDS_PAID'),
    effects: [],
  },
  {
    name: 'refunding + refundOutcomeUnknown → refundDeclined with OUTCOME_UNKNOWN',
    from: refunding(1_500, 'ref-1'),
    event: EVENTS.refundOutcomeUnknown,
    to: declinedWith(OUTCOME_UNKNOWN),
    effects: [],
  },
  {
    name: 'refundDeclined (unknown) + the same amount → the same reference',
    from: declinedWith(OUTCOME_UNKNOWN, 1_500, 'ref-1'),
    event: { type: 'refundRequested', amount: 1_500, newReference: 'ref-2' },
    to: refunding(1_500, 'ref-1'),
    effects: [refundEffect(1_500, 'ref-1')],
  },
  {
    name: 'refundDeclined (unknown) + another amount → the new reference',
    from: declinedWith(OUTCOME_UNKNOWN, 1_500, 'ref-1'),
    event: { type: 'refundRequested', amount: 1_400, newReference: 'ref-2' },
    to: refunding(1_400, 'ref-2'),
    effects: [refundEffect(1_400, 'ref-2')],
  },
  {
    name: 'refundDeclined (refused) + the same amount → the new reference',
    from: declinedWith('REFUND_EXCEEDS_PAID', 1_500, 'ref-1'),
    event: { type: 'refundRequested', amount: 1_500, newReference: 'ref-2' },
    to: refunding(1_500, 'ref-2'),
    effects: [refundEffect(1_500, 'ref-2')],
  },
];

function refusal(state: RefundState, event: RefundEvent): RefusedTransitionError {
  return refusalOf(transitionRefund, state, event);
}

describe('refundableAmount', () => {
  it('is what was paid less what earlier refunds returned', () => {
    expect(refundableAmount(target)).toBe(4_000);
    expect(refundableAmount({ ...target, refundedAmount: 5_000 })).toBe(0);
  });
});

describe('transitionRefund: every accepted transition', () => {
  it.each(ROWS)('$name', ({ from, event, to, effects }) => {
    expect(transitionRefund(from, event)).toEqual({ state: to, effects });
  });

  it('the table covers exactly the accepted phase × event pairs', () => {
    const covered = new Set(ROWS.map((row) => `${row.from.phase} + ${row.event.type}`));
    expect([...covered].sort()).toEqual(acceptedPairs(ACCEPTED));
  });
});

describe('transitionRefund: refused events', () => {
  const pairs = (Object.keys(PHASES) as Phase[]).flatMap((phase) =>
    EVENT_TYPES.filter((type) => !ACCEPTED[phase].includes(type)).map((type) => ({
      phase,
      type,
    })),
  );

  it.each(pairs)('$phase refuses $type, naming both', ({ phase, type }) => {
    const error = refusal(PHASES[phase], EVENTS[type]);
    expect(error.phase).toBe(phase);
    expect(error.event).toBe(type);
    expect(error.message).toContain(`'${phase}'`);
    expect(error.message).toContain(`'${type}'`);
    expect(error.allowed).not.toContain(type);
    for (const allowed of error.allowed) expect(ACCEPTED[phase]).toContain(allowed);
  });

  it('a refund in flight cannot be dismissed', () => {
    const error = refusal(refunding(1_500, 'ref-1'), EVENTS.dismissed);
    expect(error.phase).toBe('refunding');
    expect(error.event).toBe('dismissed');
    expect(error.allowed).toEqual(['refunded', 'refundRefused']);
  });

  it('a refund needs a found request: refused before the lookup and after a refund', () => {
    for (const state of [idle, notFound, refunded]) {
      const error = refusal(state, EVENTS.refundRequested);
      expect(error.event).toBe('refundRequested');
      expect(error.allowed).toEqual(['lookupRequested', 'dismissed']);
    }
  });
});

describe('journeys', () => {
  function walk(events: RefundEvent[]): RefundTransition[] {
    const steps: RefundTransition[] = [];
    let state = idle;
    for (const event of events) {
      const step = transitionRefund(deepFreeze(state), event);
      steps.push(step);
      state = step.state;
    }
    return steps;
  }

  it('unknown outcome: the same amount reuses the reference, another amount takes the new one', () => {
    const steps = walk([
      { type: 'lookupRequested', shortCode: 'CP-C7F-ZS5' },
      { type: 'found', target },
      { type: 'refundRequested', amount: 1_500, newReference: 'ref-1' },
      { type: 'refundOutcomeUnknown' },
      { type: 'refundRequested', amount: 1_500, newReference: 'ref-2' },
      { type: 'refundOutcomeUnknown' },
      { type: 'refundRequested', amount: 1_000, newReference: 'ref-3' },
      { type: 'refunded' },
      { type: 'dismissed' },
    ]);
    expect(steps.map((step) => step.effects)).toEqual([
      [{ type: 'lookup', shortCode: 'CP-C7F-ZS5' }],
      [],
      [refundEffect(1_500, 'ref-1')],
      [],
      [refundEffect(1_500, 'ref-1')],
      [],
      [refundEffect(1_000, 'ref-3')],
      [{ type: 'journalRefund', requestId: target.id, amount: 1_000 }],
      [],
    ]);
    expect(steps[7]?.state).toEqual({
      phase: 'refunded',
      target,
      amount: 1_000,
      reference: 'ref-3',
    });
    expect(steps[8]?.state).toEqual(idle);
  });

  it('a short code that is not found, then a good one', () => {
    const steps = walk([
      { type: 'lookupRequested', shortCode: 'CP-BAD-000' },
      { type: 'notFound', reason: 'checksum' },
      { type: 'lookupRequested', shortCode: 'CP-C7F-ZS5' },
      { type: 'found', target },
    ]);
    expect(steps[1]?.state).toEqual({
      phase: 'notFound',
      shortCode: 'CP-BAD-000',
      reason: 'checksum',
    });
    expect(steps[3]?.state).toEqual(found);
  });
});
