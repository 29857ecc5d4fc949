import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { GroupCommit, type Work } from './group-commit.ts';
import { migrateToLatest } from './migrate.ts';
import { runPrecompiledDirectly } from './precompiled.ts';
import { prepareStatements } from './prepared-statements.ts';
import { withStatementCache } from './statement-cache.ts';
import type { Database } from './schema.ts';

export type Engine = 'sqlite' | 'postgres';

/**
 * The core's storage: `read` for queries outside a write, `write` for one durable
 * transaction. Every money movement goes through `write`.
 */
export interface Storage {
  readonly engine: Engine;
  readonly read: Kysely<Database>;
  /** Migrations this open applied (none when the database was already current). */
  readonly appliedMigrations: string[];
  write<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}

/** Opens (and migrates) a SQLite file path or a postgres:// URL. */
export async function openStorage(location: string): Promise<Storage> {
  return isPostgresUrl(location) ? openPostgres(location) : openSqlite(location);
}

async function openSqlite(file: string): Promise<Storage> {
  const writer = new BetterSqlite3(file);
  // WAL lets readers run beside the writer; FULL makes every commit reach the disk.
  writer.pragma('journal_mode = WAL');
  writer.pragma('synchronous = FULL');
  writer.pragma('foreign_keys = ON');
  writer.pragma('busy_timeout = 5000');
  // Each group-commit unit runs in a savepoint, whose undo pages SQLite otherwise writes to a
  // temporary file: about twenty write calls per created request. They only undo work inside
  // an open transaction, so memory serves; what a commit makes durable is untouched.
  writer.pragma('temp_store = MEMORY');
  const writeConnection = withStatementCache(writer);
  const writeDb = new Kysely<Database>({
    dialect: new SqliteDialect({ database: writeConnection }),
  });
  runPrecompiledDirectly(writeDb, writer);
  const appliedMigrations = await migrateToLatest(writeDb as Kysely<unknown>);
  const reader = new BetterSqlite3(file);
  reader.pragma('busy_timeout = 5000');
  reader.pragma('query_only = ON');
  const readConnection = withStatementCache(reader);
  const readDb = new Kysely<Database>({
    dialect: new SqliteDialect({ database: readConnection }),
  });
  runPrecompiledDirectly(readDb, reader);
  const group = new GroupCommit(writeDb);
  return {
    engine: 'sqlite',
    read: readDb,
    appliedMigrations,
    write: <T>(work: Work<T>) => group.run(work),
    async close() {
      await group.drain();
      await readDb.destroy();
      await writeDb.destroy();
    },
  };
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

async function openPostgres(url: string): Promise<Storage> {
  const pool = new pg.Pool({
    connectionString: url,
    // Measured on 2 cores under 50 concurrent writers: 8 beat 20 by ~10% (fewer backends
    // contending for the CPU the node process needs) and 4 lost ~15% (too few to overlap
    // round trips and commit flushes). Waiting in this pool costs nothing PostgreSQL would not.
    max: 8,
    // bigint columns hold epoch ms and minor units, both far below 2^53.
    types: {
      getTypeParser: (oid: number, format?: unknown) =>
        oid === INT8_OID || oid === NUMERIC_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format as 'text'),
    },
  });
  prepareStatements(pool);
  // An idle connection the server drops (a restart, a failover) must not take the kiosk down;
  // the pool replaces it on the next query.
  pool.on('error', (error) => console.error(`postgres: idle connection lost: ${error.message}`));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const appliedMigrations = await migrateToLatest(db as Kysely<unknown>);
  return {
    engine: 'postgres',
    read: db,
    appliedMigrations,
    // PostgreSQL batches concurrent commits itself; conditional updates keep writers honest.
    write: (work) => db.transaction().execute(work),
    close: () => db.destroy(),
  };
}
