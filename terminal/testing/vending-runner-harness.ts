// The VendingRunner's test bench, shared by its two test files: a scripted payment API, a fake
// cashless reader the test plays the driver through, a real journal on a temporary SQLite file,
// and fake timers. `useVendingRunner()` registers the hooks of the describe it is called in; after
// each test it closes every runner, removes the journal and fails the test if a promise rejection
// escaped or the runner made a call nobody scripted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { recordingLogger } from '../api/testing/log-recorder.ts';
import { paymentRequestModel } from '../api/testing/models.ts';
import { ScriptedPaymentApi } from '../api/testing/scripted-payment-api.ts';
import type { PaymentApi } from '../api/payment-api.ts';
import type { CreatePaymentRequestBody, PaymentRequest } from '../api/wire.ts';
import type { VendingView } from '../contract/state.ts';
import { FakeCashlessReader } from '../devices/testing/fake-cashless-reader.ts';
import type { VendingConfig, VendingJournalRecord } from '../flows/vending-flow.ts';
import { Journal } from '../journal.ts';
import type { TerminalIdentity } from '../sale-runner.ts';
import { VendingRunner } from '../vending-runner.ts';

export const START = Date.UTC(2026, 10, 25, 9, 0, 0);
export const iso = (at: number) => new Date(at).toISOString();
/** The first request's expiry: two minutes after START. */
export const EXPIRES_AT = START + 120_000;
/** The machine's highest price: the request's amount and the session's credit. */
export const MAX = 500;
export const STATIC_URL = 'http://kiosk.test/v/term-7';
export const PAY_URL = 'http://kiosk.test/pay/pr_1';

export const PRE_AUTH: VendingConfig = {
  terminalId: 'term-7',
  currency: 'NZD',
  maxPriceMinor: MAX,
  preAuth: true,
};
export const PAY_MAX: VendingConfig = { ...PRE_AUTH, preAuth: false };

export const IDENTITY: TerminalIdentity = {
  configId: 'mc_demo',
  terminalId: 'term-7',
  deviceId: 'SN-0042',
  expirySeconds: 120,
};

export function requestModel(overrides: Partial<PaymentRequest> = {}): PaymentRequest {
  return paymentRequestModel({
    id: 'pr_1',
    shortCode: 'CP-C7F-ZS5',
    url: PAY_URL,
    value: { amount: String(MAX), currency: 'NZD' },
    createdAt: iso(START),
    updatedAt: iso(START),
    expiresAt: iso(EXPIRES_AT),
    ...overrides,
  });
}

/** The request paid: held (pre-auth) or paid in full. */
export const paidModel = (config: VendingConfig) =>
  requestModel(
    config.preAuth ? { status: 'paid', preAuthStatus: 'authorized' } : { status: 'paid' },
  );

/** A record as a previous run left it in the journal. */
export function leftRecord(overrides: Partial<VendingJournalRecord>): VendingJournalRecord {
  return {
    flow: 'vending',
    sessionId: 'sess-old',
    terminalId: 'term-7',
    currency: 'NZD',
    preAuth: true,
    creditMinor: MAX,
    requestId: 'pr_1',
    shortCode: 'CP-C7F-ZS5',
    stage: 'sessionOpen',
    vend: null,
    money: [],
    reason: null,
    ...overrides,
  };
}

/** Lets every answer that is due arrive: fake time does not move, real microtasks run. */
export const settle = () => vi.advanceTimersByTimeAsync(0);
export const wait = (ms: number) => vi.advanceTimersByTimeAsync(ms);

export interface VendingBench {
  readonly api: ScriptedPaymentApi;
  readonly reader: FakeCashlessReader;
  readonly journal: Journal;
  readonly log: ReturnType<typeof recordingLogger>;
  /** The runner `start` made last. */
  readonly runner: VendingRunner;
  /** A new runner, started (it settles what the journal holds unfinished at once). */
  /** `config` as a function: the terms change while the runner runs. */
  start(
    config?: VendingConfig | (() => VendingConfig),
    payments?: () => PaymentApi | null,
  ): VendingRunner;
  /** A session's last record, read back from the file as a restart would. */
  stored(sessionId: string): VendingJournalRecord | undefined;
  view(): VendingView;
  /** The payment API's methods called, in order. */
  methods(): string[];
  lastCreate(): CreatePaymentRequestBody;
  /** Log lines at warn or above with this message. */
  warnings(msg: string): Record<string, unknown>[];
  /** Reader ready, request created and the visitor answered `pay`: the session id. */
  visitCreated(request?: PaymentRequest): Promise<string>;
  /** ...and paid, with the credit on the machine: the consumer is choosing. */
  choosing(config: VendingConfig): Promise<string>;
  /** The machine asks to vend `item` at `price`, and the kiosk approves. */
  vendApproved(price: number, item: number): void;
  /** ...and the machine reports the vend succeeded. */
  vended(price: number, item: number): Promise<void>;
}

export function useVendingRunner(): VendingBench {
  let dir: string;
  let journalFile: string;
  let journal: Journal;
  let api: ScriptedPaymentApi;
  let reader: FakeCashlessReader;
  let log: ReturnType<typeof recordingLogger>;
  let runners: VendingRunner[] = [];
  let escaped: unknown[] = [];
  const onRejection = (reason: unknown) => void escaped.push(reason);

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(START);
    escaped = [];
    process.on('unhandledRejection', onRejection);
    dir = mkdtempSync(join(tmpdir(), 'kiosk-vending-runner-'));
    journalFile = join(dir, 'journal.sqlite');
    journal = new Journal(journalFile);
    api = new ScriptedPaymentApi();
    reader = new FakeCashlessReader();
    log = recordingLogger();
    runners = [];
  });

  afterEach(async () => {
    for (const each of runners) each.close();
    await settle();
    process.off('unhandledRejection', onRejection);
    vi.useRealTimers();
    journal.close();
    rmSync(dir, { recursive: true, force: true });
    // Checked after the clean-up so a failure here leaves nothing behind.
    expect(escaped).toEqual([]);
    expect(api.unscripted).toEqual([]);
  });

  const bench: VendingBench = {
    get api() {
      return api;
    },
    get reader() {
      return reader;
    },
    get journal() {
      return journal;
    },
    get log() {
      return log;
    },
    get runner() {
      const runner = runners.at(-1);
      if (!runner) throw new Error('no runner started yet');
      return runner;
    },

    start(config: VendingConfig | (() => VendingConfig) = PRE_AUTH, payments = () => api) {
      const runner = new VendingRunner({
        api: payments,
        identity: () => IDENTITY,
        config: typeof config === 'function' ? config : () => config,
        reader,
        journal,
        logger: log.logger,
        onChange: () => {},
      });
      runners.push(runner);
      runner.start();
      return runner;
    },

    stored(sessionId) {
      const db = new Database(journalFile, { readonly: true });
      try {
        const row = db
          .prepare<[string], { record: string }>(
            'SELECT record FROM vending_sessions WHERE session_id = ?',
          )
          .get(sessionId);
        return row && (JSON.parse(row.record) as VendingJournalRecord);
      } finally {
        db.close();
      }
    },

    view: () => bench.runner.view(STATIC_URL),
    methods: () => api.calls.map((call) => call.method),
    lastCreate() {
      const call = api.callsTo('createPaymentRequest').at(-1);
      if (!call) throw new Error('no payment request was created');
      return call[0];
    },
    warnings: (msg) =>
      log.entries().filter((entry) => entry.msg === msg && (entry.level as number) >= 40),

    async visitCreated(request = requestModel()) {
      reader.emit({ type: 'ready' });
      api.script('createPaymentRequest', request);
      const answer = bench.runner.visit();
      await settle();
      await expect(answer).resolves.toEqual({ kind: 'pay', url: request.url });
      return bench.lastCreate().externalRef as string;
    },

    async choosing(config) {
      const sessionId = await bench.visitCreated();
      api.emitChange(paidModel(config));
      expect(reader.commands).toEqual([`startSession ${MAX}`]);
      reader.emit({ type: 'sessionStarted', creditMinor: MAX });
      expect(bench.view().phase).toBe('choosing');
      return sessionId;
    },

    vendApproved(price, item) {
      reader.emit({ type: 'vendRequested', priceMinor: price, item, creditMinor: MAX });
      expect(reader.commands.at(-1)).toBe(`approveVend ${price}`);
    },

    async vended(price, item) {
      bench.vendApproved(price, item);
      reader.emit({ type: 'vendSucceeded', priceMinor: price, item });
      await settle();
    },
  };
  return bench;
}
