// What the idle timeout does on each screen. The rule from the spec: a payment request
// abandoned on screen is voided at once, so a sale waiting for the consumer is cancelled
// before the kiosk returns to its attract screen.
import type { KioskState } from './contract.ts';
import { assertNever } from './store/screen.ts';
import type { KioskStoreState } from './store/types.ts';

/** Commands the idle timeout may send; all take an empty input. */
export type IdleCommand =
  'sale.cancel' | 'sale.dismiss' | 'refund.dismiss' | 'attendant.lock' | 'vending.dismiss';

export interface IdlePlan {
  /** `idle`: the long no-touch timeout; `result`: the shorter one of a result screen. */
  readonly after: 'idle' | 'result';
  /** Sent in order once the UI is back at the attract screen. */
  readonly commands: readonly IdleCommand[];
}

// Fixed plans, so a store selector returning one is stable between renders.
export const PLANS = {
  cancelSale: { after: 'idle', commands: ['sale.cancel'] },
  dismissSale: { after: 'result', commands: ['sale.dismiss'] },
  /** A result staff must see (a cancel the payment API refused) stays up the long timeout. */
  dismissSaleForStaff: { after: 'idle', commands: ['sale.dismiss'] },
  returnToAttract: { after: 'idle', commands: [] },
  lock: { after: 'idle', commands: ['attendant.lock'] },
  dismissRefundAndLock: { after: 'idle', commands: ['refund.dismiss', 'attendant.lock'] },
  /** A vending session's result, back to the static QR. */
  dismissVending: { after: 'result', commands: ['vending.dismiss'] },
  /** A vending result that asks the consumer to fetch staff stays up the long timeout. */
  dismissVendingForStaff: { after: 'idle', commands: ['vending.dismiss'] },
} as const satisfies Record<string, IdlePlan>;

/**
 * The idle plan for the current state, or null where no timeout applies: at the attract screen,
 * while the kiosk itself is busy (creating, paying, checking, cancelling, looking up, refunding;
 * a void the payment API keeps failing is left after the long timeout), and while a wallet is paying
 * (QR shown, or the patron prompted): there the consumer is busy on their phone, not on this
 * screen, and the request's own expiry ends the sale. A vending session runs on the kiosk's own
 * timers (payment expiry, selection and vend time-outs) until its result is on screen.
 */
export function idlePlan(
  s: Pick<KioskStoreState, 'kiosk' | 'view' | 'amount' | 'attendantPage'>,
): IdlePlan | null {
  const kiosk = s.kiosk;
  if (!kiosk) return null;
  const sale = salePlan(kiosk.sale);
  if (sale !== undefined) return sale;

  // An unattended kiosk must not stay signed in for the next passer-by.
  if (kiosk.attendant.unlocked) {
    switch (kiosk.refund.phase) {
      case 'lookingUp':
      case 'refunding':
        return null;
      case 'notFound':
      case 'found':
      case 'refunded':
      case 'refundDeclined':
        return PLANS.dismissRefundAndLock;
      case 'idle':
        return PLANS.lock;
      default:
        return assertNever(kiosk.refund);
    }
  }
  const away = s.view !== 'attract' || s.amount !== 0 || s.attendantPage !== null;
  if (away) return PLANS.returnToAttract;
  if (kiosk.vending?.phase !== 'done') return null;
  return kiosk.vending.outcome?.refused ? PLANS.dismissVendingForStaff : PLANS.dismissVending;
}

/** undefined: no sale on screen, decide by the rest. */
function salePlan(sale: KioskState['sale']): IdlePlan | null | undefined {
  switch (sale.phase) {
    case 'idle':
      return undefined;
    case 'awaitingBarcode':
      return PLANS.cancelSale;
    case 'awaitingPayment':
      return sale.order.method === 'voucher' ? PLANS.cancelSale : null;
    case 'creating':
    case 'paying':
    case 'checking':
      return null;
    case 'cancelling':
      // An unattended kiosk must not wait forever on a payment API that is down: leaving hands
      // the void to the journal, which finishes it once the API answers.
      return sale.retrying ? PLANS.dismissSaleForStaff : null;
    case 'declined':
      // A declined voucher leaves its request open for another code: abandon it properly.
      return sale.canRetry ? PLANS.cancelSale : PLANS.dismissSale;
    case 'cancelled':
      return sale.reason === 'void-refused' ? PLANS.dismissSaleForStaff : PLANS.dismissSale;
    case 'paid':
    case 'expired':
      return PLANS.dismissSale;
    default:
      return assertNever(sale);
  }
}
