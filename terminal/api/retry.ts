// Retrying calls whose outcome is unknown, with capped, jittered backoff. Only an unknown outcome
// (`AttemptError`) is retried: a refusal is an answer, and retrying it would only repeat it. A
// retry sends the very same body, so the same idempotencyKey (or a refund's externalRef) makes
// the core return the first result instead of acting twice.
import { OutcomeUnknownError } from './errors.ts';
import { AttemptError } from './http-call.ts';
import type { PaymentApiLogger } from './logger.ts';

export interface BackoffPolicy {
  /** Delay ceiling before the first retry; it doubles for each further one. */
  initialMs: number;
  /** No delay is ever longer than this. */
  maxMs: number;
}

/** Waits `ms`; rejects with `signal.reason` when the signal aborts first. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * The delay before retry number `retry` (0 for the first): the capped exponential, jittered to
 * between half and all of it, so kiosks that lost the core together do not come back together.
 * Stripe's RequestSender._getSleepTimeInMS does the same.
 */
export function backoffDelay(retry: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** retry);
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** Written on the global setTimeout so that fake timers control it. */
export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface RetryPolicy {
  /** Attempts after the first one. */
  retries: number;
  backoff: BackoffPolicy;
  sleep: Sleep;
  random: () => number;
}

/** What the logs say a call was; never its body or headers. */
export interface CallLabel {
  method: string;
  path: string;
}

/**
 * Runs `attempt` until it gives a value or a refusal, at most `retries + 1` times. When every
 * attempt ended in an unknown outcome it throws `OutcomeUnknownError` with the last one as cause.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  label: CallLabel,
  logger: PaymentApiLogger,
): Promise<T> {
  const attempts = policy.retries + 1;
  for (let number = 1; ; number++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof AttemptError)) throw error;
      const fields = {
        ...label,
        attempt: number,
        attempts,
        failure: error.failure,
        ...(error.statusCode !== undefined && { statusCode: error.statusCode }),
      };
      if (number >= attempts) {
        logger.error(fields, 'payment API call outcome unknown; retries used up');
        throw new OutcomeUnknownError(
          `${label.method} ${label.path}: outcome unknown after ${attempts} attempt(s): ${error.message}`,
          attempts,
          { cause: error },
        );
      }
      const delayMs = backoffDelay(number - 1, policy.backoff, policy.random);
      logger.warn({ ...fields, delayMs }, 'payment API call outcome unknown; retrying');
      await policy.sleep(delayMs);
    }
  }
}
