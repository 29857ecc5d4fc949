import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { ActivitiesTable, Database, PaymentRequestsTable } from '../db/schema.ts';

export type PaymentRequestRow = Selectable<PaymentRequestsTable> & {
  merchant_name: string;
  merchant_account_id: string;
  /** The config's endpoints, read with the request so a write's webhooks cost no extra query. */
  webhook_urls: string;
};
export type ActivityRow = Selectable<ActivitiesTable>;

function selectRequests(db: Kysely<Database>) {
  return db
    .selectFrom('payment_requests')
    .innerJoin('merchants', 'merchants.id', 'payment_requests.merchant_id')
    .innerJoin('merchant_configs', 'merchant_configs.id', 'payment_requests.config_id')
    .selectAll('payment_requests')
    .select([
      'merchants.name as merchant_name',
      'merchants.account_id as merchant_account_id',
      'merchant_configs.webhook_urls',
    ]);
}

/** `lock` takes the row lock on PostgreSQL so a transaction decides on what it will update. */
export function findPaymentRequest(
  db: Kysely<Database>,
  id: string,
  lock = false,
): Promise<PaymentRequestRow | undefined> {
  const query = selectRequests(db).where('payment_requests.id', '=', id);
  return (lock ? query.forUpdate('payment_requests') : query).executeTakeFirst();
}

/** Short codes are reused after two years; the newest request wins. */
export function findPaymentRequestByShortCode(
  db: Kysely<Database>,
  shortCode: string,
): Promise<PaymentRequestRow | undefined> {
  return selectRequests(db)
    .where('payment_requests.short_code', '=', shortCode)
    .orderBy('payment_requests.created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** A short code given to a request created after `since`, as a query to run or to embed. */
export function shortCodeUse(db: Kysely<Database>, shortCode: string, since: number) {
  return db
    .selectFrom('payment_requests')
    .select('id')
    .where('short_code', '=', shortCode)
    .where('created_at', '>', since);
}

export async function isShortCodeInUse(
  db: Kysely<Database>,
  shortCode: string,
  since: number,
): Promise<boolean> {
  return (await shortCodeUse(db, shortCode, since).executeTakeFirst()) !== undefined;
}

export interface PageCursor {
  createdAt: number;
  id: string;
}

/** Newest first, keyset-paginated, for the merchants of one account. */
export function listPaymentRequestsByExternalRef(
  db: Kysely<Database>,
  merchantAccountId: string,
  externalRef: string,
  limit: number,
  after: PageCursor | undefined,
): Promise<PaymentRequestRow[]> {
  let query = selectRequests(db)
    .where('merchants.account_id', '=', merchantAccountId)
    .where('payment_requests.external_ref', '=', externalRef);
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('payment_requests.created_at', '<', after.createdAt),
        eb.and([
          eb('payment_requests.created_at', '=', after.createdAt),
          eb('payment_requests.id', '<', after.id),
        ]),
      ]),
    );
  }
  return query
    .orderBy('payment_requests.created_at', 'desc')
    .orderBy('payment_requests.id', 'desc')
    .limit(limit)
    .execute();
}

/** Requests whose expiry or hold lapse has come but is not yet written down. */
export async function findLapsedPaymentRequestIds(
  db: Kysely<Database>,
  now: number,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('payment_requests')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'new'), eb('expires_at', '<=', now)]),
        eb.and([eb('pre_auth_status', '=', 'authorized'), eb('pre_auth_expires_at', '<=', now)]),
      ]),
    )
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

export async function insertPaymentRequest(
  db: Kysely<Database>,
  row: Insertable<PaymentRequestsTable>,
): Promise<void> {
  await db.insertInto('payment_requests').values(row).execute();
}

/** What a transition was decided on; the write happens only if the row still says so. */
export interface TransitionGuard {
  status: PaymentRequestsTable['status'];
  paidAmount: number;
  refundedAmount: number;
  preAuthStatus: PaymentRequestsTable['pre_auth_status'];
}

/**
 * Writes a decided transition only if the row is still as it was read, and takes the next
 * activity number in the same statement. Returns undefined when another writer got there first.
 */
export async function applyTransition(
  db: Kysely<Database>,
  id: string,
  guard: TransitionGuard,
  changes: Updateable<PaymentRequestsTable>,
): Promise<number | undefined> {
  const row = await db
    .updateTable('payment_requests')
    .set((eb) => ({ ...changes, activity_count: eb('activity_count', '+', 1) }))
    .where('id', '=', id)
    .where('status', '=', guard.status)
    .where('paid_amount', '=', guard.paidAmount)
    .where('refunded_amount', '=', guard.refundedAmount)
    .where('pre_auth_status', guard.preAuthStatus === null ? 'is' : '=', guard.preAuthStatus)
    .returning('activity_count')
    .executeTakeFirst();
  return row?.activity_count;
}

export async function insertActivity(
  db: Kysely<Database>,
  row: Insertable<ActivitiesTable>,
): Promise<void> {
  await db.insertInto('activities').values(row).execute();
}

export function listActivities(
  db: Kysely<Database>,
  paymentRequestId: string,
): Promise<ActivityRow[]> {
  return db
    .selectFrom('activities')
    .selectAll()
    .where('payment_request_id', '=', paymentRequestId)
    .orderBy('activity_number', 'desc')
    .execute();
}

export function findRefundByExternalRef(
  db: Kysely<Database>,
  paymentRequestId: string,
  externalRef: string,
): Promise<ActivityRow | undefined> {
  return db
    .selectFrom('activities')
    .selectAll()
    .where('payment_request_id', '=', paymentRequestId)
    .where('type', '=', 'refund')
    .where('external_ref', '=', externalRef)
    .executeTakeFirst();
}
