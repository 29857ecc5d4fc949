import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildCoreApp } from '../../core/app.ts';
import { loadSigningKey } from '../../core/auth/signing-keys.ts';
import { mintAnonConsumerToken, mintUserToken } from '../../core/auth/user-tokens.ts';
import type { Clock } from '../../core/clock.ts';
import { openStorage, type Storage } from '../../core/db/storage.ts';
import { DEMO, seedDemo } from '../../core/seed/demo.ts';
import { ManualClock } from './clock.ts';
import type { TestDatabase, TestEngine } from './databases.ts';

export const PUBLIC_BASE_URL = 'http://kiosk.test';

export interface TestCore {
  app: FastifyInstance;
  storage: Storage;
  clock: ManualClock;
  database: TestDatabase;
  /** A fresh access token for the demo consumer. */
  consumerToken(): Promise<string>;
  /** A token for a consumer who has not signed in (may only read and pay). */
  anonToken(): Promise<string>;
  /** inject() with the demo terminal key unless other headers are given. */
  call(
    options: InjectOptions & { key?: string | null; token?: string },
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The core app on a new seeded database of `engine`, driven with inject() and a manual clock. */
export async function buildTestCore(
  engine: TestEngine,
  clock: Clock = new ManualClock(),
): Promise<TestCore> {
  const database = await engine.create();
  const storage = await openStorage(database.location);
  await seedDemo(storage, clock.now());
  const signingKey = await loadSigningKey(storage, clock.now());
  const app = await buildCoreApp({
    storage,
    signingKey,
    clock,
    publicBaseUrl: () => PUBLIC_BASE_URL,
  });
  return {
    app,
    storage,
    clock: clock as ManualClock,
    database,
    anonToken: () => mintAnonConsumerToken(signingKey, 'kiosk-visitor', clock.now()),
    consumerToken: () =>
      mintUserToken(
        signingKey,
        { userId: DEMO.consumerUserId, accountId: DEMO.consumerAccountId },
        clock.now(),
      ),
    call({ key = DEMO.terminalKey, token, headers, ...options }) {
      const auth: Record<string, string> = {};
      if (token !== undefined) auth['authorization'] = token;
      else if (key !== null) auth['x-api-key'] = key;
      return app.inject({ ...options, headers: { ...auth, ...headers } });
    },
    async close() {
      await app.close();
      await storage.close();
      await database.drop();
    },
  };
}

/** Total value held in stored-value assets plus merchant takings: payments only move it around. */
export async function booksTotal(storage: Storage): Promise<number> {
  const assets = await storage.read
    .selectFrom('assets')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('balance'), eb.lit(0)).as('total'))
    .where('category', 'in', ['wallet', 'gift-card', 'voucher'])
    .executeTakeFirstOrThrow();
  const takings = await storage.read
    .selectFrom('merchant_takings')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.lit(0)).as('total'))
    .executeTakeFirstOrThrow();
  return Number(assets.total) + Number(takings.total);
}

export const nzd = (amount: number) => ({ amount: String(amount), currency: 'NZD' });
