import { digest } from '../auth/secrets.ts';
import type { Storage } from '../db/storage.ts';

/** Everything `npm start` needs to take a payment at once. Demo credentials reach only `test` liveness. */
export const DEMO = {
  accountId: 'demo-account',
  merchantId: 'demo-merchant',
  merchantName: 'Demo Café',
  configId: 'mc_demo',
  terminalKey: 'demo-terminal-key',
  ownerKey: 'demo-owner-key',
  consumerUserId: 'demo-consumer',
  consumerAccountId: 'demo-consumer-account',
  walletId: 'demo-wallet',
  tokenId: 'demo-token',
  tokenSku: 'demo-coffee',
  giftCard: { number: '6001000000000001', id: 'demo-gift-card' },
  valueVoucher: { code: '12345678', id: 'demo-voucher-value' },
  fixedVoucher: { code: '22223333', id: 'demo-voucher-fixed' },
  expiredVoucher: { code: '99990000', id: 'demo-voucher-expired' },
} as const;

/** Asset types the demo config accepts: every test asset type. */
export const TEST_ASSET_TYPES = [
  'centrapay.nzd.test',
  'centrapay.token.test',
  'epay.nzd.test',
  'external.test',
  'voucher.test',
] as const;

const DAY_MS = 86_400_000;

/** Seeds a new database; a database that already has accounts is left as it is. */
export async function seedDemo(storage: Storage, now: number): Promise<boolean> {
  return storage.write(async (trx) => {
    const existing = await trx.selectFrom('accounts').select('id').limit(1).executeTakeFirst();
    if (existing) return false;
    const stamp = { created_at: now };
    await trx
      .insertInto('accounts')
      .values([
        { id: DEMO.accountId, name: DEMO.merchantName, type: 'org', test: 1, ...stamp },
        {
          id: DEMO.consumerAccountId,
          name: 'Demo Consumer',
          type: 'individual',
          test: 1,
          ...stamp,
        },
      ])
      .execute();
    await trx
      .insertInto('users')
      .values({
        id: DEMO.consumerUserId,
        account_id: DEMO.consumerAccountId,
        name: 'Demo Consumer',
        liveness: 'test',
        ...stamp,
      })
      .execute();
    await trx
      .insertInto('account_members')
      .values({ account_id: DEMO.consumerAccountId, user_id: DEMO.consumerUserId, ...stamp })
      .execute();
    await trx
      .insertInto('api_keys')
      .values([
        {
          account_id: DEMO.accountId,
          name: 'demo-terminal',
          role: 'merchant-terminal',
          secret_hash: digest(DEMO.terminalKey),
          enabled: 1,
          ...stamp,
        },
        {
          account_id: DEMO.accountId,
          name: 'demo-owner',
          role: 'account-owner',
          secret_hash: digest(DEMO.ownerKey),
          enabled: 1,
          ...stamp,
        },
      ])
      .execute();
    await trx
      .insertInto('merchants')
      .values({
        id: DEMO.merchantId,
        account_id: DEMO.accountId,
        name: DEMO.merchantName,
        country: 'NZ',
        test: 1,
        ...stamp,
        updated_at: now,
      })
      .execute();
    await trx
      .insertInto('merchant_configs')
      .values({
        id: DEMO.configId,
        merchant_id: DEMO.merchantId,
        name: 'Demo kiosks',
        payment_options: JSON.stringify(TEST_ASSET_TYPES.map((type) => ({ type }))),
        webhook_urls: '[]',
        ...stamp,
        updated_at: now,
      })
      .execute();
    const asset = {
      currency: 'NZD',
      status: 'active' as const,
      held: 0,
      pin_hash: null,
      skus: null,
      fixed_amount: null,
      expires_at: null,
      ...stamp,
      updated_at: now,
    };
    await trx
      .insertInto('assets')
      .values([
        {
          ...asset,
          id: DEMO.walletId,
          account_id: DEMO.consumerAccountId,
          type: 'centrapay.nzd.test',
          category: 'wallet',
          code_hash: null,
          balance: 50_000,
        },
        {
          ...asset,
          id: DEMO.tokenId,
          account_id: DEMO.consumerAccountId,
          type: 'centrapay.token.test',
          category: 'token',
          code_hash: null,
          balance: 0,
          skus: JSON.stringify([DEMO.tokenSku]),
        },
        {
          ...asset,
          id: DEMO.giftCard.id,
          account_id: null,
          type: 'epay.nzd.test',
          category: 'gift-card',
          code_hash: digest(DEMO.giftCard.number),
          balance: 5_000,
          expires_at: now + 365 * DAY_MS,
        },
        {
          ...asset,
          id: DEMO.valueVoucher.id,
          account_id: null,
          type: 'voucher.test',
          category: 'voucher',
          code_hash: digest(DEMO.valueVoucher.code),
          balance: 2_000,
        },
        {
          ...asset,
          id: DEMO.fixedVoucher.id,
          account_id: null,
          type: 'voucher.test',
          category: 'voucher',
          code_hash: digest(DEMO.fixedVoucher.code),
          balance: 500,
          fixed_amount: 500,
        },
        {
          ...asset,
          id: DEMO.expiredVoucher.id,
          account_id: null,
          type: 'voucher.test',
          category: 'voucher',
          code_hash: digest(DEMO.expiredVoucher.code),
          balance: 1_000,
          expires_at: now - DAY_MS,
        },
      ])
      .execute();
    return true;
  });
}
