// What a consumer (or an account owner) reads of the assets their account holds.
import { ownsAccount, type Principal } from '../auth/principal.ts';
import type { Storage } from '../db/storage.ts';
import { ApiError } from '../errors.ts';
import type { Asset } from '../schemas/assets.ts';
import { isoTime, optional } from '../wire.ts';
import { describeAssetType, parseAssetType } from './asset-types.ts';
import type { AssetRow } from './repository.ts';

const CATEGORIES = {
  wallet: 'money',
  token: 'token',
  'gift-card': 'giftcard',
  voucher: 'giftcard',
} as const;

function toAsset(row: AssetRow & { account_id: string }): Asset {
  return {
    id: row.id,
    accountId: row.account_id,
    type: row.type,
    category: CATEGORIES[row.category],
    liveness: parseAssetType(row.type)?.liveness ?? 'test',
    description: describeAssetType(row.type),
    status: row.status,
    currency: row.currency,
    balance: String(row.balance),
    availableBalance: String(row.balance - row.held),
    createdAt: isoTime(row.created_at),
    ...optional('expiresAt', row.expires_at === null ? null : isoTime(row.expires_at)),
  };
}

export function createAssetService({ storage }: { storage: Storage }) {
  return {
    async get(principal: Principal, assetId: string): Promise<Asset> {
      const row = await storage.read
        .selectFrom('assets')
        .selectAll()
        .where('id', '=', assetId)
        .executeTakeFirst();
      if (!row || row.account_id === null || !ownsAccount(principal, row.account_id))
        throw new ApiError('FORBIDDEN');
      return toAsset({ ...row, account_id: row.account_id });
    },

    async listForAccount(principal: Principal, accountId: string): Promise<{ items: Asset[] }> {
      if (!ownsAccount(principal, accountId)) throw new ApiError('FORBIDDEN');
      const rows = await storage.read
        .selectFrom('assets')
        .selectAll()
        .where('account_id', '=', accountId)
        .orderBy('created_at')
        .execute();
      return { items: rows.map((row) => toAsset({ ...row, account_id: accountId })) };
    },
  };
}

export type AssetService = ReturnType<typeof createAssetService>;
