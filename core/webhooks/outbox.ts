// Webhook events are written to the outbox inside the transaction that made them happen, so
// an event exists exactly when its change does, and delivery survives any restart.
import type { Transaction } from 'kysely';
import type { SigningKey } from '../auth/signing-keys.ts';
import type { Database } from '../db/schema.ts';
import { newId } from '../ids.ts';
import type { ActivityType } from '../payment-requests/lifecycle.ts';
import type { PaymentRequestRow } from '../payment-requests/repository.ts';
import type { Activity } from '../schemas/payment-requests.ts';
import { LEGACY_TRANSACTION_TYPES, legacyNotificationBody } from './legacy-token.ts';

/**
 * Which notifications an activity raises. Centrapay documents paid and the two refund events;
 * cancelled and expired are this core's extension. Refunds complete at once here, so both
 * refund events go out together.
 */
export const EVENTS_BY_ACTIVITY: Partial<Record<ActivityType, string[]>> = {
  payment: ['payment-request:paid'],
  authorization: ['payment-request:paid'],
  refund: ['payment-request:refund-initiated', 'payment-request:refund-completed'],
  cancellation: ['payment-request:cancelled'],
  expiry: ['payment-request:expired'],
};

export interface Notification {
  id: string;
  type: string;
  data: Activity;
  accountId: string;
  test: boolean;
  createdAt: string;
}

function delivery(
  eventId: string,
  url: string,
  body: string,
  kind: 'current' | 'legacy',
  now: number,
) {
  return {
    id: newId(),
    event_id: eventId,
    url,
    body,
    kind,
    attempts: 0,
    next_attempt_at: now,
    delivered_at: null,
    abandoned_at: null,
    last_error: null,
    created_at: now,
  };
}

/** Writes the deliveries an activity raises: to the config's endpoints, and a legacy notifyUrl. */
export async function enqueueWebhooks(
  trx: Transaction<Database>,
  key: SigningKey,
  request: PaymentRequestRow,
  activity: Activity,
  type: ActivityType,
  now: number,
): Promise<void> {
  const legacyType = LEGACY_TRANSACTION_TYPES[type];
  if (request.notify_url !== null && legacyType) {
    const body = await legacyNotificationBody(key, request, activity, legacyType, now);
    await trx
      .insertInto('webhook_deliveries')
      .values(delivery(newId(), request.notify_url, body, 'legacy', now))
      .execute();
  }
  const events = EVENTS_BY_ACTIVITY[type];
  if (!events) return;
  // The config's endpoints came with the request, read in this same transaction.
  const urls = JSON.parse(request.webhook_urls) as string[];
  if (urls.length === 0) return;
  const rows = events.flatMap((eventType) => {
    const notification: Notification = {
      id: newId(),
      type: eventType,
      data: activity,
      accountId: request.merchant_account_id,
      test: request.liveness === 'test',
      createdAt: new Date(now).toISOString(),
    };
    const body = JSON.stringify(notification);
    return urls.map((url) => delivery(notification.id, url, body, 'current', now));
  });
  await trx.insertInto('webhook_deliveries').values(rows).execute();
}
