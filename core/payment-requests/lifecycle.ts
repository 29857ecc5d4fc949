// The payment-request life cycle as a pure function: state + command → new state + effects,
// or the rule that refuses it. The database and the assets live at the edge (service.ts).
import type { ErrorCode } from '../errors.ts';

export type RequestStatus = 'new' | 'paid' | 'cancelled' | 'expired';
export type PreAuthStatus = 'authorized' | 'released';

export interface LifecycleState {
  status: RequestStatus;
  amount: number;
  createdAt: number;
  expiresAt: number;
  partialAllowed: boolean;
  /** What the payer was charged: the payment, or the sum of pre-auth confirmations. */
  paidAmount: number;
  refundedAmount: number;
  cancellationReason: string | null;
  preAuth: boolean;
  preAuthStatus: PreAuthStatus | null;
  /** What a pre-auth authorization holds on the payer's asset. */
  heldAmount: number;
  preAuthExpiresAt: number | null;
}

export type LifecycleCommand =
  /** `amount` is what the asset pays (or holds); the value unless partial payment is allowed. */
  | { type: 'pay'; amount: number; at: number; holdUntil: number }
  | { type: 'void'; at: number }
  /** Cancels an unpaid request and never refunds (the legacy requests.cancel). */
  | { type: 'cancel'; at: number }
  | { type: 'refund'; amount: number; at: number; partialRefundAllowed: boolean }
  | { type: 'confirm'; amount: number; at: number }
  | { type: 'release'; at: number }
  /** Writes down what time already decided: an unpaid request expired, or a hold lapsed. */
  | { type: 'lapse'; at: number };

export type ActivityType =
  'payment' | 'refund' | 'cancellation' | 'expiry' | 'authorization' | 'confirmation' | 'release';

export type Effect =
  | { type: 'debit-payer'; amount: number }
  | { type: 'credit-payer'; amount: number }
  | { type: 'place-hold'; amount: number; until: number }
  /** Charges part of the hold: the payer is debited and the hold shrinks by as much. */
  | { type: 'draw-hold'; amount: number }
  | { type: 'release-hold'; amount: number }
  | { type: 'record-activity'; activity: ActivityType; amount: number };

export type Decision =
  { ok: true; state: LifecycleState; effects: Effect[] } | { ok: false; code: ErrorCode };

export const VOID_WINDOW_MS = 24 * 3600 * 1000;
/** Centrapay documents a refund window without its length; a year covers any receipt a customer keeps. */
export const REFUND_WINDOW_MS = 365 * 24 * 3600 * 1000;
/** How long an unconfirmed hold lasts before it releases itself (Centrapay: three months). */
export const PRE_AUTH_HOLD_MS = 90 * 24 * 3600 * 1000;

/** The status every reader and writer sees: a `new` request is expired from `expiresAt` on. */
export function effectiveStatus(
  state: Pick<LifecycleState, 'status' | 'expiresAt'>,
  now: number,
): RequestStatus {
  return state.status === 'new' && now >= state.expiresAt ? 'expired' : state.status;
}

/** A hold is released from `preAuthExpiresAt` on, for every reader and writer. */
export function effectivePreAuthStatus(
  state: Pick<LifecycleState, 'preAuthStatus' | 'preAuthExpiresAt'>,
  now: number,
): PreAuthStatus | null {
  if (state.preAuthStatus !== 'authorized') return state.preAuthStatus;
  return state.preAuthExpiresAt !== null && now >= state.preAuthExpiresAt
    ? 'released'
    : 'authorized';
}

export function remainingAmount(state: LifecycleState): number {
  if (state.status !== 'paid') return state.amount;
  return state.amount - (state.preAuth ? state.heldAmount : state.paidAmount);
}

const STATUS_REFUSALS = {
  paid: 'REQUEST_PAID',
  cancelled: 'REQUEST_CANCELLED',
  expired: 'REQUEST_EXPIRED',
} as const;

/** Why a request cannot be paid now, if it cannot: checked before any asset is looked at. */
export function payRefusal(state: LifecycleState, at: number): ErrorCode | undefined {
  const status = effectiveStatus(state, at);
  return status === 'new' ? undefined : STATUS_REFUSALS[status];
}

export function decide(state: LifecycleState, command: LifecycleCommand): Decision {
  const status = effectiveStatus(state, command.at);
  const preAuthStatus = effectivePreAuthStatus(state, command.at);
  switch (command.type) {
    case 'pay':
      return decidePay(state, status, command);
    case 'void':
      return decideVoid(state, status, preAuthStatus, command.at);
    case 'cancel':
      return status === 'paid'
        ? refuse('REQUEST_PAID')
        : decideVoid(state, status, preAuthStatus, command.at);
    case 'refund':
      return decideRefund(state, status, command);
    case 'confirm':
      return decideConfirm(state, status, preAuthStatus, command.amount);
    case 'release':
      return decideRelease(state, status, preAuthStatus);
    case 'lapse':
      return decideLapse(state, status, preAuthStatus);
  }
}

const refuse = (code: ErrorCode): Decision => ({ ok: false, code });

function decidePay(
  state: LifecycleState,
  status: RequestStatus,
  { amount, holdUntil }: Extract<LifecycleCommand, { type: 'pay' }>,
): Decision {
  if (status !== 'new') return refuse(STATUS_REFUSALS[status]);
  if (amount <= 0 || amount > state.amount) return refuse('INVALID_AMOUNT');
  if (amount < state.amount && !state.partialAllowed) return refuse('INSUFFICIENT_ASSET_VALUE');
  if (state.preAuth) {
    return {
      ok: true,
      state: {
        ...state,
        status: 'paid',
        preAuthStatus: 'authorized',
        heldAmount: amount,
        preAuthExpiresAt: holdUntil,
      },
      effects: [
        { type: 'place-hold', amount, until: holdUntil },
        { type: 'record-activity', activity: 'authorization', amount },
      ],
    };
  }
  return {
    ok: true,
    state: { ...state, status: 'paid', paidAmount: amount },
    effects: [
      { type: 'debit-payer', amount },
      { type: 'record-activity', activity: 'payment', amount },
    ],
  };
}

function cancel(state: LifecycleState, effects: Effect[]): Decision {
  return {
    ok: true,
    state: { ...state, status: 'cancelled', cancellationReason: 'CANCELLED_BY_MERCHANT' },
    effects,
  };
}

function decideVoid(
  state: LifecycleState,
  status: RequestStatus,
  preAuthStatus: PreAuthStatus | null,
  at: number,
): Decision {
  switch (status) {
    case 'new':
      return cancel(state, [
        { type: 'record-activity', activity: 'cancellation', amount: state.amount },
      ]);
    case 'cancelled':
      // A terminal voids again when it never heard the first answer: nothing more to do.
      return { ok: true, state, effects: [] };
    case 'expired':
      return refuse('REQUEST_EXPIRED');
    case 'paid': {
      if (at - state.createdAt > VOID_WINDOW_MS) return refuse('VOID_WINDOW_EXCEEDED');
      if (state.preAuth) {
        if (state.paidAmount > 0) return refuse('PRE_AUTH_ALREADY_CONFIRMED');
        const held = preAuthStatus === 'authorized' ? state.heldAmount : 0;
        return cancel({ ...state, preAuthStatus: 'released' }, [
          ...(held > 0 ? [{ type: 'release-hold', amount: held } as const] : []),
          { type: 'record-activity', activity: 'cancellation', amount: state.amount },
        ]);
      }
      const refundable = state.paidAmount - state.refundedAmount;
      if (refundable <= 0) return refuse('ALREADY_REFUNDED');
      return cancel({ ...state, refundedAmount: state.paidAmount }, [
        { type: 'credit-payer', amount: refundable },
        { type: 'record-activity', activity: 'refund', amount: refundable },
      ]);
    }
  }
}

function decideRefund(
  state: LifecycleState,
  status: RequestStatus,
  command: Extract<LifecycleCommand, { type: 'refund' }>,
): Decision {
  if (status !== 'paid') return refuse(state.paidAmount > 0 ? 'ALREADY_REFUNDED' : 'NOT_PAID');
  if (state.preAuth && state.paidAmount === 0) return refuse('PRE_AUTH_PENDING');
  if (command.at - state.createdAt > REFUND_WINDOW_MS) return refuse('REFUND_WINDOW_EXCEEDED');
  const refundable = state.paidAmount - state.refundedAmount;
  if (refundable <= 0) return refuse('ALREADY_REFUNDED');
  if (command.amount > refundable) return refuse('INVALID_AMOUNT');
  if (command.amount < state.paidAmount && !command.partialRefundAllowed) {
    return refuse('PARTIAL_REFUNDS_NOT_ALLOWED');
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

function decideConfirm(
  state: LifecycleState,
  status: RequestStatus,
  preAuthStatus: PreAuthStatus | null,
  amount: number,
): Decision {
  if (!state.preAuth) return refuse('INVALID_PAYMENT_REQUEST_TYPE');
  if (status === 'cancelled') return refuse('REQUEST_CANCELLED');
  if (status === 'expired') return refuse('REQUEST_EXPIRED');
  if (status === 'new') return refuse('PRE_AUTH_PENDING');
  if (preAuthStatus !== 'authorized') return refuse('PRE_AUTH_RELEASED');
  if (amount <= 0 || state.paidAmount + amount > state.heldAmount) return refuse('INVALID_AMOUNT');
  return {
    ok: true,
    state: { ...state, paidAmount: state.paidAmount + amount },
    effects: [
      { type: 'draw-hold', amount },
      { type: 'record-activity', activity: 'confirmation', amount },
    ],
  };
}

function decideRelease(
  state: LifecycleState,
  status: RequestStatus,
  preAuthStatus: PreAuthStatus | null,
): Decision {
  if (!state.preAuth) return refuse('INVALID_PAYMENT_REQUEST_TYPE');
  if (status === 'new') {
    // Released before anyone authorized it: the request is simply cancelled.
    return cancel(state, [
      { type: 'record-activity', activity: 'cancellation', amount: state.amount },
    ]);
  }
  if (status === 'cancelled') return refuse('REQUEST_CANCELLED');
  if (status === 'expired') return refuse('REQUEST_EXPIRED');
  if (preAuthStatus !== 'authorized') return refuse('PRE_AUTH_RELEASED');
  return releaseRest(state);
}

function releaseRest(state: LifecycleState): Decision {
  const rest = state.heldAmount - state.paidAmount;
  return {
    ok: true,
    state: { ...state, preAuthStatus: 'released' },
    effects: [
      ...(rest > 0 ? [{ type: 'release-hold', amount: rest } as const] : []),
      { type: 'record-activity', activity: 'release', amount: rest },
    ],
  };
}

function decideLapse(
  state: LifecycleState,
  status: RequestStatus,
  preAuthStatus: PreAuthStatus | null,
): Decision {
  if (state.status === 'new' && status === 'expired') {
    return {
      ok: true,
      state: { ...state, status: 'expired', cancellationReason: 'PAYMENT_REQUEST_EXPIRED' },
      effects: [{ type: 'record-activity', activity: 'expiry', amount: state.amount }],
    };
  }
  if (state.preAuthStatus === 'authorized' && preAuthStatus === 'released')
    return releaseRest(state);
  return { ok: true, state, effects: [] };
}
