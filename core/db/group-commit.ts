import { CompiledQuery, type ControlledTransaction, type Kysely, type Transaction } from 'kysely';
import { executeCommand } from './precompiled.ts';
import type { Database } from './schema.ts';

export type Work<T> = (trx: Transaction<Database>) => Promise<T>;

interface Queued {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** The most units one commit carries, so one slow burst cannot hold every reply. */
const MAX_BATCH = 256;

/**
 * Group commit for a single-writer engine (SQLite): units of work that arrive together run
 * one after another inside one transaction, each in its own savepoint, and share its commit
 * and fsync. A unit's promise settles only after the commit is durable, so a reply never
 * reports a write that a power cut could undo. A unit that throws is rolled back to its
 * savepoint alone; its neighbours still commit.
 */
export class GroupCommit {
  readonly #db: Kysely<Database>;
  #queue: Queued[] = [];
  #scheduled = false;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // setImmediate lets every request that arrived in this turn of the event loop join.
    setImmediate(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    const batch = this.#queue.splice(0, MAX_BATCH);
    const outcomes: Outcome[] = [];
    let trx: ControlledTransaction<Database> | undefined;
    try {
      trx = await this.#db.startTransaction().execute();
      for (const unit of batch) outcomes.push(await runInSavepoint(trx, unit.work));
      await trx.commit().execute();
      batch.forEach((unit, i) => settle(unit, outcomes[i]!));
    } catch (error) {
      if (trx && !trx.isCommitted && !trx.isRolledBack)
        await trx
          .rollback()
          .execute()
          .catch(() => {});
      for (const unit of batch) unit.reject(error);
    } finally {
      this.#scheduled = false;
      if (this.#queue.length > 0) this.#schedule();
    }
  }

  /** Resolves once every queued unit has settled. */
  async drain(): Promise<void> {
    while (this.#scheduled || this.#queue.length > 0) await new Promise((r) => setImmediate(r));
  }
}

/**
 * The savepoint commands, compiled once. Kysely's savepoint() builds a transaction object and
 * compiles its command on each call; a unit only needs the three statements.
 */
const SAVEPOINT = CompiledQuery.raw('savepoint unit');
const RELEASE = CompiledQuery.raw('release unit');
const ROLLBACK_TO = CompiledQuery.raw('rollback to unit');

async function runInSavepoint(
  trx: ControlledTransaction<Database>,
  work: Work<unknown>,
): Promise<Outcome> {
  await executeCommand(trx, SAVEPOINT);
  try {
    const value = await work(trx);
    await executeCommand(trx, RELEASE);
    return { ok: true, value };
  } catch (error) {
    // Undoes the unit's writes; the savepoint stays open, so it is released as well.
    await executeCommand(trx, ROLLBACK_TO);
    await executeCommand(trx, RELEASE);
    return { ok: false, error };
  }
}

function settle(unit: Queued, outcome: Outcome): void {
  if (outcome.ok) unit.resolve(outcome.value);
  else unit.reject(outcome.error);
}
