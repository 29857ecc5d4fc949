import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  columnsOf,
  precompile,
  precompileByShape,
  runPrecompiledDirectly,
  type Param,
} from './precompiled.ts';
import type { Database } from './schema.ts';

/** An in-memory database with one table, recording the SQL each query ran. */
function database() {
  const sqlite = new BetterSqlite3(':memory:');
  sqlite.exec('create table api_keys (secret_hash text, name text, enabled integer)');
  const ran: string[] = [];
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    log: (event) => void ran.push((event.query as CompiledQuery).sql),
  });
  return { db, ran };
}

describe('precompiled queries', () => {
  it('compile once per database and bind each run its own values', async () => {
    const { db, ran } = database();
    await db
      .insertInto('api_keys')
      .values({ secret_hash: 'a', name: 'one', enabled: 1 } as never)
      .execute();
    await db
      .insertInto('api_keys')
      .values({ secret_hash: 'b', name: 'two', enabled: 0 } as never)
      .execute();
    const find = precompile((db, param: Param<{ hash: string }>) =>
      db
        .selectFrom('api_keys')
        .select(['name', 'enabled'])
        .where('secret_hash', '=', param('hash')),
    );
    expect(await find.executeTakeFirst(db, { hash: 'b' })).toEqual({ name: 'two', enabled: 0 });
    expect(await find.executeTakeFirst(db, { hash: 'a' })).toEqual({ name: 'one', enabled: 1 });
    expect(await find.executeTakeFirst(db, { hash: 'c' })).toBeUndefined();
    expect(new Set(ran.slice(2)).size).toBe(1);
    await db.destroy();
  });

  it('compile one query per shape, each from the columns its values set', async () => {
    const { db, ran } = database();
    type Row = { secret_hash: string; name?: string; enabled: number };
    const insert = precompileByShape(
      (row: Row) => columnsOf(row).join(),
      (db, param, example) => {
        const bind = param as Param<Record<string, unknown>>;
        const row = Object.fromEntries(columnsOf(example).map((column) => [column, bind(column)]));
        return db.insertInto('api_keys').values(row as never);
      },
    );
    await insert.execute(db, { secret_hash: 'a', name: 'one', enabled: 1 });
    await insert.execute(db, { secret_hash: 'b', name: undefined, enabled: 0 });
    await insert.execute(db, { secret_hash: 'c', name: 'three', enabled: 1 });
    expect(ran[0]).toBe(ran[2]);
    expect(ran[1]).not.toContain('"name"');
    const rows = await db.selectFrom('api_keys').selectAll().orderBy('secret_hash').execute();
    expect(rows).toEqual([
      { secret_hash: 'a', name: 'one', enabled: 1 },
      { secret_hash: 'b', name: null, enabled: 0 },
      { secret_hash: 'c', name: 'three', enabled: 1 },
    ]);
    await db.destroy();
  });

  it('run directly on a registered SQLite connection, inside the transaction they are given', async () => {
    const { db, ran } = database();
    const sqlite = new BetterSqlite3(':memory:');
    sqlite.exec('create table api_keys (secret_hash text, name text, enabled integer)');
    const direct = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    runPrecompiledDirectly(direct, sqlite);
    type Row = { secret_hash: string; name: string; enabled: number };
    const insert = precompile((db, param: Param<Row>) =>
      db.insertInto('api_keys').values({
        secret_hash: param('secret_hash'),
        name: param('name'),
        enabled: param('enabled'),
      } as never),
    );
    const find = precompile((db, param: Param<{ hash: string }>) =>
      db.selectFrom('api_keys').select('name').where('secret_hash', '=', param('hash')),
    );
    const trx = await direct.startTransaction().execute();
    await insert.execute(trx, { secret_hash: 'a', name: 'one', enabled: 1 });
    expect(await find.execute(trx, { hash: 'a' })).toEqual([{ name: 'one' }]);
    await trx.rollback().execute();
    expect(await find.execute(direct, { hash: 'a' })).toEqual([]);
    // An unregistered database still runs them through Kysely.
    await insert.execute(db, { secret_hash: 'b', name: 'two', enabled: 1 });
    expect(await find.execute(db, { hash: 'b' })).toEqual([{ name: 'two' }]);
    expect(ran).toHaveLength(2);
    await direct.destroy();
    await db.destroy();
  });
});
