// Runs the sale flow: feeds events to the pure machine, carries out the effects it returns
// (payment API calls, the request watch, timers, journal writes) and turns their results back
// into events. Results that arrive after their sale has ended are dropped.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { BasketLine } from './contract/commands.ts';
import type { DeclineReason, SaleOrder, SaleState } from './contract/state.ts';
import { OutcomeUnknownError, PaymentApiError } from './api/errors.ts';
import type { PaymentApi } from './api/payment-api.ts';
import type { PaymentRequest, WireLineItem } from './api/wire.ts';
import { RefusedTransitionError } from './flows/refused-transition.ts';
import {
  startSale,
  transitionSale,
  type SaleEffect,
  type SaleEvent,
  type SaleTimer,
  type SaleTransition,
} from './flows/sale-flow.ts';
import type { Journal } from './journal.ts';
import { nothingLeftToVoid } from './reconciler.ts';
import { paidByLines, summarise, toWireMoney } from './requests.ts';

/** Who the kiosk is, as every payment request it creates must say. */
export interface TerminalIdentity {
  configId: string;
  terminalId: string;
  deviceId: string;
  expirySeconds: number;
}

export interface SaleRunnerOptions {
  api: () => PaymentApi;
  identity: () => TerminalIdentity;
  journal: Journal;
  logger: Logger;
  onChange: (state: SaleState) => void;
  /** The merchant's name as the core reports it, for the idle screen. */
  onMerchantName: (name: string) => void;
  now?: () => number;
}

/** Refusals of a voucher code, in the words the screen uses. */
const VOUCHER_DECLINES: Record<string, DeclineReason> = {
  ASSET_REDEMPTION_DENIED: 'unknown-code',
  INACTIVE_ASSET: 'expired-code',
  INSUFFICIENT_ASSET_VALUE: 'insufficient-balance',
  RATE_LIMIT_EXCEEDED: 'too-many-tries',
  QUOTA_EXCEEDED: 'too-many-tries',
};

/** Refusals of a patron barcode at create. */
const BARCODE_DECLINES: Record<string, DeclineReason> = {
  CHECKSUM_FAILED: 'invalid-barcode',
  PATRON_CODE_INVALID: 'barcode-not-accepted',
  PATRON_CODE_EXPIRED: 'barcode-not-accepted',
};

/** Pay refusals that mean the request changed under us: look at it instead of declining. */
const REQUEST_MOVED_ON = new Set(['REQUEST_PAID', 'REQUEST_CANCELLED', 'REQUEST_EXPIRED']);

export class SaleRunner {
  #state: SaleState = { phase: 'idle' };
  /** Liveness of the current request: vouchers pay with `voucher.<liveness>`. */
  #liveness: 'main' | 'test' = 'test';
  #stopWatch: (() => void) | null = null;
  readonly #timers = new Map<SaleTimer, NodeJS.Timeout>();
  readonly #options: SaleRunnerOptions;
  readonly #now: () => number;

  constructor(options: SaleRunnerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  get state(): SaleState {
    return this.#state;
  }

  get activeSaleId(): string | null {
    return this.#state.phase === 'idle' ? null : this.#state.order.saleId;
  }

  start(order: SaleOrder): void {
    this.#apply(startSale(order));
  }

  /** Applies one event; throws RefusedTransitionError when it does not fit the phase. */
  dispatch(event: SaleEvent): void {
    this.#apply(transitionSale(this.#state, event));
  }

  close(): void {
    this.#stopTimers();
    this.#stopWatch?.();
    this.#stopWatch = null;
  }

  #apply(transition: SaleTransition): void {
    this.#state = transition.state;
    this.#options.onChange(this.#state);
    for (const effect of transition.effects) this.#run(effect);
  }

  /** Delivers an asynchronous result, unless its sale has ended meanwhile. */
  #deliver(saleId: string, event: SaleEvent): void {
    if (this.activeSaleId !== saleId) return;
    try {
      this.dispatch(event);
    } catch (error) {
      if (!(error instanceof RefusedTransitionError)) throw error;
      // An answer to a call made before the flow moved on (e.g. a poll after Paid).
      this.#options.logger.debug({ event: event.type, phase: error.phase }, 'late result ignored');
    }
  }

  /**
   * Runs one API call for the flow. A refusal is the caller's to interpret; anything else that
   * goes wrong (a network failure after retries, or a bug) leaves the outcome unknown, which the
   * flow answers by voiding: it never escapes as an unhandled rejection.
   */
  async #call(
    saleId: string,
    what: string,
    call: (api: PaymentApi) => Promise<void>,
    onUnknown: SaleEvent,
  ): Promise<void> {
    try {
      await call(this.#options.api());
    } catch (error) {
      if (!(error instanceof OutcomeUnknownError)) {
        this.#options.logger.error({ err: error, saleId, call: what }, 'payment API call failed');
      }
      this.#deliver(saleId, onUnknown);
    }
  }

  #run(effect: SaleEffect): void {
    const saleId = this.activeSaleId;
    switch (effect.type) {
      case 'createRequest':
        void this.#create(effect.order, effect.barcode);
        return;
      case 'watch':
        if (saleId) this.#watch(saleId, effect.requestId);
        return;
      case 'unwatch':
        this.#stopWatch?.();
        this.#stopWatch = null;
        return;
      case 'pay':
        if (saleId) void this.#pay(saleId, effect.requestId, effect.code);
        return;
      case 'checkStatus':
        if (saleId) void this.#checkStatus(saleId, effect.requestId);
        return;
      case 'void':
        void this.#void(effect.saleId, effect.requestId);
        return;
      case 'startTimer':
        if (saleId) this.#startTimer(saleId, effect.timer, effect.at - this.#now());
        return;
      case 'startTimerIn':
        if (saleId) this.#startTimer(saleId, effect.timer, effect.delayMs);
        return;
      case 'stopTimers':
        this.#stopTimers();
        return;
      case 'journal':
        if (effect.request) {
          this.#options.journal.attachRequest(
            effect.saleId,
            effect.request.id,
            effect.request.shortCode,
          );
        }
        this.#options.journal.recordOutcome(effect.saleId, effect.outcome);
        return;
    }
  }

  async #create(order: SaleOrder, barcode: string | undefined): Promise<void> {
    const { journal, logger } = this.#options;
    const saleId = order.saleId;
    journal.open({ saleId, flow: order.method, amount: order.amount, currency: order.currency });
    const identity = this.#options.identity();
    await this.#call(
      saleId,
      'create',
      async (api) => {
        try {
          const request = await api.createPaymentRequest({
            configId: identity.configId,
            value: toWireMoney(order.amount, order.currency),
            expirySeconds: identity.expirySeconds,
            lineItems: lineItems(order),
            externalRef: saleId,
            terminalId: identity.terminalId,
            deviceId: identity.deviceId,
            ...(barcode === undefined ? {} : { barcode }),
            idempotencyKey: randomUUID(),
          });
          this.#liveness = request.liveness;
          this.#options.onMerchantName(request.merchantName);
          logger.info({ saleId, requestId: request.id }, 'payment request created');
          this.#deliver(saleId, { type: 'created', request: summarise(request) });
        } catch (error) {
          if (!(error instanceof PaymentApiError)) throw error;
          logger.warn({ saleId, code: error.code }, 'payment request refused');
          const decline = barcode === undefined ? undefined : BARCODE_DECLINES[error.code];
          this.#deliver(saleId, {
            type: 'createRefused',
            code: error.code,
            ...(decline ? { decline } : {}),
          });
        }
      },
      { type: 'createOutcomeUnknown' },
    );
  }

  #watch(saleId: string, requestId: string): void {
    this.#stopWatch?.();
    this.#stopWatch = this.#options.api().watch(requestId, {
      onChange: (request) => this.#deliver(saleId, observed(request)),
      onMode: (connection) => this.#deliver(saleId, { type: 'connectionChanged', connection }),
    });
  }

  async #pay(saleId: string, requestId: string, code: string): Promise<void> {
    await this.#call(
      saleId,
      'pay',
      async (api) => {
        try {
          await api.pay(requestId, {
            assetType: `voucher.${this.#liveness}`,
            authorization: code,
            idempotencyKey: randomUUID(),
          });
        } catch (error) {
          if (!(error instanceof PaymentApiError)) throw error;
          this.#deliver(saleId, await this.#refusedPay(api, requestId, error));
          return;
        }
        this.#deliver(saleId, await this.#paidLook(api, requestId));
      },
      { type: 'payOutcomeUnknown' },
    );
  }

  /** A refused code is a decline; a request that moved on (paid elsewhere, cancelled) is looked at. */
  async #refusedPay(
    api: PaymentApi,
    requestId: string,
    error: PaymentApiError,
  ): Promise<SaleEvent> {
    if (!REQUEST_MOVED_ON.has(error.code)) {
      return { type: 'payDeclined', reason: VOUCHER_DECLINES[error.code] ?? 'declined' };
    }
    const request = await api.getPaymentRequest(requestId);
    if (request.status === 'paid' || request.status === 'cancelled') return observed(request);
    return { type: 'payDeclined', reason: 'declined' };
  }

  /** After a successful pay the request is paid even if the look at it fails. */
  async #paidLook(api: PaymentApi, requestId: string): Promise<SaleEvent> {
    try {
      return observed(await api.getPaymentRequest(requestId));
    } catch (error) {
      this.#options.logger.warn({ err: error, requestId }, 'paid; its details could not be read');
      return { type: 'statusObserved', status: 'paid', paidBy: [] };
    }
  }

  async #checkStatus(saleId: string, requestId: string): Promise<void> {
    await this.#call(
      saleId,
      'check status',
      async (api) => {
        const request = await api.getPaymentRequest(requestId);
        this.#deliver(saleId, {
          type: 'finalStatus',
          status: request.status,
          paidBy: paidByLines(request),
        });
      },
      { type: 'finalStatus', status: 'unknown' },
    );
  }

  async #void(saleId: string, requestId: string | null): Promise<void> {
    const { logger } = this.#options;
    await this.#call(
      saleId,
      'void',
      async (api) => {
        try {
          const ids =
            requestId === null
              ? (await api.listByExternalRef(saleId)).filter(isOpen).map((request) => request.id)
              : [requestId];
          for (const id of ids) {
            try {
              await api.void(id, randomUUID());
            } catch (error) {
              if (!nothingLeftToVoid(error)) throw error;
            }
          }
          logger.info({ saleId, voided: ids.length }, 'sale voided');
          this.#deliver(saleId, { type: 'voided' });
        } catch (error) {
          if (!(error instanceof PaymentApiError)) throw error;
          logger.error({ saleId, code: error.code }, 'void refused: staff must look');
          this.#deliver(saleId, { type: 'voidRefused', code: error.code });
        }
      },
      { type: 'voidOutcomeUnknown' },
    );
  }

  #startTimer(saleId: string, timer: SaleTimer, delayMs: number): void {
    clearTimeout(this.#timers.get(timer));
    const event: SaleEvent =
      timer === 'giveUp' ? { type: 'giveUpTimeReached' } : { type: 'voidRetryTimeReached' };
    this.#timers.set(
      timer,
      setTimeout(
        () => {
          this.#timers.delete(timer);
          this.#deliver(saleId, event);
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

function observed(request: PaymentRequest): SaleEvent {
  return { type: 'statusObserved', status: request.status, paidBy: paidByLines(request) };
}

function isOpen(request: PaymentRequest): boolean {
  return request.status === 'new' || request.status === 'paid';
}

/** Basket lines as sent; a keyed amount becomes one line so the request always itemises. */
function lineItems(order: SaleOrder): WireLineItem[] {
  const lines: BasketLine[] =
    order.lines.length > 0 ? order.lines : [{ name: 'Sale', qty: 1, price: order.amount }];
  return lines.map((line) => ({
    name: line.name,
    ...(line.sku === undefined ? {} : { sku: line.sku }),
    qty: String(line.qty),
    price: String(line.price),
  }));
}
