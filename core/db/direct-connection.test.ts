import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DirectConnection } from './direct-connection.ts';

describe('a direct connection', () => {
  it('returns row objects as better-sqlite3 builds them, and none for a command', () => {
    const sqlite = new BetterSqlite3(':memory:');
    const direct = new DirectConnection(sqlite);
    expect(direct.execute('create table t (a text, b integer)', [])).toEqual([]);
    direct.execute('insert into t values (?, ?), (?, ?)', ['x', 1, 'y', null]);
    const select = 'select a, b, a as b from t order by a';
    expect(direct.execute(select, [])).toEqual(sqlite.prepare(select).all());
    sqlite.close();
  });

  it('keys a select * by its columns after a schema change widens it', () => {
    const sqlite = new BetterSqlite3(':memory:');
    const direct = new DirectConnection(sqlite);
    direct.execute('create table t (a text)', []);
    direct.execute('insert into t values (?)', ['x']);
    expect(direct.execute('select * from t', [])).toEqual([{ a: 'x' }]);
    sqlite.exec("alter table t add column b text default 'y'");
    expect(direct.execute('select * from t', [])).toEqual([{ a: 'x', b: 'y' }]);
    sqlite.close();
  });
});
