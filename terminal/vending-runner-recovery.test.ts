// VendingRunner below the UI, on its error paths (part 2: restarts, late answers, close()). Same
// bench as vending-runner.test.ts (testing/vending-runner-harness.ts): scripted payment API, fake
// cashless reader, real journal on a temporary SQLite file, fake timers.
import { beforeEach, describe, expect, it } from 'vitest';
import { activityModel } from './api/testing/models.ts';
import { outcomeUnknown, type ScriptedPaymentApi } from './api/testing/scripted-payment-api.ts';
import type { FakeCashlessReader } from './devices/testing/fake-cashless-reader.ts';
import {
  GIVE_UP_AFTER_EXPIRY_MS,
  MONEY_RETRY_DELAYS_MS,
  RESULT_SHOWN_MS,
  SELECTION_LIMIT_MS,
} from './flows/vending-flow.ts';
import type { Journal } from './journal.ts';
import {
  EXPIRES_AT,
  iso,
  leftRecord,
  MAX,
  PAY_MAX,
  PRE_AUTH,
  paidModel,
  requestModel,
  settle,
  useVendingRunner,
  wait,
  type VendingBench,
} from './testing/vending-runner-harness.ts';
import type { VendingRunner } from './vending-runner.ts';

describe('VendingRunner: restarts, late answers, close()', () => {
  const bench = useVendingRunner();
  const { stored, view, methods, warnings, visitCreated, choosing, vended } = bench;
  let api: ScriptedPaymentApi;
  let reader: FakeCashlessReader;
  let journal: Journal;
  let runner: VendingRunner;
  beforeEach(() => {
    ({ api, reader, journal } = bench);
  });
  const start = (...args: Parameters<VendingBench['start']>) => (runner = bench.start(...args));

  describe('after a restart', () => {
    it('an approved vend with no result: the session is ended and everything released, nothing charged', async () => {
      journal.recordVending(
        leftRecord({
          stage: 'vending',
          vend: { priceMinor: 300, item: 12, decision: 'approved', result: null },
        }),
      );
      api.script('release', activityModel({ type: 'release' }));
      start();
      await settle();
      expect(reader.commands).toEqual(['endSession']);
      expect(methods()).toEqual(['release']);
      expect(api.callsTo('release')).toEqual([['pr_1', 'sess-old:release']]);
      expect(stored('sess-old')).toMatchObject({
        stage: 'settled',
        reason: 'restarted',
        vend: { result: 'failed', failure: 'noResult' },
        money: [{ status: 'done' }],
      });
      expect(journal.list(10)).toMatchObject([{ outcome: 'cancelled', amount: MAX }]);
    });

    it('the same without pre-auth: voided in full', async () => {
      journal.recordVending(leftRecord({ preAuth: false, stage: 'paid' }));
      api.script('void', activityModel({ type: 'refund' }));
      start(PAY_MAX);
      await settle();
      expect(methods()).toEqual(['void']);
      expect(api.callsTo('void')).toEqual([['pr_1', 'sess-old:void']]);
    });

    it('a recorded vend success with the confirm pending: confirmed again with its reference, then released', async () => {
      journal.recordVending(
        leftRecord({
          stage: 'settling',
          reason: 'vended',
          vend: { priceMinor: 300, item: 12, decision: 'approved', result: 'succeeded' },
          money: [
            {
              step: { kind: 'confirm', amountMinor: 300, item: 12, reference: 'sess-old:confirm' },
              status: 'pending',
            },
            { step: { kind: 'release', reference: 'sess-old:release' }, status: 'pending' },
          ],
        }),
      );
      api.script('confirm', activityModel({ type: 'confirmation' }));
      api.script('release', activityModel({ type: 'release' }));
      start();
      await settle();
      expect(methods()).toEqual(['confirm', 'release']);
      expect(api.callsTo('confirm')).toEqual([
        [
          'pr_1',
          expect.objectContaining({
            value: { amount: '300', currency: 'NZD' },
            idempotencyKey: 'sess-old:confirm',
          }),
        ],
      ]);
      expect(stored('sess-old')).toMatchObject({ stage: 'settled', reason: 'vended' });
      expect(journal.list(10)).toMatchObject([{ outcome: 'paid', amount: 300 }]);
    });

    it('a step done before the crash is not repeated', async () => {
      journal.recordVending(
        leftRecord({
          stage: 'settling',
          reason: 'vended',
          vend: { priceMinor: 300, item: 12, decision: 'approved', result: 'succeeded' },
          money: [
            {
              step: { kind: 'confirm', amountMinor: 300, item: 12, reference: 'sess-old:confirm' },
              status: 'done',
            },
            { step: { kind: 'release', reference: 'sess-old:release' }, status: 'pending' },
          ],
        }),
      );
      api.script('release', activityModel({ type: 'release' }));
      start();
      await settle();
      expect(methods()).toEqual(['release']);
    });

    it('a create whose answer was lost: found by externalRef and released', async () => {
      journal.recordVending(leftRecord({ stage: 'creating', requestId: null, shortCode: null }));
      api.script('listByExternalRef', [requestModel()]);
      api.script('release', activityModel({ type: 'release' }));
      start();
      await settle();
      expect(reader.commands).toEqual([]);
      expect(api.callsTo('listByExternalRef')).toEqual([['sess-old']]);
      expect(api.callsTo('release')).toEqual([['pr_1', 'sess-old:release']]);
    });

    it('nothing unfinished: no call at all', async () => {
      journal.recordVending(leftRecord({ stage: 'settled', reason: 'vended' }));
      start();
      await settle();
      runner.reconcile();
      await settle();
      expect(api.calls).toEqual([]);
      expect(reader.commands).toEqual([]);
      expect(view().phase).toBe('idle');
    });
  });

  describe('late answers and refused notifications', () => {
    it('a last look answered after its session ended changes nothing, even in the same phase', async () => {
      start();
      const first = await visitCreated();
      const oldLook = api.hold('getPaymentRequest');
      api.script('release', activityModel({ type: 'release' }));
      await wait(EXPIRES_AT + GIVE_UP_AFTER_EXPIRY_MS - Date.now());
      runner.dispatch({ type: 'cancelPressed' });
      await settle();
      await wait(RESULT_SHOWN_MS);
      const secondExpiry = Date.now() + 120_000;
      const second = await visitCreated(
        requestModel({
          id: 'pr_2',
          url: 'http://kiosk.test/pay/pr_2',
          expiresAt: iso(secondExpiry),
        }),
      );
      const newLook = api.hold('getPaymentRequest');
      await wait(secondExpiry + GIVE_UP_AFTER_EXPIRY_MS - Date.now());
      expect(runner.state.phase).toBe('checking');
      const before = stored(first);

      // The first session's request was paid after all: the answer belongs to nobody now.
      oldLook.release(paidModel(PRE_AUTH));
      await settle();
      expect(reader.commands).toEqual([]);
      expect(runner.state.phase).toBe('checking');
      expect(stored(first)).toEqual(before);
      expect(stored(first)).toMatchObject({ stage: 'settled', reason: 'cancelPressed' });

      newLook.release(requestModel({ id: 'pr_2', status: 'expired' }));
      await settle();
      expect(stored(second)).toMatchObject({ stage: 'settled', reason: 'expired' });
      expect(reader.commands).toEqual([]);
      expect(methods()).toEqual([
        'createPaymentRequest',
        'getPaymentRequest',
        'release',
        'createPaymentRequest',
        'getPaymentRequest',
      ]);
      expect(api.callsTo('getPaymentRequest')).toEqual([['pr_1'], ['pr_2']]);
    });

    it('notifications the flow refuses are logged and ignored, never thrown', async () => {
      start();
      expect(() => reader.emit({ type: 'vendSucceeded', priceMinor: 300, item: 12 })).not.toThrow();
      reader.emit({ type: 'ready' });
      api.hold('createPaymentRequest');
      const visit = runner.visit();
      expect(() => reader.emit({ type: 'sessionStarted', creditMinor: MAX })).not.toThrow();
      expect(warnings('vending event ignored')).toMatchObject([
        { event: 'vendSucceeded', phase: 'idle' },
        { event: 'sessionStarted', phase: 'creating' },
      ]);
      // The driver's own business reaches nobody.
      reader.emit({ type: 'adapterIdentified', version: '4.0.2.0', cpuId: 'SIM' });
      reader.emit({ type: 'fault', reason: 'noReply', command: 'V' });
      expect(warnings('vending event ignored')).toHaveLength(2);
      expect(reader.commands).toEqual([]);
      expect(methods()).toEqual(['createPaymentRequest']);
      expect(view().phase).toBe('awaitingPayment');
      runner.close();
      await expect(visit).resolves.toEqual({ kind: 'unavailable' });
    });
  });

  describe('close()', () => {
    it('answers a waiting visitor unavailable', async () => {
      start();
      reader.emit({ type: 'ready' });
      api.hold('createPaymentRequest');
      const answer = runner.visit();
      runner.close();
      await expect(answer).resolves.toEqual({ kind: 'unavailable' });
    });

    it('an answer that arrives after close starts nothing', async () => {
      start();
      reader.emit({ type: 'ready' });
      const held = api.hold('createPaymentRequest');
      const answer = runner.visit();
      runner.close();
      await expect(answer).resolves.toEqual({ kind: 'unavailable' });
      held.release(requestModel());
      await settle();
      expect(api.watching).toEqual([]);
      await wait(EXPIRES_AT + GIVE_UP_AFTER_EXPIRY_MS - Date.now());
      expect(methods()).toEqual(['createPaymentRequest']);
    });

    it('stops the reader, the watch and every timer: time after close makes no call', async () => {
      start();
      await visitCreated();
      runner.close();
      expect(reader.listeners).toBe(0);
      expect(api.watching).toEqual([]);
      await wait(EXPIRES_AT - Date.now() + 60_000);
      expect(methods()).toEqual(['createPaymentRequest']);
    });

    it('mid session: nothing more happens; the next start settles it from the journal', async () => {
      start();
      const sessionId = await choosing(PRE_AUTH);
      api.script('confirm', outcomeUnknown());
      await vended(300, 12);
      runner.close();
      reader.emit({ type: 'vendRequested', priceMinor: 300, item: 12, creditMinor: MAX });
      await wait(SELECTION_LIMIT_MS + MONEY_RETRY_DELAYS_MS.reduce((sum, each) => sum + each, 0));
      expect(api.callsTo('confirm')).toHaveLength(1);
      expect(reader.commands).toEqual([`startSession ${MAX}`, 'approveVend 300']);
      expect(stored(sessionId)).toMatchObject({ stage: 'settling' });

      api.script('confirm', activityModel({ type: 'confirmation' }));
      api.script('release', activityModel({ type: 'release' }));
      start();
      await settle();
      const confirms = api.callsTo('confirm');
      expect(confirms).toHaveLength(2);
      expect(confirms[1]).toEqual(confirms[0]);
      expect(stored(sessionId)).toMatchObject({ stage: 'settled' });
    });
  });
});
