// Which screen shows, decided from the terminal's snapshot plus the UI's own state. A sale in
// progress always wins: the customer's flow must stay visible and current. A kiosk that drives a
// vending machine shows the machine's screens where another kiosk shows its attract screen.
import type { SaleState, VendingScreenPhase, VendingView } from '../contract.ts';
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
  | 'devices'
  | VendingScreenId;

/** A vending screen is named for the session's phase; an idle machine may be out of service. */
export type VendingScreenId = `vending-${VendingScreenPhase}` | 'vending-out-of-service';

/**
 * The vending machine's screen. The idle machine is out of service when it cannot take a payment:
 * no static URL (not set up) or no cashless reader. A session shown as done before its outcome
 * has arrived is still settling, as far as the consumer can tell.
 */
export function vendingScreen(vending: VendingView): VendingScreenId {
  switch (vending.phase) {
    case 'idle':
      return vending.staticUrl !== null && vending.readerAvailable
        ? 'vending-idle'
        : 'vending-out-of-service';
    case 'done':
      return vending.outcome ? 'vending-done' : 'vending-settling';
    case 'awaitingPayment':
    case 'startingSession':
    case 'choosing':
    case 'vending':
    case 'settling':
      return `vending-${vending.phase}`;
    default:
      return assertNever(vending.phase);
  }
}

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
      return kiosk.vending ? vendingScreen(kiosk.vending) : 'idle';
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
