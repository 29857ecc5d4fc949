import type BetterSqlite3 from 'better-sqlite3';

/** A prepared statement, and for one that returns rows, the names of its columns. */
interface Prepared {
  statement: BetterSqlite3.Statement;
  columns: string[] | undefined;
}

/**
 * A better-sqlite3 connection that precompiled queries and fixed commands run on, each
 * statement prepared once. Their SQL comes from the code, so the statements stay few.
 *
 * Rows are read as arrays and keyed here: better-sqlite3 builds each row object in C++,
 * looking every column name up in V8's string table, which for a payment request's 46
 * columns costs about twice what reading the values does (~10 µs against ~5 µs a row).
 */
export class DirectConnection {
  readonly #database: BetterSqlite3.Database;
  /**
   * Kept apart from the statement cache Kysely's queries go through, as raw mode is a
   * setting of the statement and those callers expect row objects.
   */
  readonly #prepared = new Map<string, Prepared>();

  constructor(database: BetterSqlite3.Database) {
    this.#database = database;
  }

  /** Runs `sql` with `parameters`; returns its rows, none for a statement that returns none. */
  execute<R>(sql: string, parameters: readonly unknown[]): R[] {
    const prepared = this.#prepare(sql);
    const { statement } = prepared;
    if (!prepared.columns) {
      statement.run(parameters);
      return [];
    }
    const rows = statement.all(parameters) as unknown[][];
    // SQLite prepares a statement again after a schema change, which may widen a `select *`.
    if (rows.length > 0 && rows[0]!.length !== prepared.columns.length)
      prepared.columns = columnNames(statement);
    const columns = prepared.columns;
    return rows.map((values) => {
      const row: Record<string, unknown> = {};
      // As better-sqlite3 does it: a repeated column name keeps its last value.
      for (let i = 0; i < columns.length; i++) row[columns[i]!] = values[i];
      return row as R;
    });
  }

  #prepare(sql: string): Prepared {
    let prepared = this.#prepared.get(sql);
    if (!prepared) {
      const statement = this.#database.prepare(sql);
      const columns = statement.reader ? columnNames(statement.raw(true)) : undefined;
      prepared = { statement, columns };
      this.#prepared.set(sql, prepared);
    }
    return prepared;
  }
}

function columnNames(statement: BetterSqlite3.Statement): string[] {
  return statement.columns().map((column) => column.name);
}
