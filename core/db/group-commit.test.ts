import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from './storage.ts';

describe('group commit on a SQLite file', () => {
  let dir: string;
  let storage: Storage;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-group-commit-'));
    storage = await openStorage(join(dir, 'core.db'));
  });
  afterEach(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const account = (id: string) => ({
    id,
    name: id,
    type: 'org' as const,
    test: 1 as const,
    created_at: 1,
  });

  it('commits units that arrive together as one transaction, and a failing unit alone rolls back', async () => {
    const results = await Promise.allSettled([
      storage.write((trx) => trx.insertInto('accounts').values(account('a')).execute()),
      storage.write(async (trx) => {
        await trx.insertInto('accounts').values(account('b')).execute();
        throw new Error('business rule refused b');
      }),
      storage.write((trx) => trx.insertInto('accounts').values(account('c')).execute()),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const ids = (
      await storage.read.selectFrom('accounts').select('id').orderBy('id').execute()
    ).map((r) => r.id);
    expect(ids).toEqual(['a', 'c']);
  });

  it('settles a unit only once its commit is on disk, visible to another connection', async () => {
    await storage.write((trx) => trx.insertInto('accounts').values(account('durable')).execute());
    // A separate connection (another process would see the same) reads the committed row.
    const other = new BetterSqlite3(join(dir, 'core.db'), { readonly: true });
    try {
      expect(other.prepare('select id from accounts').all()).toEqual([{ id: 'durable' }]);
      expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      other.close();
    }
  });

  it('keeps every concurrent unit of a large burst', async () => {
    await Promise.all(
      Array.from({ length: 600 }, (_, i) =>
        storage.write((trx) =>
          trx
            .insertInto('accounts')
            .values(account(`n${i}`))
            .execute(),
        ),
      ),
    );
    const count = await storage.read
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(600);
  });
});
