// Snapshots for tests: a kiosk at rest, and sales in each phase.
import type { KioskState, RequestSummary, SaleOrder, SaleState } from '../contract.ts';

export const order: SaleOrder = {
  saleId: 'sale_1',
  method: 'qr',
  amount: 1250,
  currency: 'NZD',
  lines: [],
};

export const request: RequestSummary = {
  id: 'pr_1',
  shortCode: 'CP-C7F-ZS5',
  url: 'http://127.0.0.1:3000/pay/pr_1',
  expiresAt: '2026-01-01T00:05:00.000Z',
};

export function kioskState(overrides: Partial<KioskState> = {}): KioskState {
  return {
    merchantName: 'Demo Café',
    currency: 'NZD',
    terminalId: 'term_1',
    apiReachable: true,
    sale: { phase: 'idle' },
    refund: { phase: 'idle' },
    attendant: { unlocked: false, lockedUntil: null },
    devices: [],
    ...overrides,
  };
}

export function withSale(sale: SaleState, overrides: Partial<KioskState> = {}): KioskState {
  return kioskState({ ...overrides, sale });
}
