// Merchants and their configs (Centrapay's "client id": one payment setup shared by terminals).
import type { Selectable } from 'kysely';
import { parseAssetType } from '../assets/asset-types.ts';
import { ownsAccount, type Principal } from '../auth/principal.ts';
import type { Clock } from '../clock.ts';
import type { MerchantConfigsTable, MerchantsTable } from '../db/schema.ts';
import type { Storage } from '../db/storage.ts';
import { ApiError, BadRequestError } from '../errors.ts';
import { newId } from '../ids.ts';
import type {
  CreateMerchantBody,
  Merchant,
  MerchantConfig,
  MerchantConfigBody,
  UpdateMerchantBody,
} from '../schemas/merchants.ts';
import { isoTime as iso } from '../wire.ts';

function toMerchant(row: Selectable<MerchantsTable>): Merchant {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    country: row.country,
    test: row.test === 1,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

function toConfig(row: Selectable<MerchantConfigsTable>): MerchantConfig {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    ...(row.name !== null && { name: row.name }),
    paymentOptions: JSON.parse(row.payment_options) as MerchantConfig['paymentOptions'],
    webhookUrls: JSON.parse(row.webhook_urls) as string[],
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** The columns a config body sets; an update replaces options and endpoints whole. */
function configColumns(body: MerchantConfigBody) {
  return {
    payment_options: JSON.stringify(body.paymentOptions.map((option) => ({ type: option.type }))),
    webhook_urls: JSON.stringify(body.webhookUrls ?? []),
    ...(body.name !== undefined && { name: body.name }),
  };
}

/** Every option must be a known asset type of the merchant's liveness. */
function checkPaymentOptions(
  options: MerchantConfigBody['paymentOptions'],
  merchantTest: boolean,
): void {
  options.forEach((option, index) => {
    const type = parseAssetType(option.type);
    if (!type)
      throw new BadRequestError(
        `body/paymentOptions/${index}/type is not an asset type this core knows`,
      );
    if ((type.liveness === 'test') !== merchantTest) throw new ApiError('LIVENESS_MISMATCH');
  });
}

export function createMerchantService({ storage, clock }: { storage: Storage; clock: Clock }) {
  async function ownedMerchant(principal: Principal, merchantId: string) {
    const row = await storage.read
      .selectFrom('merchants')
      .selectAll()
      .where('id', '=', merchantId)
      .executeTakeFirst();
    if (!row || !ownsAccount(principal, row.account_id)) throw new ApiError('FORBIDDEN');
    return row;
  }

  return {
    async create(principal: Principal, body: CreateMerchantBody): Promise<Merchant> {
      if (!ownsAccount(principal, body.accountId)) throw new ApiError('FORBIDDEN');
      const now = clock.now();
      return storage.write(async (trx) => {
        const account = await trx
          .selectFrom('accounts')
          .select(['test', 'type'])
          .where('id', '=', body.accountId)
          .executeTakeFirst();
        if (!account || account.type !== 'org') throw new ApiError('FORBIDDEN');
        if (account.test === 1 && !body.test) throw new ApiError('LIVENESS_MISMATCH');
        const row = {
          id: newId(),
          account_id: body.accountId,
          name: body.name,
          country: body.country,
          test: body.test ? (1 as const) : (0 as const),
          created_at: now,
          updated_at: now,
        };
        await trx.insertInto('merchants').values(row).execute();
        return toMerchant(row);
      });
    },

    async get(principal: Principal, merchantId: string): Promise<Merchant> {
      return toMerchant(await ownedMerchant(principal, merchantId));
    },

    async update(
      principal: Principal,
      merchantId: string,
      body: UpdateMerchantBody,
    ): Promise<Merchant> {
      await ownedMerchant(principal, merchantId);
      return storage.write(async (trx) =>
        toMerchant(
          await trx
            .updateTable('merchants')
            .set({ name: body.name, updated_at: clock.now() })
            .where('id', '=', merchantId)
            .returningAll()
            .executeTakeFirstOrThrow(),
        ),
      );
    },

    async createConfig(
      principal: Principal,
      merchantId: string,
      body: MerchantConfigBody,
    ): Promise<MerchantConfig> {
      const merchant = await ownedMerchant(principal, merchantId);
      checkPaymentOptions(body.paymentOptions, merchant.test === 1);
      const now = clock.now();
      const row = {
        id: newId('mc_'),
        merchant_id: merchantId,
        ...configColumns(body),
        name: body.name ?? null,
        created_at: now,
        updated_at: now,
      };
      await storage.write((trx) => trx.insertInto('merchant_configs').values(row).execute());
      return toConfig(row);
    },

    async updateConfig(
      principal: Principal,
      merchantId: string,
      configId: string,
      body: MerchantConfigBody,
    ): Promise<MerchantConfig> {
      const merchant = await ownedMerchant(principal, merchantId);
      checkPaymentOptions(body.paymentOptions, merchant.test === 1);
      return storage.write(async (trx) => {
        const row = await trx
          .updateTable('merchant_configs')
          .set({ ...configColumns(body), updated_at: clock.now() })
          .where('id', '=', configId)
          .where('merchant_id', '=', merchantId)
          .returningAll()
          .executeTakeFirst();
        if (!row) throw new ApiError('FORBIDDEN');
        return toConfig(row);
      });
    },

    /** Terminals of the merchant's account read the config they are set up with. */
    async getConfig(principal: Principal, configId: string): Promise<MerchantConfig> {
      const row = await storage.read
        .selectFrom('merchant_configs')
        .innerJoin('merchants', 'merchants.id', 'merchant_configs.merchant_id')
        .selectAll('merchant_configs')
        .select('merchants.account_id')
        .where('merchant_configs.id', '=', configId)
        .executeTakeFirst();
      const terminal = principal.kind === 'api-key' && principal.accountId === row?.account_id;
      if (!row || !(terminal || ownsAccount(principal, row.account_id)))
        throw new ApiError('FORBIDDEN');
      return toConfig(row);
    },

    async listConfigs(
      principal: Principal,
      merchantId: string,
    ): Promise<{ items: MerchantConfig[] }> {
      await ownedMerchant(principal, merchantId);
      const rows = await storage.read
        .selectFrom('merchant_configs')
        .selectAll()
        .where('merchant_id', '=', merchantId)
        .orderBy('created_at')
        .execute();
      return { items: rows.map(toConfig) };
    },
  };
}

export type MerchantService = ReturnType<typeof createMerchantService>;
