// The few reads and writes only the legacy routes need: the fields the current API has no use
// for (description, notifyUrl; written with the request by the service), and the lookups a legacy id needs before the service is called.
import type { Kysely } from 'kysely';
import type { ActivitiesTable, Database } from '../db/schema.ts';
import type { LegacyRequestFields } from '../payment-requests/service.ts';

export type { LegacyRequestFields as LegacyFields } from '../payment-requests/service.ts';

export async function readLegacyFields(
  db: Kysely<Database>,
  paymentRequestId: string,
): Promise<LegacyRequestFields> {
  const row = await db
    .selectFrom('payment_requests')
    .select(['description', 'notify_url'])
    .where('id', '=', paymentRequestId)
    .executeTakeFirst();
  return { description: row?.description ?? null, notifyUrl: row?.notify_url ?? null };
}

/** The merchant a config (a legacy clientId) belongs to, if the config exists. */
export async function findConfigMerchantId(
  db: Kysely<Database>,
  configId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('merchant_configs')
    .select('merchant_id')
    .where('id', '=', configId)
    .executeTakeFirst();
  return row?.merchant_id;
}

export interface LegacyTransaction {
  id: string;
  paymentRequestId: string;
  type: ActivitiesTable['type'];
  amount: number;
}

/** A legacy transaction is an activity; payments are the ones a refund names. */
export async function findTransaction(
  db: Kysely<Database>,
  id: string,
): Promise<LegacyTransaction | undefined> {
  const row = await db
    .selectFrom('activities')
    .select(['id', 'payment_request_id', 'type', 'amount'])
    .where('id', '=', id)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      paymentRequestId: row.payment_request_id,
      type: row.type,
      amount: row.amount,
    }
  );
}

/** The merchant's country, which legacy receipts call its location. */
export async function findMerchantCountry(
  db: Kysely<Database>,
  merchantId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('merchants')
    .select('country')
    .where('id', '=', merchantId)
    .executeTakeFirst();
  return row?.country;
}
