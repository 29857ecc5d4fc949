import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import { columnsOf, precompile, precompileByShape, type Param } from '../db/precompiled.ts';
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

const selectById = (db: Kysely<Database>, param: Param<{ id: string }>) =>
  selectRequests(db).where('payment_requests.id', '=', param('id'));
const findById = precompile(selectById);
const findByIdForUpdate = precompile((db, param: Param<{ id: string }>) =>
  selectById(db, param).forUpdate('payment_requests'),
);

/** `lock` takes the row lock on PostgreSQL so a transaction decides on what it will update. */
export function findPaymentRequest(
  db: Kysely<Database>,
  id: string,
  lock = false,
): Promise<PaymentRequestRow | undefined> {
  return (lock ? findByIdForUpdate : findById).executeTakeFirst(db, { id });
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

/**
 * What creating a request on a config needs, in one query: the config, its merchant, and
 * whether the short code drawn for the request is taken.
 */
export const findCreateContext = precompile(
  (db, param: Param<{ configId: string; shortCode: string; since: number }>) =>
    db
      .selectFrom('merchant_configs')
      .innerJoin('merchants', 'merchants.id', 'merchant_configs.merchant_id')
      .select([
        'merchant_configs.id',
        'merchant_configs.payment_options',
        'merchants.id as merchant_id',
        'merchants.account_id',
        'merchants.name as merchant_name',
        'merchants.test',
        'merchant_configs.webhook_urls',
      ])
      .select((eb) =>
        eb.exists(shortCodeUse(db, param('shortCode'), param('since'))).as('short_code_in_use'),
      )
      .where('merchant_configs.id', '=', param('configId')),
);

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

/** An insert of the columns `example` sets, each bound from the row of that name. */
function insertColumns<T extends 'payment_requests' | 'activities'>(table: T) {
  return precompileByShape(
    (row: Insertable<Database[T]>) => columnsOf(row).join(),
    (db, param, example) => {
      const bind = param as Param<Record<string, unknown>>;
      const row = Object.fromEntries(columnsOf(example).map((column) => [column, bind(column)]));
      return db.insertInto(table).values(row as Insertable<Database[T]>);
    },
  );
}
const insertRequestRow = insertColumns('payment_requests');
const insertActivityRow = insertColumns('activities');

export async function insertPaymentRequest(
  db: Kysely<Database>,
  row: Insertable<PaymentRequestsTable>,
): Promise<void> {
  await insertRequestRow.execute(db, row);
}

/** What a transition was decided on; the write happens only if the row still says so. */
export interface TransitionGuard {
  status: PaymentRequestsTable['status'];
  paidAmount: number;
  refundedAmount: number;
  preAuthStatus: PaymentRequestsTable['pre_auth_status'];
}

/** A transition's bound values: the row's id, what it was decided on, and its changes. */
type TransitionValues = Updateable<PaymentRequestsTable> & {
  guard_id: string;
  guard_status: TransitionGuard['status'];
  guard_paid_amount: number;
  guard_refunded_amount: number;
  guard_pre_auth_status: TransitionGuard['preAuthStatus'];
};
const GUARD_PREFIX = 'guard_';

const transition = precompileByShape(
  // The columns changed, and whether the pre-auth guard compares with null (`is` in SQL).
  (values: TransitionValues) =>
    `${columnsOf(values).join()}:${values.guard_pre_auth_status === null}`,
  (db, param, example) => {
    const bind = param as Param<Record<string, unknown>>;
    const changed = columnsOf(example).filter((column) => !column.startsWith(GUARD_PREFIX));
    const changes = Object.fromEntries(changed.map((column) => [column, bind(column)]));
    const query = db
      .updateTable('payment_requests')
      .set((eb) => ({ ...changes, activity_count: eb('activity_count', '+', 1) }))
      .where('id', '=', param('guard_id'))
      .where('status', '=', param('guard_status'))
      .where('paid_amount', '=', param('guard_paid_amount'))
      .where('refunded_amount', '=', param('guard_refunded_amount'));
    return (
      example.guard_pre_auth_status === null
        ? query.where('pre_auth_status', 'is', null)
        : query.where('pre_auth_status', '=', param('guard_pre_auth_status'))
    ).returning('activity_count');
  },
);

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
  const [row] = await transition.execute(db, {
    ...changes,
    guard_id: id,
    guard_status: guard.status,
    guard_paid_amount: guard.paidAmount,
    guard_refunded_amount: guard.refundedAmount,
    guard_pre_auth_status: guard.preAuthStatus,
  });
  return row?.activity_count;
}

export async function insertActivity(
  db: Kysely<Database>,
  row: Insertable<ActivitiesTable>,
): Promise<void> {
  await insertActivityRow.execute(db, row);
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
