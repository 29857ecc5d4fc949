// Refund by short code as a pure state machine: look the payment request up, refund an amount.
// A refund is idempotent by its externalRef (`reference`), so trying again after an unknown
// outcome reuses the reference and can never refund twice.
import type { Currency, RefundState, RefundTarget } from '../contract/state.ts';
import { assertNever, RefusedTransitionError } from './refused-transition.ts';

export type RefundEvent =
  | { type: 'lookupRequested'; shortCode: string }
  | { type: 'found'; target: RefundTarget }
  | { type: 'notFound'; reason: 'unknown' | 'checksum' | 'unreachable' }
  | { type: 'refundRequested'; amount: number; newReference: string }
  | { type: 'refunded' }
  | { type: 'refundRefused'; code: string }
  | { type: 'refundOutcomeUnknown' }
  | { type: 'dismissed' };

export type RefundEffect =
  | { type: 'lookup'; shortCode: string }
  | { type: 'refund'; requestId: string; amount: number; reference: string; currency: Currency }
  | { type: 'journalRefund'; requestId: string; amount: number };

export interface RefundTransition {
  state: RefundState;
  effects: RefundEffect[];
}

export const OUTCOME_UNKNOWN = 'OUTCOME_UNKNOWN';

export function refundableAmount(target: RefundTarget): number {
  return target.paidAmount - target.refundedAmount;
}

export function transitionRefund(state: RefundState, event: RefundEvent): RefundTransition {
  if (event.type === 'dismissed') {
    if (state.phase === 'refunding') refuse(state, event, ['refunded', 'refundRefused']);
    return { state: { phase: 'idle' }, effects: [] };
  }
  switch (state.phase) {
    case 'idle':
    case 'notFound':
    case 'found':
    case 'refunded':
      if (event.type === 'lookupRequested') {
        return {
          state: { phase: 'lookingUp', shortCode: event.shortCode },
          effects: [{ type: 'lookup', shortCode: event.shortCode }],
        };
      }
      if (event.type === 'refundRequested' && state.phase === 'found') {
        return refund(state.target, event.amount, event.newReference);
      }
      return refuse(state, event, ['lookupRequested', 'dismissed']);

    case 'lookingUp':
      if (event.type === 'found')
        return { state: { phase: 'found', target: event.target }, effects: [] };
      if (event.type === 'notFound') {
        return {
          state: { phase: 'notFound', shortCode: state.shortCode, reason: event.reason },
          effects: [],
        };
      }
      return refuse(state, event, ['found', 'notFound']);

    case 'refunding':
      switch (event.type) {
        case 'refunded':
          return {
            state: { ...state, phase: 'refunded' },
            effects: [{ type: 'journalRefund', requestId: state.target.id, amount: state.amount }],
          };
        case 'refundRefused':
          return { state: { ...state, phase: 'refundDeclined', code: event.code }, effects: [] };
        case 'refundOutcomeUnknown':
          return {
            state: { ...state, phase: 'refundDeclined', code: OUTCOME_UNKNOWN },
            effects: [],
          };
        default:
          return refuse(state, event, ['refunded', 'refundRefused', 'refundOutcomeUnknown']);
      }

    case 'refundDeclined':
      if (event.type === 'refundRequested') {
        // After an unknown outcome the same amount keeps its reference: the API answers the
        // first refund again instead of making a second one.
        const sameRefund = state.code === OUTCOME_UNKNOWN && event.amount === state.amount;
        return refund(
          state.target,
          event.amount,
          sameRefund ? state.reference : event.newReference,
        );
      }
      if (event.type === 'lookupRequested') {
        return {
          state: { phase: 'lookingUp', shortCode: event.shortCode },
          effects: [{ type: 'lookup', shortCode: event.shortCode }],
        };
      }
      return refuse(state, event, ['refundRequested', 'lookupRequested', 'dismissed']);

    default:
      return assertNever(state);
  }
}

function refund(target: RefundTarget, amount: number, reference: string): RefundTransition {
  return {
    state: { phase: 'refunding', target, amount, reference },
    effects: [
      { type: 'refund', requestId: target.id, amount, reference, currency: target.currency },
    ],
  };
}

function refuse(state: RefundState, event: RefundEvent, allowed: string[]): never {
  throw new RefusedTransitionError(state.phase, event.type, allowed);
}
