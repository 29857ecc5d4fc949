import { describe, expect, it } from 'vitest';
import { createChangeFilter } from './model-changes.ts';
import { paymentRequestModel } from './testing/models.ts';

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 25, 9, 0, seconds)).toISOString();

describe('createChangeFilter', () => {
  it('passes the first model and every change, but not a repeat', () => {
    const isNews = createChangeFilter();
    const fresh = paymentRequestModel({ updatedAt: at(0) });
    expect(isNews(fresh)).toBe(true);
    // The same model again, as another read would build it (another object, other extra fields).
    expect(isNews({ ...fresh, url: 'http://other/pay/pr_test' })).toBe(false);
    expect(isNews(paymentRequestModel({ status: 'paid', updatedAt: at(30) }))).toBe(true);
    expect(isNews(paymentRequestModel({ status: 'paid', updatedAt: at(30) }))).toBe(false);
    // A refund is a write: same status, later updatedAt.
    expect(isNews(paymentRequestModel({ status: 'paid', updatedAt: at(50) }))).toBe(true);
  });

  it('drops a read older than what was delivered', () => {
    const isNews = createChangeFilter();
    expect(isNews(paymentRequestModel({ status: 'paid', updatedAt: at(30) }))).toBe(true);
    expect(isNews(paymentRequestModel({ status: 'new', updatedAt: at(0) }))).toBe(false);
  });

  it('passes expiry, which changes the status without a write, and never goes back', () => {
    const isNews = createChangeFilter();
    expect(isNews(paymentRequestModel({ status: 'new', updatedAt: at(0) }))).toBe(true);
    expect(isNews(paymentRequestModel({ status: 'expired', updatedAt: at(0) }))).toBe(true);
    expect(isNews(paymentRequestModel({ status: 'new', updatedAt: at(0) }))).toBe(false);
    // The core writes the lapse down a moment later: a new updatedAt, nothing new to act on,
    // but the model did change, so it is told.
    expect(isNews(paymentRequestModel({ status: 'expired', updatedAt: at(121) }))).toBe(true);
  });
});
