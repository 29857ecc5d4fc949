// VendingRunner below the UI, on its error paths (part 1: visits, money steps, timers): the pure
// vending machine (flows/vending-flow.ts) driven by a scripted payment API, a fake cashless reader
// the test plays the driver through, a real journal on a temporary SQLite file, and fake timers
// (the bench is testing/vending-runner-harness.ts). What is checked is what someone would notice:
// the money calls (ids, references, amounts), what the journal holds on disk, the screen's view()
// and the answers a visitor of the static URL gets. Restarts, late answers and close() are in
// vending-runner-recovery.test.ts; the happy paths against the real core and the VMC simulator
// are in tests/hosts/vending.test.ts.
import { beforeEach, describe, expect, it } from 'vitest';
import { activityModel } from './api/testing/models.ts';
import {
  outcomeUnknown,
  refused,
  type ScriptedPaymentApi,
} from './api/testing/scripted-payment-api.ts';
import type { FakeCashlessReader } from './devices/testing/fake-cashless-reader.ts';
import {
  GIVE_UP_AFTER_EXPIRY_MS,
  MONEY_RETRY_DELAYS_MS,
  RESULT_SHOWN_MS,
  SELECTION_LIMIT_MS,
  SESSION_START_LIMIT_MS,
  VEND_RESULT_LIMIT_MS,
} from './flows/vending-flow.ts';
import type { Journal } from './journal.ts';
import {
  EXPIRES_AT,
  MAX,
  PAY_MAX,
  PAY_URL,
  PRE_AUTH,
  paidModel,
  requestModel,
  settle,
  STATIC_URL,
  useVendingRunner,
  wait,
  type VendingBench,
} from './testing/vending-runner-harness.ts';
import { VISIT_ANSWER_LIMIT_MS, type VendingRunner } from './vending-runner.ts';

describe('VendingRunner: visits, money steps, timers', () => {
  const bench = useVendingRunner();
  const {
    stored,
    view,
    methods,
    lastCreate,
    warnings,
    visitCreated,
    choosing,
    vendApproved,
    vended,
  } = bench;
  let api: ScriptedPaymentApi;
  let reader: FakeCashlessReader;
  let journal: Journal;
  let log: VendingBench['log'];
  let runner: VendingRunner;
  beforeEach(() => {
    ({ api, reader, journal, log } = bench);
  });
  const start = (...args: Parameters<VendingBench['start']>) => (runner = bench.start(...args));

  describe('visit()', () => {
    it('idle and ready: creates the pre-auth for the maximum, keyed by the session, and answers pay', async () => {
      start();
      const sessionId = await visitCreated();

      expect(api.callsTo('createPaymentRequest')).toEqual([
        [
          {
            configId: 'mc_demo',
            value: { amount: '500', currency: 'NZD' },
            expirySeconds: 120,
            lineItems: [{ name: 'Vending machine credit', qty: '1', price: '500' }],
            externalRef: sessionId,
            terminalId: 'term-7',
            deviceId: 'SN-0042',
            preAuth: true,
            idempotencyKey: `${sessionId}:create`,
          },
        ],
      ]);
      expect(stored(sessionId)).toMatchObject({ stage: 'awaitingPayment', requestId: 'pr_1' });
      expect(api.watching).toEqual(['pr_1']);
      expect(view()).toMatchObject({
        phase: 'awaitingPayment',
        staticUrl: STATIC_URL,
        maxPrice: MAX,
        request: { id: 'pr_1', url: PAY_URL, shortCode: 'CP-C7F-ZS5' },
        outcome: null,
      });
    });

    it('without pre-auth the request asks to be paid in full', async () => {
      start(PAY_MAX);
      await visitCreated();
      expect(lastCreate().preAuth).toBe(false);
    });

    it('the reader not ready (never, or disabled since): out of service, no request', async () => {
      start();
      await expect(runner.visit()).resolves.toEqual({ kind: 'outOfService' });
      reader.emit({ type: 'ready' });
      reader.emit({ type: 'readerDisabled', status: 'disabled' });
      await expect(runner.visit()).resolves.toEqual({ kind: 'outOfService' });
      expect(api.calls).toEqual([]);
      expect(journal.unfinishedVending()).toEqual([]);
      expect(view()).toMatchObject({ phase: 'idle', readerAvailable: false });
    });

    it('a second visitor while a session runs is told busy; one request only', async () => {
      start();
      reader.emit({ type: 'ready' });
      const held = api.hold('createPaymentRequest');
      const first = runner.visit();
      await expect(runner.visit()).resolves.toEqual({ kind: 'busy' });
      held.release(requestModel());
      await settle();
      await expect(first).resolves.toEqual({ kind: 'pay', url: PAY_URL });
      api.emitChange(paidModel(PRE_AUTH));
      reader.emit({ type: 'sessionStarted', creditMinor: MAX });
      await expect(runner.visit()).resolves.toEqual({ kind: 'busy' });
      expect(methods()).toEqual(['createPaymentRequest']);
    });

    it('a create the API refuses: unavailable, journal settled as createRefused, nothing to give back', async () => {
      start();
      reader.emit({ type: 'ready' });
      api.script('createPaymentRequest', refused('INVALID_CONFIG', 400));
      const answer = runner.visit();
      await settle();
      await expect(answer).resolves.toEqual({ kind: 'unavailable' });
      const sessionId = lastCreate().externalRef!;
      expect(stored(sessionId)).toMatchObject({
        stage: 'settled',
        reason: 'createRefused',
        money: [],
      });
      expect(methods()).toEqual(['createPaymentRequest']);
      expect(view()).toMatchObject({
        phase: 'done',
        // Nothing was taken, so nothing is said to come back.
        outcome: { reason: 'createRefused', charged: 0, returned: 0 },
      });
    });

    it('no payment API configured: unavailable, settled as createRefused', async () => {
      start(PRE_AUTH, () => null);
      reader.emit({ type: 'ready' });
      await expect(runner.visit()).resolves.toEqual({ kind: 'unavailable' });
      const [entry] = journal.list(10);
      expect(entry).toMatchObject({ flow: 'vending', outcome: 'cancelled' });
      expect(stored(entry!.saleId)).toMatchObject({ stage: 'settled', reason: 'createRefused' });
    });

    it('create outcome unknown: unavailable, and the request is found by externalRef and released', async () => {
      start();
      reader.emit({ type: 'ready' });
      api.script('createPaymentRequest', outcomeUnknown());
      api.script('listByExternalRef', [requestModel()]);
      api.script('release', activityModel({ type: 'release', paymentRequestId: 'pr_1' }));
      const answer = runner.visit();
      await settle();
      await expect(answer).resolves.toEqual({ kind: 'unavailable' });
      const sessionId = lastCreate().externalRef!;
      expect(api.callsTo('listByExternalRef')).toEqual([[sessionId]]);
      expect(api.callsTo('release')).toEqual([['pr_1', `${sessionId}:release`]]);
      expect(stored(sessionId)).toMatchObject({
        stage: 'settled',
        reason: 'outcomeUnknown',
        money: [{ step: { kind: 'release' }, status: 'done' }],
      });
      expect(view().outcome).toMatchObject({
        reason: 'outcomeUnknown',
        charged: 0,
        pending: false,
      });
    });

    it('create outcome unknown without pre-auth: voided by externalRef; none found, nothing to do', async () => {
      start(PAY_MAX);
      reader.emit({ type: 'ready' });
      api.script('createPaymentRequest', outcomeUnknown(), outcomeUnknown());
      api.script('listByExternalRef', [requestModel()], []);
      api.script('void', activityModel({ type: 'cancellation' }));
      const firstVisit = runner.visit();
      await settle();
      await expect(firstVisit).resolves.toEqual({ kind: 'unavailable' });
      const first = lastCreate().externalRef!;
      expect(api.callsTo('void')).toEqual([['pr_1', `${first}:void`]]);

      await wait(RESULT_SHOWN_MS);
      const secondVisit = runner.visit();
      await settle();
      await expect(secondVisit).resolves.toEqual({ kind: 'unavailable' });
      const second = lastCreate().externalRef!;
      expect(second).not.toBe(first);
      expect(api.callsTo('void')).toHaveLength(1);
      expect(stored(second)).toMatchObject({ stage: 'settled', money: [{ status: 'done' }] });
    });

    it('a create that takes too long: the visitor is told unavailable at the limit, not before', async () => {
      start();
      reader.emit({ type: 'ready' });
      const held = api.hold('createPaymentRequest');
      const answer = runner.visit();
      const unanswered = Symbol('unanswered');
      await wait(VISIT_ANSWER_LIMIT_MS - 1);
      await expect(Promise.race([answer, Promise.resolve(unanswered)])).resolves.toBe(unanswered);
      await wait(1);
      await expect(answer).resolves.toEqual({ kind: 'unavailable' });
      // The request made late is not lost: the next visitor may pay it.
      held.release(requestModel());
      await settle();
      await expect(runner.visit()).resolves.toEqual({ kind: 'pay', url: PAY_URL });
    });
  });

  describe('what the screen says comes back', () => {
    it('nothing, when the consumer cancels before paying', async () => {
      start();
      await visitCreated();
      api.script('release', activityModel({ type: 'cancellation' }));
      runner.dispatch({ type: 'cancelPressed' });
      await settle();
      expect(view().outcome).toMatchObject({ reason: 'cancelPressed', charged: 0, returned: 0 });
    });

    it('the whole credit, when the consumer cancels after paying', async () => {
      start();
      await choosing(PRE_AUTH);
      api.script('release', activityModel({ type: 'release' }));
      runner.dispatch({ type: 'cancelPressed' });
      await settle();
      expect(view().outcome).toMatchObject({ charged: 0, returned: MAX, pending: false });
    });

    it('nothing, when giving back was refused (staff must look)', async () => {
      start();
      await choosing(PRE_AUTH);
      api.script('confirm', activityModel({ type: 'confirmation' }));
      api.script('release', refused('INVALID_PAYMENT_REQUEST_TYPE', 400));
      await vended(300, 12);
      expect(view().outcome).toMatchObject({ charged: 300, returned: 0, refused: true });
    });
  });

  it('starts each session on the terms in force now, such as a changed terminal id', async () => {
    let terms = PRE_AUTH;
    start(() => terms);
    terms = { ...PRE_AUTH, terminalId: 'term-9' };
    await visitCreated();
    expect(lastCreate().terminalId).toBe('term-9');
  });

  describe('money after the vend', () => {
    it('pre-auth success: confirms exactly the price for the item, then releases the rest', async () => {
      start();
      const sessionId = await choosing(PRE_AUTH);
      api.script('confirm', activityModel({ type: 'confirmation' }));
      api.script('release', activityModel({ type: 'release' }));
      vendApproved(300, 12);
      expect(stored(sessionId)).toMatchObject({
        stage: 'vending',
        vend: { priceMinor: 300, item: 12, result: null },
      });
      reader.emit({ type: 'vendSucceeded', priceMinor: 300, item: 12 });
      await settle();

      expect(methods()).toEqual(['createPaymentRequest', 'confirm', 'release']);
      expect(api.callsTo('confirm')).toEqual([
        [
          'pr_1',
          {
            invoiceRef: sessionId,
            lineItems: [{ name: 'Item 12', sku: '12', qty: '1', price: '300' }],
            value: { amount: '300', currency: 'NZD' },
            idempotencyKey: `${sessionId}:confirm`,
          },
        ],
      ]);
      expect(api.callsTo('release')).toEqual([['pr_1', `${sessionId}:release`]]);
      expect(view()).toMatchObject({
        phase: 'done',
        vend: { item: 12, price: 300, result: 'succeeded' },
        outcome: { reason: 'vended', charged: 300, returned: 200, pending: false, refused: false },
      });
      expect(stored(sessionId)).toMatchObject({ stage: 'settled', reason: 'vended' });
      expect(journal.list(10)).toMatchObject([{ outcome: 'paid', amount: 300 }]);
    });

    it('pay-max success: refunds the maximum minus the price, referenced by the session', async () => {
      start(PAY_MAX);
      const sessionId = await choosing(PAY_MAX);
      api.script('refund', activityModel({ type: 'refund' }));
      await vended(180, 4);
      expect(methods()).toEqual(['createPaymentRequest', 'refund']);
      expect(api.callsTo('refund')).toEqual([
        ['pr_1', { value: { amount: '320', currency: 'NZD' }, externalRef: `${sessionId}:refund` }],
      ]);
      expect(view().outcome).toMatchObject({ charged: 180, returned: 320, pending: false });
    });

    it('pay-max success at the maximum price: nothing to refund, settled', async () => {
      start(PAY_MAX);
      const sessionId = await choosing(PAY_MAX);
      await vended(MAX, 1);
      expect(methods()).toEqual(['createPaymentRequest']);
      expect(stored(sessionId)).toMatchObject({ stage: 'settled', reason: 'vended', money: [] });
    });

    it('an unknown outcome is retried after 3, 10, 30, 60 s with the same reference, then handed over', async () => {
      start();
      const sessionId = await choosing(PRE_AUTH);
      api.script('confirm', ...Array.from({ length: 5 }, () => outcomeUnknown()));
      await vended(300, 12);
      expect(api.callsTo('confirm')).toHaveLength(1);
      let calls = 1;
      for (const delay of MONEY_RETRY_DELAYS_MS) {
        await wait(delay - 1);
        expect(api.callsTo('confirm')).toHaveLength(calls);
        await wait(1);
        expect(api.callsTo('confirm')).toHaveLength(++calls);
      }
      expect(new Set(api.callsTo('confirm').map(([, body]) => body.idempotencyKey))).toEqual(
        new Set([`${sessionId}:confirm`]),
      );
      // Handed over: the machine is free, the step waits in the journal.
      expect(view()).toMatchObject({ phase: 'done', outcome: { charged: 300, pending: true } });
      expect(stored(sessionId)).toMatchObject({
        stage: 'settling',
        money: [{ step: { kind: 'confirm' }, status: 'pending' }, { status: 'pending' }],
      });
      expect(api.callsTo('release')).toEqual([]);

      runner.reconcile(); // the result is still on screen: not yet
      await settle();
      expect(api.callsTo('confirm')).toHaveLength(5);

      await wait(RESULT_SHOWN_MS);
      expect(view().phase).toBe('idle');
      api.script('confirm', activityModel({ type: 'confirmation' }));
      api.script('release', activityModel({ type: 'release' }));
      runner.reconcile();
      await settle();
      const confirms = api.callsTo('confirm');
      expect(confirms).toHaveLength(6);
      expect(confirms[5]).toEqual(confirms[0]);
      expect(api.callsTo('release')).toEqual([['pr_1', `${sessionId}:release`]]);
      expect(stored(sessionId)).toMatchObject({ stage: 'settled' });
      expect(journal.unfinishedVending()).toEqual([]);
    });

    it('a confirm refused for good is left for staff; the rest is still released', async () => {
      start();
      const sessionId = await choosing(PRE_AUTH);
      api.script('confirm', refused('PRE_AUTH_RELEASED'));
      api.script('release', refused('PRE_AUTH_RELEASED'));
      await vended(300, 12);
      expect(methods()).toEqual(['createPaymentRequest', 'confirm', 'release']);
      expect(view().outcome).toMatchObject({ refused: true, pending: false });
      expect(stored(sessionId)).toMatchObject({
        stage: 'settled',
        money: [
          { step: { kind: 'confirm' }, status: 'refused', code: 'PRE_AUTH_RELEASED' },
          { step: { kind: 'release' }, status: 'done' },
        ],
      });
      expect(
        log
          .entries()
          .filter((entry) => entry.msg === 'vending money step refused: staff must look'),
      ).toMatchObject([{ level: 50, sessionId, step: 'confirm', code: 'PRE_AUTH_RELEASED' }]);
      await wait(MONEY_RETRY_DELAYS_MS.reduce((sum, each) => sum + each, 0));
      expect(api.callsTo('confirm')).toHaveLength(1);
    });

    it.each([
      ['confirm', PRE_AUTH, 'REQUEST_EXPIRED'],
      ['refund', PAY_MAX, 'ALREADY_REFUNDED'],
    ] as const)(
      'a %s refused %s is left for staff, never counted as charged',
      async (kind, config, code) => {
        start(config);
        const sessionId = await choosing(config);
        api.script(kind, refused(code));
        if (config.preAuth) api.script('release', activityModel({ type: 'release' }));
        await vended(300, 12);
        expect(stored(sessionId)?.money[0]).toMatchObject({ status: 'refused', code });
        expect(view().outcome).toMatchObject({ refused: true });
      },
    );

    it('a refund refused for an unexpected reason is left for staff', async () => {
      start(PAY_MAX);
      const sessionId = await choosing(PAY_MAX);
      api.script('refund', refused('REFUND_WINDOW_EXCEEDED'));
      await vended(300, 12);
      expect(view().outcome).toMatchObject({ refused: true, pending: false });
      expect(stored(sessionId)).toMatchObject({
        stage: 'settled',
        money: [{ status: 'refused', code: 'REFUND_WINDOW_EXCEEDED' }],
      });
    });

    it.each(['PRE_AUTH_RELEASED', 'REQUEST_CANCELLED', 'REQUEST_EXPIRED'])(
      'a release answered %s counts as done (nothing was held any more)',
      async (code) => {
        start();
        const sessionId = await choosing(PRE_AUTH);
        api.script('release', refused(code));
        runner.dispatch({ type: 'cancelPressed' });
        await settle();
        expect(reader.commands.at(-1)).toBe('endSession');
        expect(api.callsTo('release')).toEqual([['pr_1', `${sessionId}:release`]]);
        expect(view().outcome).toMatchObject({
          reason: 'cancelPressed',
          charged: 0,
          refused: false,
          pending: false,
        });
        expect(stored(sessionId)).toMatchObject({ stage: 'settled', money: [{ status: 'done' }] });
      },
    );

    it('a release refused for another reason is left for staff', async () => {
      start();
      await choosing(PRE_AUTH);
      api.script('release', refused('INVALID_PAYMENT_REQUEST_TYPE', 400));
      runner.dispatch({ type: 'cancelPressed' });
      await settle();
      expect(view().outcome).toMatchObject({ refused: true });
    });
  });

  describe('timers', () => {
    it('gives up 6 s after expiresAt, not before; an expired request needs nothing given back', async () => {
      start();
      const sessionId = await visitCreated();
      api.script('getPaymentRequest', requestModel({ status: 'expired' }));
      await wait(EXPIRES_AT + GIVE_UP_AFTER_EXPIRY_MS - Date.now() - 1);
      expect(methods()).toEqual(['createPaymentRequest']);
      await wait(1);
      expect(api.callsTo('getPaymentRequest')).toEqual([['pr_1']]);
      expect(view().outcome).toMatchObject({ reason: 'expired', charged: 0 });
      expect(methods()).toEqual(['createPaymentRequest', 'getPaymentRequest']);
      expect(api.watching).toEqual([]);
      expect(stored(sessionId)).toMatchObject({ stage: 'settled', reason: 'expired' });
    });

    it('the last look unanswered: released to be sure', async () => {
      start();
      const sessionId = await visitCreated();
      api.script('getPaymentRequest', outcomeUnknown());
      api.script('release', activityModel({ type: 'release' }));
      await wait(EXPIRES_AT + GIVE_UP_AFTER_EXPIRY_MS - Date.now());
      expect(api.callsTo('release')).toEqual([['pr_1', `${sessionId}:release`]]);
      expect(view().outcome).toMatchObject({ reason: 'outcomeUnknown', charged: 0 });
    });

    it('the machine never takes the credit: after the session-start limit, everything is released', async () => {
      start();
      reader.fail = true;
      await visitCreated();
      api.script('release', activityModel({ type: 'release' }));
      api.emitChange(paidModel(PRE_AUTH));
      await settle();
      expect(warnings('the vending machine did not take it')).toHaveLength(1);
      await wait(SESSION_START_LIMIT_MS - 1);
      expect(api.callsTo('release')).toEqual([]);
      await wait(1);
      expect(api.callsTo('release')).toHaveLength(1);
      expect(view().outcome).toMatchObject({ reason: 'sessionNotStarted', charged: 0 });
    });

    it('no selection: the session is ended and everything released at the selection limit', async () => {
      start();
      await choosing(PRE_AUTH);
      api.script('release', activityModel({ type: 'release' }));
      await wait(SELECTION_LIMIT_MS - 1);
      expect(reader.commands).not.toContain('endSession');
      await wait(1);
      expect(reader.commands.at(-1)).toBe('endSession');
      expect(api.callsTo('release')).toHaveLength(1);
      expect(view().outcome).toMatchObject({ reason: 'selectionTimeout', charged: 0 });
    });

    it('no vend result: unconfirmed, nothing charged, and a late success charges nothing either', async () => {
      start();
      await choosing(PRE_AUTH);
      api.script('release', activityModel({ type: 'release' }));
      vendApproved(300, 12);
      await wait(VEND_RESULT_LIMIT_MS - 1);
      expect(api.calls).toHaveLength(1);
      await wait(1);
      expect(reader.commands.at(-1)).toBe('endSession');
      expect(methods()).toEqual(['createPaymentRequest', 'release']);
      reader.emit({ type: 'vendSucceeded', priceMinor: 300, item: 12 });
      await settle();
      expect(methods()).toEqual(['createPaymentRequest', 'release']);
      expect(view().outcome).toMatchObject({ reason: 'vendUnconfirmed', charged: 0 });
    });

    it('the result stays on screen 8 s, then the static QR again', async () => {
      start();
      await choosing(PRE_AUTH);
      api.script('release', activityModel({ type: 'release' }));
      runner.dispatch({ type: 'cancelPressed' });
      await settle();
      await wait(RESULT_SHOWN_MS - 1);
      expect(view().phase).toBe('done');
      await wait(1);
      expect(view()).toMatchObject({ phase: 'idle', outcome: null, request: null });
    });
  });
});
