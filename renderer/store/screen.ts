// Which screen shows, decided from the terminal's snapshot plus the UI's own state. A sale in
// progress always wins: the customer's flow must stay visible and current.
import type { SaleState } from '../contract.ts';
import type { KioskStoreState } from './types.ts';

export type ScreenId =
  | 'pairing'
  | 'connecting'
  | 'idle'
  | 'amount'
  | 'method'
  | 'qr'
  | 'voucher'
  | 'barcode'
  | 'processing'
  | 'paid'
  | 'declined'
  | 'expired'
  | 'cancelled'
  | 'pin'
  | 'attendant'
  | 'refund'
  | 'journal'
  | 'settings'
  | 'devices';

/** The screen for a sale in progress, or null when there is none. */
export function saleScreen(sale: SaleState): ScreenId | null {
  switch (sale.phase) {
    case 'idle':
      return null;
    case 'awaitingBarcode':
      return 'barcode';
    case 'awaitingPayment':
      switch (sale.order.method) {
        case 'qr':
          return 'qr';
        case 'voucher':
          return 'voucher';
        case 'barcode':
          // The wallet has been prompted; the consumer approves on their phone.
          return 'processing';
        default:
          return assertNever(sale.order.method);
      }
    case 'creating':
    case 'paying':
    case 'checking':
    case 'cancelling':
      return 'processing';
    case 'paid':
      return 'paid';
    case 'declined':
      return 'declined';
    case 'expired':
      return 'expired';
    case 'cancelled':
      return 'cancelled';
    default:
      return assertNever(sale);
  }
}

export function selectScreen(s: KioskStoreState): ScreenId {
  const kiosk = s.kiosk;
  if (!kiosk) return 'connecting';
  const sale = saleScreen(kiosk.sale);
  if (sale) return sale;

  const unlocked = kiosk.attendant.unlocked;
  // A refund under way (also after a reload, when the UI has forgotten its page) keeps its
  // screen for as long as the attendant is signed in.
  if (unlocked && kiosk.refund.phase !== 'idle') return 'refund';
  const page = s.attendantPage;
  if (page !== null) {
    if (!unlocked) return 'pin';
    return page === 'pin' || page === 'menu' ? 'attendant' : page;
  }
  switch (s.view) {
    case 'attract':
      return 'idle';
    case 'amount':
      return 'amount';
    case 'method':
      return 'method';
    default:
      return assertNever(s.view);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}

/** The sale state in one phase: `SaleIn<'paid'>`. */
export type SaleIn<P extends SaleState['phase']> = Extract<SaleState, { phase: P }>;
