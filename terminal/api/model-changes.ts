// Decides whether a payment request model read by a watch is news. The stream and the polls can
// both deliver the same model (the stream resends it on every connect, a poll races the stream),
// and a slow poll can answer after a newer model arrived; a consumer of `onChange` sees neither.
import type { PaymentRequest } from './wire.ts';

/** The fields whose change the kiosk acts on; every write moves `updatedAt`. */
function fingerprint(model: PaymentRequest): string {
  return JSON.stringify([
    model.status,
    model.updatedAt,
    model.preAuthStatus ?? null,
    model.cancellationReason ?? null,
  ]);
}

/** True when `model` was read before `last` was written. */
function isOlder(model: PaymentRequest, last: PaymentRequest): boolean {
  const age = Date.parse(model.updatedAt) - Date.parse(last.updatedAt);
  if (age !== 0) return age < 0;
  // Same write, another status: only expiry moves a request on without a write, and only
  // away from 'new', so a 'new' model after a settled one is a stale read.
  return model.status === 'new' && last.status !== 'new';
}

/** Returns a function that says whether each model offered to it is news (and remembers it). */
export function createChangeFilter(): (model: PaymentRequest) => boolean {
  let last: PaymentRequest | undefined;
  return (model) => {
    if (last !== undefined && (fingerprint(model) === fingerprint(last) || isOlder(model, last)))
      return false;
    last = model;
    return true;
  };
}
