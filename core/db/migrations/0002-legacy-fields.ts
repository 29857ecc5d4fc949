import type { Kysely } from 'kysely';

// Fields only the legacy (seed-era) routes carry: a payment request's description and the
// notifyUrl its legacy webhooks go to. SQLite adds one column per statement.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('payment_requests').addColumn('description', 'text').execute();
  await db.schema.alterTable('payment_requests').addColumn('notify_url', 'text').execute();
}
