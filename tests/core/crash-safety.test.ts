// The core as a terminal runs it: a child process (`kiosk core`) on a database file, killed
// with SIGKILL at random moments while terminals create, pay and refund requests, and
// restarted on the same database. After the last restart the books must balance: no money
// made or lost, no request half-paid, and every payment a terminal was told succeeded is in
// the database (a reply is only sent once the write is durable).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSigningKey } from '../../core/auth/signing-keys.ts';
import { mintUserToken } from '../../core/auth/user-tokens.ts';
import { openStorage } from '../../core/db/storage.ts';
import { DEMO, seedDemo } from '../../core/seed/demo.ts';
import { booksTotal } from '../support/core.ts';
import { engines } from '../support/databases.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KILLS = 6;
const WORKERS = 6;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const randomInt = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

/** One `kiosk core` child process. */
class CoreProcess {
  readonly url: string;
  readonly #child: ChildProcess;
  readonly #exited: Promise<number | null>;

  private constructor(child: ChildProcess, url: string, exited: Promise<number | null>) {
    this.#child = child;
    this.url = url;
    this.#exited = exited;
  }

  /** Spawns the core and resolves once it prints its listening line. `log` gets every other line. */
  static start(db: string, log: (line: string) => void): Promise<CoreProcess> {
    const child = spawn(process.execPath, ['bin/kiosk.mjs', 'core', '--port', '0', '--db', db], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    const stderr: string[] = [];
    createInterface({ input: child.stderr! }).on('line', (line) => {
      stderr.push(line);
      log(line);
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('core did not start within 20 s'));
      }, 20_000);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`core exited with ${code} before listening:\n${stderr.join('\n')}`));
      });
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const match = /^core listening on (http:\/\/\S+)$/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(new CoreProcess(child, match[1]!, exited));
        } else log(line);
      });
    });
  }

  async kill(): Promise<void> {
    this.#child.kill('SIGKILL');
    await this.#exited;
  }

  /** SIGTERM: drain and close; resolves with the exit code. */
  async stop(): Promise<number | null> {
    this.#child.kill('SIGTERM');
    return this.#exited;
  }
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

type Tender = { name: string; body: Record<string, string>; user: boolean; fixedAmount?: number };

const TENDERS: Tender[] = [
  { name: 'wallet', body: { assetType: 'centrapay.nzd.test', assetId: DEMO.walletId }, user: true },
  {
    name: 'gift card',
    body: { assetType: 'epay.nzd.test', authorization: DEMO.giftCard.number },
    user: false,
  },
  {
    name: 'value voucher',
    body: { assetType: 'voucher.test', authorization: DEMO.valueVoucher.code },
    user: false,
  },
  {
    name: 'fixed voucher',
    body: { assetType: 'voucher.test', authorization: DEMO.fixedVoucher.code },
    user: false,
    fixedAmount: 500,
  },
  { name: 'external', body: { assetType: 'external.test' }, user: false },
];

/** Refusals the rules give in this workload; anything else (a 5xx, CONCURRENT_UPDATE, ...) is a bug. */
const EXPECTED_REFUSALS = new Set([
  'INSUFFICIENT_ASSET_VALUE',
  'INACTIVE_ASSET',
  'INVALID_AMOUNT',
  'ALREADY_REFUNDED',
  'PARTIAL_REFUNDS_NOT_ALLOWED',
]);

describe.each(engines)('crash safety of the core process ($name)', (engine) => {
  it(`keeps the books through ${KILLS} SIGKILLs under load`, async () => {
    const database = await engine.create();
    // Seed and make the signing key before the first start, so the test knows the starting books.
    const setup = await openStorage(database.location);
    const startedAt = Date.now();
    await seedDemo(setup, startedAt);
    const signingKey = await loadSigningKey(setup, startedAt);
    const initialBooks = await booksTotal(setup);
    const initialBalances = new Map(
      (await setup.read.selectFrom('assets').select(['id', 'balance']).execute()).map((a) => [
        a.id,
        Number(a.balance),
      ]),
    );
    await setup.close();
    const consumerToken = await mintUserToken(
      signingKey,
      { userId: DEMO.consumerUserId, accountId: DEMO.consumerAccountId },
      startedAt,
    );

    const serverErrorLogs: string[] = [];
    const log = (line: string) => {
      // pino: level 50 is error (the app logs every 5xx so), 60 fatal.
      if (/"level":(50|60)/.test(line) || /Error/.test(line)) serverErrorLogs.push(line);
    };

    // What the terminals were told.
    const created = new Set<string>();
    const paid = new Map<string, { requestId: string; amount: number; assetType: string }>();
    const refunded = new Map<string, { requestId: string; amount: number }>();
    const refusals: { route: string; status: number; message: unknown }[] = [];
    let unknownOutcomes = 0;
    let kills = 0;

    let core = await CoreProcess.start(database.location, log);
    let ready: Promise<CoreProcess> = Promise.resolve(core);
    let done = false;

    /** One call; undefined when the connection died before an answer (the core was killed). */
    async function send(path: string, body: unknown, user: boolean): Promise<Reply | undefined> {
      try {
        const target = await ready;
        const response = await fetch(`${target.url}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(user ? { authorization: consumerToken } : { 'x-api-key': DEMO.terminalKey }),
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(15_000),
        });
        const text = await response.text();
        return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
      } catch {
        return undefined;
      }
    }

    /** A terminal that did not hear back sends the same call again (same key / externalRef) once the core is back. */
    async function sendUntilAnswered(
      path: string,
      body: unknown,
      user: boolean,
    ): Promise<Reply | undefined> {
      for (let attempt = 0; attempt < 20; attempt++) {
        const reply = await send(path, body, user);
        if (reply) {
          if (reply.status !== 200)
            refusals.push({
              route: path.replace(/\/api\/payment-requests\/[^/]+/, ':id'),
              status: reply.status,
              message: reply.body['message'],
            });
          return reply;
        }
        unknownOutcomes++;
        if (done) return undefined;
        await sleep(25);
      }
      return undefined;
    }

    async function terminal(): Promise<void> {
      while (!done) {
        const tender = TENDERS[randomInt(0, TENDERS.length - 1)]!;
        const amount = tender.fixedAmount ?? randomInt(50, 700);
        const request = await sendUntilAnswered(
          '/api/payment-requests',
          {
            configId: DEMO.configId,
            value: { amount: String(amount), currency: 'NZD' },
            expirySeconds: 3600,
            idempotencyKey: randomUUID(),
          },
          false,
        );
        if (request?.status !== 200) continue;
        const requestId = request.body['id'] as string;
        created.add(requestId);

        const payment = await sendUntilAnswered(
          `/api/payment-requests/${requestId}/pay`,
          { ...tender.body, idempotencyKey: randomUUID() },
          tender.user,
        );
        if (payment?.status !== 200) continue;
        paid.set(payment.body['id'] as string, {
          requestId,
          amount: Number((payment.body['value'] as { amount: string }).amount),
          assetType: tender.body['assetType']!,
        });

        // Give some of it back: a partial refund or two, or a void of what is left.
        const roll = Math.random();
        if (roll < 0.45) {
          const refunds = randomInt(1, 2);
          for (let i = 0; i < refunds; i++) {
            const refund = await sendUntilAnswered(
              `/api/payment-requests/${requestId}/refund`,
              {
                value: { amount: String(randomInt(1, amount)), currency: 'NZD' },
                externalRef: `refund-${randomUUID()}`,
              },
              false,
            );
            if (refund?.status === 200)
              refunded.set(refund.body['id'] as string, {
                requestId,
                amount: Number((refund.body['value'] as { amount: string }).amount),
              });
          }
        } else if (roll < 0.65) {
          const voided = await sendUntilAnswered(
            `/api/payment-requests/${requestId}/void`,
            { idempotencyKey: randomUUID() },
            false,
          );
          if (voided?.status === 200 && voided.body['type'] === 'refund')
            refunded.set(voided.body['id'] as string, {
              requestId,
              amount: Number((voided.body['value'] as { amount: string }).amount),
            });
        }
      }
    }

    const terminals = Array.from({ length: WORKERS }, () => terminal());
    try {
      for (; kills < KILLS; kills++) {
        await sleep(randomInt(250, 1_500));
        let restarted!: (core: CoreProcess) => void;
        let failed!: (error: unknown) => void;
        ready = new Promise((resolve, reject) => ((restarted = resolve), (failed = reject)));
        ready.catch(() => {});
        await core.kill();
        try {
          core = await CoreProcess.start(database.location, log);
        } catch (error) {
          failed(error);
          throw error;
        }
        restarted(core);
      }
      // Some business on the last restart, then the terminals close for the day.
      await sleep(1_000);
    } finally {
      done = true;
      await Promise.all(terminals);
    }
    expect(await core.stop()).toBe(0);

    console.log(
      `${engine.name}: ${kills} kills, ${created.size} requests, ${paid.size} payments and ${refunded.size} refunds answered 200, ` +
        `${unknownOutcomes} calls cut off by a kill`,
    );
    expect(kills).toBeGreaterThanOrEqual(5);
    // The workload really ran, and the kills really cut calls off mid-flight.
    expect(paid.size).toBeGreaterThan(20);
    expect(refunded.size).toBeGreaterThan(5);
    expect(unknownOutcomes).toBeGreaterThan(0);
    // The core logs every 5xx whole: show those first, they say what went wrong.
    // Soft, so the database checks below still run and say what was lost.
    expect.soft(serverErrorLogs).toEqual([]);
    expect
      .soft(refusals.filter((r) => r.status >= 500 || !EXPECTED_REFUSALS.has(String(r.message))))
      .toEqual([]);

    const storage = await openStorage(database.location);
    try {
      expect(await booksTotal(storage)).toBe(initialBooks);

      const requests = await storage.read
        .selectFrom('payment_requests')
        .select([
          'id',
          'status',
          'amount',
          'paid_amount',
          'refunded_amount',
          'paid_asset_id',
          'activity_count',
        ])
        .execute();
      const activities = await storage.read
        .selectFrom('activities')
        .select([
          'id',
          'payment_request_id',
          'type',
          'amount',
          'asset_id',
          'asset_type',
          'activity_number',
        ])
        .execute();
      const byRequest = new Map<string, typeof activities>();
      for (const activity of activities) {
        byRequest.set(activity.payment_request_id, [
          ...(byRequest.get(activity.payment_request_id) ?? []),
          activity,
        ]);
      }

      for (const request of requests) {
        const own = byRequest.get(request.id) ?? [];
        const payments = own.filter((a) => a.type === 'payment');
        const refunds = own.filter((a) => a.type === 'refund');
        const sum = (list: typeof own) => list.reduce((total, a) => total + Number(a.amount), 0);
        const where = `request ${request.id} (${request.status})`;
        if (request.status === 'paid') expect(payments, where).toHaveLength(1);
        expect(payments.length, where).toBeLessThanOrEqual(1);
        expect(Number(request.paid_amount), where).toBe(sum(payments));
        expect(Number(request.refunded_amount), where).toBe(sum(refunds));
        expect(Number(request.refunded_amount), where).toBeLessThanOrEqual(
          Number(request.paid_amount),
        );
        if (request.status === 'new')
          expect(
            own.map((a) => a.type),
            where,
          ).toEqual(['request']);
        // Activity numbers run 1, 2, 3... with no gap a lost write would leave.
        expect(
          own.map((a) => Number(a.activity_number)).sort((a, b) => a - b),
          where,
        ).toEqual(Array.from({ length: Number(request.activity_count) }, (_, i) => i + 1));
        for (const a of [...payments, ...refunds])
          expect(a.asset_id, where).toBe(request.paid_asset_id);
      }

      // Per asset: where it started, less what paid, plus what came back, is where it is.
      const assets = await storage.read.selectFrom('assets').select(['id', 'balance']).execute();
      for (const asset of assets) {
        const moved = activities
          .filter((a) => a.asset_id === asset.id)
          .reduce(
            (total, a) =>
              total +
              (a.type === 'payment'
                ? -Number(a.amount)
                : a.type === 'refund'
                  ? Number(a.amount)
                  : 0),
            0,
          );
        expect(Number(asset.balance), `asset ${asset.id}`).toBe(
          initialBalances.get(asset.id)! + moved,
        );
        expect(Number(asset.balance), `asset ${asset.id}`).toBeGreaterThanOrEqual(0);
      }
      const storedValue = (type: string | null) =>
        type !== null && !type.startsWith('external.') && !type.startsWith('centrapay.token.');
      const takings = await storage.read.selectFrom('merchant_takings').select('amount').execute();
      expect(takings.reduce((total, t) => total + Number(t.amount), 0)).toBe(
        activities
          .filter((a) => storedValue(a.asset_type))
          .reduce(
            (total, a) =>
              total +
              (a.type === 'payment'
                ? Number(a.amount)
                : a.type === 'refund'
                  ? -Number(a.amount)
                  : 0),
            0,
          ),
      );

      // Durable before reply: everything a terminal heard "200" for is in the database.
      const requestIds = new Set(requests.map((r) => r.id));
      expect([...created].filter((id) => !requestIds.has(id))).toEqual([]);
      const stored = new Map(activities.map((a) => [a.id, a]));
      for (const [id, payment] of paid) {
        expect(stored.get(id), `payment ${id}`).toMatchObject({
          type: 'payment',
          payment_request_id: payment.requestId,
          asset_type: payment.assetType,
        });
        expect(Number(stored.get(id)!.amount)).toBe(payment.amount);
      }
      for (const [id, refund] of refunded) {
        expect(stored.get(id), `refund ${id}`).toMatchObject({
          type: 'refund',
          payment_request_id: refund.requestId,
        });
        expect(Number(stored.get(id)!.amount)).toBe(refund.amount);
      }
    } finally {
      await storage.close();
      await database.drop();
    }
  }, 90_000);
});
