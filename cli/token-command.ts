import { parseArgs } from 'node:util';
import { loadSigningKey } from '../core/auth/signing-keys.ts';
import { mintUserToken } from '../core/auth/user-tokens.ts';
import { openStorage } from '../core/db/storage.ts';
import { seedDemo } from '../core/seed/demo.ts';
import { defaultCoreDatabase } from './data-dir.ts';

export const TOKEN_USAGE = 'kiosk token <user> [--db <file or postgres:// URL>]';

/**
 * `kiosk token <user>`: prints a one-hour access token for a seeded `test` user, read straight
 * from the database. It stands in for consumer sign-in and is not reachable over HTTP.
 */
export async function tokenCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { db: { type: 'string' } },
  });
  const userId = positionals[0];
  if (!userId) throw new TypeError(`usage: ${TOKEN_USAGE}`);
  const storage = await openStorage(values.db ?? defaultCoreDatabase());
  try {
    const now = Date.now();
    await seedDemo(storage, now);
    const user = await storage.read
      .selectFrom('users')
      .select(['id', 'account_id', 'liveness'])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user) throw new Error(`no user ${userId} in this database`);
    if (user.liveness !== 'test')
      throw new Error(`${userId} is not a test user; tokens are minted only for test users`);
    const key = await loadSigningKey(storage, now);
    console.log(await mintUserToken(key, { userId: user.id, accountId: user.account_id }, now));
  } finally {
    await storage.close();
  }
}
