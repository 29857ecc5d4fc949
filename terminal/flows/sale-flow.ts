// A sale as a pure state machine: `transitionSale(state, event)` returns the next state and the
// effects the runtime must carry out (API calls, timers, journal writes). Nothing here does I/O
// or reads a clock, so every rule of spec/terminal.md is tested with plain values.
import type {
  CancelReason,
  DeclineReason,
  PaidByLine,
  RequestSummary,
  SaleOrder,
  SaleState,
} from '../contract/state.ts';
import type { JournalOutcome } from '../contract/replies.ts';
import { assertNever, RefusedTransitionError } from './refused-transition.ts';

/**
 * How long after `expiresAt` the kiosk still waits for a payment before it shows Expired: the
 * spec asks for 5–10 s, never earlier, so a wallet that paid at the last moment is still seen.
 */
export const GIVE_UP_AFTER_EXPIRY_MS = 6_000;

/** When the give-up time comes during a voucher's redemption, how long until it is tried again. */
export const GIVE_UP_RECHECK_MS = 1_000;

/** How long to wait before trying a void again when the payment API did not answer. */
export const VOID_RETRY_DELAY_MS = 3_000;

export type RequestStatus = 'new' | 'paid' | 'cancelled' | 'expired';

export type SaleEvent =
  | { type: 'barcodeEntered'; barcode: string }
  | { type: 'created'; request: RequestSummary }
  /** The API refused to create the request; `decline` when the refusal is the consumer's. */
  | { type: 'createRefused'; code: string; decline?: DeclineReason }
  | { type: 'createOutcomeUnknown' }
  | { type: 'codeSubmitted'; code: string }
  | { type: 'payDeclined'; reason: DeclineReason }
  | { type: 'payOutcomeUnknown' }
  /** The request as the core reports it now (stream, poll, or a look after a call). */
  | { type: 'statusObserved'; status: RequestStatus; paidBy?: PaidByLine[] }
  | { type: 'connectionChanged'; connection: 'live' | 'polling' | 'reconnecting' }
  | { type: 'giveUpTimeReached' }
  /** The last look at the request after giving up; 'unknown' when the API did not answer. */
  | { type: 'finalStatus'; status: RequestStatus | 'unknown'; paidBy?: PaidByLine[] }
  | { type: 'cancelPressed' }
  | { type: 'voided' }
  /** The payment API refused the void for good (not: already expired or refunded). */
  | { type: 'voidRefused'; code: string }
  | { type: 'voidOutcomeUnknown' }
  | { type: 'voidRetryTimeReached' }
  | { type: 'retryCodePressed' }
  | { type: 'dismissed' };

export type SaleEffect =
  | { type: 'createRequest'; order: SaleOrder; barcode?: string }
  | { type: 'watch'; requestId: string }
  | { type: 'unwatch' }
  | { type: 'pay'; requestId: string; code: string }
  /** Look the request up once the kiosk gives up waiting, and report `finalStatus`. */
  | { type: 'checkStatus'; requestId: string }
  /** Void by id, or by the sale's externalRef when the create's outcome is unknown. */
  | { type: 'void'; requestId: string | null; saleId: string }
  | { type: 'startTimer'; timer: SaleTimer; at: number }
  | { type: 'startTimerIn'; timer: SaleTimer; delayMs: number }
  | { type: 'stopTimers' }
  | { type: 'journal'; saleId: string; outcome: JournalOutcome; request?: RequestSummary };

export type SaleTimer = 'giveUp' | 'voidRetry';

export interface SaleTransition {
  state: SaleState;
  effects: SaleEffect[];
}

const stay = (state: SaleState): SaleTransition => ({ state, effects: [] });

/** The first step of a sale: QR and voucher create at once, a barcode sale waits for the code. */
export function startSale(order: SaleOrder): SaleTransition {
  if (order.method === 'barcode')
    return { state: { phase: 'awaitingBarcode', order }, effects: [] };
  return {
    state: { phase: 'creating', order },
    effects: [{ type: 'createRequest', order }],
  };
}

export function transitionSale(state: SaleState, event: SaleEvent): SaleTransition {
  switch (state.phase) {
    case 'idle':
      return refuse(state, event, []);

    case 'awaitingBarcode':
      if (event.type === 'barcodeEntered') {
        return {
          state: { phase: 'creating', order: state.order, barcode: event.barcode },
          effects: [{ type: 'createRequest', order: state.order, barcode: event.barcode }],
        };
      }
      if (event.type === 'cancelPressed' || event.type === 'dismissed') {
        return { state: { phase: 'idle' }, effects: [] };
      }
      return refuse(state, event, ['barcodeEntered', 'cancelPressed', 'dismissed']);

    case 'creating':
      switch (event.type) {
        case 'created':
          return awaitPayment(state.order, event.request);
        case 'createRefused':
          if (event.decline) {
            return finish(
              {
                phase: 'declined',
                order: state.order,
                request: null,
                reason: event.decline,
                canRetry: state.order.method === 'barcode',
              },
              'declined',
            );
          }
          return finish(
            {
              phase: 'cancelled',
              order: state.order,
              request: null,
              reason: 'rejected',
              code: event.code,
            },
            'cancelled',
          );
        case 'createOutcomeUnknown':
          return startVoid(state.order, null, 'outcome-unknown');
        case 'cancelPressed':
        case 'dismissed':
          // The create is in flight: wait for its answer, then void what it made.
          return {
            state: {
              phase: 'cancelling',
              order: state.order,
              request: null,
              reason: 'abandoned',
              retrying: false,
            },
            effects: [{ type: 'journal', saleId: state.order.saleId, outcome: 'void-pending' }],
          };
        default:
          return refuse(state, event, [
            'created',
            'createRefused',
            'createOutcomeUnknown',
            'cancelPressed',
            'dismissed',
          ]);
      }

    case 'awaitingPayment':
      switch (event.type) {
        case 'codeSubmitted':
          if (state.order.method !== 'voucher') return refuse(state, event, ['statusObserved']);
          return {
            state: { phase: 'paying', order: state.order, request: state.request },
            effects: [{ type: 'pay', requestId: state.request.id, code: event.code }],
          };
        case 'connectionChanged':
          return stay({ ...state, connection: event.connection });
        case 'statusObserved':
          return observe(state, event);
        case 'giveUpTimeReached':
          return lastLook(state.order, state.request);
        case 'cancelPressed':
        case 'dismissed':
          return startVoid(state.order, state.request, 'abandoned');
        default:
          return refuse(state, event, [
            'codeSubmitted',
            'statusObserved',
            'connectionChanged',
            'giveUpTimeReached',
            'cancelPressed',
            'dismissed',
          ]);
      }

    case 'paying':
      switch (event.type) {
        case 'payDeclined':
          return stay({
            phase: 'declined',
            order: state.order,
            request: state.request,
            reason: event.reason,
            canRetry: true,
          });
        case 'payOutcomeUnknown':
          return startVoid(state.order, state.request, 'outcome-unknown');
        case 'statusObserved':
          // Only an end counts here: the request reads 'new' until the code's answer arrives.
          if (event.status !== 'paid' && event.status !== 'cancelled') return stay(state);
          return observe({ ...state, phase: 'awaitingPayment', connection: 'live' }, event);
        case 'connectionChanged':
          return stay(state);
        case 'giveUpTimeReached':
          // A code's answer is on its way: look again once it has arrived.
          return {
            state,
            effects: [{ type: 'startTimerIn', timer: 'giveUp', delayMs: GIVE_UP_RECHECK_MS }],
          };
        default:
          return refuse(state, event, [
            'payDeclined',
            'payOutcomeUnknown',
            'statusObserved',
            'connectionChanged',
            'giveUpTimeReached',
          ]);
      }

    case 'checking':
      switch (event.type) {
        case 'finalStatus':
          return settle(state.order, state.request, event);
        case 'statusObserved':
          if (event.status !== 'paid' && event.status !== 'cancelled') return stay(state);
          return observe({ ...state, phase: 'awaitingPayment', connection: 'live' }, event);
        case 'connectionChanged':
          return stay(state);
        default:
          return refuse(state, event, ['finalStatus', 'statusObserved', 'connectionChanged']);
      }

    case 'cancelling':
      switch (event.type) {
        case 'voided':
          return finish(
            {
              phase: 'cancelled',
              order: state.order,
              request: state.request,
              reason: state.reason,
            },
            'cancelled',
          );
        case 'voidRefused':
          // Not finished: the journal keeps the void pending, so the reconciler keeps trying
          // and the journal shows it to staff.
          return {
            state: {
              phase: 'cancelled',
              order: state.order,
              request: state.request,
              reason: 'void-refused',
              code: event.code,
            },
            effects: [{ type: 'stopTimers' }, { type: 'unwatch' }],
          };
        case 'voidOutcomeUnknown':
          return {
            state: { ...state, retrying: true },
            effects: [{ type: 'startTimerIn', timer: 'voidRetry', delayMs: VOID_RETRY_DELAY_MS }],
          };
        case 'voidRetryTimeReached':
          return {
            state,
            effects: [
              { type: 'void', requestId: state.request?.id ?? null, saleId: state.order.saleId },
            ],
          };
        case 'dismissed':
          // The attendant may leave; the journal keeps the void pending and the reconciler
          // finishes it once the payment API answers again.
          return {
            state: { phase: 'idle' },
            effects: [{ type: 'stopTimers' }, { type: 'unwatch' }],
          };
        case 'created':
          // A create that was still in flight when Cancel was pressed: void it by id now.
          return {
            state: { ...state, request: event.request },
            effects: [
              {
                type: 'journal',
                saleId: state.order.saleId,
                outcome: 'void-pending',
                request: event.request,
              },
              { type: 'void', requestId: event.request.id, saleId: state.order.saleId },
            ],
          };
        case 'createRefused':
          return finish(
            { phase: 'cancelled', order: state.order, request: null, reason: state.reason },
            'cancelled',
          );
        case 'createOutcomeUnknown':
          return {
            state,
            effects: [{ type: 'void', requestId: null, saleId: state.order.saleId }],
          };
        case 'statusObserved':
        case 'connectionChanged':
        case 'giveUpTimeReached':
        case 'payDeclined':
        case 'payOutcomeUnknown':
        case 'finalStatus':
          // Answers to calls made before the void; the void decides the outcome.
          return stay(state);
        default:
          return refuse(state, event, [
            'voided',
            'voidRefused',
            'voidOutcomeUnknown',
            'voidRetryTimeReached',
            'dismissed',
          ]);
      }

    case 'declined':
      switch (event.type) {
        case 'retryCodePressed':
          if (!state.canRetry) return refuse(state, event, ['cancelPressed', 'dismissed']);
          if (state.request === null)
            return { state: { phase: 'awaitingBarcode', order: state.order }, effects: [] };
          return stay({
            phase: 'awaitingPayment',
            order: state.order,
            request: state.request,
            connection: 'live',
          });
        case 'cancelPressed':
        case 'dismissed':
          if (state.request === null) return { state: { phase: 'idle' }, effects: [] };
          return startVoid(state.order, state.request, 'abandoned');
        case 'giveUpTimeReached':
          if (state.request === null) return stay(state);
          return lastLook(state.order, state.request);
        case 'statusObserved':
        case 'connectionChanged':
          return stay(state);
        default:
          return refuse(state, event, ['retryCodePressed', 'cancelPressed', 'dismissed']);
      }

    case 'paid':
    case 'expired':
    case 'cancelled':
      if (event.type === 'dismissed') return { state: { phase: 'idle' }, effects: [] };
      if (event.type === 'statusObserved' || event.type === 'connectionChanged') return stay(state);
      return refuse(state, event, ['dismissed']);

    default:
      return assertNever(state);
  }
}

function awaitPayment(order: SaleOrder, request: RequestSummary): SaleTransition {
  return {
    state: { phase: 'awaitingPayment', order, request, connection: 'live' },
    effects: [
      { type: 'journal', saleId: order.saleId, outcome: 'pending', request },
      { type: 'watch', requestId: request.id },
      {
        type: 'startTimer',
        timer: 'giveUp',
        at: Date.parse(request.expiresAt) + GIVE_UP_AFTER_EXPIRY_MS,
      },
    ],
  };
}

/**
 * What the core reported while the kiosk waits. An expiry is not shown before the give-up time
 * (the wallet may still have paid at the last moment), so only paid and cancelled end the wait.
 */
function observe(
  waiting: Extract<SaleState, { phase: 'awaitingPayment' }>,
  event: Extract<SaleEvent, { type: 'statusObserved' }>,
): SaleTransition {
  const { order, request } = waiting;
  if (event.status === 'paid') return paid(order, request, event.paidBy ?? []);
  if (event.status === 'cancelled') {
    return finish({ phase: 'cancelled', order, request, reason: 'abandoned' }, 'cancelled');
  }
  return stay(waiting);
}

function lastLook(order: SaleOrder, request: RequestSummary): SaleTransition {
  return {
    state: { phase: 'checking', order, request },
    effects: [{ type: 'checkStatus', requestId: request.id }],
  };
}

/** The last look after giving up: paid wins, an open or unknown request is voided. */
function settle(
  order: SaleOrder,
  request: RequestSummary,
  event: Extract<SaleEvent, { type: 'finalStatus' }>,
): SaleTransition {
  switch (event.status) {
    case 'paid':
      return paid(order, request, event.paidBy ?? []);
    case 'expired':
      return finish({ phase: 'expired', order, request }, 'expired');
    case 'cancelled':
      return finish({ phase: 'cancelled', order, request, reason: 'abandoned' }, 'cancelled');
    case 'new':
      // Open past its expiry by our clock: the core's clock differs; do not wait longer.
      return startVoid(order, request, 'abandoned');
    case 'unknown':
      return startVoid(order, request, 'outcome-unknown');
    default:
      return assertNever(event.status);
  }
}

function paid(order: SaleOrder, request: RequestSummary, paidBy: PaidByLine[]): SaleTransition {
  return finish({ phase: 'paid', order, request, paidBy }, 'paid');
}

function startVoid(
  order: SaleOrder,
  request: RequestSummary | null,
  reason: CancelReason,
): SaleTransition {
  return {
    state: { phase: 'cancelling', order, request, reason, retrying: false },
    effects: [
      { type: 'stopTimers' },
      { type: 'unwatch' },
      { type: 'journal', saleId: order.saleId, outcome: 'void-pending' },
      { type: 'void', requestId: request?.id ?? null, saleId: order.saleId },
    ],
  };
}

function finish(state: SaleState & { order: SaleOrder }, outcome: JournalOutcome): SaleTransition {
  return {
    state,
    effects: [
      { type: 'stopTimers' },
      { type: 'unwatch' },
      { type: 'journal', saleId: state.order.saleId, outcome },
    ],
  };
}

function refuse(state: SaleState, event: SaleEvent, allowed: string[]): never {
  throw new RefusedTransitionError(state.phase, event.type, allowed);
}
