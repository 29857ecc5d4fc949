// Delivers the webhook outbox: each due delivery is POSTed, and retried with exponential
// backoff until a 2xx or two weeks have passed. Several cores sharing a database may run this
// at once: a delivery is claimed before it is sent, so it goes out once per attempt.
import type { FastifyBaseLogger } from 'fastify';
import type { SigningKey } from '../auth/signing-keys.ts';
import type { Clock } from '../clock.ts';
import type { Storage } from '../db/storage.ts';
import { signWebhook } from './signature.ts';

export interface RetryPolicy {
  /** Wait before the first retry; each later one doubles it. */
  firstRetryMs: number;
  maxRetryMs: number;
  /** Give up after this long without a 2xx. */
  giveUpAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  firstRetryMs: 1_000,
  maxRetryMs: 60 * 60 * 1000,
  giveUpAfterMs: 14 * 24 * 3600 * 1000,
};

/** One POST may take this long before it counts as failed. */
export const DELIVERY_TIMEOUT_MS = 10_000;
const BATCH = 20;

export function retryDelay(policy: RetryPolicy, attempts: number): number {
  const base = Math.min(policy.maxRetryMs, policy.firstRetryMs * 2 ** Math.max(0, attempts - 1));
  // Jitter spreads retries from many deliveries that failed together.
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export interface WebhookDispatcherOptions {
  storage: Storage;
  signingKey: SigningKey;
  clock: Clock;
  logger: FastifyBaseLogger;
  policy?: RetryPolicy;
  intervalMs?: number;
}

export function createWebhookDispatcher(options: WebhookDispatcherOptions) {
  const { storage, signingKey, clock, logger } = options;
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;

  async function attempt(delivery: {
    id: string;
    url: string;
    body: string;
    kind: string;
    attempts: number;
    created_at: number;
  }) {
    let failure: string | undefined;
    try {
      // A legacy notifyUrl's body carries its own token; current deliveries sign the body now.
      const authorization: Record<string, string> =
        delivery.kind === 'legacy'
          ? {}
          : {
              authorization: await signWebhook(
                signingKey,
                delivery.url,
                delivery.body,
                clock.now(),
              ),
            };
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authorization },
        body: delivery.body,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (!response.ok) failure = `HTTP ${response.status}`;
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    const attempts = delivery.attempts + 1;
    await storage.write(async (trx) => {
      const update = trx.updateTable('webhook_deliveries').where('id', '=', delivery.id);
      if (failure === undefined) {
        await update.set({ delivered_at: clock.now(), attempts, last_error: null }).execute();
      } else if (clock.now() - delivery.created_at >= policy.giveUpAfterMs) {
        await update.set({ abandoned_at: clock.now(), attempts, last_error: failure }).execute();
      } else {
        await update
          .set({
            attempts,
            last_error: failure,
            next_attempt_at: clock.now() + retryDelay(policy, attempts),
          })
          .execute();
      }
    });
    if (failure === undefined)
      logger.info({ deliveryId: delivery.id, attempts }, 'webhook delivered');
    else
      logger.warn(
        { deliveryId: delivery.id, attempts, error: failure },
        'webhook delivery failed; will retry',
      );
  }

  return {
    /** Sends every delivery due now; returns how many it tried. */
    async deliverDue(): Promise<number> {
      const now = clock.now();
      const due = await storage.read
        .selectFrom('webhook_deliveries')
        .select(['id', 'url', 'body', 'kind', 'attempts', 'created_at', 'next_attempt_at'])
        .where('delivered_at', 'is', null)
        .where('abandoned_at', 'is', null)
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .limit(BATCH)
        .execute();
      const claimed = [];
      for (const delivery of due) {
        // The claim pushes the next attempt past the request timeout; a crash mid-send retries it then.
        const lease = now + DELIVERY_TIMEOUT_MS * 2;
        const won = await storage.write((trx) =>
          trx
            .updateTable('webhook_deliveries')
            .set({ next_attempt_at: lease })
            .where('id', '=', delivery.id)
            .where('next_attempt_at', '=', delivery.next_attempt_at)
            .where('delivered_at', 'is', null)
            .executeTakeFirst(),
        );
        if (Number(won.numUpdatedRows) === 1) claimed.push(delivery);
      }
      await Promise.all(claimed.map(attempt));
      return claimed.length;
    },
  };
}

export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;
