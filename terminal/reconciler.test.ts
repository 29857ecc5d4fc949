// reconcileJournal with a scripted payment API and a real journal on a temporary SQLite file:
// how each unfinished entry is finished (or left for the next round), and what it costs in calls.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JournalEntry, JournalOutcome } from './contract/replies.ts';
import { recordingLogger } from './api/testing/log-recorder.ts';
import { activityModel, paymentRequestModel } from './api/testing/models.ts';
import { outcomeUnknown, refused, ScriptedPaymentApi } from './api/testing/scripted-payment-api.ts';
import type { PaymentRequest, PaymentRequestStatus } from './api/wire.ts';
import { Journal } from './journal.ts';
import { nothingLeftToVoid, reconcileJournal } from './reconciler.ts';

const START = Date.UTC(2026, 10, 25, 9, 0, 0);

const request = (id: string, status: PaymentRequestStatus): PaymentRequest =>
  paymentRequestModel({ id, shortCode: `CP-${id.toUpperCase()}`, status });

describe('reconcileJournal', () => {
  let dir: string;
  let journal: Journal;
  let api: ScriptedPaymentApi;
  let log: ReturnType<typeof recordingLogger>;
  let offset: number;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-reconciler-'));
    offset = 0;
    // Each write a second later, so entries keep the order they were opened in.
    journal = new Journal(join(dir, 'journal.sqlite'), () => new Date(START + offset++ * 1_000));
    api = new ScriptedPaymentApi();
    log = recordingLogger();
  });

  afterEach(() => {
    journal.close();
    rmSync(dir, { recursive: true, force: true });
    expect(api.unscripted).toEqual([]);
    expect(api.leftover).toEqual({});
  });

  /** An entry as a sale left it: opened, maybe with its request, with this outcome. */
  function leave(saleId: string, outcome: JournalOutcome, requestId?: string): void {
    journal.open({ saleId, flow: 'qr', amount: 300, currency: 'NZD' });
    if (requestId) journal.attachRequest(saleId, requestId, `CP-${requestId.toUpperCase()}`);
    journal.recordOutcome(saleId, outcome);
  }

  const entry = (saleId: string): JournalEntry | undefined =>
    journal.list(100).find((each) => each.saleId === saleId);
  const unfinishedIds = () => journal.unfinished().map((each) => each.saleId);
  const reconcile = (activeSaleId: string | null = null) =>
    reconcileJournal(journal, api, log.logger, activeSaleId);

  it('an entry with no request under its externalRef is cancelled: the create never arrived', async () => {
    leave('s1', 'pending');
    api.script('listByExternalRef', []);

    expect(await reconcile()).toEqual({ finished: 1, deferred: 0, failed: 0 });

    expect(api.calls).toEqual([{ method: 'listByExternalRef', args: ['s1'] }]);
    expect(entry('s1')).toMatchObject({ requestId: null, outcome: 'cancelled' });
  });

  it('pending + request still new: voided, cancelled', async () => {
    leave('s1', 'pending', 'pr_1');
    api
      .script('getPaymentRequest', request('pr_1', 'new'))
      .script('void', activityModel({ type: 'cancellation' }));

    expect(await reconcile()).toEqual({ finished: 1, deferred: 0, failed: 0 });

    expect(api.callsTo('getPaymentRequest')).toEqual([['pr_1']]);
    expect(api.callsTo('void')).toEqual([['pr_1', expect.any(String)]]);
    expect(entry('s1')?.outcome).toBe('cancelled');
    expect(unfinishedIds()).toEqual([]);
  });

  it('pending + request paid: recorded as paid, not voided', async () => {
    leave('s1', 'pending', 'pr_1');
    api.script('getPaymentRequest', request('pr_1', 'paid'));

    expect(await reconcile()).toEqual({ finished: 1, deferred: 0, failed: 0 });

    expect(api.callsTo('void')).toEqual([]);
    expect(entry('s1')?.outcome).toBe('paid');
  });

  it.each([
    ['expired', 'expired'],
    ['cancelled', 'cancelled'],
  ] as const)('pending + request %s: recorded as %s, nothing voided', async (status, outcome) => {
    leave('s1', 'pending', 'pr_1');
    api.script('getPaymentRequest', request('pr_1', status));

    await reconcile();

    expect(api.callsTo('void')).toEqual([]);
    expect(entry('s1')?.outcome).toBe(outcome);
  });

  it('pending without a request id: the one found by externalRef is attached and decides', async () => {
    leave('s1', 'pending');
    api.script('listByExternalRef', [request('pr_1', 'paid')]);

    await reconcile();

    expect(api.callsTo('listByExternalRef')).toEqual([['s1']]);
    expect(entry('s1')).toMatchObject({
      requestId: 'pr_1',
      shortCode: 'CP-PR_1',
      outcome: 'paid',
    });
  });

  it('void-pending + request paid: voided anyway (a full refund), cancelled', async () => {
    leave('s1', 'void-pending', 'pr_1');
    api
      .script('getPaymentRequest', request('pr_1', 'paid'))
      .script('void', activityModel({ type: 'refund' }));

    expect(await reconcile()).toEqual({ finished: 1, deferred: 0, failed: 0 });

    expect(api.callsTo('void')).toEqual([['pr_1', expect.any(String)]]);
    expect(entry('s1')?.outcome).toBe('cancelled');
  });

  it('void-pending + request already cancelled: nothing to void, cancelled', async () => {
    leave('s1', 'void-pending', 'pr_1');
    api.script('getPaymentRequest', request('pr_1', 'cancelled'));

    await reconcile();

    expect(api.callsTo('void')).toEqual([]);
    expect(entry('s1')?.outcome).toBe('cancelled');
  });

  it('void-pending without a request id: every open request under the externalRef is voided', async () => {
    leave('s1', 'void-pending');
    api
      .script('listByExternalRef', [
        request('pr_a', 'new'),
        request('pr_b', 'expired'),
        request('pr_c', 'paid'),
      ])
      .script('void', activityModel({ type: 'cancellation' }), activityModel({ type: 'refund' }));

    await reconcile();

    expect(api.callsTo('void').map(([id]) => id)).toEqual(['pr_a', 'pr_c']);
    expect(entry('s1')).toMatchObject({ requestId: 'pr_a', outcome: 'cancelled' });
  });

  it.each(['REQUEST_EXPIRED', 'ALREADY_REFUNDED'])(
    'a void refused with %s leaves nothing open: cancelled',
    async (code) => {
      leave('s1', 'void-pending', 'pr_1');
      api.script('getPaymentRequest', request('pr_1', 'paid')).script('void', refused(code));

      expect(await reconcile()).toEqual({ finished: 1, deferred: 0, failed: 0 });

      expect(entry('s1')?.outcome).toBe('cancelled');
    },
  );

  it('pending + new, void refused with REQUEST_EXPIRED (expired meanwhile): cancelled', async () => {
    leave('s1', 'pending', 'pr_1');
    api
      .script('getPaymentRequest', request('pr_1', 'new'))
      .script('void', refused('REQUEST_EXPIRED'));

    await reconcile();

    expect(entry('s1')?.outcome).toBe('cancelled');
  });

  it('no answer from the payment API: deferred, the entry stays unfinished as it was', async () => {
    leave('s1', 'pending', 'pr_1');
    leave('s2', 'void-pending', 'pr_2');
    api
      .script('getPaymentRequest', outcomeUnknown(), request('pr_2', 'new'))
      .script('void', outcomeUnknown());

    expect(await reconcile()).toEqual({ finished: 0, deferred: 2, failed: 0 });

    expect(entry('s1')?.outcome).toBe('pending');
    expect(entry('s2')?.outcome).toBe('void-pending');
    expect(unfinishedIds()).toEqual(['s1', 's2']);
  });

  it('a refusal for good: failed, the entry stays unfinished for staff and the next round', async () => {
    leave('s1', 'void-pending', 'pr_1');
    api
      .script('getPaymentRequest', request('pr_1', 'paid'))
      .script('void', refused('VOID_WINDOW_EXCEEDED'));

    expect(await reconcile()).toEqual({ finished: 0, deferred: 0, failed: 1 });

    expect(entry('s1')?.outcome).toBe('void-pending');
    expect(unfinishedIds()).toEqual(['s1']);
    expect(log.entries()).toContainEqual(
      expect.objectContaining({
        saleId: 's1',
        code: 'VOID_WINDOW_EXCEEDED',
        msg: 'journal entry cannot be finished',
      }),
    );
  });

  it('skips the sale on screen and finished entries; finishes the rest', async () => {
    leave('done', 'paid', 'pr_0');
    leave('active', 'pending', 'pr_active');
    leave('left', 'pending', 'pr_left');
    api.script('getPaymentRequest', request('pr_left', 'expired'));

    expect(await reconcile('active')).toEqual({ finished: 1, deferred: 0, failed: 0 });

    expect(api.calls).toEqual([{ method: 'getPaymentRequest', args: ['pr_left'] }]);
    expect(entry('active')?.outcome).toBe('pending');
    expect(entry('left')?.outcome).toBe('expired');
    expect(unfinishedIds()).toEqual(['active']);
  });

  it('a second round has nothing left to do', async () => {
    leave('s1', 'pending', 'pr_1');
    api.script('getPaymentRequest', request('pr_1', 'paid'));
    await reconcile();

    expect(await reconcile()).toEqual({ finished: 0, deferred: 0, failed: 0 });
    expect(api.calls).toHaveLength(1);
  });

  // One entry whose call fails unexpectedly (a client bug, a reply that breaks a parser) must
  // not stop the round: unfinished() returns it first every time.
  it('an unexpected error on one entry does not stop the others', async () => {
    leave('s1', 'pending', 'pr_1');
    leave('s2', 'pending', 'pr_2');
    api
      .script('getPaymentRequest', new Error('a bug in the client'))
      .script('getPaymentRequest', request('pr_2', 'paid'));

    expect(await reconcile()).toEqual({ finished: 1, deferred: 1, failed: 0 });
    expect(entry('s2')?.outcome).toBe('paid');
    expect(unfinishedIds()).toEqual(['s1']);
  });
});

describe('nothingLeftToVoid', () => {
  it.each([
    ['REQUEST_EXPIRED', true],
    ['ALREADY_REFUNDED', true],
    ['VOID_WINDOW_EXCEEDED', false],
    ['FORBIDDEN', false],
  ])('%s → %s', (code, expected) => {
    expect(nothingLeftToVoid(refused(code))).toBe(expected);
  });

  it('an unknown outcome or a plain error is not "nothing left"', () => {
    expect(nothingLeftToVoid(outcomeUnknown())).toBe(false);
    expect(nothingLeftToVoid(new Error('REQUEST_EXPIRED'))).toBe(false);
  });
});
