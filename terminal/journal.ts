// The kiosk's own durable record of every payment request it creates, in its own SQLite file
// (never the core's: the core may be remote). An entry is written before the create is sent, so
// a crash at any point leaves something for the reconciler to finish on the next start.
import Database from 'better-sqlite3';
import type { Currency } from './contract/state.ts';
import type { JournalEntry, JournalOutcome } from './contract/replies.ts';
import type { VendingJournalRecord } from './flows/vending-flow.ts';

export interface NewJournalEntry {
  saleId: string;
  flow: JournalEntry['flow'];
  amount: number;
  currency: Currency;
}

/** Entries whose outcome the kiosk does not know yet, or whose void has not gone through. */
export const UNFINISHED_OUTCOMES: readonly JournalOutcome[] = ['pending', 'void-pending'];

interface EntryRow {
  sale_id: string;
  flow: JournalEntry['flow'];
  request_id: string | null;
  short_code: string | null;
  amount: number;
  currency: Currency;
  outcome: JournalOutcome;
  refunded_amount: number;
  created_at: string;
  updated_at: string;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS journal_entries (
    sale_id TEXT PRIMARY KEY,
    flow TEXT NOT NULL,
    request_id TEXT,
    short_code TEXT,
    amount INTEGER NOT NULL CHECK (amount > 0),
    currency TEXT NOT NULL,
    outcome TEXT NOT NULL,
    refunded_amount INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS journal_entries_by_outcome ON journal_entries (outcome);
  CREATE INDEX IF NOT EXISTS journal_entries_by_request ON journal_entries (request_id);
  CREATE INDEX IF NOT EXISTS journal_entries_by_created ON journal_entries (created_at);
  CREATE TABLE IF NOT EXISTS vending_sessions (
    session_id TEXT PRIMARY KEY,
    stage TEXT NOT NULL,
    record TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS vending_sessions_by_stage ON vending_sessions (stage);
  CREATE INDEX IF NOT EXISTS vending_sessions_by_created ON vending_sessions (created_at);
`;

interface VendingRow {
  record: string;
  created_at: string;
  updated_at: string;
}

export class Journal {
  readonly #db: Database.Database;
  readonly #now: () => Date;
  readonly #sql: ReturnType<typeof prepareStatements>;

  constructor(file: string, now: () => Date = () => new Date()) {
    this.#db = new Database(file);
    // Every write is on disk before the kiosk acts on it: power can fail at any moment.
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.exec(SCHEMA);
    this.#sql = prepareStatements(this.#db);
    this.#now = now;
  }

  /**
   * Written before a payment request is created (its externalRef is `saleId`); a second create
   * for the same sale (another barcode after a refused one) reopens the same entry.
   */
  open(entry: NewJournalEntry): void {
    const at = this.#now().toISOString();
    this.#sql.open.run(entry.saleId, entry.flow, entry.amount, entry.currency, at, at);
  }

  attachRequest(saleId: string, requestId: string, shortCode: string): void {
    this.#sql.attachRequest.run(requestId, shortCode, this.#now().toISOString(), saleId);
  }

  recordOutcome(saleId: string, outcome: JournalOutcome): void {
    this.#sql.recordOutcome.run(outcome, this.#now().toISOString(), saleId);
  }

  /** Adds a refund to the entry of the request it refunds (if this kiosk sold it). */
  recordRefund(requestId: string, amount: number): void {
    this.#sql.recordRefund.run(amount, amount, this.#now().toISOString(), requestId);
  }

  unfinished(): JournalEntry[] {
    return this.#sql.unfinished.all(...UNFINISHED_OUTCOMES).map(toEntry);
  }

  /**
   * A vending session's latest record replaces the one before: the last is all `recover` needs.
   * Written before the runner acts on it (spec: journal each decision first).
   */
  recordVending(record: VendingJournalRecord): void {
    const at = this.#now().toISOString();
    this.#sql.recordVending.run(record.sessionId, record.stage, JSON.stringify(record), at, at);
  }

  /** Vending sessions a restart must settle, oldest first. */
  unfinishedVending(): VendingJournalRecord[] {
    return this.#sql.unfinishedVending
      .all()
      .map((row) => JSON.parse(row.record) as VendingJournalRecord);
  }

  /** The newest entries first, sales and vending sessions together. */
  list(limit: number): JournalEntry[] {
    const sales = this.#sql.list.all(limit).map(toEntry);
    const vending = this.#sql.listVending.all(limit).map(vendingEntry);
    return [...sales, ...vending]
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, limit);
  }

  close(): void {
    this.#db.close();
  }
}

/** Each statement prepared once, when the journal opens. */
function prepareStatements(db: Database.Database) {
  const unfinishedMarks = UNFINISHED_OUTCOMES.map(() => '?').join(', ');
  return {
    open: db.prepare(
      `INSERT INTO journal_entries (sale_id, flow, amount, currency, outcome, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'pending', ?, ?)
       ON CONFLICT (sale_id) DO UPDATE SET outcome = 'pending', updated_at = excluded.updated_at
       WHERE journal_entries.outcome = 'declined'`,
    ),
    attachRequest: db.prepare(
      'UPDATE journal_entries SET request_id = ?, short_code = ?, updated_at = ? WHERE sale_id = ?',
    ),
    recordOutcome: db.prepare(
      'UPDATE journal_entries SET outcome = ?, updated_at = ? WHERE sale_id = ?',
    ),
    recordRefund: db.prepare(
      `UPDATE journal_entries
       SET refunded_amount = refunded_amount + ?,
           outcome = CASE WHEN refunded_amount + ? >= amount THEN 'refunded' ELSE outcome END,
           updated_at = ?
       WHERE request_id = ?`,
    ),
    unfinished: db.prepare<unknown[], EntryRow>(
      `SELECT * FROM journal_entries WHERE outcome IN (${unfinishedMarks}) ORDER BY created_at`,
    ),
    list: db.prepare<[number], EntryRow>(
      'SELECT * FROM journal_entries ORDER BY created_at DESC, rowid DESC LIMIT ?',
    ),
    recordVending: db.prepare(
      `INSERT INTO vending_sessions (session_id, stage, record, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (session_id) DO UPDATE
       SET stage = excluded.stage, record = excluded.record, updated_at = excluded.updated_at`,
    ),
    unfinishedVending: db.prepare<[], VendingRow>(
      `SELECT record, created_at, updated_at FROM vending_sessions
       WHERE stage <> 'settled' ORDER BY created_at, rowid`,
    ),
    listVending: db.prepare<[number], VendingRow>(
      `SELECT record, created_at, updated_at FROM vending_sessions
       ORDER BY created_at DESC, rowid DESC LIMIT ?`,
    ),
  };
}

/**
 * A vending session as the journal screen lists it: the price charged once vended, otherwise the
 * credit that was asked for and given back. A session still settling is pending.
 */
function vendingEntry(row: VendingRow): JournalEntry {
  const record = JSON.parse(row.record) as VendingJournalRecord;
  const charged = record.reason === 'vended' ? record.vend?.priceMinor : undefined;
  const outcome: JournalOutcome =
    record.stage !== 'settled' ? 'pending' : charged !== undefined ? 'paid' : 'cancelled';
  return {
    saleId: record.sessionId,
    flow: 'vending',
    requestId: record.requestId,
    shortCode: record.shortCode,
    amount: charged ?? record.creditMinor,
    currency: record.currency,
    outcome,
    refundedAmount: 0,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toEntry(row: EntryRow): JournalEntry {
  return {
    saleId: row.sale_id,
    flow: row.flow,
    requestId: row.request_id,
    shortCode: row.short_code,
    amount: row.amount,
    currency: row.currency,
    outcome: row.outcome,
    refundedAmount: row.refunded_amount,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
