// The kiosk's journal on a real SQLite file in a temporary directory: what it keeps, what it
// reports as unfinished, and that a closed file opened again still holds every entry.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JournalEntry } from './contract/replies.ts';
import { Journal, UNFINISHED_OUTCOMES, type NewJournalEntry } from './journal.ts';

const START = Date.UTC(2026, 10, 25, 9, 0, 0);
const iso = (offsetMs: number) => new Date(START + offsetMs).toISOString();

describe('Journal', () => {
  let dir: string;
  let file: string;
  let offset: number;
  const clock = () => new Date(START + offset);
  let journal: Journal;
  const opened: Journal[] = [];

  function openJournal(): Journal {
    const next = new Journal(file, clock);
    opened.push(next);
    return next;
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-journal-'));
    file = join(dir, 'journal.sqlite');
    offset = 0;
    journal = openJournal();
  });

  afterEach(() => {
    for (const each of opened.splice(0)) {
      try {
        each.close();
      } catch {
        // already closed by the test
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const sale = (saleId: string, flow: NewJournalEntry['flow'] = 'qr'): NewJournalEntry => ({
    saleId,
    flow,
    amount: 1_250,
    currency: 'NZD',
  });

  const entry = (overrides: Partial<JournalEntry> & { saleId: string }): JournalEntry => ({
    flow: 'qr',
    requestId: null,
    shortCode: null,
    amount: 1_250,
    currency: 'NZD',
    outcome: 'pending',
    refundedAmount: 0,
    createdAt: iso(0),
    updatedAt: iso(0),
    ...overrides,
  });

  it('keeps pending and void-pending as the unfinished outcomes', () => {
    expect([...UNFINISHED_OUTCOMES].sort()).toEqual(['pending', 'void-pending']);
  });

  it('opens an entry as pending, before any request exists', () => {
    journal.open(sale('s1', 'voucher'));
    expect(journal.list(10)).toEqual([entry({ saleId: 's1', flow: 'voucher' })]);
    expect(journal.unfinished()).toEqual([entry({ saleId: 's1', flow: 'voucher' })]);
  });

  it('attaches the request id and short code, and records outcomes with their time', () => {
    journal.open(sale('s1'));
    offset = 1_000;
    journal.attachRequest('s1', 'pr_1', 'CP-C7F-ZS5');
    expect(journal.list(1)).toEqual([
      entry({ saleId: 's1', requestId: 'pr_1', shortCode: 'CP-C7F-ZS5', updatedAt: iso(1_000) }),
    ]);
    offset = 2_000;
    journal.recordOutcome('s1', 'paid');
    expect(journal.list(1)).toEqual([
      entry({
        saleId: 's1',
        requestId: 'pr_1',
        shortCode: 'CP-C7F-ZS5',
        outcome: 'paid',
        updatedAt: iso(2_000),
      }),
    ]);
    expect(journal.unfinished()).toEqual([]);
  });

  it('refuses an amount that is not positive', () => {
    expect(() => journal.open({ ...sale('s0'), amount: 0 })).toThrow(/CHECK constraint/);
    expect(journal.list(10)).toEqual([]);
  });

  it('lists unfinished entries (pending, void-pending) oldest first', () => {
    const outcomes = ['void-pending', 'paid', 'pending', 'cancelled', 'expired', 'declined'];
    outcomes.forEach((outcome, index) => {
      offset = index * 1_000;
      journal.open(sale(`s${index}`));
      journal.recordOutcome(`s${index}`, outcome as JournalEntry['outcome']);
    });
    expect(journal.unfinished().map((each) => [each.saleId, each.outcome])).toEqual([
      ['s0', 'void-pending'],
      ['s2', 'pending'],
    ]);
  });

  it('lists the newest entries first, up to the limit', () => {
    for (const [index, saleId] of ['a', 'b', 'c', 'd'].entries()) {
      offset = index * 1_000;
      journal.open(sale(saleId));
    }
    expect(journal.list(3).map((each) => each.saleId)).toEqual(['d', 'c', 'b']);
    expect(journal.list(10).map((each) => each.saleId)).toEqual(['d', 'c', 'b', 'a']);
  });

  it('orders entries made in the same millisecond by when they were written', () => {
    journal.open(sale('first'));
    journal.open(sale('second'));
    expect(journal.list(2).map((each) => each.saleId)).toEqual(['second', 'first']);
  });

  it('adds refunds to the entry of the refunded request; a full refund marks it refunded', () => {
    journal.open(sale('s1'));
    journal.attachRequest('s1', 'pr_1', 'CP-C7F-ZS5');
    journal.recordOutcome('s1', 'paid');
    journal.open(sale('s2'));
    journal.attachRequest('s2', 'pr_2', 'CP-OTH-ER2');
    journal.recordOutcome('s2', 'paid');

    offset = 5_000;
    journal.recordRefund('pr_1', 500);
    const partly = journal.list(10).find((each) => each.saleId === 's1');
    expect(partly).toMatchObject({ outcome: 'paid', refundedAmount: 500, updatedAt: iso(5_000) });

    journal.recordRefund('pr_1', 750);
    const fully = journal.list(10).find((each) => each.saleId === 's1');
    expect(fully).toMatchObject({ outcome: 'refunded', refundedAmount: 1_250 });

    // The other sale, and a refund of a request this kiosk did not sell, change nothing.
    journal.recordRefund('pr_elsewhere', 100);
    expect(journal.list(10).find((each) => each.saleId === 's2')).toEqual(
      entry({
        saleId: 's2',
        requestId: 'pr_2',
        shortCode: 'CP-OTH-ER2',
        outcome: 'paid',
      }),
    );
  });

  it('reopens the same entry on a second open for the same sale', () => {
    journal.open(sale('s1', 'barcode'));
    offset = 1_000;
    journal.recordOutcome('s1', 'declined');
    expect(journal.unfinished()).toEqual([]);

    offset = 2_000;
    journal.open(sale('s1', 'barcode'));
    expect(journal.list(10)).toEqual([
      entry({ saleId: 's1', flow: 'barcode', outcome: 'pending', updatedAt: iso(2_000) }),
    ]);
    expect(journal.unfinished().map((each) => each.saleId)).toEqual(['s1']);

    offset = 3_000;
    journal.attachRequest('s1', 'pr_2', 'CP-SEC-ND2');
    journal.recordOutcome('s1', 'paid');
    expect(journal.list(10)).toEqual([
      entry({
        saleId: 's1',
        flow: 'barcode',
        requestId: 'pr_2',
        shortCode: 'CP-SEC-ND2',
        outcome: 'paid',
        updatedAt: iso(3_000),
      }),
    ]);
  });

  it('a closed file opened again still holds every entry and what is unfinished', () => {
    journal.open(sale('s1'));
    journal.attachRequest('s1', 'pr_1', 'CP-C7F-ZS5');
    journal.recordOutcome('s1', 'paid');
    offset = 1_000;
    journal.open(sale('s2', 'voucher'));
    journal.attachRequest('s2', 'pr_2', 'CP-VOI-D02');
    journal.recordOutcome('s2', 'void-pending');
    const before = journal.list(10);
    journal.close();

    const reopened = openJournal();
    expect(reopened.list(10)).toEqual(before);
    expect(reopened.unfinished()).toEqual([
      entry({
        saleId: 's2',
        flow: 'voucher',
        requestId: 'pr_2',
        shortCode: 'CP-VOI-D02',
        outcome: 'void-pending',
        createdAt: iso(1_000),
        updatedAt: iso(1_000),
      }),
    ]);

    // And it keeps working: the reconciler finishes the void.
    offset = 9_000;
    reopened.recordOutcome('s2', 'cancelled');
    expect(reopened.unfinished()).toEqual([]);
  });

  it('each write is committed at once: a second connection sees it before the first closes', () => {
    journal.open(sale('s1'));
    journal.attachRequest('s1', 'pr_1', 'CP-C7F-ZS5');
    const other = openJournal();
    expect(other.unfinished()).toEqual([
      entry({ saleId: 's1', requestId: 'pr_1', shortCode: 'CP-C7F-ZS5' }),
    ]);
  });
});
