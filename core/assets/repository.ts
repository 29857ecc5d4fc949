import { sql, type Kysely, type Selectable } from 'kysely';
import type { AssetsTable, Database } from '../db/schema.ts';

export type AssetRow = Selectable<AssetsTable>;

export function findAssetById(db: Kysely<Database>, id: string): Promise<AssetRow | undefined> {
  return db.selectFrom('assets').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findAssetByCodeHash(
  db: Kysely<Database>,
  codeHash: string,
): Promise<AssetRow | undefined> {
  return db.selectFrom('assets').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
}

/** Spendable now: the balance less what pre-auth holds keep aside. */
function spendable(amount: number) {
  return sql<boolean>`balance - held >= ${amount}`;
}

/**
 * Takes `amount` off an active asset, and only if it can still spare it: the condition is in
 * the UPDATE, so two payments racing for the last dollar cannot both win. A fixed-amount
 * voucher or a token is spent by it. Returns false when the asset no longer qualifies.
 */
export async function debitAsset(
  db: Kysely<Database>,
  asset: AssetRow,
  amount: number,
  now: number,
): Promise<boolean> {
  const token = asset.category === 'token';
  const spent = asset.fixed_amount !== null || token;
  const result = await db
    .updateTable('assets')
    .set({
      balance: sql<number>`balance - ${token ? 0 : amount}`,
      status: spent ? 'spent' : 'active',
      updated_at: now,
    })
    .where('id', '=', asset.id)
    .where('status', '=', 'active')
    .where(spendable(token ? 0 : amount))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Gives `amount` back to an asset (a refund); a spent voucher or token becomes usable again. */
export async function creditAsset(
  db: Kysely<Database>,
  asset: AssetRow,
  amount: number,
  now: number,
): Promise<void> {
  await db
    .updateTable('assets')
    .set({
      balance: sql<number>`balance + ${asset.category === 'token' ? 0 : amount}`,
      status: 'active',
      updated_at: now,
    })
    .where('id', '=', asset.id)
    .execute();
}

/** Sets `amount` aside for a pre-auth, only if it is spendable. Returns false when it is not. */
export async function placeHold(
  db: Kysely<Database>,
  assetId: string,
  amount: number,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('assets')
    .set({ held: sql<number>`held + ${amount}`, updated_at: now })
    .where('id', '=', assetId)
    .where('status', '=', 'active')
    .where(spendable(amount))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Charges `amount` of a hold: it leaves the balance and the hold together. */
export async function drawHold(
  db: Kysely<Database>,
  assetId: string,
  amount: number,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('assets')
    .set({
      balance: sql<number>`balance - ${amount}`,
      held: sql<number>`held - ${amount}`,
      updated_at: now,
    })
    .where('id', '=', assetId)
    .where('held', '>=', amount)
    .where('balance', '>=', amount)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function releaseHold(
  db: Kysely<Database>,
  assetId: string,
  amount: number,
  now: number,
): Promise<void> {
  await db
    .updateTable('assets')
    .set({ held: sql<number>`held - ${amount}`, updated_at: now })
    .where('id', '=', assetId)
    .execute();
}

/** Moves `amount` (negative for refunds) into the merchant's takings, in the payment's transaction. */
export async function addMerchantTakings(
  db: Kysely<Database>,
  merchantId: string,
  currency: string,
  amount: number,
): Promise<void> {
  await db
    .insertInto('merchant_takings')
    .values({ merchant_id: merchantId, currency, amount })
    .onConflict((oc) =>
      oc
        .columns(['merchant_id', 'currency'])
        .doUpdateSet({ amount: sql<number>`merchant_takings.amount + excluded.amount` }),
    )
    .execute();
}
