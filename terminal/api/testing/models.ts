// Well-formed wire models for tests that play the core.
import type { Activity, PaymentRequest } from '../wire.ts';

export function paymentRequestModel(overrides: Partial<PaymentRequest> = {}): PaymentRequest {
  return {
    id: 'pr_test',
    shortCode: 'CP-C7F-ZS5',
    url: 'http://kiosk.test/pay/pr_test',
    merchantId: 'demo-merchant',
    merchantName: 'Demo Café',
    configId: 'mc_demo',
    value: { amount: '300', currency: 'NZD' },
    status: 'new',
    liveness: 'test',
    createdAt: '2026-11-25T09:00:00.000Z',
    updatedAt: '2026-11-25T09:00:00.000Z',
    expiresAt: '2026-11-25T09:02:00.000Z',
    ...overrides,
  };
}

export function activityModel(overrides: Partial<Activity> = {}): Activity {
  return {
    id: 'act_test',
    type: 'payment',
    value: { amount: '300', currency: 'NZD' },
    paymentRequestId: 'pr_test',
    createdAt: '2026-11-25T09:00:30.000Z',
    ...overrides,
  };
}
