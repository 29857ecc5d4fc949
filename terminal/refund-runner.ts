// Runs the refund flow: looks a receipt's short code up and refunds through the payment API.
import type { Logger } from 'pino';
import type { Currency, RefundState, RefundTarget } from './contract/state.ts';
import { OutcomeUnknownError, PaymentApiError } from './api/errors.ts';
import type { PaymentApi } from './api/payment-api.ts';
import type { PaymentRequest } from './api/wire.ts';
import { RefusedTransitionError } from './flows/refused-transition.ts';
import { transitionRefund, type RefundEffect, type RefundEvent } from './flows/refund-flow.ts';
import type { Journal } from './journal.ts';
import { minorUnits, toWireMoney } from './requests.ts';

export interface RefundRunnerOptions {
  api: () => PaymentApi;
  journal: Journal;
  logger: Logger;
  onChange: (state: RefundState) => void;
}

export class RefundRunner {
  #state: RefundState = { phase: 'idle' };
  readonly #options: RefundRunnerOptions;

  constructor(options: RefundRunnerOptions) {
    this.#options = options;
  }

  get state(): RefundState {
    return this.#state;
  }

  /** Applies one event; throws RefusedTransitionError when it does not fit the phase. */
  dispatch(event: RefundEvent): void {
    const transition = transitionRefund(this.#state, event);
    this.#state = transition.state;
    this.#options.onChange(this.#state);
    for (const effect of transition.effects) this.#run(effect);
  }

  #deliver(event: RefundEvent): void {
    try {
      this.dispatch(event);
    } catch (error) {
      if (!(error instanceof RefusedTransitionError)) throw error;
      this.#options.logger.debug({ event: event.type, phase: error.phase }, 'late refund result');
    }
  }

  #run(effect: RefundEffect): void {
    switch (effect.type) {
      case 'lookup':
        void this.#lookup(effect.shortCode);
        return;
      case 'refund':
        void this.#refund(effect);
        return;
      case 'journalRefund':
        this.#options.journal.recordRefund(effect.requestId, effect.amount);
        return;
    }
  }

  async #lookup(shortCode: string): Promise<void> {
    const api = this.#options.api();
    try {
      const request = await api.getByShortCode(shortCode.trim().toUpperCase());
      const activities = await api.listActivities(request.id);
      const refunded = activities
        .filter((activity) => activity.type === 'refund')
        .reduce((sum, activity) => sum + minorUnits(activity.value), 0);
      this.#deliver({ type: 'found', target: refundTarget(request, refunded) });
    } catch (error) {
      if (error instanceof PaymentApiError) {
        const reason = error.code === 'CHECKSUM_FAILED' ? 'checksum' : 'unknown';
        this.#deliver({ type: 'notFound', reason });
      } else {
        if (!(error instanceof OutcomeUnknownError)) {
          this.#options.logger.error({ err: error }, 'refund lookup failed');
        }
        this.#deliver({ type: 'notFound', reason: 'unreachable' });
      }
    }
  }

  async #refund(effect: Extract<RefundEffect, { type: 'refund' }>): Promise<void> {
    const { logger } = this.#options;
    try {
      await this.#options.api().refund(effect.requestId, {
        value: toWireMoney(effect.amount, effect.currency),
        externalRef: effect.reference,
      });
      logger.info({ requestId: effect.requestId, amount: effect.amount }, 'refunded');
      this.#deliver({ type: 'refunded' });
    } catch (error) {
      if (error instanceof PaymentApiError) {
        logger.warn({ requestId: effect.requestId, code: error.code }, 'refund refused');
        this.#deliver({ type: 'refundRefused', code: error.code });
      } else {
        // Unknown, or a bug on our side after sending: either way the refund may have happened,
        // and only a retry with the same reference can find out without refunding twice.
        if (!(error instanceof OutcomeUnknownError)) {
          logger.error({ err: error, requestId: effect.requestId }, 'refund failed');
        }
        this.#deliver({ type: 'refundOutcomeUnknown' });
      }
    }
  }
}

function refundTarget(request: PaymentRequest, refundedAmount: number): RefundTarget {
  return {
    id: request.id,
    shortCode: request.shortCode,
    status: request.status,
    paidAmount: request.status === 'paid' ? minorUnits(request.value) : 0,
    refundedAmount,
    currency: request.value.currency as Currency,
    createdAt: request.createdAt,
  };
}
