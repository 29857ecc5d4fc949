import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './statement-cache.ts';

describe('prepared statement cache', () => {
  it('prepares each statement once and drops the least recently used beyond its size', () => {
    const database = new BetterSqlite3(':memory:');
    const cached = withStatementCache(database, 2);
    const one = cached.prepare('select 1 as n');
    expect(cached.prepare('select 1 as n')).toBe(one);
    expect(one.all([])).toEqual([{ n: 1 }]);
    const two = cached.prepare('select 2 as n');
    cached.prepare('select 1 as n'); // now the most recent
    cached.prepare('select 3 as n'); // evicts `select 2`
    expect(cached.prepare('select 1 as n')).toBe(one);
    expect(cached.prepare('select 2 as n')).not.toBe(two);
    cached.close();
    expect(database.open).toBe(false);
  });
});
