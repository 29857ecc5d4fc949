import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ApiError } from '../errors.ts';

export interface IdempotentCall {
  /** Who is calling and on what, so two callers' keys never collide. */
  scope: string;
  key: string | undefined;
  /** Everything that makes this call what it is; a repeat with another body is refused. */
  request: unknown;
}

/**
 * Runs `perform` once per key inside the caller's transaction and stores its reply with it.
 * A repeat with the same key and request gets the stored reply and does nothing else; the
 * same key with another request is 403 IDEMPOTENT_OPERATION_FAILED. A call that fails
 * stores nothing (its transaction rolls back), so it may be tried again.
 */
export async function once<T>(
  trx: Transaction<Database>,
  call: IdempotentCall,
  now: number,
  perform: () => Promise<T>,
): Promise<T> {
  if (call.key === undefined) return perform();
  const fingerprint = createHash('sha256').update(JSON.stringify(call.request)).digest('hex');
  // Inserting first makes a concurrent repeat (PostgreSQL) wait for this one and then see it.
  const inserted = await trx
    .insertInto('idempotency_keys')
    .values({
      scope: call.scope,
      key: call.key,
      request_hash: fingerprint,
      response: null,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
    const stored = await trx
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'response'])
      .where('scope', '=', call.scope)
      .where('key', '=', call.key)
      .executeTakeFirstOrThrow();
    if (stored.request_hash !== fingerprint || stored.response === null)
      throw new ApiError('IDEMPOTENT_OPERATION_FAILED');
    return JSON.parse(stored.response) as T;
  }
  const reply = await perform();
  await trx
    .updateTable('idempotency_keys')
    .set({ response: JSON.stringify(reply) })
    .where('scope', '=', call.scope)
    .where('key', '=', call.key)
    .execute();
  return reply;
}
