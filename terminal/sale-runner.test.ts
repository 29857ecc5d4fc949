// SaleRunner end to end below the UI: the pure sale machine driven by a scripted payment API, a
// real journal on a temporary SQLite file, and fake timers for the give-up and void-retry waits.
// Every promise is awaited: `settle()` lets the scripted answers arrive before anything is read.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PaymentMethod } from './contract/commands.ts';
import type { JournalEntry } from './contract/replies.ts';
import type { DeclineReason, SaleOrder, SaleState } from './contract/state.ts';
import { activityModel, paymentRequestModel } from './api/testing/models.ts';
import { recordingLogger } from './api/testing/log-recorder.ts';
import { outcomeUnknown, refused, ScriptedPaymentApi } from './api/testing/scripted-payment-api.ts';
import type { PaymentRequest } from './api/wire.ts';
import { GIVE_UP_AFTER_EXPIRY_MS, VOID_RETRY_DELAY_MS } from './flows/sale-flow.ts';
import { Journal } from './journal.ts';
import { SaleRunner, type TerminalIdentity } from './sale-runner.ts';

const START = Date.UTC(2026, 10, 25, 9, 0, 0);
const iso = (at: number) => new Date(at).toISOString();
/** The request's expiry: two minutes after the sale starts. */
const EXPIRES_AT = START + 120_000;

const IDENTITY: TerminalIdentity = {
  configId: 'mc_demo',
  terminalId: 'term-7',
  deviceId: 'SN-0042',
  expirySeconds: 120,
};

function order(method: PaymentMethod, saleId = `sale-${method}`): SaleOrder {
  return {
    saleId,
    method,
    amount: 1250,
    currency: 'NZD',
    lines: [{ name: 'Flat white', qty: 2, price: 1250 }],
  };
}

function requestModel(overrides: Partial<PaymentRequest> = {}): PaymentRequest {
  return paymentRequestModel({
    id: 'pr_1',
    shortCode: 'CP-C7F-ZS5',
    url: 'http://kiosk.test/pay/pr_1',
    value: { amount: '1250', currency: 'NZD' },
    createdAt: iso(START),
    updatedAt: iso(START),
    expiresAt: iso(EXPIRES_AT),
    ...overrides,
  });
}

const PAID_BY = {
  assetTotals: [
    {
      type: 'voucher.test',
      description: 'Gift voucher',
      total: { amount: '1250', currency: 'NZD' },
    },
  ],
};
const PAID_BY_LINES = [{ description: 'Gift voucher', amount: 1250, currency: 'NZD' }];

/** Lets every answer that is due arrive: fake time does not move, real microtasks run. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('SaleRunner', () => {
  let dir: string;
  let journal: Journal;
  let api: ScriptedPaymentApi;
  let log: ReturnType<typeof recordingLogger>;
  let states: SaleState[];
  let merchantNames: string[];
  let runner: SaleRunner;
  /** Rejections nobody handled; a listener of ours also keeps vitest from failing the file. */
  let escaped: unknown[];
  const onRejection = (reason: unknown) => void escaped.push(reason);

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(START);
    escaped = [];
    process.on('unhandledRejection', onRejection);
    dir = mkdtempSync(join(tmpdir(), 'kiosk-sale-runner-'));
    journal = new Journal(join(dir, 'journal.sqlite'));
    api = new ScriptedPaymentApi();
    log = recordingLogger();
    states = [];
    merchantNames = [];
    runner = new SaleRunner({
      api: () => api,
      identity: () => IDENTITY,
      journal,
      logger: log.logger,
      onChange: (state) => states.push(state),
      onMerchantName: (name) => merchantNames.push(name),
    });
  });

  afterEach(async () => {
    runner.close();
    await settle();
    process.off('unhandledRejection', onRejection);
    vi.useRealTimers();
    journal.close();
    rmSync(dir, { recursive: true, force: true });
    // Checked after the clean-up so a failure here leaves nothing behind.
    expect(escaped).toEqual([]);
    expect(api.unscripted).toEqual([]);
  });

  const entry = (saleId: string): JournalEntry | undefined =>
    journal.list(100).find((each) => each.saleId === saleId);

  /** Starts a sale whose create answers `created` at once, and waits for it. */
  async function startCreated(o: SaleOrder, created = requestModel()): Promise<void> {
    api.script('createPaymentRequest', created);
    runner.start(o);
    await settle();
    expect(runner.state.phase).toBe('awaitingPayment');
  }

  describe('QR sale', () => {
    it('creates the request with the sale and terminal identity, watches it, journals paid', async () => {
      const qr = order('qr');
      api.script('createPaymentRequest', requestModel());
      runner.start(qr);
      expect(entry(qr.saleId)?.outcome).toBe('pending');
      await settle();

      const [body] = api.callsTo('createPaymentRequest').map(([each]) => each);
      expect(body).toEqual({
        configId: 'mc_demo',
        value: { amount: '1250', currency: 'NZD' },
        expirySeconds: 120,
        lineItems: [{ name: 'Flat white', qty: '2', price: '1250' }],
        externalRef: qr.saleId,
        terminalId: 'term-7',
        deviceId: 'SN-0042',
        idempotencyKey: expect.any(String),
      });
      expect(merchantNames).toEqual(['Demo Café']);
      expect(runner.state).toEqual({
        phase: 'awaitingPayment',
        order: qr,
        request: {
          id: 'pr_1',
          shortCode: 'CP-C7F-ZS5',
          url: 'http://kiosk.test/pay/pr_1',
          expiresAt: iso(EXPIRES_AT),
        },
        connection: 'live',
      });
      expect(api.watching).toEqual(['pr_1']);
      expect(entry(qr.saleId)).toMatchObject({
        requestId: 'pr_1',
        shortCode: 'CP-C7F-ZS5',
        outcome: 'pending',
      });

      api.emitMode('pr_1', 'polling');
      expect(runner.state).toMatchObject({ phase: 'awaitingPayment', connection: 'polling' });
      api.emitChange(requestModel({ status: 'paid', paidBy: PAID_BY }));

      expect(runner.state).toMatchObject({ phase: 'paid', paidBy: PAID_BY_LINES });
      expect(api.watching).toEqual([]);
      expect(entry(qr.saleId)).toMatchObject({ requestId: 'pr_1', outcome: 'paid' });
      expect(states.map((state) => state.phase)).toEqual([
        'creating',
        'awaitingPayment',
        'awaitingPayment',
        'paid',
      ]);
    });

    it('a keyed amount without basket lines is sent as one line', async () => {
      api.script('createPaymentRequest', requestModel());
      runner.start({ ...order('qr'), lines: [] });
      await settle();
      expect(api.callsTo('createPaymentRequest')[0]?.[0].lineItems).toEqual([
        { name: 'Sale', qty: '1', price: '1250' },
      ]);
    });
  });

  describe('voucher sale', () => {
    it('pays with voucher.<liveness> and the code, then reads the request: paid', async () => {
      const voucher = order('voucher');
      await startCreated(voucher, requestModel({ liveness: 'main' }));
      api
        .script('pay', activityModel({ paymentRequestId: 'pr_1' }))
        .script('getPaymentRequest', requestModel({ status: 'paid', paidBy: PAID_BY }));

      runner.dispatch({ type: 'codeSubmitted', code: 'VOUCHER-42' });
      expect(runner.state.phase).toBe('paying');
      await settle();

      expect(api.callsTo('pay')).toEqual([
        [
          'pr_1',
          {
            assetType: 'voucher.main',
            authorization: 'VOUCHER-42',
            idempotencyKey: expect.any(String),
          },
        ],
      ]);
      expect(runner.state).toMatchObject({ phase: 'paid', paidBy: PAID_BY_LINES });
      expect(entry(voucher.saleId)?.outcome).toBe('paid');
    });

    it.each([
      ['ASSET_REDEMPTION_DENIED', 'unknown-code'],
      ['INACTIVE_ASSET', 'expired-code'],
      ['INSUFFICIENT_ASSET_VALUE', 'insufficient-balance'],
      ['RATE_LIMIT_EXCEEDED', 'too-many-tries'],
    ] satisfies [string, DeclineReason][])(
      'a pay refused with %s is declined as %s, and another code may be tried',
      async (code, reason) => {
        const voucher = order('voucher');
        await startCreated(voucher);
        api.script('pay', refused(code, code === 'RATE_LIMIT_EXCEEDED' ? 429 : 403));

        runner.dispatch({ type: 'codeSubmitted', code: 'WRONG-1' });
        await settle();

        expect(runner.state).toEqual({
          phase: 'declined',
          order: voucher,
          request: expect.objectContaining({ id: 'pr_1' }),
          reason,
          canRetry: true,
        });
        // The request stays open for another code: nothing voided, journal still pending.
        expect(api.callsTo('void')).toEqual([]);
        expect(entry(voucher.saleId)?.outcome).toBe('pending');
        runner.dispatch({ type: 'retryCodePressed' });
        expect(runner.state.phase).toBe('awaitingPayment');
      },
    );

    it('a pay whose outcome is unknown is voided: cancelled as outcome-unknown', async () => {
      const voucher = order('voucher');
      await startCreated(voucher);
      api.script('pay', outcomeUnknown()).script('void', activityModel({ type: 'cancellation' }));

      runner.dispatch({ type: 'codeSubmitted', code: 'VOUCHER-42' });
      await settle();

      expect(api.callsTo('void')).toEqual([['pr_1', expect.any(String)]]);
      expect(runner.state).toMatchObject({
        phase: 'cancelled',
        reason: 'outcome-unknown',
        request: { id: 'pr_1' },
      });
      expect(api.watching).toEqual([]);
      expect(entry(voucher.saleId)?.outcome).toBe('cancelled');
    });
  });

  describe('voiding', () => {
    it('a void whose outcome is unknown is tried again after VOID_RETRY_DELAY_MS', async () => {
      const qr = order('qr');
      await startCreated(qr);
      api.script('void', outcomeUnknown(), activityModel({ type: 'cancellation' }));

      runner.dispatch({ type: 'cancelPressed' });
      await settle();
      expect(runner.state).toMatchObject({ phase: 'cancelling', retrying: true });
      expect(entry(qr.saleId)?.outcome).toBe('void-pending');

      await vi.advanceTimersByTimeAsync(VOID_RETRY_DELAY_MS - 1);
      expect(api.callsTo('void')).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);

      expect(api.callsTo('void').map(([id]) => id)).toEqual(['pr_1', 'pr_1']);
      expect(runner.state).toMatchObject({ phase: 'cancelled', reason: 'abandoned' });
      expect(entry(qr.saleId)?.outcome).toBe('cancelled');
    });

    it('a void refused for good ends as void-refused and leaves the journal void-pending', async () => {
      const qr = order('qr');
      await startCreated(qr);
      api.script('void', refused('FORBIDDEN'));

      runner.dispatch({ type: 'cancelPressed' });
      await settle();

      expect(runner.state).toMatchObject({
        phase: 'cancelled',
        reason: 'void-refused',
        code: 'FORBIDDEN',
        request: { id: 'pr_1' },
      });
      expect(api.watching).toEqual([]);
      expect(entry(qr.saleId)?.outcome).toBe('void-pending');
      expect(journal.unfinished().map((each) => [each.saleId, each.requestId])).toEqual([
        [qr.saleId, 'pr_1'],
      ]);
      // No retry timer is left running: the reconciler takes over.
      await vi.advanceTimersByTimeAsync(VOID_RETRY_DELAY_MS * 10);
      expect(api.callsTo('void')).toHaveLength(1);
    });

    it('a void that finds the request expired already counts as voided', async () => {
      const qr = order('qr');
      await startCreated(qr);
      api.script('void', refused('REQUEST_EXPIRED'));

      runner.dispatch({ type: 'cancelPressed' });
      await settle();

      expect(runner.state).toMatchObject({ phase: 'cancelled', reason: 'abandoned' });
      expect(entry(qr.saleId)?.outcome).toBe('cancelled');
    });

    it('a create whose outcome is unknown voids every open request under the sale’s externalRef', async () => {
      const qr = order('qr');
      api
        .script('createPaymentRequest', outcomeUnknown())
        .script('listByExternalRef', [
          requestModel({ id: 'pr_new', status: 'new' }),
          requestModel({ id: 'pr_paid', status: 'paid' }),
          requestModel({ id: 'pr_expired', status: 'expired' }),
          requestModel({ id: 'pr_cancelled', status: 'cancelled' }),
        ])
        .script('void', activityModel({ type: 'cancellation' }), activityModel({ type: 'refund' }));

      runner.start(qr);
      await settle();

      expect(api.callsTo('listByExternalRef')).toEqual([[qr.saleId]]);
      expect(api.callsTo('void').map(([id]) => id)).toEqual(['pr_new', 'pr_paid']);
      expect(api.watches).toEqual([]);
      expect(runner.state).toEqual({
        phase: 'cancelled',
        order: qr,
        request: null,
        reason: 'outcome-unknown',
      });
      expect(entry(qr.saleId)?.outcome).toBe('cancelled');
    });

    it('Cancel while creating: the request that then arrives is journalled and voided by id', async () => {
      const qr = order('qr');
      const create = api.hold('createPaymentRequest');
      api.script('void', activityModel({ type: 'cancellation' }));
      runner.start(qr);
      await settle();

      runner.dispatch({ type: 'cancelPressed' });
      expect(runner.state).toMatchObject({ phase: 'cancelling', request: null });
      expect(entry(qr.saleId)).toMatchObject({ requestId: null, outcome: 'void-pending' });
      expect(api.callsTo('void')).toEqual([]);

      create.release(requestModel({ id: 'pr_late', shortCode: 'CP-LAT-E01' }));
      await settle();

      expect(api.callsTo('void')).toEqual([['pr_late', expect.any(String)]]);
      expect(api.callsTo('listByExternalRef')).toEqual([]);
      expect(api.watches).toEqual([]);
      expect(runner.state).toMatchObject({
        phase: 'cancelled',
        reason: 'abandoned',
        request: { id: 'pr_late' },
      });
      expect(entry(qr.saleId)).toMatchObject({
        requestId: 'pr_late',
        shortCode: 'CP-LAT-E01',
        outcome: 'cancelled',
      });
    });
  });

  describe('give-up time', () => {
    const giveUpAt = EXPIRES_AT + GIVE_UP_AFTER_EXPIRY_MS;

    it('takes the last look at expiresAt + 6 s, not before, and shows Expired', async () => {
      expect(GIVE_UP_AFTER_EXPIRY_MS).toBe(6_000);
      const qr = order('qr');
      await startCreated(qr);
      api.script('getPaymentRequest', requestModel({ status: 'expired' }));
      // The core reports the expiry as it happens: the kiosk still waits.
      await vi.advanceTimersByTimeAsync(EXPIRES_AT - START);
      api.emitChange(requestModel({ status: 'expired' }));

      await vi.advanceTimersByTimeAsync(giveUpAt - 100 - Date.now());
      expect(Date.now()).toBe(EXPIRES_AT + 5_900);
      expect(api.callsTo('getPaymentRequest')).toEqual([]);
      expect(runner.state.phase).toBe('awaitingPayment');

      await vi.advanceTimersByTimeAsync(100);

      expect(api.callsTo('getPaymentRequest')).toEqual([['pr_1']]);
      expect(runner.state).toMatchObject({ phase: 'expired', request: { id: 'pr_1' } });
      expect(api.watching).toEqual([]);
      expect(entry(qr.saleId)?.outcome).toBe('expired');
    });

    it('a payment found by the last look wins', async () => {
      const qr = order('qr');
      await startCreated(qr);
      const look = api.hold('getPaymentRequest');

      await vi.advanceTimersByTimeAsync(giveUpAt - START);
      expect(runner.state.phase).toBe('checking');
      look.release(requestModel({ status: 'paid', paidBy: PAID_BY }));
      await settle();

      expect(runner.state).toMatchObject({ phase: 'paid', paidBy: PAID_BY_LINES });
      expect(entry(qr.saleId)?.outcome).toBe('paid');
    });

    it('a last look without an answer voids the request as outcome-unknown', async () => {
      const qr = order('qr');
      await startCreated(qr);
      api
        .script('getPaymentRequest', outcomeUnknown())
        .script('void', activityModel({ type: 'cancellation' }));

      await vi.advanceTimersByTimeAsync(giveUpAt - START);

      expect(api.callsTo('void').map(([id]) => id)).toEqual(['pr_1']);
      expect(runner.state).toMatchObject({ phase: 'cancelled', reason: 'outcome-unknown' });
      expect(entry(qr.saleId)?.outcome).toBe('cancelled');
    });
  });

  describe('late and unexpected results', () => {
    it('a result that arrives after its sale was dismissed changes nothing', async () => {
      const first = order('qr', 'sale-1');
      await startCreated(first);
      const firstVoid = api.hold('void');
      runner.dispatch({ type: 'cancelPressed' });
      runner.dispatch({ type: 'dismissed' });
      expect(runner.state).toEqual({ phase: 'idle' });

      // The next sale is voiding too, so the first sale's 'voided' would fit its phase.
      const second = order('qr', 'sale-2');
      await startCreated(second, requestModel({ id: 'pr_2', shortCode: 'CP-SEC-ND2' }));
      const secondVoid = api.hold('void');
      runner.dispatch({ type: 'cancelPressed' });
      const before = runner.state;
      const changes = states.length;

      firstVoid.release(activityModel({ type: 'cancellation' }));
      await settle();

      expect(runner.state).toBe(before);
      expect(states).toHaveLength(changes);
      // The first sale's void is finished by the reconciler, not by a stale answer.
      expect(entry('sale-1')?.outcome).toBe('void-pending');
      expect(entry('sale-2')?.outcome).toBe('void-pending');

      secondVoid.release(activityModel({ type: 'cancellation' }));
      await settle();
      expect(runner.state).toMatchObject({ phase: 'cancelled', request: { id: 'pr_2' } });
      expect(entry('sale-2')?.outcome).toBe('cancelled');
      expect(api.callsTo('void').map(([id]) => id)).toEqual(['pr_1', 'pr_2']);
    });

    it('a watch report after the sale ended is ignored', async () => {
      const qr = order('qr');
      await startCreated(qr);
      const [watch] = api.watches;
      api.emitChange(requestModel({ status: 'paid', paidBy: PAID_BY }));
      expect(runner.state.phase).toBe('paid');

      // A poll already in flight when the watch was stopped still answers.
      watch?.handlers.onChange(requestModel({ status: 'cancelled' }));
      expect(runner.state.phase).toBe('paid');
      expect(entry(qr.saleId)?.outcome).toBe('paid');
    });

    it('a plain Error from create does not escape: the sale is voided by externalRef', async () => {
      const qr = order('qr');
      api
        .script('createPaymentRequest', new Error('socket hang up (a bug in the client)'))
        .script('listByExternalRef', []);

      runner.start(qr);
      await settle();

      expect(escaped).toEqual([]);
      expect(api.callsTo('listByExternalRef')).toEqual([[qr.saleId]]);
      expect(runner.state).toMatchObject({ phase: 'cancelled', reason: 'outcome-unknown' });
      expect(entry(qr.saleId)?.outcome).toBe('cancelled');
      expect(log.entries()).toContainEqual(
        expect.objectContaining({ msg: 'payment API call failed', call: 'create' }),
      );
    });

    it('a plain Error from pay does not escape: the request is voided', async () => {
      const voucher = order('voucher');
      await startCreated(voucher);
      api.script('pay', new TypeError('boom')).script('void', activityModel());

      runner.dispatch({ type: 'codeSubmitted', code: 'VOUCHER-42' });
      await settle();

      expect(escaped).toEqual([]);
      expect(api.callsTo('void').map(([id]) => id)).toEqual(['pr_1']);
      expect(runner.state).toMatchObject({ phase: 'cancelled', reason: 'outcome-unknown' });
    });

    it('a plain Error from void does not escape: the void is tried again', async () => {
      const qr = order('qr');
      await startCreated(qr);
      api.script('void', new Error('boom'), activityModel({ type: 'cancellation' }));

      runner.dispatch({ type: 'cancelPressed' });
      await settle();
      expect(escaped).toEqual([]);
      expect(runner.state).toMatchObject({ phase: 'cancelling', retrying: true });

      await vi.advanceTimersByTimeAsync(VOID_RETRY_DELAY_MS);
      expect(runner.state).toMatchObject({ phase: 'cancelled', reason: 'abandoned' });
    });
  });
});
