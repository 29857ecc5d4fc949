import type pg from 'pg';

/** Distinct statements named per pool; the core issues a few dozen shapes, lists add some. */
export const PREPARED_STATEMENT_LIMIT = 500;

type Query = (text: unknown, values?: unknown, callback?: unknown) => unknown;

/**
 * Kysely sends every query unnamed, so PostgreSQL parses, analyses and plans it anew on each
 * call: about a third of the server's CPU under write load. Naming each parameterised query
 * makes every pooled connection prepare it once and then only bind and execute it (pg keeps
 * the per-connection bookkeeping). Names are handed out per distinct SQL text, the same on
 * every connection; past the limit a new text runs unnamed, so the server-side statements
 * each connection holds stay bounded.
 */
export function prepareStatements(pool: pg.Pool, limit = PREPARED_STATEMENT_LIMIT): void {
  const names = new Map<string, string>();
  const nameOf = (text: string): string | undefined => {
    let name = names.get(text);
    if (name === undefined && names.size < limit) {
      name = `kiosk_${names.size}`;
      names.set(text, name);
    }
    return name;
  };
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as Query;
    // Only the call Kysely makes, query(sql, parameters); every other form passes through.
    client.query = ((text: unknown, values?: unknown, callback?: unknown) => {
      if (
        typeof text !== 'string' ||
        !Array.isArray(values) ||
        values.length === 0 ||
        callback !== undefined
      )
        return query(text, values, callback);
      const name = nameOf(text);
      return query(name === undefined ? { text, values } : { name, text, values });
    }) as typeof client.query;
  });
}
