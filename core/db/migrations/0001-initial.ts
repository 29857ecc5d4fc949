import type { Kysely } from 'kysely';

// Column types are chosen to mean the same on SQLite and PostgreSQL: bigint for times
// (epoch ms) and money, integer for flags, text for ids and JSON.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('test', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('liveness', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('account_members')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('account_members_pk', ['account_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('account_members_user')
    .on('account_members')
    .column('user_id')
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('api_keys_pk', ['account_id', 'name'])
    .execute();

  await db.schema
    .createTable('merchants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('test', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('merchants_account').on('merchants').column('account_id').execute();

  await db.schema
    .createTable('merchant_configs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
    .addColumn('name', 'text')
    .addColumn('payment_options', 'text', (c) => c.notNull())
    .addColumn('webhook_urls', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('merchant_configs_merchant')
    .on('merchant_configs')
    .column('merchant_id')
    .execute();

  await db.schema
    .createTable('payment_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('short_code', 'text', (c) => c.notNull())
    .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
    .addColumn('config_id', 'text', (c) => c.notNull().references('merchant_configs.id'))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('liveness', 'text', (c) => c.notNull())
    .addColumn('expiry_seconds', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('line_items', 'text', (c) => c.notNull())
    .addColumn('payment_options', 'text', (c) => c.notNull())
    .addColumn('external_ref', 'text')
    .addColumn('invoice_ref', 'text')
    .addColumn('terminal_id', 'text')
    .addColumn('device_id', 'text')
    .addColumn('operator_id', 'text')
    .addColumn('patron_code_id', 'text')
    .addColumn('payer_account_id', 'text')
    .addColumn('cancellation_reason', 'text')
    .addColumn('partial_allowed', 'integer', (c) => c.notNull())
    .addColumn('basket_amount', 'bigint')
    .addColumn('pre_auth', 'integer', (c) => c.notNull())
    .addColumn('pre_auth_status', 'text')
    .addColumn('pre_auth_expires_at', 'bigint')
    .addColumn('held_amount', 'bigint', (c) => c.notNull())
    .addColumn('paid_amount', 'bigint', (c) => c.notNull())
    .addColumn('refunded_amount', 'bigint', (c) => c.notNull())
    .addColumn('paid_asset_type', 'text')
    .addColumn('paid_asset_id', 'text')
    .addColumn('activity_count', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('payment_requests_short_code')
    .on('payment_requests')
    .columns(['short_code', 'created_at'])
    .execute();
  // What the lapse sweeper looks for: unpaid requests past expiry, holds past their end.
  await db.schema
    .createIndex('payment_requests_expiry')
    .on('payment_requests')
    .columns(['status', 'expires_at'])
    .execute();
  await db.schema
    .createIndex('payment_requests_hold_expiry')
    .on('payment_requests')
    .columns(['pre_auth_status', 'pre_auth_expires_at'])
    .execute();
  await db.schema
    .createIndex('payment_requests_external_ref')
    .on('payment_requests')
    .columns(['merchant_id', 'external_ref'])
    .execute();

  await db.schema
    .createTable('activities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('payment_request_id', 'text', (c) => c.notNull().references('payment_requests.id'))
    .addColumn('activity_number', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('asset_type', 'text')
    .addColumn('asset_id', 'text')
    .addColumn('external_ref', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addUniqueConstraint('activities_number', ['payment_request_id', 'activity_number'])
    .execute();
  // A refund's externalRef is its idempotency key within the request.
  await db.schema
    .createIndex('activities_external_ref')
    .on('activities')
    .columns(['payment_request_id', 'external_ref'])
    .unique()
    .execute();

  await db.schema
    .createTable('assets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.references('accounts.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.unique())
    .addColumn('pin_hash', 'text')
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('balance', 'bigint', (c) => c.notNull())
    .addColumn('held', 'bigint', (c) => c.notNull())
    .addColumn('fixed_amount', 'bigint')
    .addColumn('skus', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('assets_account').on('assets').column('account_id').execute();

  await db.schema
    .createTable('merchant_takings')
    .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('merchant_takings_pk', ['merchant_id', 'currency'])
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('response', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
    .execute();

  await db.schema
    .createTable('code_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('terminal', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('succeeded', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('code_attempts_terminal')
    .on('code_attempts')
    .columns(['terminal', 'created_at'])
    .execute();
  await db.schema
    .createIndex('code_attempts_code')
    .on('code_attempts')
    .columns(['code_hash', 'created_at'])
    .execute();

  await db.schema
    .createTable('patron_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('barcode_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('payment_request_id', 'text')
    .execute();
  await db.schema
    .createIndex('patron_codes_account')
    .on('patron_codes')
    .column('account_id')
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('delivered_at', 'bigint')
    .addColumn('abandoned_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_due')
    .on('webhook_deliveries')
    .columns(['delivered_at', 'abandoned_at', 'next_attempt_at'])
    .execute();

  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('private_jwk', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}
