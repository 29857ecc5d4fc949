// Accounts and their API keys. Keys are shown once, at creation, and stored as a digest.
import type { Selectable } from 'kysely';
import { ownsAccount, type Principal } from '../auth/principal.ts';
import { digest, newApiKeySecret } from '../auth/secrets.ts';
import type { Clock } from '../clock.ts';
import type { AccountsTable, ApiKeysTable } from '../db/schema.ts';
import type { Storage } from '../db/storage.ts';
import { ApiError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Account, ApiKey, CreateAccountBody, CreateApiKeyBody } from '../schemas/accounts.ts';
import { isoTime as iso } from '../wire.ts';

function toAccount(row: Selectable<AccountsTable>): Account {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    test: row.test === 1,
    createdAt: iso(row.created_at),
  };
}

function toApiKey(row: Selectable<ApiKeysTable>): ApiKey {
  return {
    accountId: row.account_id,
    name: row.name,
    role: row.role,
    enabled: row.enabled === 1,
    createdAt: iso(row.created_at),
  };
}

export function createAccountService({ storage, clock }: { storage: Storage; clock: Clock }) {
  function assertOwner(principal: Principal, accountId: string): void {
    if (!ownsAccount(principal, accountId)) throw new ApiError('FORBIDDEN');
  }

  return {
    /** A signed-in user creates an organisation account and becomes its owner. */
    async create(principal: Principal, body: CreateAccountBody): Promise<Account> {
      if (principal.kind !== 'user') throw new ApiError('FORBIDDEN');
      const now = clock.now();
      return storage.write(async (trx) => {
        const user = await trx
          .selectFrom('users')
          .select('liveness')
          .where('id', '=', principal.userId)
          .executeTakeFirst();
        if (!user) throw new ApiError('FORBIDDEN');
        const test = body.test ?? user.liveness === 'test';
        // Test users (the demo among them) only ever reach test liveness.
        if (user.liveness === 'test' && !test) throw new ApiError('LIVENESS_MISMATCH');
        const row = {
          id: newId(),
          name: body.name,
          type: body.type,
          test: test ? (1 as const) : (0 as const),
          created_at: now,
        };
        await trx.insertInto('accounts').values(row).execute();
        await trx
          .insertInto('account_members')
          .values({ account_id: row.id, user_id: principal.userId, created_at: now })
          .execute();
        return toAccount(row);
      });
    },

    async get(principal: Principal, accountId: string): Promise<Account> {
      assertOwner(principal, accountId);
      const row = await storage.read
        .selectFrom('accounts')
        .selectAll()
        .where('id', '=', accountId)
        .executeTakeFirst();
      if (!row) throw new ApiError('FORBIDDEN');
      return toAccount(row);
    },

    async createApiKey(
      principal: Principal,
      accountId: string,
      body: CreateApiKeyBody,
    ): Promise<ApiKey & { secret: string }> {
      assertOwner(principal, accountId);
      const secret = newApiKeySecret();
      const row = {
        account_id: accountId,
        name: body.name,
        role: body.role,
        secret_hash: digest(secret),
        enabled: 1 as const,
        created_at: clock.now(),
      };
      await storage.write(async (trx) => {
        const taken = await trx
          .selectFrom('api_keys')
          .select('name')
          .where('account_id', '=', accountId)
          .where('name', '=', body.name)
          .executeTakeFirst();
        if (taken) throw new ApiError('FORBIDDEN', { reason: 'API_KEY_NAME_TAKEN' });
        await trx.insertInto('api_keys').values(row).execute();
      });
      return { ...toApiKey(row), secret };
    },

    async listApiKeys(principal: Principal, accountId: string): Promise<{ items: ApiKey[] }> {
      assertOwner(principal, accountId);
      const rows = await storage.read
        .selectFrom('api_keys')
        .selectAll()
        .where('account_id', '=', accountId)
        .orderBy('created_at')
        .execute();
      return { items: rows.map(toApiKey) };
    },

    async setApiKeyEnabled(
      principal: Principal,
      accountId: string,
      name: string,
      enabled: boolean,
    ): Promise<ApiKey> {
      assertOwner(principal, accountId);
      return storage.write(async (trx) => {
        const row = await trx
          .updateTable('api_keys')
          .set({ enabled: enabled ? 1 : 0 })
          .where('account_id', '=', accountId)
          .where('name', '=', name)
          .returningAll()
          .executeTakeFirst();
        if (!row) throw new ApiError('FORBIDDEN');
        return toApiKey(row);
      });
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
