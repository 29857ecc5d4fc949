// The payment-request life cycle as a pure function: state + command → new state + effects,
// or the rule that refuses it. The database and the assets live at the edge (service.ts).
import type { ErrorCode } from '../errors.ts';

export type RequestStatus = 'new' | 'paid' | 'cancelled' | 'expired';

export interface LifecycleState {
  status: RequestStatus;
  amount: number;
  createdAt: number;
  expiresAt: number;
  partialAllowed: boolean;
  /** What the payment collected; 0 before payment. */
  paidAmount: number;
  refundedAmount: number;
  cancellationReason: string | null;
}

export type LifecycleCommand =
  /** `amount` is what the asset pays; the request's value unless partial payment is allowed. */
  | { type: 'pay'; amount: number; at: number }
  | { type: 'void'; at: number }
  | { type: 'refund'; amount: number; at: number; partialRefundAllowed: boolean };

export type Effect =
  | { type: 'debit-payer'; amount: number }
  | { type: 'credit-payer'; amount: number }
  | { type: 'record-activity'; activity: 'payment' | 'refund' | 'cancellation'; amount: number };

export type Decision =
  { ok: true; state: LifecycleState; effects: Effect[] } | { ok: false; code: ErrorCode };

export const VOID_WINDOW_MS = 24 * 3600 * 1000;
/** Centrapay documents a refund window without its length; a year covers any receipt a customer keeps. */
export const REFUND_WINDOW_MS = 365 * 24 * 3600 * 1000;

/** The status every reader and writer sees: a `new` request is expired from `expiresAt` on. */
export function effectiveStatus(
  state: Pick<LifecycleState, 'status' | 'expiresAt'>,
  now: number,
): RequestStatus {
  return state.status === 'new' && now >= state.expiresAt ? 'expired' : state.status;
}

export function remainingAmount(state: LifecycleState): number {
  return state.status === 'paid' ? state.amount - state.paidAmount : state.amount;
}

export function decide(state: LifecycleState, command: LifecycleCommand): Decision {
  const status = effectiveStatus(state, command.at);
  switch (command.type) {
    case 'pay':
      return decidePay(state, status, command.amount);
    case 'void':
      return decideVoid(state, status, command.at);
    case 'refund':
      return decideRefund(state, status, command);
  }
}

/** Why a request cannot be paid now, if it cannot: checked before any asset is looked at. */
export function payRefusal(state: LifecycleState, at: number): ErrorCode | undefined {
  const status = effectiveStatus(state, at);
  return status === 'new' ? undefined : STATUS_REFUSALS[status];
}

function decidePay(state: LifecycleState, status: RequestStatus, amount: number): Decision {
  if (status !== 'new') return { ok: false, code: STATUS_REFUSALS[status] };
  if (amount <= 0 || amount > state.amount) return { ok: false, code: 'INVALID_AMOUNT' };
  if (amount < state.amount && !state.partialAllowed)
    return { ok: false, code: 'INSUFFICIENT_ASSET_VALUE' };
  return {
    ok: true,
    state: { ...state, status: 'paid', paidAmount: amount },
    effects: [
      { type: 'debit-payer', amount },
      { type: 'record-activity', activity: 'payment', amount },
    ],
  };
}

function decideVoid(state: LifecycleState, status: RequestStatus, at: number): Decision {
  switch (status) {
    case 'new':
      return {
        ok: true,
        state: { ...state, status: 'cancelled', cancellationReason: 'CANCELLED_BY_MERCHANT' },
        effects: [{ type: 'record-activity', activity: 'cancellation', amount: state.amount }],
      };
    case 'cancelled':
      // A terminal voids again when it never heard the first answer: nothing more to do.
      return { ok: true, state, effects: [] };
    case 'expired':
      return { ok: false, code: 'REQUEST_EXPIRED' };
    case 'paid': {
      if (at - state.createdAt > VOID_WINDOW_MS) return { ok: false, code: 'VOID_WINDOW_EXCEEDED' };
      const refundable = state.paidAmount - state.refundedAmount;
      if (refundable <= 0) return { ok: false, code: 'ALREADY_REFUNDED' };
      return {
        ok: true,
        state: {
          ...state,
          status: 'cancelled',
          cancellationReason: 'CANCELLED_BY_MERCHANT',
          refundedAmount: state.paidAmount,
        },
        effects: [
          { type: 'credit-payer', amount: refundable },
          { type: 'record-activity', activity: 'refund', amount: refundable },
        ],
      };
    }
  }
}

function decideRefund(
  state: LifecycleState,
  status: RequestStatus,
  command: Extract<LifecycleCommand, { type: 'refund' }>,
): Decision {
  if (status !== 'paid')
    return { ok: false, code: state.paidAmount > 0 ? 'ALREADY_REFUNDED' : 'NOT_PAID' };
  if (command.at - state.createdAt > REFUND_WINDOW_MS)
    return { ok: false, code: 'REFUND_WINDOW_EXCEEDED' };
  const refundable = state.paidAmount - state.refundedAmount;
  if (refundable <= 0) return { ok: false, code: 'ALREADY_REFUNDED' };
  if (command.amount > refundable) return { ok: false, code: 'INVALID_AMOUNT' };
  if (command.amount < state.paidAmount && !command.partialRefundAllowed) {
    return { ok: false, code: 'PARTIAL_REFUNDS_NOT_ALLOWED' };
  }
  return {
    ok: true,
    state: { ...state, refundedAmount: state.refundedAmount + command.amount },
    effects: [
      { type: 'credit-payer', amount: command.amount },
      { type: 'record-activity', activity: 'refund', amount: command.amount },
    ],
  };
}

const STATUS_REFUSALS = {
  paid: 'REQUEST_PAID',
  cancelled: 'REQUEST_CANCELLED',
  expired: 'REQUEST_EXPIRED',
} as const;
