// Snapshots for tests: a kiosk at rest, sales in each phase, and a vending machine.
import type { KioskState, RequestSummary, SaleOrder, SaleState, VendingView } from '../contract.ts';

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
    vending: null,
    ...overrides,
  };
}

export function withSale(sale: SaleState, overrides: Partial<KioskState> = {}): KioskState {
  return kioskState({ ...overrides, sale });
}

/** A vending machine whose items cost up to NZ$4.00, idle and ready to sell. */
export function vendingView(overrides: Partial<VendingView> = {}): VendingView {
  return {
    phase: 'idle',
    staticUrl: 'http://127.0.0.1:3000/v/term_1',
    readerAvailable: true,
    currency: 'NZD',
    maxPrice: 400,
    request: null,
    vend: null,
    outcome: null,
    ...overrides,
  };
}

export function withVending(overrides: Partial<VendingView> = {}): KioskState {
  return kioskState({ vending: vendingView(overrides) });
}
