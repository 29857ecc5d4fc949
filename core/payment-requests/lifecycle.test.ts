import { describe, expect, it } from 'vitest';
import {
  decide,
  effectiveStatus,
  payRefusal,
  VOID_WINDOW_MS,
  type LifecycleState,
} from './lifecycle.ts';

const base: LifecycleState = {
  status: 'new',
  amount: 1000,
  createdAt: 0,
  expiresAt: 120_000,
  partialAllowed: false,
  paidAmount: 0,
  refundedAmount: 0,
  cancellationReason: null,
  preAuth: false,
  preAuthStatus: null,
  heldAmount: 0,
  preAuthExpiresAt: null,
};
const paid: LifecycleState = { ...base, status: 'paid', paidAmount: 1000 };
const at = 1_000;
const refusal = (state: LifecycleState, command: Parameters<typeof decide>[1]) => {
  const decision = decide(state, command);
  return decision.ok ? 'ok' : decision.code;
};

describe('payment request life cycle', () => {
  it('expires exactly at expiresAt', () => {
    expect(effectiveStatus(base, 119_999)).toBe('new');
    expect(effectiveStatus(base, 120_000)).toBe('expired');
    expect(payRefusal(base, 120_000)).toBe('REQUEST_EXPIRED');
  });

  it.each([
    ['new', base, 'ok'],
    ['paid', paid, 'REQUEST_PAID'],
    ['cancelled', { ...base, status: 'cancelled' as const }, 'REQUEST_CANCELLED'],
    ['expired', { ...base, expiresAt: 0 }, 'REQUEST_EXPIRED'],
  ])('pay on a %s request: %s', (_name, state, expected) => {
    expect(refusal(state, { type: 'pay', amount: 1000, at, holdUntil: 0 })).toBe(expected);
  });

  it('pays in part only where partial payment is allowed', () => {
    expect(refusal(base, { type: 'pay', amount: 400, at, holdUntil: 0 })).toBe(
      'INSUFFICIENT_ASSET_VALUE',
    );
    const decision = decide(
      { ...base, partialAllowed: true },
      { type: 'pay', amount: 400, at, holdUntil: 0 },
    );
    expect(decision).toMatchObject({ ok: true, state: { status: 'paid', paidAmount: 400 } });
    expect(refusal(base, { type: 'pay', amount: 1001, at, holdUntil: 0 })).toBe('INVALID_AMOUNT');
  });

  it('a payment debits the payer and records a payment activity', () => {
    expect(decide(base, { type: 'pay', amount: 1000, at, holdUntil: 0 })).toEqual({
      ok: true,
      state: { ...base, status: 'paid', paidAmount: 1000 },
      effects: [
        { type: 'debit-payer', amount: 1000 },
        { type: 'record-activity', activity: 'payment', amount: 1000 },
      ],
    });
  });

  it('void cancels a new request, refunds a paid one inside 24 h, and repeats harmlessly', () => {
    expect(decide(base, { type: 'void', at })).toMatchObject({
      ok: true,
      state: { status: 'cancelled', cancellationReason: 'CANCELLED_BY_MERCHANT' },
    });
    expect(decide(paid, { type: 'void', at })).toMatchObject({
      ok: true,
      state: { status: 'cancelled', refundedAmount: 1000 },
      effects: [
        { type: 'credit-payer', amount: 1000 },
        { type: 'record-activity', activity: 'refund' },
      ],
    });
    expect(refusal(paid, { type: 'void', at: VOID_WINDOW_MS + 1 })).toBe('VOID_WINDOW_EXCEEDED');
    expect(decide({ ...base, status: 'cancelled' }, { type: 'void', at })).toMatchObject({
      ok: true,
      effects: [],
    });
    expect(refusal({ ...paid, refundedAmount: 1000 }, { type: 'void', at })).toBe(
      'ALREADY_REFUNDED',
    );
  });

  it('refunds never exceed what was paid', () => {
    const command = { type: 'refund' as const, at, partialRefundAllowed: true };
    expect(refusal(base, { ...command, amount: 1 })).toBe('NOT_PAID');
    expect(refusal({ ...paid, refundedAmount: 600 }, { ...command, amount: 401 })).toBe(
      'INVALID_AMOUNT',
    );
    expect(refusal({ ...paid, refundedAmount: 1000 }, { ...command, amount: 1 })).toBe(
      'ALREADY_REFUNDED',
    );
    expect(refusal(paid, { ...command, amount: 500, partialRefundAllowed: false })).toBe(
      'PARTIAL_REFUNDS_NOT_ALLOWED',
    );
    expect(decide({ ...paid, refundedAmount: 600 }, { ...command, amount: 400 })).toMatchObject({
      ok: true,
      state: { refundedAmount: 1000 },
    });
  });

  describe('pre-auth', () => {
    const requested = { ...base, preAuth: true };
    const authorized: LifecycleState = {
      ...requested,
      status: 'paid',
      preAuthStatus: 'authorized',
      heldAmount: 1000,
      preAuthExpiresAt: 10_000,
    };

    it('authorizes by holding, not charging', () => {
      expect(decide(requested, { type: 'pay', amount: 1000, at, holdUntil: 10_000 })).toEqual({
        ok: true,
        state: authorized,
        effects: [
          { type: 'place-hold', amount: 1000, until: 10_000 },
          { type: 'record-activity', activity: 'authorization', amount: 1000 },
        ],
      });
    });

    it('confirms up to the hold, then releases the rest', () => {
      const confirmed = decide(authorized, { type: 'confirm', amount: 700, at });
      expect(confirmed).toMatchObject({
        ok: true,
        state: { paidAmount: 700 },
        effects: [{ type: 'draw-hold', amount: 700 }, {}],
      });
      const after = (confirmed as { state: LifecycleState }).state;
      expect(refusal(after, { type: 'confirm', amount: 301, at })).toBe('INVALID_AMOUNT');
      expect(decide(after, { type: 'release', at })).toMatchObject({
        ok: true,
        state: { preAuthStatus: 'released' },
        effects: [
          { type: 'release-hold', amount: 300 },
          { type: 'record-activity', activity: 'release', amount: 300 },
        ],
      });
    });

    it('refuses what does not fit the hold', () => {
      expect(refusal(base, { type: 'confirm', amount: 1, at })).toBe(
        'INVALID_PAYMENT_REQUEST_TYPE',
      );
      expect(refusal(requested, { type: 'confirm', amount: 1, at })).toBe('PRE_AUTH_PENDING');
      expect(refusal(authorized, { type: 'confirm', amount: 1, at: 10_000 })).toBe(
        'PRE_AUTH_RELEASED',
      );
      expect(refusal({ ...authorized, preAuthStatus: 'released' }, { type: 'release', at })).toBe(
        'PRE_AUTH_RELEASED',
      );
      expect(refusal({ ...authorized, paidAmount: 1 }, { type: 'void', at })).toBe(
        'PRE_AUTH_ALREADY_CONFIRMED',
      );
      expect(
        refusal(authorized, { type: 'refund', amount: 1, at, partialRefundAllowed: true }),
      ).toBe('PRE_AUTH_PENDING');
    });

    it('a lapse writes down an expired request or a lapsed hold, and nothing else', () => {
      expect(decide({ ...base, expiresAt: 0 }, { type: 'lapse', at })).toMatchObject({
        ok: true,
        state: { status: 'expired', cancellationReason: 'PAYMENT_REQUEST_EXPIRED' },
        effects: [{ type: 'record-activity', activity: 'expiry' }],
      });
      expect(decide(authorized, { type: 'lapse', at: 10_000 })).toMatchObject({
        ok: true,
        effects: [{ type: 'release-hold', amount: 1000 }, {}],
      });
      expect(decide(authorized, { type: 'lapse', at })).toMatchObject({ ok: true, effects: [] });
      expect(decide(paid, { type: 'lapse', at })).toMatchObject({ ok: true, effects: [] });
    });
  });
});
