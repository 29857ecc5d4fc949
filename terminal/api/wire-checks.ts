// What a 2xx body must look like before the kiosk believes it. A proxy's HTML page, a truncated
// reply or a model without the fields the flows rely on is not an answer: the client treats it as
// an unknown outcome and retries. Hand-written rather than a schema library because the checks are
// few, they mirror wire.ts field for field, and terminal/ must not import core's schemas.
import type { Activity, PaymentRequest, PaymentRequestStatus, WireMoney } from './wire.ts';

type Fields = Record<string, unknown>;

const STATUSES: readonly PaymentRequestStatus[] = ['new', 'paid', 'cancelled', 'expired'];

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isTimestamp(value: unknown): value is string {
  return isText(value) && !Number.isNaN(Date.parse(value));
}

function isMoney(value: unknown): value is WireMoney {
  return isObject(value) && isText(value['amount']) && isText(value['currency']);
}

function isPaidBy(value: unknown): boolean {
  return (
    isObject(value) &&
    Array.isArray(value['assetTotals']) &&
    value['assetTotals'].every(
      (total: unknown) =>
        isObject(total) &&
        isText(total['type']) &&
        typeof total['description'] === 'string' &&
        isMoney(total['total']),
    )
  );
}

/** The body as a payment request, or undefined when a field the kiosk relies on is missing. */
export function readPaymentRequest(body: unknown): PaymentRequest | undefined {
  if (!isObject(body)) return undefined;
  const valid =
    isText(body['id']) &&
    isText(body['shortCode']) &&
    isText(body['url']) &&
    isText(body['merchantId']) &&
    typeof body['merchantName'] === 'string' &&
    isText(body['configId']) &&
    isMoney(body['value']) &&
    STATUSES.includes(body['status'] as PaymentRequestStatus) &&
    (body['liveness'] === 'main' || body['liveness'] === 'test') &&
    isTimestamp(body['createdAt']) &&
    isTimestamp(body['updatedAt']) &&
    isTimestamp(body['expiresAt']) &&
    (body['paidBy'] === undefined || isPaidBy(body['paidBy']));
  return valid ? (body as unknown as PaymentRequest) : undefined;
}

/** The body as an activity (pay, void and refund answer one). */
export function readActivity(body: unknown): Activity | undefined {
  if (!isObject(body)) return undefined;
  const valid =
    isText(body['id']) &&
    isText(body['type']) &&
    isMoney(body['value']) &&
    isText(body['paymentRequestId']) &&
    isTimestamp(body['createdAt']);
  return valid ? (body as unknown as Activity) : undefined;
}

/** A list reply (`{items}`) whose every item passes `readItem`. */
export function listReader<T>(readItem: (item: unknown) => T | undefined) {
  return (body: unknown): T[] | undefined => {
    if (!isObject(body) || !Array.isArray(body['items'])) return undefined;
    const items: T[] = [];
    for (const item of body['items']) {
      const read = readItem(item);
      if (read === undefined) return undefined;
      items.push(read);
    }
    return items;
  };
}
