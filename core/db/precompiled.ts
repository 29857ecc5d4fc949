import type BetterSqlite3 from 'better-sqlite3';
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import { DirectConnection } from './direct-connection.ts';
import type { Database } from './schema.ts';

/** Stands in for a value while a query is compiled; its name says which value binds there. */
class Slot {
  constructor(readonly name: string) {}
}

/** Where each parameter of the compiled SQL comes from: a named value, or a fixed one. */
type Binding = { slot: string } | { fixed: unknown };

interface Compiled {
  query: CompiledQuery;
  bindings: Binding[];
}

/**
 * SQLite connections precompiled queries run on directly, keyed like the compiled queries.
 * better-sqlite3 runs a statement synchronously, so Kysely's executor adds only cost around
 * it (a connection mutex, plugins, a few promises per query), about as much as SQLite takes.
 */
const directConnections = new WeakMap<object, DirectConnection>();

/**
 * Lets precompiled queries on `db` (and its transactions) skip Kysely's executor and run on
 * `connection`, the better-sqlite3 connection under `db`. A query then runs at once instead of
 * waiting for Kysely's lock on the connection, so `db` itself must not be queried while one of
 * its transactions is open: storage hands out the writer only as the group commit's transaction.
 */
export function runPrecompiledDirectly(
  db: Kysely<Database>,
  connection: BetterSqlite3.Database,
): void {
  directConnections.set(db.getExecutor().adapter, new DirectConnection(connection));
}

/** Runs a fixed command such as a savepoint's on `db`, directly where it may. */
export async function executeCommand(db: Kysely<Database>, command: CompiledQuery): Promise<void> {
  const direct = directConnections.get(db.getExecutor().adapter);
  if (direct) direct.execute(command.sql, command.parameters);
  else await db.executeQuery(command);
}

/** Names a value of `P`; typed as that value so it fits wherever the value would. */
export type Param<P> = <K extends keyof P & string>(name: K) => P[K];

/**
 * A hot query built and compiled once per database instead of on every call: Kysely's
 * building and compiling cost more than SQLite takes to run such a query. `build` marks
 * each varying value with `param(name)`; every run binds fresh values into the same SQL,
 * which the statement caches (SQLite) and named statements (PostgreSQL) then reuse too.
 * A query whose shape depends on its values (an `is null` branch, optional columns) needs
 * one precompiled query per shape.
 */
export class Precompiled<P, R> {
  readonly #build: (db: Kysely<Database>, param: Param<P>) => Compilable<R>;
  /** Keyed by the dialect's adapter, which a database and its transactions share. */
  readonly #compiled = new WeakMap<object, Compiled>();

  constructor(build: (db: Kysely<Database>, param: Param<P>) => Compilable<R>) {
    this.#build = build;
  }

  /** Runs on a database or a transaction of it; returns the rows. */
  async execute(db: Kysely<Database>, values: P): Promise<R[]> {
    const adapter = db.getExecutor().adapter;
    const { query, bindings } = this.#compile(db, adapter);
    const parameters = bindings.map((binding) =>
      'slot' in binding ? values[binding.slot as keyof P] : binding.fixed,
    );
    const direct = directConnections.get(adapter);
    // What Kysely's SQLite connection does, less the rows' count and id nobody here reads.
    if (direct) return direct.execute<R>(query.sql, parameters);
    const result = await db.executeQuery<R>({ ...query, parameters } as CompiledQuery<R>);
    return result.rows;
  }

  async executeTakeFirst(db: Kysely<Database>, values: P): Promise<R | undefined> {
    return (await this.execute(db, values))[0];
  }

  #compile(db: Kysely<Database>, adapter: object): Compiled {
    let compiled = this.#compiled.get(adapter);
    if (!compiled) {
      const query = this.#build(db, ((name: string) => new Slot(name)) as Param<P>).compile();
      const bindings = query.parameters.map((value) =>
        value instanceof Slot ? { slot: value.name } : { fixed: value },
      );
      compiled = { query, bindings };
      this.#compiled.set(adapter, compiled);
    }
    return compiled;
  }
}

/** `new Precompiled(build)`, with `P` and `R` inferred from `build` (annotate its `param`). */
export function precompile<P, R>(
  build: (db: Kysely<Database>, param: Param<P>) => Compilable<R>,
): Precompiled<P, R> {
  return new Precompiled(build);
}

/**
 * Precompiled queries for values whose shape changes the SQL (which columns are set, whether a
 * guard compares with null): one compiled query per shape, where `shapeOf` names the shape and
 * `build` sees the first values of that shape. Shapes come from the code, so they stay few.
 */
export function precompileByShape<P, R>(
  shapeOf: (values: P) => string,
  build: (db: Kysely<Database>, param: Param<P>, example: P) => Compilable<R>,
): { execute(db: Kysely<Database>, values: P): Promise<R[]> } {
  const byShape = new Map<string, Precompiled<P, R>>();
  return {
    execute(db, values) {
      const shape = shapeOf(values);
      let query = byShape.get(shape);
      if (!query) {
        query = new Precompiled((db, param) => build(db, param, values));
        byShape.set(shape, query);
      }
      return query.execute(db, values);
    },
  };
}

/** The columns a row sets, in order: an insert's shape. */
export function columnsOf(row: object): string[] {
  return Object.keys(row).filter((column) => row[column as keyof typeof row] !== undefined);
}
