// A vending session (spec/terminal.md flow 3, spec/hardware.md "Static QR at a vending machine")
// as a pure state machine: `transitionVending(state, event)` returns the next state and the
// effects the runtime carries out (payment API calls, cashless driver commands, timers, journal
// writes). Nothing here does I/O, reads a clock or makes up an id, so every rule is tested with
// plain values.
//
// Mode A (credit first) only: the wallet pays the machine's maximum price, the kiosk opens a
// cashless session with that credit, the consumer picks, the machine asks to vend. Mode B (the
// machine asks to vend before payment, `mdb-always-idle=1`) is not handled here.
//
// Money rules: only a `vendSucceeded` after the kiosk's own approval is charged, and then exactly
// the approved price; everything else charges nothing. With `preAuth` the request holds the
// maximum (confirm the price, release the rest); without it the maximum is paid (refund the
// difference, or void to refund it all). Every money step carries a `reference` derived from the
// session id, the same on every retry and after a restart, so no step can move money twice.
import type { Currency, RequestSummary, VendingEndReason } from '../contract/state.ts';
import type { SessionEndReason, VendFailureReason } from '../../hardware/mdb/cashless-session.ts';
import { assertNever, RefusedTransitionError } from './refused-transition.ts';

/** Like the sale flow: give up 5–10 s after `expiresAt`, never before. */
export const GIVE_UP_AFTER_EXPIRY_MS = 6_000;

/**
 * From `startSession` to `sessionStarted`. The driver answers within its own limits (reply 2 s,
 * `START -3` retried for 10 s); this watchdog only ends a wait the driver never ended.
 */
export const SESSION_START_LIMIT_MS = 15_000;

/** From `sessionStarted` to a vend request: the driver's 90 s selection time plus a margin. */
export const SELECTION_LIMIT_MS = 95_000;

/** From an approval to the vend result: the driver's 60 s vend-result time plus a margin. */
export const VEND_RESULT_LIMIT_MS = 65_000;

/**
 * Pauses before each retry of a money step whose outcome is unknown (the API client has already
 * retried with its own short backoff). Once they are used up the step stays `pending` in the
 * journal, the machine is freed, and the reconciler finishes the step with `recover`.
 */
export const MONEY_RETRY_DELAYS_MS: readonly number[] = [3_000, 10_000, 30_000, 60_000];

/** How long the result stays on screen before the static QR again. */
export const RESULT_SHOWN_MS = 8_000;

export interface VendingConfig {
  terminalId: string;
  currency: Currency;
  /** The machine's highest vend price: the payment request's amount and the session's credit. */
  maxPriceMinor: number;
  /** The config's assets can hold funds: pre-auth the maximum, confirm the price, release. */
  preAuth: boolean;
}

export type RequestStatus = 'new' | 'paid' | 'cancelled' | 'expired';
export type PreAuthStatus = 'authorized' | 'released' | 'confirmed' | 'pending';

/** One money-moving call. `reference` is its idempotency key (a refund's externalRef). */
export type MoneyStep =
  | { kind: 'confirm'; amountMinor: number; item: number; reference: string }
  | { kind: 'release'; reference: string }
  | { kind: 'refund'; amountMinor: number; reference: string }
  /** Cancels an unpaid request, refunds a paid one in full. */
  | { kind: 'void'; reference: string };

export interface MoneyStepRecord {
  step: MoneyStep;
  /** `refused`: the API said no for good; left for staff (`code` says why). */
  status: 'pending' | 'done' | 'refused';
  code?: string;
}

export type VendingStage =
  | 'creating'
  | 'awaitingPayment'
  /** Paid (held, with pre-auth); `startSession` may have gone out. */
  | 'paid'
  | 'sessionOpen'
  /** A vend was approved; its result is not known yet. */
  | 'vending'
  | 'settling'
  | 'settled';

export interface VendRecord {
  priceMinor: number;
  item: number;
  /** `denied` by the kiosk, or by the driver before asking (price above the credit). */
  decision: 'approved' | 'denied';
  result: 'succeeded' | 'failed' | null;
  failure?: VendFailureReason | 'noResult';
}

/** Why a session ended; only `vended` charges anything. */
export type SettleReason = VendingEndReason;

/**
 * What the journal keeps of a session: each write replaces the last, and the last is enough for
 * `recover` to settle after a restart. `sessionId` is also the request's externalRef.
 */
export interface VendingJournalRecord {
  flow: 'vending';
  sessionId: string;
  terminalId: string;
  currency: Currency;
  preAuth: boolean;
  creditMinor: number;
  requestId: string | null;
  shortCode: string | null;
  stage: VendingStage;
  vend: VendRecord | null;
  money: MoneyStepRecord[];
  reason: SettleReason | null;
}

export type VendingTimer =
  'giveUp' | 'sessionStart' | 'selection' | 'vendResult' | 'moneyRetry' | 'backToIdle';

/** The answer to a consumer who opened the machine's static URL. */
export type VisitAnswer =
  | { kind: 'pay'; url: string }
  | { kind: 'busy' }
  | { kind: 'outOfService' }
  | { kind: 'unavailable' };

/** What every phase carries: the terminal's config, and whether a session could start now. */
export interface VendingBase {
  config: VendingConfig;
  /** The cashless reader is enabled and the adapter answers (driver `ready`). */
  readerAvailable: boolean;
}

export type VendingState = VendingBase &
  (
    | { phase: 'idle' }
    | { phase: 'creating'; record: VendingJournalRecord; visitId: string; cancelRequested: boolean }
    | { phase: 'awaitingPayment'; record: VendingJournalRecord; request: RequestSummary }
    /** Past the give-up time: a last look at the request decides. */
    | { phase: 'checking'; record: VendingJournalRecord; request: RequestSummary }
    | { phase: 'startingSession'; record: VendingJournalRecord }
    | { phase: 'sessionIdle'; record: VendingJournalRecord }
    /** Approved at `record.vend.priceMinor`; waiting for the result. */
    | { phase: 'vending'; record: VendingJournalRecord }
    /** Running `record.money`'s first pending step; `attempt` counts its unknown outcomes. */
    | { phase: 'settling'; record: VendingJournalRecord; attempt: number }
    | { phase: 'done'; record: VendingJournalRecord }
  );

export type VendingPhase = VendingState['phase'];

export type VendingEvent =
  /** A consumer opened the static URL; `sessionId` is a fresh random id from the runtime. */
  | { type: 'urlOpened'; visitId: string; sessionId: string }
  | { type: 'created'; request: RequestSummary }
  | { type: 'createRefused'; code: string }
  | { type: 'createOutcomeUnknown' }
  | { type: 'statusObserved'; status: RequestStatus; preAuthStatus?: PreAuthStatus }
  /** The last look after giving up; 'unknown' when the API did not answer. */
  | { type: 'finalStatus'; status: RequestStatus | 'unknown'; preAuthStatus?: PreAuthStatus }
  | { type: 'cancelPressed' }
  // The cashless driver's notifications, one to one.
  | { type: 'readerReady' }
  | { type: 'readerDisabled' }
  | { type: 'sessionStarted'; creditMinor: number }
  | { type: 'vendRequested'; priceMinor: number; item: number }
  | { type: 'vendSucceeded'; priceMinor: number; item: number }
  | { type: 'vendFailed'; priceMinor: number; item: number; reason: VendFailureReason }
  | { type: 'sessionEnded'; reason: SessionEndReason }
  | { type: 'vmcReset' }
  | { type: 'adapterSilent' }
  | { type: 'disconnected' }
  // Answers to the current money step.
  | { type: 'moneyStepDone' }
  /** Refused for good. An answer that the end state already holds is `moneyStepDone`. */
  | { type: 'moneyStepRefused'; code: string }
  | { type: 'moneyStepOutcomeUnknown' }
  | { type: 'timerFired'; timer: VendingTimer }
  | { type: 'dismissed' };

export type VendingEventType = VendingEvent['type'];

export type VendingEffect =
  | { type: 'journal'; record: VendingJournalRecord }
  | { type: 'answerVisit'; visitId: string; answer: VisitAnswer }
  | {
      type: 'createRequest';
      sessionId: string;
      terminalId: string;
      amountMinor: number;
      currency: Currency;
      preAuth: boolean;
      reference: string;
    }
  | { type: 'watch'; requestId: string }
  | { type: 'unwatch' }
  | { type: 'checkStatus'; requestId: string }
  // Cashless driver commands. `approveVend`/`denyVend` must reach the driver within its
  // approval time (1 s); `endSession` is best effort (a no-op when no session is open).
  | { type: 'startSession'; creditMinor: number }
  | { type: 'approveVend'; priceMinor: number }
  | { type: 'denyVend' }
  | { type: 'endSession' }
  /** `requestId` null: the create's outcome is unknown; find the request by externalRef. */
  | {
      type: 'money';
      sessionId: string;
      requestId: string | null;
      currency: Currency;
      step: MoneyStep;
    }
  | { type: 'startTimer'; timer: VendingTimer; at: number }
  | { type: 'startTimerIn'; timer: VendingTimer; delayMs: number }
  | { type: 'stopTimers' };

export interface VendingTransition {
  state: VendingState;
  effects: VendingEffect[];
}

type StateOf<P extends VendingPhase> = Extract<VendingState, { phase: P }>;

/** The idle machine at start-up: the reader counts as available once the driver says `ready`. */
export function initialVendingState(config: VendingConfig): VendingState {
  return { phase: 'idle', config, readerAvailable: false };
}

/** The idempotency key (or refund externalRef) of a session's step: the same on every retry. */
export function referenceFor(sessionId: string, kind: MoneyStep['kind'] | 'create'): string {
  return `${sessionId}:${kind}`;
}

export function transitionVending(state: VendingState, event: VendingEvent): VendingTransition {
  const reader = readerEvent(state, event);
  if (reader) return reader;

  switch (state.phase) {
    case 'idle':
      if (event.type === 'urlOpened') return open(state, event);
      if (event.type === 'timerFired') return stay(state);
      return refuse(state, event, ['urlOpened', 'timerFired', ...READER_EVENTS]);

    case 'creating':
      return fromCreating(state, event);
    case 'awaitingPayment':
      return fromAwaitingPayment(state, event);
    case 'checking':
      return fromChecking(state, event);
    case 'startingSession':
      return fromStartingSession(state, event);
    case 'sessionIdle':
      return fromSessionIdle(state, event);
    case 'vending':
      return fromVending(state, event);
    case 'settling':
      return fromSettling(state, event);

    case 'done':
      switch (event.type) {
        case 'urlOpened':
          return open(state, event);
        case 'dismissed':
          return toIdle(state);
        case 'timerFired':
          if (event.timer !== 'backToIdle') return stay(state);
          return toIdle(state);
        default:
          return (
            late(state, event, DONE_LATE) ??
            refuse(state, event, [
              'urlOpened',
              'dismissed',
              'timerFired',
              ...DONE_LATE,
              ...READER_EVENTS,
            ])
          );
      }

    default:
      return assertNever(state);
  }
}

// ---- phases -----------------------------------------------------------------------------------

/**
 * The consumer opened the static URL: create a payment request for the machine's maximum price,
 * unless the reader cannot take a session now.
 */
function open(
  state: VendingBase,
  event: Extract<VendingEvent, { type: 'urlOpened' }>,
): VendingTransition {
  const { config } = state;
  const idle: VendingState = { phase: 'idle', config, readerAvailable: false };
  if (!state.readerAvailable) {
    return stayWith(idle, [
      { type: 'answerVisit', visitId: event.visitId, answer: { kind: 'outOfService' } },
    ]);
  }
  const record: VendingJournalRecord = {
    flow: 'vending',
    sessionId: event.sessionId,
    terminalId: config.terminalId,
    currency: config.currency,
    preAuth: config.preAuth,
    creditMinor: config.maxPriceMinor,
    requestId: null,
    shortCode: null,
    stage: 'creating',
    vend: null,
    money: [],
    reason: null,
  };
  return {
    state: {
      phase: 'creating',
      config,
      readerAvailable: true,
      record,
      visitId: event.visitId,
      cancelRequested: false,
    },
    effects: [
      { type: 'journal', record },
      {
        type: 'createRequest',
        sessionId: record.sessionId,
        terminalId: record.terminalId,
        amountMinor: record.creditMinor,
        currency: record.currency,
        preAuth: record.preAuth,
        reference: referenceFor(record.sessionId, 'create'),
      },
    ],
  };
}

function fromCreating(state: StateOf<'creating'>, event: VendingEvent): VendingTransition {
  const { record } = state;
  switch (event.type) {
    case 'created': {
      const withId: VendingJournalRecord = {
        ...record,
        requestId: event.request.id,
        shortCode: event.request.shortCode,
      };
      if (state.cancelRequested || !state.readerAvailable) {
        return settle(
          state,
          withId,
          state.cancelRequested ? 'cancelPressed' : 'readerLost',
          returnAll(withId),
          [{ type: 'answerVisit', visitId: state.visitId, answer: { kind: 'unavailable' } }],
        );
      }
      const next: VendingJournalRecord = { ...withId, stage: 'awaitingPayment' };
      return {
        state: {
          phase: 'awaitingPayment',
          config: state.config,
          readerAvailable: state.readerAvailable,
          record: next,
          request: event.request,
        },
        effects: [
          { type: 'journal', record: next },
          {
            type: 'answerVisit',
            visitId: state.visitId,
            answer: { kind: 'pay', url: event.request.url },
          },
          { type: 'watch', requestId: event.request.id },
          {
            type: 'startTimer',
            timer: 'giveUp',
            at: Date.parse(event.request.expiresAt) + GIVE_UP_AFTER_EXPIRY_MS,
          },
        ],
      };
    }
    case 'createRefused':
      return finish(state, { ...record, reason: 'createRefused' }, [
        { type: 'answerVisit', visitId: state.visitId, answer: { kind: 'unavailable' } },
      ]);
    case 'createOutcomeUnknown':
      // The request may exist: void (or release) it by externalRef.
      return settle(state, record, 'outcomeUnknown', returnAll(record), [
        { type: 'answerVisit', visitId: state.visitId, answer: { kind: 'unavailable' } },
      ]);
    case 'cancelPressed':
      // The create is in flight: wait for its answer, then give back whatever it made.
      return stay({ ...state, cancelRequested: true });
    case 'urlOpened':
      return busy(state, event);
    case 'timerFired':
      return stay(state);
    default:
      return refuse(state, event, [
        'created',
        'createRefused',
        'createOutcomeUnknown',
        'cancelPressed',
        'urlOpened',
        'timerFired',
        ...READER_EVENTS,
      ]);
  }
}

function fromAwaitingPayment(
  state: StateOf<'awaitingPayment'>,
  event: VendingEvent,
): VendingTransition {
  const { record } = state;
  switch (event.type) {
    case 'statusObserved':
      if (event.status === 'paid' && held(record, event.preAuthStatus)) return paid(state);
      if (event.status === 'cancelled') {
        return finish(state, { ...record, reason: 'requestCancelled' }, [{ type: 'unwatch' }]);
      }
      // An expiry is not final before the give-up time (the wallet may have paid at the end).
      return stay(state);
    case 'timerFired':
      if (event.timer !== 'giveUp') return stay(state);
      return {
        state: { ...state, phase: 'checking' },
        effects: [{ type: 'checkStatus', requestId: state.request.id }],
      };
    case 'cancelPressed':
      return settle(state, record, 'cancelPressed', returnAll(record), [{ type: 'unwatch' }]);
    case 'urlOpened':
      // Whoever stands at the machine may pay the same request.
      return stayWith(state, [
        {
          type: 'answerVisit',
          visitId: event.visitId,
          answer: { kind: 'pay', url: state.request.url },
        },
      ]);
    case 'readerDisabled':
    case 'adapterSilent':
    case 'disconnected':
    case 'vmcReset':
      // No session can start: give the payment back now rather than after the consumer paid.
      return settle(unavailable(state), record, 'readerLost', returnAll(record), [
        { type: 'unwatch' },
      ]);
    default:
      return refuse(state, event, [
        'statusObserved',
        'timerFired',
        'cancelPressed',
        'urlOpened',
        ...READER_EVENTS,
      ]);
  }
}

function fromChecking(state: StateOf<'checking'>, event: VendingEvent): VendingTransition {
  const { record } = state;
  switch (event.type) {
    case 'finalStatus': {
      const status = event.status;
      switch (status) {
        case 'paid':
          if (held(record, event.preAuthStatus)) return paid(state);
          // Paid but no hold left (released at its expiry): nothing to draw on.
          return settle(state, record, 'outcomeUnknown', returnAll(record), [{ type: 'unwatch' }]);
        case 'expired':
          return finish(state, { ...record, reason: 'expired' }, [{ type: 'unwatch' }]);
        case 'cancelled':
          return finish(state, { ...record, reason: 'requestCancelled' }, [{ type: 'unwatch' }]);
        case 'new':
          // Open past its expiry by our clock: the core's clock differs; do not wait longer.
          return settle(state, record, 'expired', returnAll(record), [{ type: 'unwatch' }]);
        case 'unknown':
          return settle(state, record, 'outcomeUnknown', returnAll(record), [{ type: 'unwatch' }]);
        default:
          return assertNever(status);
      }
    }
    case 'statusObserved':
      if (event.status === 'paid' && held(record, event.preAuthStatus)) return paid(state);
      if (event.status === 'cancelled') {
        return finish(state, { ...record, reason: 'requestCancelled' }, [{ type: 'unwatch' }]);
      }
      return stay(state);
    case 'cancelPressed':
      return settle(state, record, 'cancelPressed', returnAll(record), [{ type: 'unwatch' }]);
    case 'urlOpened':
      return busy(state, event);
    case 'timerFired':
      return stay(state);
    default:
      return refuse(state, event, [
        'finalStatus',
        'statusObserved',
        'cancelPressed',
        'urlOpened',
        'timerFired',
        ...READER_EVENTS,
      ]);
  }
}

function fromStartingSession(
  state: StateOf<'startingSession'>,
  event: VendingEvent,
): VendingTransition {
  const { record } = state;
  switch (event.type) {
    case 'sessionStarted': {
      const next: VendingJournalRecord = { ...record, stage: 'sessionOpen' };
      return {
        state: {
          phase: 'sessionIdle',
          config: state.config,
          readerAvailable: state.readerAvailable,
          record: next,
        },
        effects: [
          { type: 'journal', record: next },
          { type: 'stopTimers' },
          { type: 'startTimerIn', timer: 'selection', delayMs: SELECTION_LIMIT_MS },
        ],
      };
    }
    case 'sessionEnded':
      return settle(state, record, 'sessionNotStarted', returnAll(record));
    case 'timerFired':
      if (event.timer !== 'sessionStart') return stay(state);
      return settle(state, record, 'sessionNotStarted', returnAll(record), [
        { type: 'endSession' },
      ]);
    case 'cancelPressed':
      return settle(state, record, 'cancelPressed', returnAll(record), [{ type: 'endSession' }]);
    case 'adapterSilent':
    case 'disconnected':
    case 'vmcReset':
      return settle(unavailable(state), record, 'readerLost', returnAll(record));
    default:
      return (
        late(state, event, LATE_AFTER_PAYMENT) ??
        refuse(state, event, [
          'sessionStarted',
          'sessionEnded',
          'timerFired',
          'cancelPressed',
          ...LATE_AFTER_PAYMENT,
          ...READER_EVENTS,
        ])
      );
  }
}

function fromSessionIdle(state: StateOf<'sessionIdle'>, event: VendingEvent): VendingTransition {
  const { record } = state;
  switch (event.type) {
    case 'vendRequested': {
      const { priceMinor, item } = event;
      if (priceMinor > 0 && priceMinor <= record.creditMinor) {
        const next: VendingJournalRecord = {
          ...record,
          stage: 'vending',
          vend: { priceMinor, item, decision: 'approved', result: null },
        };
        return {
          state: {
            phase: 'vending',
            config: state.config,
            readerAvailable: state.readerAvailable,
            record: next,
          },
          effects: [
            { type: 'journal', record: next },
            { type: 'stopTimers' },
            { type: 'approveVend', priceMinor },
            { type: 'startTimerIn', timer: 'vendResult', delayMs: VEND_RESULT_LIMIT_MS },
          ],
        };
      }
      const denied: VendingJournalRecord = {
        ...record,
        vend: { priceMinor, item, decision: 'denied', result: null },
      };
      return settle(state, denied, 'vendDenied', returnAll(denied), [
        { type: 'denyVend' },
        { type: 'endSession' },
      ]);
    }
    case 'vendFailed': {
      // The driver denied it before asking (above the credit) or the VMC cancelled it.
      const failed: VendingJournalRecord = {
        ...record,
        vend: {
          priceMinor: event.priceMinor,
          item: event.item,
          decision: 'denied',
          result: 'failed',
          failure: event.reason,
        },
      };
      return settle(
        state,
        failed,
        'vendFailed',
        returnAll(failed),
        endUnlessLinkLost(event.reason),
      );
    }
    case 'sessionEnded':
      return settle(
        state,
        record,
        event.reason === 'selectionTimeout' ? 'selectionTimeout' : 'sessionEnded',
        returnAll(record),
      );
    case 'timerFired':
      if (event.timer !== 'selection') return stay(state);
      return settle(state, record, 'selectionTimeout', returnAll(record), [{ type: 'endSession' }]);
    case 'cancelPressed':
      return settle(state, record, 'cancelPressed', returnAll(record), [{ type: 'endSession' }]);
    case 'adapterSilent':
    case 'disconnected':
    case 'vmcReset':
      return settle(unavailable(state), record, 'readerLost', returnAll(record));
    default:
      return (
        late(state, event, LATE_AFTER_PAYMENT) ??
        refuse(state, event, [
          'vendRequested',
          'vendFailed',
          'sessionEnded',
          'timerFired',
          'cancelPressed',
          ...LATE_AFTER_PAYMENT,
          ...READER_EVENTS,
        ])
      );
  }
}

function fromVending(state: StateOf<'vending'>, event: VendingEvent): VendingTransition {
  const { record } = state;
  const vend = record.vend as VendRecord;
  switch (event.type) {
    case 'vendSucceeded': {
      // Charged at the approved price: never more than the consumer's choice was approved at.
      const next: VendingJournalRecord = { ...record, vend: { ...vend, result: 'succeeded' } };
      return settle(state, next, 'vended', chargePlan(next, vend.priceMinor, vend.item));
    }
    case 'vendFailed': {
      const next: VendingJournalRecord = {
        ...record,
        vend: { ...vend, result: 'failed', failure: event.reason },
      };
      return settle(
        state,
        next,
        event.reason === 'unconfirmed' ? 'vendUnconfirmed' : 'vendFailed',
        returnAll(next),
        endUnlessLinkLost(event.reason),
      );
    }
    case 'sessionEnded': {
      const next: VendingJournalRecord = {
        ...record,
        vend: { ...vend, result: 'failed', failure: 'noResult' },
      };
      return settle(state, next, 'vendUnconfirmed', returnAll(next));
    }
    case 'timerFired': {
      if (event.timer !== 'vendResult') return stay(state);
      const next: VendingJournalRecord = {
        ...record,
        vend: { ...vend, result: 'failed', failure: 'unconfirmed' },
      };
      return settle(state, next, 'vendUnconfirmed', returnAll(next), [{ type: 'endSession' }]);
    }
    case 'adapterSilent':
    case 'disconnected':
    case 'vmcReset': {
      const next: VendingJournalRecord = {
        ...record,
        vend: { ...vend, result: 'failed', failure: event.type },
      };
      return settle(unavailable(state), next, 'readerLost', returnAll(next));
    }
    case 'urlOpened':
      return busy(state, event);
    case 'statusObserved':
    case 'finalStatus':
      return stay(state);
    default:
      return refuse(state, event, [
        'vendSucceeded',
        'vendFailed',
        'sessionEnded',
        'timerFired',
        'urlOpened',
        'statusObserved',
        'finalStatus',
        ...READER_EVENTS,
      ]);
  }
}

function fromSettling(state: StateOf<'settling'>, event: VendingEvent): VendingTransition {
  const { record } = state;
  switch (event.type) {
    case 'moneyStepDone':
      return afterStep(state, 'done');
    case 'moneyStepRefused':
      return afterStep(state, 'refused', event.code);
    case 'moneyStepOutcomeUnknown': {
      const delayMs = MONEY_RETRY_DELAYS_MS[state.attempt];
      if (delayMs === undefined) {
        // Hand over: the step stays pending in the journal for the reconciler (`recover`).
        return finish(state, record);
      }
      return {
        state: { ...state, attempt: state.attempt + 1 },
        effects: [{ type: 'startTimerIn', timer: 'moneyRetry', delayMs }],
      };
    }
    case 'timerFired': {
      if (event.timer !== 'moneyRetry') return stay(state);
      const step = currentStep(record);
      if (!step) return stay(state);
      return stayWith(state, [moneyEffect(record, step)]);
    }
    case 'cancelPressed':
      return stay(state);
    default:
      return (
        late(state, event, LATE_AFTER_SESSION) ??
        refuse(state, event, [
          'moneyStepDone',
          'moneyStepRefused',
          'moneyStepOutcomeUnknown',
          'timerFired',
          'cancelPressed',
          ...LATE_AFTER_SESSION,
          ...READER_EVENTS,
        ])
      );
  }
}

// ---- restart ------------------------------------------------------------------------------------

/**
 * After a restart, settles a session from its last journal record: ends any session the machine
 * may still hold (`C,STOP`), then gives everything back, unless a vend success was recorded, in
 * which case it charges exactly that price. Steps already done are not repeated; a pending step
 * is repeated with its reference, so a call that went through before the crash does nothing new.
 * The plan comes from the record alone: `config` is only what the machine goes on with after.
 * `readerAvailable`: what the reader last said (nothing yet, just after a restart).
 */
export function recover(
  record: VendingJournalRecord,
  config: VendingConfig = configOf(record),
  readerAvailable = false,
): VendingTransition {
  const reader: VendingBase = { config, readerAvailable };
  if (record.stage === 'settled')
    return { state: { phase: 'done', ...reader, record }, effects: [] };

  const sessionMayBeOpen = record.stage !== 'creating' && record.stage !== 'awaitingPayment';
  const driver: VendingEffect[] = sessionMayBeOpen ? [{ type: 'endSession' }] : [];

  if (record.stage === 'settling') {
    const step = currentStep(record);
    if (!step) return finish(reader, record, driver);
    return {
      state: { phase: 'settling', ...reader, record, attempt: 0 },
      effects: [{ type: 'journal', record }, ...driver, moneyEffect(record, step)],
    };
  }

  const vend = record.vend;
  if (vend?.decision === 'approved' && vend.result === 'succeeded') {
    return settle(reader, record, 'vended', chargePlan(record, vend.priceMinor, vend.item), driver);
  }
  // An approved vend with no recorded result is unconfirmed: nothing is charged.
  const next: VendingJournalRecord =
    vend?.decision === 'approved' && vend.result === null
      ? { ...record, vend: { ...vend, result: 'failed', failure: 'noResult' } }
      : record;
  return settle(reader, next, record.reason ?? 'restarted', returnAll(next), driver);
}

/** The config a journal record was made with (for a restart that has no other). */
export function configOf(record: VendingJournalRecord): VendingConfig {
  return {
    terminalId: record.terminalId,
    currency: record.currency,
    maxPriceMinor: record.creditMinor,
    preAuth: record.preAuth,
  };
}

// ---- helpers ------------------------------------------------------------------------------------

/** Driver notifications every phase takes for the reader's availability alone. */
const READER_EVENTS: VendingEventType[] = [
  'readerReady',
  'readerDisabled',
  'adapterSilent',
  'disconnected',
  'vmcReset',
];

/** Late arrivals once the payment is settled: answers to earlier calls, the watch. */
const LATE_AFTER_PAYMENT: VendingEventType[] = ['urlOpened', 'statusObserved', 'finalStatus'];

const DONE_LATE: VendingEventType[] = [
  'statusObserved',
  'finalStatus',
  'sessionStarted',
  'vendRequested',
  'vendSucceeded',
  'vendFailed',
  'sessionEnded',
];

/** Late arrivals once the kiosk gave up on a session: the driver's lines too. */
const LATE_AFTER_SESSION: VendingEventType[] = [
  ...LATE_AFTER_PAYMENT,
  'sessionStarted',
  'vendRequested',
  'vendSucceeded',
  'vendFailed',
  'sessionEnded',
];

/** Reader availability; link losses in phases with something at stake fall through to them. */
function readerEvent(state: VendingState, event: VendingEvent): VendingTransition | null {
  switch (event.type) {
    case 'readerReady':
      return stay({ ...state, readerAvailable: true });
    case 'readerDisabled':
      if (state.phase === 'awaitingPayment') return null;
      return stay({ ...state, readerAvailable: false });
    case 'adapterSilent':
    case 'disconnected':
    case 'vmcReset':
      switch (state.phase) {
        case 'awaitingPayment':
        case 'startingSession':
        case 'sessionIdle':
        case 'vending':
          return null;
        default:
          return stay({ ...state, readerAvailable: false });
      }
    default:
      return null;
  }
}

/**
 * Events that belong to an earlier phase, when `allowed` lists them. A session that starts or a
 * vend that is requested after the kiosk gave up is ended (and denied); a late vend result is
 * never charged (the spec: unconfirmed charges nothing).
 */
function late(
  state: VendingState,
  event: VendingEvent,
  allowed: VendingEventType[],
): VendingTransition | null {
  if (!allowed.includes(event.type)) return null;
  switch (event.type) {
    case 'urlOpened':
      return busy(state, event);
    case 'sessionStarted':
      return stayWith(state, [{ type: 'endSession' }]);
    case 'vendRequested':
      return stayWith(state, [{ type: 'denyVend' }, { type: 'endSession' }]);
    default:
      return stay(state);
  }
}

function held(record: VendingJournalRecord, preAuthStatus: PreAuthStatus | undefined): boolean {
  return !record.preAuth || preAuthStatus === 'authorized';
}

function paid(state: StateOf<'awaitingPayment' | 'checking'>): VendingTransition {
  if (!state.readerAvailable) {
    return settle(state, state.record, 'readerLost', returnAll(state.record), [
      { type: 'unwatch' },
    ]);
  }
  const next: VendingJournalRecord = { ...state.record, stage: 'paid' };
  return {
    state: { phase: 'startingSession', config: state.config, readerAvailable: true, record: next },
    effects: [
      { type: 'journal', record: next },
      { type: 'stopTimers' },
      { type: 'unwatch' },
      { type: 'startSession', creditMinor: next.creditMinor },
      { type: 'startTimerIn', timer: 'sessionStart', delayMs: SESSION_START_LIMIT_MS },
    ],
  };
}

/** Gives the whole payment back: release the hold, or void (cancel unpaid, refund paid). */
function returnAll(record: VendingJournalRecord): MoneyStep[] {
  const kind = record.preAuth ? 'release' : 'void';
  return [{ kind, reference: referenceFor(record.sessionId, kind) }];
}

/** Charges exactly `priceMinor` of the credit and gives back the rest. */
function chargePlan(record: VendingJournalRecord, priceMinor: number, item: number): MoneyStep[] {
  const rest = record.creditMinor - priceMinor;
  if (record.preAuth) {
    const confirm: MoneyStep = {
      kind: 'confirm',
      amountMinor: priceMinor,
      item,
      reference: referenceFor(record.sessionId, 'confirm'),
    };
    if (rest <= 0) return [confirm];
    return [confirm, { kind: 'release', reference: referenceFor(record.sessionId, 'release') }];
  }
  if (rest <= 0) return [];
  return [
    { kind: 'refund', amountMinor: rest, reference: referenceFor(record.sessionId, 'refund') },
  ];
}

function endUnlessLinkLost(reason: VendFailureReason): VendingEffect[] {
  switch (reason) {
    case 'adapterSilent':
    case 'disconnected':
    case 'vmcReset':
    case 'shutdown':
      return [];
    case 'exceedsCredit':
    case 'denied':
    case 'approvalTimeout':
    case 'vmcCancelled':
    case 'vendFailed':
    case 'rejected':
    case 'unconfirmed':
      return [{ type: 'endSession' }];
    default:
      return assertNever(reason);
  }
}

/**
 * Starts giving back (or charging): the plan goes to the journal first, as `pending` steps, then
 * the first step is sent. `extra` effects (driver commands, unwatch) follow the journal write.
 */
function settle(
  state: VendingBase,
  record: VendingJournalRecord,
  reason: SettleReason,
  plan: MoneyStep[],
  extra: VendingEffect[] = [],
): VendingTransition {
  const next: VendingJournalRecord = {
    ...record,
    stage: 'settling',
    reason,
    money: plan.map((step) => ({ step, status: 'pending' })),
  };
  const [first] = plan;
  if (!first) return finish(state, next, extra);
  return {
    state: {
      phase: 'settling',
      config: state.config,
      readerAvailable: state.readerAvailable,
      record: next,
      attempt: 0,
    },
    effects: [
      { type: 'journal', record: next },
      { type: 'stopTimers' },
      ...extra,
      moneyEffect(next, first),
    ],
  };
}

function afterStep(
  state: StateOf<'settling'>,
  status: 'done' | 'refused',
  code?: string,
): VendingTransition {
  const index = state.record.money.findIndex((entry) => entry.status === 'pending');
  if (index < 0) return stay(state);
  const money = state.record.money.map((entry, i) =>
    i !== index ? entry : code === undefined ? { ...entry, status } : { ...entry, status, code },
  );
  const record: VendingJournalRecord = { ...state.record, money };
  const step = currentStep(record);
  if (!step) return finish(state, record);
  return {
    state: { ...state, record, attempt: 0 },
    effects: [{ type: 'journal', record }, { type: 'stopTimers' }, moneyEffect(record, step)],
  };
}

/** Ends the session on screen; `settled` unless a step is still pending (the reconciler's). */
function finish(
  state: VendingBase,
  record: VendingJournalRecord,
  extra: VendingEffect[] = [],
): VendingTransition {
  const next: VendingJournalRecord = currentStep(record) ? record : { ...record, stage: 'settled' };
  return {
    state: {
      phase: 'done',
      config: state.config,
      readerAvailable: state.readerAvailable,
      record: next,
    },
    effects: [
      { type: 'journal', record: next },
      { type: 'stopTimers' },
      ...extra,
      { type: 'startTimerIn', timer: 'backToIdle', delayMs: RESULT_SHOWN_MS },
    ],
  };
}

function currentStep(record: VendingJournalRecord): MoneyStep | undefined {
  return record.money.find((entry) => entry.status === 'pending')?.step;
}

function moneyEffect(record: VendingJournalRecord, step: MoneyStep): VendingEffect {
  return {
    type: 'money',
    sessionId: record.sessionId,
    requestId: record.requestId,
    currency: record.currency,
    step,
  };
}

function busy(
  state: VendingState,
  event: Extract<VendingEvent, { type: 'urlOpened' }>,
): VendingTransition {
  return stayWith(state, [
    { type: 'answerVisit', visitId: event.visitId, answer: { kind: 'busy' } },
  ]);
}

function unavailable<S extends VendingState>(state: S): S {
  return { ...state, readerAvailable: false };
}

function toIdle(state: VendingBase): VendingTransition {
  return {
    state: { phase: 'idle', config: state.config, readerAvailable: state.readerAvailable },
    effects: [],
  };
}

const stay = (state: VendingState): VendingTransition => ({ state, effects: [] });

const stayWith = (state: VendingState, effects: VendingEffect[]): VendingTransition => ({
  state,
  effects,
});

function refuse(state: VendingState, event: VendingEvent, allowed: VendingEventType[]): never {
  throw new RefusedTransitionError(state.phase, event.type, allowed);
}
