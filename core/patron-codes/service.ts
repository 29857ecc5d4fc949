// Patron codes: one-time barcodes a consumer shows at a terminal, so the terminal's payment
// request reaches the consumer's phone to be paid.
import type { Transaction } from 'kysely';
import type { Principal } from '../auth/principal.ts';
import { digest } from '../auth/secrets.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/schema.ts';
import type { Storage } from '../db/storage.ts';
import { ApiError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { PatronCode } from '../schemas/patron-codes.ts';
import { checkPatronBarcode, newPatronBarcode } from './barcode.ts';

export const PATRON_CODE_LIFETIME_MS = 5 * 60 * 1000;

/**
 * Claims a scanned barcode for a new payment request, inside the request's transaction.
 * A barcode failing its check digit is 400 CHECKSUM_FAILED; an unknown or used one is
 * PATRON_CODE_INVALID, an expired one PATRON_CODE_EXPIRED; either way no request is made.
 */
export async function claimPatronCode(
  trx: Transaction<Database>,
  barcode: string,
  paymentRequestId: string,
  now: number,
): Promise<string> {
  const check = checkPatronBarcode(barcode);
  if (check === 'bad-check-digit') throw new ApiError('CHECKSUM_FAILED');
  if (check === 'not-a-patron-code') throw new ApiError('PATRON_CODE_INVALID');
  const code = await trx
    .selectFrom('patron_codes')
    .select(['id', 'expires_at'])
    .where('barcode_hash', '=', digest(barcode))
    .executeTakeFirst();
  if (!code) throw new ApiError('PATRON_CODE_INVALID');
  if (code.expires_at <= now) throw new ApiError('PATRON_CODE_EXPIRED');
  const claimed = await trx
    .updateTable('patron_codes')
    .set({ payment_request_id: paymentRequestId })
    .where('id', '=', code.id)
    .where('payment_request_id', 'is', null)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1)
    throw new ApiError('PATRON_CODE_INVALID', { reason: 'ALREADY_USED' });
  return code.id;
}

export function createPatronCodeService({ storage, clock }: { storage: Storage; clock: Clock }) {
  return {
    /** A signed-in consumer asks for a barcode to show at a terminal. */
    async create(principal: Principal): Promise<PatronCode> {
      if (principal.kind !== 'user') throw new ApiError('FORBIDDEN');
      const now = clock.now();
      const barcode = newPatronBarcode();
      const row = {
        id: newId(),
        account_id: principal.accountId,
        user_id: principal.userId,
        barcode_hash: digest(barcode),
        created_at: now,
        expires_at: now + PATRON_CODE_LIFETIME_MS,
        payment_request_id: null,
      };
      await storage.write((trx) => trx.insertInto('patron_codes').values(row).execute());
      return {
        id: row.id,
        barcode,
        accountId: row.account_id,
        createdAt: new Date(now).toISOString(),
        expiresAt: new Date(row.expires_at).toISOString(),
      };
    },

    /** The newest payment request a terminal made with one of the caller's patron codes. */
    async latestRequestId(principal: Principal): Promise<string> {
      if (principal.kind !== 'user') throw new ApiError('FORBIDDEN');
      const row = await storage.read
        .selectFrom('patron_codes')
        .select('payment_request_id')
        .where('account_id', 'in', principal.memberOf)
        .where('payment_request_id', 'is not', null)
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!row?.payment_request_id) throw new ApiError('FORBIDDEN');
      return row.payment_request_id;
    },
  };
}

export type PatronCodeService = ReturnType<typeof createPatronCodeService>;
