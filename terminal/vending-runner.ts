// Runs the vending flow (flows/vending-flow.ts) against the machine's cashless reader and the
// payment API: feeds it the reader's notifications, the consumer's visits to the static URL and
// the answers to its calls, and carries out the effects it returns. Every record the flow hands
// over is written to the journal before anything else it asked for happens (spec: journal each
// line and decision first), so a restart at any point finds enough to settle with `recover`.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { CashlessNotification } from '../hardware/mdb/cashless-session.ts';
import type { VendingScreenPhase, VendingView } from './contract/state.ts';
import { OutcomeUnknownError, PaymentApiError } from './api/errors.ts';
import type { PaymentApi } from './api/payment-api.ts';
import type { PaymentRequest } from './api/wire.ts';
import type { CashlessCommands } from './devices/vending-reader.ts';
import { RefusedTransitionError } from './flows/refused-transition.ts';
import {
  initialVendingState,
  recover,
  transitionVending,
  type MoneyStep,
  type PreAuthStatus,
  type VendingConfig,
  type VendingEffect,
  type VendingEvent,
  type VendingJournalRecord,
  type VendingState,
  type VendingTimer,
  type VendingTransition,
  type VisitAnswer,
} from './flows/vending-flow.ts';
import type { Journal } from './journal.ts';
import { nothingLeftToVoid } from './reconciler.ts';
import { summarise, toWireMoney } from './requests.ts';
import type { TerminalIdentity } from './sale-runner.ts';

export interface VendingRunnerOptions {
  /** The payment API now, or null when none is configured. */
  api: () => PaymentApi | null;
  identity: () => TerminalIdentity;
  /** The machine's terms as the settings say now; each new session takes them as it starts. */
  config: () => VendingConfig;
  reader: CashlessCommands & {
    subscribe(listener: (notification: CashlessNotification) => void): () => void;
  };
  journal: Journal;
  logger: Logger;
  onChange: () => void;
  now?: () => number;
}

/** A visitor waits this long at most for the payment request to exist. */
export const VISIT_ANSWER_LIMIT_MS = 20_000;

/** Release refusals that mean nothing is held any more. */
const NOTHING_LEFT_TO_RELEASE: ReadonlySet<string> = new Set([
  'PRE_AUTH_RELEASED',
  'REQUEST_CANCELLED',
  'REQUEST_EXPIRED',
]);

const PRE_AUTH_STATUSES: ReadonlySet<string> = new Set([
  'authorized',
  'released',
  'confirmed',
  'pending',
]);

export class VendingRunner {
  #state: VendingState;
  readonly #options: VendingRunnerOptions;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #timers = new Map<VendingTimer, NodeJS.Timeout>();
  readonly #visits = new Map<string, (answer: VisitAnswer) => void>();
  #stopWatch: (() => void) | null = null;
  #stopReader: (() => void) | null = null;
  /** After close(), answers still in flight change nothing: the next start settles the session. */
  #closed = false;
  /**
   * The session on screen whose payment (or hold) was seen: only then does the screen say money
   * comes back. The journal record does not keep it past settling, so a restart judges by stage.
   */
  #paidSession: string | null = null;

  constructor(options: VendingRunnerOptions) {
    this.#options = options;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    this.#state = initialVendingState(options.config());
  }

  get state(): VendingState {
    return this.#state;
  }

  /** Listens to the reader, then settles what a previous run left unfinished. */
  start(): void {
    this.#stopReader = this.#options.reader.subscribe((notification) =>
      this.#onReader(notification),
    );
    this.reconcile();
  }

  /**
   * Settles the oldest session the journal holds unfinished (after a restart, or a money step
   * the payment API did not answer), when no consumer is using the machine.
   */
  reconcile(): void {
    if (this.#state.phase !== 'idle') return;
    const [record] = this.#options.journal.unfinishedVending();
    if (!record) return;
    this.#logger.info(
      { sessionId: record.sessionId, stage: record.stage },
      'settling an unfinished vending session',
    );
    if (PAID_STAGES.has(record.stage) || record.vend !== null) this.#paidSession = record.sessionId;
    this.#apply(recover(record, this.#config(), this.#state.readerAvailable));
  }

  /** A consumer opened the static URL: where to pay, or why not now. */
  visit(): Promise<VisitAnswer> {
    const visitId = randomUUID();
    return new Promise<VisitAnswer>((resolve) => {
      const timeout = setTimeout(() => answer({ kind: 'unavailable' }), VISIT_ANSWER_LIMIT_MS);
      const answer = (value: VisitAnswer) => {
        clearTimeout(timeout);
        this.#visits.delete(visitId);
        resolve(value);
      };
      this.#visits.set(visitId, answer);
      // A session starts on the terms in force now (the terminal id may have changed since).
      if (this.#state.phase === 'idle' || this.#state.phase === 'done') {
        this.#state = { ...this.#state, config: this.#config() };
      }
      try {
        this.dispatch({ type: 'urlOpened', visitId, sessionId: randomUUID() });
      } catch (error) {
        if (!(error instanceof RefusedTransitionError)) throw error;
        answer({ kind: 'busy' });
      }
    });
  }

  /** Applies one event; throws RefusedTransitionError when it does not fit the phase. */
  dispatch(event: VendingEvent): void {
    const paying = this.#sessionId;
    if (
      (event.type === 'statusObserved' || event.type === 'finalStatus') &&
      event.status === 'paid'
    )
      this.#paidSession = paying;
    this.#apply(transitionVending(this.#state, event));
  }

  /** The session as the screen shows it. */
  view(staticUrl: string | null): VendingView {
    const state = this.#state;
    const { config } = state;
    const base = {
      staticUrl,
      readerAvailable: state.readerAvailable,
      currency: config.currency,
      maxPrice: config.maxPriceMinor,
    };
    if (state.phase === 'idle') {
      return { ...base, phase: 'idle', request: null, vend: null, outcome: null };
    }
    const { record } = state;
    const vend = record.vend;
    const charged = record.reason === 'vended' && vend ? vend.priceMinor : 0;
    const givingBack = record.money.filter((entry) => entry.step.kind !== 'confirm');
    // What comes back: the rest of what was paid or held, unless giving it back was refused.
    const returned =
      this.#paidSession === record.sessionId &&
      givingBack.length > 0 &&
      givingBack.every((entry) => entry.status !== 'refused')
        ? record.creditMinor - charged
        : 0;
    return {
      ...base,
      phase: SCREEN_PHASES[state.phase],
      request: 'request' in state ? state.request : null,
      vend: vend && { item: vend.item, price: vend.priceMinor, result: vend.result },
      outcome:
        record.reason === null
          ? null
          : {
              reason: record.reason,
              charged,
              returned,
              pending: record.money.some((entry) => entry.status === 'pending'),
              refused: record.money.some((entry) => entry.status === 'refused'),
            },
    };
  }

  /**
   * Stops listening and every timer. A session in progress stays in the journal as it is, and is
   * settled at the next start.
   */
  close(): void {
    this.#closed = true;
    this.#stopReader?.();
    this.#stopReader = null;
    this.#stopTimers();
    this.#stopWatch?.();
    this.#stopWatch = null;
    for (const answer of [...this.#visits.values()]) answer({ kind: 'unavailable' });
  }

  #config(): VendingConfig {
    return this.#options.config();
  }

  get #sessionId(): string | null {
    return this.#state.phase === 'idle' ? null : this.#state.record.sessionId;
  }

  #apply(transition: VendingTransition): void {
    this.#state = transition.state;
    this.#options.onChange();
    for (const effect of transition.effects) this.#run(effect);
  }

  /** Delivers an asynchronous result, unless its session has ended meanwhile. */
  #deliver(sessionId: string, event: VendingEvent): void {
    if (this.#closed || this.#sessionId !== sessionId) return;
    this.#dispatchLogged(event);
  }

  #dispatchLogged(event: VendingEvent): void {
    try {
      this.dispatch(event);
    } catch (error) {
      if (!(error instanceof RefusedTransitionError)) throw error;
      this.#logger.warn({ event: event.type, phase: error.phase }, 'vending event ignored');
    }
  }

  #onReader(notification: CashlessNotification): void {
    const event = readerEvent(notification);
    if (event) this.#dispatchLogged(event);
  }

  #run(effect: VendingEffect): void {
    const sessionId = this.#sessionId;
    const { reader } = this.#options;
    switch (effect.type) {
      case 'journal':
        this.#options.journal.recordVending(effect.record);
        return;
      case 'answerVisit':
        this.#visits.get(effect.visitId)?.(effect.answer);
        return;
      case 'createRequest':
        void this.#create(effect);
        return;
      case 'watch':
        if (sessionId) this.#watch(sessionId, effect.requestId);
        return;
      case 'unwatch':
        this.#stopWatch?.();
        this.#stopWatch = null;
        return;
      case 'checkStatus':
        if (sessionId) void this.#checkStatus(sessionId, effect.requestId);
        return;
      case 'startSession':
        this.#drive('start a session', reader.startSession(effect.creditMinor));
        return;
      case 'approveVend':
        this.#drive('approve the vend', reader.approveVend(effect.priceMinor));
        return;
      case 'denyVend':
        this.#drive('deny the vend', reader.denyVend());
        return;
      case 'endSession':
        this.#drive('end the session', reader.endSession());
        return;
      case 'money':
        void this.#money(effect);
        return;
      case 'startTimer':
        if (sessionId) this.#startTimer(sessionId, effect.timer, effect.at - this.#now());
        return;
      case 'startTimerIn':
        if (sessionId) this.#startTimer(sessionId, effect.timer, effect.delayMs);
        return;
      case 'stopTimers':
        this.#stopTimers();
        return;
    }
  }

  /** A reader command: what it leads to arrives as notifications; a failure is only logged. */
  #drive(what: string, command: Promise<unknown>): void {
    command.catch((error: unknown) => {
      this.#logger.warn({ err: error, command: what }, 'the vending machine did not take it');
    });
  }

  async #create(effect: Extract<VendingEffect, { type: 'createRequest' }>): Promise<void> {
    const { sessionId } = effect;
    const api = this.#options.api();
    if (!api) {
      this.#deliver(sessionId, { type: 'createRefused', code: 'NO_PAYMENT_API' });
      return;
    }
    const identity = this.#options.identity();
    const value = toWireMoney(effect.amountMinor, effect.currency);
    try {
      const request = await api.createPaymentRequest({
        configId: identity.configId,
        value,
        expirySeconds: identity.expirySeconds,
        lineItems: [{ name: 'Vending machine credit', qty: '1', price: value.amount }],
        externalRef: sessionId,
        terminalId: effect.terminalId,
        deviceId: identity.deviceId,
        preAuth: effect.preAuth,
        idempotencyKey: effect.reference,
      });
      this.#logger.info({ sessionId, requestId: request.id }, 'vending payment request created');
      this.#deliver(sessionId, { type: 'created', request: summarise(request) });
    } catch (error) {
      if (error instanceof PaymentApiError) {
        this.#logger.warn({ sessionId, code: error.code }, 'vending payment request refused');
        this.#deliver(sessionId, { type: 'createRefused', code: error.code });
        return;
      }
      this.#unknown(error, sessionId, 'create');
      this.#deliver(sessionId, { type: 'createOutcomeUnknown' });
    }
  }

  #watch(sessionId: string, requestId: string): void {
    this.#stopWatch?.();
    const api = this.#options.api();
    if (!api) return;
    this.#stopWatch = api.watch(requestId, {
      onChange: (request) => this.#deliver(sessionId, { type: 'statusObserved', ...seen(request) }),
      onMode: (mode) => this.#logger.debug({ sessionId, mode }, 'vending request watch'),
    });
  }

  async #checkStatus(sessionId: string, requestId: string): Promise<void> {
    const api = this.#options.api();
    try {
      if (!api) throw new OutcomeUnknownError('no payment API is configured', 0);
      const request = await api.getPaymentRequest(requestId);
      this.#deliver(sessionId, { type: 'finalStatus', ...seen(request) });
    } catch (error) {
      this.#unknown(error, sessionId, 'check status');
      this.#deliver(sessionId, { type: 'finalStatus', status: 'unknown' });
    }
  }

  /** One money step; its reference makes a repeat (after a retry or a restart) a no-op. */
  async #money(effect: Extract<VendingEffect, { type: 'money' }>): Promise<void> {
    const { sessionId, step } = effect;
    const api = this.#options.api();
    try {
      if (!api) throw new OutcomeUnknownError('no payment API is configured', 0);
      const requestId = effect.requestId ?? (await this.#findRequest(api, sessionId));
      if (requestId !== null) await moneyCall(api, requestId, effect);
      this.#logger.info({ sessionId, step: step.kind, requestId }, 'vending money step done');
      this.#deliver(sessionId, { type: 'moneyStepDone' });
    } catch (error) {
      if (error instanceof PaymentApiError) {
        if (alreadyDone(step.kind, error)) {
          this.#deliver(sessionId, { type: 'moneyStepDone' });
          return;
        }
        this.#logger.error(
          { sessionId, step: step.kind, code: error.code },
          'vending money step refused: staff must look',
        );
        this.#deliver(sessionId, { type: 'moneyStepRefused', code: error.code });
        return;
      }
      this.#unknown(error, sessionId, step.kind);
      this.#deliver(sessionId, { type: 'moneyStepOutcomeUnknown' });
    }
  }

  /** The session's request when its create's answer was lost; null if it never reached the API. */
  async #findRequest(api: PaymentApi, sessionId: string): Promise<string | null> {
    const [request] = await api.listByExternalRef(sessionId);
    return request?.id ?? null;
  }

  /** An unknown outcome is expected (the API may be down); anything else is a bug worth a trace. */
  #unknown(error: unknown, sessionId: string, call: string): void {
    if (error instanceof OutcomeUnknownError) {
      this.#logger.warn({ sessionId, call }, 'payment API did not answer');
    } else {
      this.#logger.error({ err: error, sessionId, call }, 'vending payment API call failed');
    }
  }

  #startTimer(sessionId: string, timer: VendingTimer, delayMs: number): void {
    clearTimeout(this.#timers.get(timer));
    this.#timers.set(
      timer,
      setTimeout(
        () => {
          this.#timers.delete(timer);
          this.#deliver(sessionId, { type: 'timerFired', timer });
        },
        Math.max(0, delayMs),
      ),
    );
  }

  #stopTimers(): void {
    for (const handle of this.#timers.values()) clearTimeout(handle);
    this.#timers.clear();
  }
}

/**
 * A refusal that means the step's end state already holds: nothing is left to give back. A
 * repeated confirm or refund is answered, not refused (each is idempotent by its reference), so
 * any refusal of those is for staff.
 */
function alreadyDone(kind: MoneyStep['kind'], error: PaymentApiError): boolean {
  switch (kind) {
    case 'release':
      return NOTHING_LEFT_TO_RELEASE.has(error.code);
    case 'void':
      return nothingLeftToVoid(error);
    case 'confirm':
    case 'refund':
      return false;
  }
}

/** Stages a journal record reaches only once the consumer's payment (or hold) was seen. */
const PAID_STAGES: ReadonlySet<VendingJournalRecord['stage']> = new Set([
  'paid',
  'sessionOpen',
  'vending',
]);

const SCREEN_PHASES: Record<Exclude<VendingState['phase'], 'idle'>, VendingScreenPhase> = {
  creating: 'awaitingPayment',
  awaitingPayment: 'awaitingPayment',
  checking: 'awaitingPayment',
  startingSession: 'startingSession',
  sessionIdle: 'choosing',
  vending: 'vending',
  settling: 'settling',
  done: 'done',
};

function seen(request: PaymentRequest): {
  status: PaymentRequest['status'];
  preAuthStatus?: PreAuthStatus;
} {
  const preAuthStatus = request.preAuthStatus;
  return preAuthStatus !== undefined && PRE_AUTH_STATUSES.has(preAuthStatus)
    ? { status: request.status, preAuthStatus: preAuthStatus as PreAuthStatus }
    : { status: request.status };
}

async function moneyCall(
  api: PaymentApi,
  requestId: string,
  { step, currency, sessionId }: Extract<VendingEffect, { type: 'money' }>,
): Promise<void> {
  switch (step.kind) {
    case 'confirm': {
      const value = toWireMoney(step.amountMinor, currency);
      await api.confirm(requestId, {
        invoiceRef: sessionId,
        lineItems: [
          { name: `Item ${step.item}`, sku: String(step.item), qty: '1', price: value.amount },
        ],
        value,
        idempotencyKey: step.reference,
      });
      return;
    }
    case 'release':
      await api.release(requestId, step.reference);
      return;
    case 'refund':
      await api.refund(requestId, {
        value: toWireMoney(step.amountMinor, currency),
        externalRef: step.reference,
      });
      return;
    case 'void':
      await api.void(requestId, step.reference);
      return;
  }
}

/** The reader's notifications the flow takes, one to one; the rest are the driver's business. */
function readerEvent(notification: CashlessNotification): VendingEvent | null {
  switch (notification.type) {
    case 'ready':
      return { type: 'readerReady' };
    case 'readerDisabled':
      return { type: 'readerDisabled' };
    case 'sessionStarted':
      return { type: 'sessionStarted', creditMinor: notification.creditMinor };
    case 'vendRequested':
      return {
        type: 'vendRequested',
        priceMinor: notification.priceMinor,
        item: notification.item,
      };
    case 'vendSucceeded':
      return {
        type: 'vendSucceeded',
        priceMinor: notification.priceMinor,
        item: notification.item,
      };
    case 'vendFailed':
      return {
        type: 'vendFailed',
        priceMinor: notification.priceMinor,
        item: notification.item,
        reason: notification.reason,
      };
    case 'sessionEnded':
      return { type: 'sessionEnded', reason: notification.reason };
    case 'vmcReset':
      return { type: 'vmcReset' };
    case 'adapterSilent':
      return { type: 'adapterSilent' };
    case 'disconnected':
      return { type: 'disconnected' };
    case 'adapterIdentified':
    case 'fault':
      return null;
  }
}
