// RefundRunner with a scripted payment API and a real journal on a temporary SQLite file: looking
// a receipt's short code up, refunding, and trying again after an unknown outcome without ever
// refunding twice. No timers are involved; `settle()` lets the scripted answers arrive.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RefundState, RefundTarget } from './contract/state.ts';
import { recordingLogger } from './api/testing/log-recorder.ts';
import { activityModel, paymentRequestModel } from './api/testing/models.ts';
import { outcomeUnknown, refused, ScriptedPaymentApi } from './api/testing/scripted-payment-api.ts';
import type { PaymentRequest } from './api/wire.ts';
import { OUTCOME_UNKNOWN } from './flows/refund-flow.ts';
import { Journal } from './journal.ts';
import { RefundRunner } from './refund-runner.ts';

const SHORT_CODE = 'CP-C7F-ZS5';

const paidRequest = (overrides: Partial<PaymentRequest> = {}): PaymentRequest =>
  paymentRequestModel({
    id: 'pr_1',
    shortCode: SHORT_CODE,
    status: 'paid',
    value: { amount: '1250', currency: 'NZD' },
    createdAt: '2026-11-25T09:00:00.000Z',
    ...overrides,
  });

const TARGET: RefundTarget = {
  id: 'pr_1',
  shortCode: SHORT_CODE,
  status: 'paid',
  paidAmount: 1250,
  refundedAmount: 0,
  currency: 'NZD',
  createdAt: '2026-11-25T09:00:00.000Z',
};

/** One macrotask: every scripted answer already due has arrived, and any stray rejection fired. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('RefundRunner', () => {
  let dir: string;
  let journal: Journal;
  let api: ScriptedPaymentApi;
  let states: RefundState[];
  let runner: RefundRunner;
  /** Rejections nobody handled; a listener of ours also keeps vitest from failing the file. */
  let escaped: unknown[];
  const onRejection = (reason: unknown) => void escaped.push(reason);

  beforeEach(() => {
    escaped = [];
    process.on('unhandledRejection', onRejection);
    dir = mkdtempSync(join(tmpdir(), 'kiosk-refund-runner-'));
    journal = new Journal(join(dir, 'journal.sqlite'));
    api = new ScriptedPaymentApi();
    states = [];
    runner = new RefundRunner({
      api: () => api,
      journal,
      logger: recordingLogger().logger,
      onChange: (state) => states.push(state),
    });
  });

  afterEach(async () => {
    await settle();
    process.off('unhandledRejection', onRejection);
    journal.close();
    rmSync(dir, { recursive: true, force: true });
    expect(escaped).toEqual([]);
    expect(api.unscripted).toEqual([]);
  });

  /** Looks SHORT_CODE up and waits until it is found. */
  async function found(request = paidRequest()): Promise<void> {
    api.script('getByShortCode', request).script('listActivities', []);
    runner.dispatch({ type: 'lookupRequested', shortCode: SHORT_CODE });
    await settle();
    expect(runner.state.phase).toBe('found');
  }

  /** A sale this kiosk made and was paid for: the journal entry a refund updates. */
  function journalPaidSale(): void {
    journal.open({ saleId: 's1', flow: 'qr', amount: 1250, currency: 'NZD' });
    journal.attachRequest('s1', 'pr_1', SHORT_CODE);
    journal.recordOutcome('s1', 'paid');
  }

  describe('lookup', () => {
    it('finds the request: paid amount from its value, refunded sum from its refund activities', async () => {
      api
        .script('getByShortCode', paidRequest())
        .script('listActivities', [
          activityModel({ id: 'a1', type: 'payment', value: { amount: '1250', currency: 'NZD' } }),
          activityModel({ id: 'a2', type: 'refund', value: { amount: '200', currency: 'NZD' } }),
          activityModel({ id: 'a3', type: 'refund', value: { amount: '50', currency: 'NZD' } }),
        ]);

      runner.dispatch({ type: 'lookupRequested', shortCode: '  cp-c7f-zs5 ' });
      expect(runner.state).toEqual({ phase: 'lookingUp', shortCode: '  cp-c7f-zs5 ' });
      await settle();

      expect(api.callsTo('getByShortCode')).toEqual([[SHORT_CODE]]);
      expect(api.callsTo('listActivities')).toEqual([['pr_1']]);
      expect(runner.state).toEqual({
        phase: 'found',
        target: { ...TARGET, refundedAmount: 250 },
      });
    });

    it('an unpaid request has nothing to refund', async () => {
      await found(paidRequest({ status: 'new' }));
      expect(runner.state).toMatchObject({
        target: { status: 'new', paidAmount: 0, refundedAmount: 0 },
      });
    });

    it.each([
      ['CHECKSUM_FAILED', 400, 'checksum'],
      ['FORBIDDEN', 403, 'unknown'],
    ] as const)('a lookup refused with %s (%i) is notFound: %s', async (code, status, reason) => {
      api.script('getByShortCode', refused(code, status));
      runner.dispatch({ type: 'lookupRequested', shortCode: SHORT_CODE });
      await settle();

      expect(runner.state).toEqual({ phase: 'notFound', shortCode: SHORT_CODE, reason });
      expect(api.callsTo('listActivities')).toEqual([]);
    });

    it('a lookup without an answer is notFound: unreachable', async () => {
      api.script('getByShortCode', outcomeUnknown());
      runner.dispatch({ type: 'lookupRequested', shortCode: SHORT_CODE });
      await settle();

      expect(runner.state).toEqual({
        phase: 'notFound',
        shortCode: SHORT_CODE,
        reason: 'unreachable',
      });
    });

    it('activities that cannot be read make the lookup unreachable too', async () => {
      api.script('getByShortCode', paidRequest()).script('listActivities', outcomeUnknown());
      runner.dispatch({ type: 'lookupRequested', shortCode: SHORT_CODE });
      await settle();

      expect(runner.state).toMatchObject({ phase: 'notFound', reason: 'unreachable' });
    });

    it('a lookup answered after the screen was dismissed is ignored', async () => {
      const held = api.hold('getByShortCode');
      runner.dispatch({ type: 'lookupRequested', shortCode: SHORT_CODE });
      runner.dispatch({ type: 'dismissed' });

      api.script('listActivities', []);
      held.release(paidRequest());
      await settle();

      expect(runner.state).toEqual({ phase: 'idle' });
    });

    // A reply that passes wire-checks.ts but is not integer minor units (e.g. '12.50') must not
    // escape as an unhandled rejection: the spec counts a malformed body as an unknown outcome.
    it('a reply that cannot be read is notFound unreachable, not an escaped rejection', async () => {
      api
        .script('getByShortCode', paidRequest())
        .script('listActivities', [
          activityModel({ type: 'refund', value: { amount: '12.50', currency: 'NZD' } }),
        ]);
      runner.dispatch({ type: 'lookupRequested', shortCode: SHORT_CODE });
      await settle();

      const stray = escaped.splice(0);
      expect(runner.state).toMatchObject({ phase: 'notFound', reason: 'unreachable' });
      expect(stray).toEqual([]);
    });
  });

  describe('refund', () => {
    it('refunds the amount with the reference as externalRef and adds it to the journal', async () => {
      journalPaidSale();
      await found();
      api.script('refund', activityModel({ type: 'refund' }));

      runner.dispatch({ type: 'refundRequested', amount: 500, newReference: 'ref-1' });
      expect(runner.state).toMatchObject({ phase: 'refunding', amount: 500, reference: 'ref-1' });
      await settle();

      expect(api.callsTo('refund')).toEqual([
        ['pr_1', { value: { amount: '500', currency: 'NZD' }, externalRef: 'ref-1' }],
      ]);
      expect(runner.state).toEqual({
        phase: 'refunded',
        target: TARGET,
        amount: 500,
        reference: 'ref-1',
      });
      expect(journal.list(1)[0]).toMatchObject({ refundedAmount: 500, outcome: 'paid' });
    });

    it('a refund of the whole amount marks the journal entry refunded', async () => {
      journalPaidSale();
      await found();
      api.script('refund', activityModel({ type: 'refund' }));

      runner.dispatch({ type: 'refundRequested', amount: 1250, newReference: 'ref-1' });
      await settle();

      expect(journal.list(1)[0]).toMatchObject({ refundedAmount: 1250, outcome: 'refunded' });
    });

    it('a refused refund is refundDeclined with the code; the journal is unchanged', async () => {
      journalPaidSale();
      await found();
      api.script('refund', refused('REFUND_WINDOW_EXCEEDED'));

      runner.dispatch({ type: 'refundRequested', amount: 500, newReference: 'ref-1' });
      await settle();

      expect(runner.state).toEqual({
        phase: 'refundDeclined',
        target: TARGET,
        amount: 500,
        reference: 'ref-1',
        code: 'REFUND_WINDOW_EXCEEDED',
      });
      expect(journal.list(1)[0]).toMatchObject({ refundedAmount: 0, outcome: 'paid' });
    });

    it('after an unknown outcome the same amount is sent again with the SAME externalRef', async () => {
      journalPaidSale();
      await found();
      api.script('refund', outcomeUnknown(), activityModel({ type: 'refund' }));

      runner.dispatch({ type: 'refundRequested', amount: 500, newReference: 'ref-1' });
      await settle();
      expect(runner.state).toMatchObject({ phase: 'refundDeclined', code: OUTCOME_UNKNOWN });
      expect(journal.list(1)[0]?.refundedAmount).toBe(0);

      runner.dispatch({ type: 'refundRequested', amount: 500, newReference: 'ref-2' });
      await settle();

      expect(api.callsTo('refund').map(([, body]) => body.externalRef)).toEqual(['ref-1', 'ref-1']);
      expect(runner.state).toMatchObject({ phase: 'refunded', reference: 'ref-1' });
      expect(journal.list(1)[0]?.refundedAmount).toBe(500);
    });

    it('after an unknown outcome another amount is a new refund with a new reference', async () => {
      await found();
      api.script('refund', outcomeUnknown(), activityModel({ type: 'refund' }));

      runner.dispatch({ type: 'refundRequested', amount: 500, newReference: 'ref-1' });
      await settle();
      runner.dispatch({ type: 'refundRequested', amount: 400, newReference: 'ref-2' });
      await settle();

      expect(
        api.callsTo('refund').map(([, body]) => [body.value.amount, body.externalRef]),
      ).toEqual([
        ['500', 'ref-1'],
        ['400', 'ref-2'],
      ]);
    });

    it('after a refusal the same amount is a new refund with a new reference', async () => {
      await found();
      api.script('refund', refused('INVALID_AMOUNT'), activityModel({ type: 'refund' }));

      runner.dispatch({ type: 'refundRequested', amount: 500, newReference: 'ref-1' });
      await settle();
      runner.dispatch({ type: 'refundRequested', amount: 500, newReference: 'ref-2' });
      await settle();

      expect(api.callsTo('refund').map(([, body]) => body.externalRef)).toEqual(['ref-1', 'ref-2']);
    });

    // An unexpected error while refunding must not leave the screen stuck in 'refunding'.
    it('an unexpected error while refunding is an unknown outcome, not an escaped rejection', async () => {
      await found();
      api.script('refund', new Error('a bug in the client'));

      runner.dispatch({ type: 'refundRequested', amount: 500, newReference: 'ref-1' });
      await settle();

      const stray = escaped.splice(0);
      expect(runner.state).toMatchObject({ phase: 'refundDeclined', code: OUTCOME_UNKNOWN });
      expect(stray).toEqual([]);
    });
  });
});
