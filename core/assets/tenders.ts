// Works out what will pay a payment request and how much: the asset behind a pay call,
// checked against who is calling, the request's currency, liveness and line items.
import type { Kysely } from 'kysely';
import { ownsAccount, type Principal } from '../auth/principal.ts';
import { digest } from '../auth/secrets.ts';
import type { Database } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import type { LineItem, PayBody } from '../schemas/payment-requests.ts';
import { parseAssetType, type ParsedAssetType } from './asset-types.ts';
import { findAssetByCodeHash, findAssetById, type AssetRow } from './repository.ts';

export interface PayableRequest {
  amount: number;
  currency: string;
  partialAllowed: boolean;
  lineItems: LineItem[];
  merchantAccountId: string;
  /** Asset types the request accepts. */
  acceptedAssetTypes: string[];
}

export interface Tender {
  assetType: ParsedAssetType;
  /** The stored asset that pays; null for an external tender. */
  asset: AssetRow | null;
  /** What it pays toward the request. */
  amount: number;
  /** Digest of the code presented at the terminal, for rate limiting; null when none was. */
  codeHash: string | null;
}

/** The code a terminal presents (voucher code, gift card number), split from a gift card PIN. */
export function presentedCode(
  body: PayBody,
): { code: string; pin: string | undefined } | undefined {
  if (body.authorization === undefined) return undefined;
  const [code, pin] = body.authorization.split(':', 2) as [string, string | undefined];
  return { code, pin };
}

export async function resolveTender(
  db: Kysely<Database>,
  principal: Principal,
  request: PayableRequest,
  body: PayBody,
  now: number,
): Promise<Tender> {
  const assetType = parseAssetType(body.assetType);
  if (!assetType || !request.acceptedAssetTypes.includes(body.assetType))
    throw new ApiError('INVALID_ASSET_TYPE');
  const requested = body.amount === undefined ? undefined : Number(body.amount);

  if (assetType.info.presentedAtTerminal) {
    const terminalOfMerchant =
      principal.kind === 'api-key' &&
      principal.role === 'merchant-terminal' &&
      principal.accountId === request.merchantAccountId;
    if (!terminalOfMerchant) throw new ApiError('FORBIDDEN');
  }

  if (assetType.info.category === 'external') {
    return { assetType, asset: null, amount: requested ?? request.amount, codeHash: null };
  }

  const { asset, codeHash } = await findPayingAsset(db, principal, assetType, body);
  if (asset.type !== body.assetType)
    throw new ApiError('ASSET_REDEMPTION_DENIED', { reason: 'WRONG_ASSET_TYPE' });
  if (asset.status !== 'active' || (asset.expires_at !== null && asset.expires_at <= now)) {
    throw new ApiError('INACTIVE_ASSET');
  }
  if (asset.currency !== request.currency)
    throw new ApiError('INVALID_ASSET_TYPE', { reason: 'CURRENCY_MISMATCH' });
  return { assetType, asset, amount: amountPaidBy(asset, request, requested), codeHash };
}

async function findPayingAsset(
  db: Kysely<Database>,
  principal: Principal,
  assetType: ParsedAssetType,
  body: PayBody,
): Promise<{ asset: AssetRow; codeHash: string | null }> {
  if (assetType.info.presentedAtTerminal) {
    const presented = presentedCode(body);
    if (!presented) throw new ApiError('ASSET_REDEMPTION_DENIED', { reason: 'CODE_REQUIRED' });
    const codeHash = digest(presented.code);
    const asset = await findAssetByCodeHash(db, codeHash);
    if (!asset) throw new ApiError('ASSET_REDEMPTION_DENIED', { reason: 'UNKNOWN_CODE' });
    if (
      asset.pin_hash !== null &&
      (presented.pin === undefined || digest(presented.pin) !== asset.pin_hash)
    ) {
      throw new ApiError('ASSET_REDEMPTION_DENIED', { reason: 'WRONG_PIN' });
    }
    return { asset, codeHash };
  }
  // The payer's own asset: spent by an owner of the account that holds it.
  if (
    principal.kind === 'anon-consumer' ||
    (principal.kind === 'api-key' && principal.role !== 'account-owner')
  ) {
    throw new ApiError('FORBIDDEN');
  }
  if (body.assetId === undefined)
    throw new ApiError('ASSET_REDEMPTION_DENIED', { reason: 'ASSET_ID_REQUIRED' });
  const asset = await findAssetById(db, body.assetId);
  if (!asset || asset.account_id === null || !ownsAccount(principal, asset.account_id)) {
    throw new ApiError('ASSET_REDEMPTION_DENIED', { reason: 'UNKNOWN_ASSET' });
  }
  return { asset, codeHash: null };
}

function amountPaidBy(
  asset: AssetRow,
  request: PayableRequest,
  requested: number | undefined,
): number {
  if (asset.category === 'token') {
    const skus = JSON.parse(asset.skus ?? '[]') as string[];
    const eligible = request.lineItems.filter(
      (item) => item.sku !== undefined && skus.includes(item.sku),
    );
    if (eligible.length === 0)
      throw new ApiError('ASSET_REDEMPTION_DENIED', { reason: 'NO_ELIGIBLE_LINE_ITEM' });
    // Centrapay's rule: without a choice, a token pays the highest-value eligible line item.
    return Math.max(...eligible.map((item) => Number(item.price)));
  }
  if (asset.fixed_amount !== null) {
    if (asset.fixed_amount > request.amount) {
      throw new ApiError('ASSET_REDEMPTION_DENIED', { reason: 'VOUCHER_EXCEEDS_AMOUNT' });
    }
    return asset.fixed_amount;
  }
  const wanted = requested ?? request.amount;
  const spendable = asset.balance - asset.held;
  if (spendable >= wanted) return wanted;
  // A balance that falls short pays what it has only where the request takes part payments.
  if (request.partialAllowed && requested === undefined && spendable > 0) return spendable;
  throw new ApiError('INSUFFICIENT_ASSET_VALUE');
}
