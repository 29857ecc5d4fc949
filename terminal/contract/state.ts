// What the kiosk shows: one serialisable snapshot, pushed to the UI on every change.
import type { BasketLine, PaymentMethod } from './commands.ts';

export type Currency = 'NZD' | 'AUD';

/** The sale as the attendant started it; `saleId` is also the payment request's externalRef. */
export interface SaleOrder {
  saleId: string;
  method: PaymentMethod;
  amount: number;
  currency: Currency;
  lines: BasketLine[];
}

/** The payment request a sale created, as far as the screen needs it. */
export interface RequestSummary {
  id: string;
  shortCode: string;
  /** The pay page the QR code encodes. */
  url: string;
  expiresAt: string;
}

export interface PaidByLine {
  description: string;
  amount: number;
  currency: Currency;
}

/** Why a payment was refused, in words the UI can translate. */
export type DeclineReason =
  | 'unknown-code'
  | 'expired-code'
  | 'insufficient-balance'
  | 'too-many-tries'
  | 'invalid-barcode'
  | 'barcode-not-accepted'
  | 'declined';

/** Why a sale ended without payment. */
export type CancelReason =
  /** Cancel pressed, or the screen left. */
  | 'abandoned'
  /** The payment API could not tell whether the payment went through, so it was voided. */
  | 'outcome-unknown'
  /** The payment API refused to create the request. */
  | 'rejected'
  /**
   * The payment API refused the void (e.g. the key was disabled): the request may still be
   * paid, so staff must look; the journal keeps it open and the kiosk keeps trying.
   */
  | 'void-refused';

export type SalePhase = SaleState['phase'];

export type SaleState =
  | { phase: 'idle' }
  /** Waiting for the consumer's one-time barcode (scanner or manual entry). */
  | { phase: 'awaitingBarcode'; order: SaleOrder }
  | { phase: 'creating'; order: SaleOrder; barcode?: string }
  /** QR shown, voucher keypad shown, or the patron's wallet prompted. */
  | { phase: 'awaitingPayment'; order: SaleOrder; request: RequestSummary; connection: Connection }
  /** A voucher code is being redeemed. */
  | { phase: 'paying'; order: SaleOrder; request: RequestSummary }
  /** The wait is over (expiresAt + a few seconds): a last look at the request decides. */
  | { phase: 'checking'; order: SaleOrder; request: RequestSummary }
  /** Voiding; `retrying` once the payment API has failed to answer. */
  | {
      phase: 'cancelling';
      order: SaleOrder;
      request: RequestSummary | null;
      reason: CancelReason;
      retrying: boolean;
    }
  | { phase: 'paid'; order: SaleOrder; request: RequestSummary; paidBy: PaidByLine[] }
  | {
      phase: 'declined';
      order: SaleOrder;
      request: RequestSummary | null;
      reason: DeclineReason;
      /** A voucher decline leaves the request open for another code. */
      canRetry: boolean;
    }
  | { phase: 'expired'; order: SaleOrder; request: RequestSummary }
  | {
      phase: 'cancelled';
      order: SaleOrder;
      request: RequestSummary | null;
      reason: CancelReason;
      /** The API error code behind a rejection, when there is one. */
      code?: string;
    };

/** How the kiosk is following a payment request: pushed by the core, or polled. */
export type Connection = 'live' | 'polling' | 'reconnecting';

export interface RefundTarget {
  id: string;
  shortCode: string;
  status: string;
  paidAmount: number;
  /** What earlier refunds already returned. */
  refundedAmount: number;
  currency: Currency;
  createdAt: string;
}

export type RefundState =
  | { phase: 'idle' }
  | { phase: 'lookingUp'; shortCode: string }
  | { phase: 'notFound'; shortCode: string; reason: 'unknown' | 'checksum' | 'unreachable' }
  | { phase: 'found'; target: RefundTarget }
  /** `reference` is the refund's externalRef: a retry with it cannot refund twice. */
  | { phase: 'refunding'; target: RefundTarget; amount: number; reference: string }
  | { phase: 'refunded'; target: RefundTarget; amount: number; reference: string }
  | {
      phase: 'refundDeclined';
      target: RefundTarget;
      amount: number;
      reference: string;
      /** The API's CODE, or OUTCOME_UNKNOWN when the payment API did not answer. */
      code: string;
    };

export interface AttendantState {
  unlocked: boolean;
  /** Set while the PIN pad is locked out after repeated failures. */
  lockedUntil: string | null;
}

/** Where the vending machine's session is, as the consumer standing at it sees it. */
export type VendingScreenPhase =
  /** The static QR ("scan to buy"), or out of service when the reader is not available. */
  | 'idle'
  /** Someone opened the static URL: the request for the maximum price is being made or paid. */
  | 'awaitingPayment'
  /** Paid: the machine is being given the credit. */
  | 'startingSession'
  /** The credit is on the machine: choose your item. */
  | 'choosing'
  /** A vend was approved at `vend.price`; the machine is dispensing. */
  | 'vending'
  /** Charging the item's price and giving back the rest, or giving everything back. */
  | 'settling'
  | 'done';

/** Why a vending session ended; only `vended` charged anything. */
export type VendingEndReason =
  | 'vended'
  | 'createRefused'
  | 'expired'
  | 'requestCancelled'
  | 'cancelPressed'
  | 'outcomeUnknown'
  | 'readerLost'
  | 'sessionNotStarted'
  | 'selectionTimeout'
  | 'sessionEnded'
  | 'vendDenied'
  | 'vendFailed'
  | 'vendUnconfirmed'
  | 'restarted';

/** The vending machine beside the kiosk; null in the state when none is configured. */
export interface VendingView {
  phase: VendingScreenPhase;
  /** What the printed or shown static QR encodes (`<public base>/v/{terminalId}`). */
  staticUrl: string | null;
  /** The cashless reader is enabled and its adapter answers: a session can start. */
  readerAvailable: boolean;
  currency: Currency;
  /** The machine's highest price: what a consumer pays (or has held) before choosing. */
  maxPrice: number;
  /** The payment request of the session on screen, once created. */
  request: RequestSummary | null;
  /** The item the machine asked to vend, and its price. */
  vend: { item: number; price: number; result: 'succeeded' | 'failed' | null } | null;
  /** Set once the session ends: what was charged, and what was (or is being) given back. */
  outcome: {
    reason: VendingEndReason;
    charged: number;
    returned: number;
    /** A money step is still unfinished: the kiosk keeps trying by itself. */
    pending: boolean;
    /** A step the payment API refused for good: staff must look. */
    refused: boolean;
  } | null;
}

export type DeviceKind = 'scanner' | 'vending';
/** `reconnecting`: was connected, went away, and is being reopened with backoff. */
export type DeviceStatus = 'connected' | 'disconnected' | 'reconnecting' | 'simulated';
/** One configured device's health, for the device panel. */
export interface DeviceInfo {
  id: string;
  kind: DeviceKind;
  name: string;
  status: DeviceStatus;
  detail?: string;
  /** The port or hidraw path in use, or last tried. */
  port?: string;
  /** When the device was last known present (ISO 8601); absent if never. */
  lastSeenAt?: string;
  /** Why the last open failed or the link ended; cleared on a successful open. */
  lastError?: string;
}

export interface KioskState {
  merchantName: string;
  currency: Currency;
  terminalId: string;
  /** Whether the payment API answered its last call. */
  apiReachable: boolean;
  sale: SaleState;
  refund: RefundState;
  attendant: AttendantState;
  devices: DeviceInfo[];
  /** The vending machine's session; null when the kiosk drives no vending machine. */
  vending: VendingView | null;
}
