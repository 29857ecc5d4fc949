// Races against a real, listening core: many terminals (real HTTP over loopback) hitting one
// payment request at the same moment. What a merchant or a consumer would notice: a request
// paid twice, a card debited twice, refunds that give back more than was paid, a 5xx.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mintUserToken } from '../../core/auth/user-tokens.ts';
import { startCore, type RunningCore } from '../../core/server.ts';
import { DEMO } from '../../core/seed/demo.ts';
import { booksTotal } from '../support/core.ts';
import { engines, type TestDatabase } from '../support/databases.ts';

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

type Auth = { key: string } | { token: string };

const GIFT_CARD = { assetType: 'epay.nzd.test', authorization: DEMO.giftCard.number } as const;
const VALUE_VOUCHER = { assetType: 'voucher.test', authorization: DEMO.valueVoucher.code } as const;
const WALLET = { assetType: 'centrapay.nzd.test', assetId: DEMO.walletId } as const;

describe.each(engines)('concurrent writers on a real server ($name)', (engine) => {
  let database: TestDatabase;
  let core: RunningCore;
  let consumerToken: string;
  /** Every reply any test here received, so a 5xx anywhere is caught. */
  let replies: { route: string; reply: Reply }[];

  beforeEach(async () => {
    database = await engine.create();
    core = await startCore({ db: database.location, port: 0 });
    consumerToken = await mintUserToken(
      core.app.services.signingKey,
      { userId: DEMO.consumerUserId, accountId: DEMO.consumerAccountId },
      Date.now(),
    );
    replies = [];
  });

  afterEach(async () => {
    await core.close();
    await database.drop();
  });

  afterEach(() => {
    const serverErrors = replies.filter(({ reply }) => reply.status >= 500);
    expect(serverErrors, 'a 5xx is always a bug').toEqual([]);
  });

  async function call(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    auth: Auth = { key: DEMO.terminalKey },
  ): Promise<Reply> {
    const headers: Record<string, string> =
      'key' in auth ? { 'x-api-key': auth.key } : { authorization: auth.token };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${core.url}${path}`, {
      method,
      headers,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const reply = {
      status: response.status,
      body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
    };
    replies.push({ route: `${method} ${path}`, reply });
    return reply;
  }

  /** The same call `n` times, all sent before any answer arrives. */
  function burst(n: number, send: (i: number) => Promise<Reply>): Promise<Reply[]> {
    return Promise.all(Array.from({ length: n }, (_, i) => send(i)));
  }

  async function createRequest(amount: number): Promise<string> {
    const reply = await call('POST', '/api/payment-requests', {
      configId: DEMO.configId,
      value: { amount: String(amount), currency: 'NZD' },
      expirySeconds: 3600,
    });
    expect(reply.status).toBe(200);
    return reply.body['id'] as string;
  }

  function authFor(tender: { assetType: string }): Auth {
    return tender.assetType.startsWith('centrapay.')
      ? { token: consumerToken }
      : { key: DEMO.terminalKey };
  }

  async function balance(assetId: string): Promise<number> {
    const row = await core.storage.read
      .selectFrom('assets')
      .select('balance')
      .where('id', '=', assetId)
      .executeTakeFirstOrThrow();
    return Number(row.balance);
  }

  async function activities(
    requestId: string,
  ): Promise<{ id: string; type: string; value: { amount: string } }[]> {
    const reply = await call('GET', `/api/payment-requests/${requestId}/activities`);
    expect(reply.status).toBe(200);
    return reply.body['items'] as { id: string; type: string; value: { amount: string } }[];
  }

  const codes = (list: Reply[]) => list.map((reply) => reply.body['message']);
  const ok = (list: Reply[]) => list.filter((reply) => reply.status === 200);
  const refused = (list: Reply[]) => list.filter((reply) => reply.status !== 200);

  async function payInFull(
    requestId: string,
    tender: { assetType: string } & Record<string, string>,
  ): Promise<void> {
    const reply = await call(
      'POST',
      `/api/payment-requests/${requestId}/pay`,
      tender,
      authFor(tender),
    );
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  }

  describe.each([
    { name: 'gift card', tender: GIFT_CARD, assetId: DEMO.giftCard.id },
    { name: 'wallet', tender: WALLET, assetId: DEMO.walletId },
  ])('50 simultaneous pays of one request with the $name', ({ tender, assetId }) => {
    it('exactly one wins, the rest are REQUEST_PAID, and the asset is debited once', async () => {
      const books = await booksTotal(core.storage);
      const before = await balance(assetId);
      const requestId = await createRequest(1234);

      const results = await burst(50, (i) =>
        call(
          'POST',
          `/api/payment-requests/${requestId}/pay`,
          { ...tender, idempotencyKey: `pay-${i}` },
          authFor(tender),
        ),
      );

      expect(ok(results)).toHaveLength(1);
      expect(refused(results).map((r) => r.status)).toEqual(Array(49).fill(403));
      expect(codes(refused(results))).toEqual(Array(49).fill('REQUEST_PAID'));
      expect(ok(results)[0]!.body).toMatchObject({
        type: 'payment',
        value: { amount: '1234', currency: 'NZD' },
      });

      expect(await balance(assetId)).toBe(before - 1234);
      expect((await activities(requestId)).filter((a) => a.type === 'payment')).toHaveLength(1);
      const request = await call('GET', `/api/payment-requests/${requestId}`);
      expect(request.body).toMatchObject({
        status: 'paid',
        paidBy: { assetTotals: [{ type: tender.assetType, total: { amount: '1234' } }] },
      });
      expect(await booksTotal(core.storage)).toBe(books);
    });
  });

  it('50 simultaneous pays of different requests never take a gift card below zero', async () => {
    const before = await balance(DEMO.giftCard.id);
    // 50 × 3.00 = 150.00 asked of a 50.00 card: only 16 fit.
    const requestIds = await Promise.all(Array.from({ length: 50 }, () => createRequest(300)));
    const results = await burst(50, (i) =>
      call('POST', `/api/payment-requests/${requestIds[i]}/pay`, GIFT_CARD),
    );

    const paid = ok(results).length;
    expect(paid).toBe(Math.floor(before / 300));
    expect(new Set(codes(refused(results)))).toEqual(new Set(['INSUFFICIENT_ASSET_VALUE']));
    expect(await balance(DEMO.giftCard.id)).toBe(before - paid * 300);
  });

  it('50 simultaneous partial refunds never give back more than was paid', async () => {
    const books = await booksTotal(core.storage);
    const walletBefore = await balance(DEMO.walletId);
    const requestId = await createRequest(5_000);
    await payInFull(requestId, WALLET);
    expect(await balance(DEMO.walletId)).toBe(walletBefore - 5_000);

    // Amounts from 1.01 to 2.97, 98.50 in all: about half of them can be honoured.
    const amounts = Array.from({ length: 50 }, (_, i) => 101 + ((i * 37) % 197));
    expect(amounts.reduce((a, b) => a + b, 0)).toBeGreaterThan(5_000);
    const results = await burst(50, (i) =>
      call('POST', `/api/payment-requests/${requestId}/refund`, {
        value: { amount: String(amounts[i]), currency: 'NZD' },
        externalRef: `refund-${i}`,
      }),
    );

    const refundActivities = (await activities(requestId)).filter((a) => a.type === 'refund');
    const refunded = refundActivities.reduce((sum, a) => sum + Number(a.value.amount), 0);
    expect(refunded).toBeLessThanOrEqual(5_000);
    expect(refundActivities).toHaveLength(ok(results).length);
    expect(refunded).toBe(
      ok(results).reduce(
        (sum, r) => sum + Number((r.body['value'] as { amount: string }).amount),
        0,
      ),
    );
    expect(new Set(refundActivities.map((a) => a.id))).toEqual(
      new Set(ok(results).map((r) => r.body['id'])),
    );

    // Every refusal is one the rules give, and only for an amount that really did not fit.
    const remaining = 5_000 - refunded;
    results.forEach((reply, i) => {
      if (reply.status === 200) return;
      expect(reply.status).toBe(403);
      expect(['INVALID_AMOUNT', 'ALREADY_REFUNDED']).toContain(reply.body['message']);
      if (reply.body['message'] === 'INVALID_AMOUNT') expect(amounts[i]).toBeGreaterThan(remaining);
      else expect(remaining).toBe(0);
    });
    // Refunds are granted while they fit, so what is left is less than the smallest refused amount.
    const refusedAmounts = amounts.filter((_, i) => results[i]!.status !== 200);
    expect(refusedAmounts.length).toBeGreaterThan(0);
    expect(remaining).toBeLessThan(Math.min(...refusedAmounts));

    expect(await balance(DEMO.walletId)).toBe(walletBefore - 5_000 + refunded);
    expect(await booksTotal(core.storage)).toBe(books);
  });

  it('20 simultaneous repeats of one pay (same idempotencyKey and body) answer the same payment, debiting once', async () => {
    const before = await balance(DEMO.giftCard.id);
    const requestId = await createRequest(1_500);
    const body = { ...GIFT_CARD, idempotencyKey: 'terminal-7-attempt-1' };

    const results = await burst(20, () =>
      call('POST', `/api/payment-requests/${requestId}/pay`, body),
    );

    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const ids = new Set(results.map((r) => r.body['id']));
    expect(ids.size).toBe(1);
    const payments = (await activities(requestId)).filter((a) => a.type === 'payment');
    expect(payments.map((a) => a.id)).toEqual([...ids]);
    expect(await balance(DEMO.giftCard.id)).toBe(before - 1_500);

    // Another body under the same key is refused, and moves nothing.
    const other = await call('POST', `/api/payment-requests/${requestId}/pay`, {
      ...VALUE_VOUCHER,
      idempotencyKey: body.idempotencyKey,
    });
    expect(other.status).toBe(403);
    expect(other.body['message']).toBe('IDEMPOTENT_OPERATION_FAILED');
    // And a repeat after all that still answers the first payment.
    const again = await call('POST', `/api/payment-requests/${requestId}/pay`, body);
    expect(again.status).toBe(200);
    expect(again.body['id']).toBe([...ids][0]);
    expect(await balance(DEMO.giftCard.id)).toBe(before - 1_500);
    expect(await balance(DEMO.valueVoucher.id)).toBe(2_000);
  });

  it('one idempotencyKey raced with two different bodies: one body wins whole, the other is IDEMPOTENT_OPERATION_FAILED', async () => {
    const requestId = await createRequest(1_000);
    const key = 'shared-key';
    const results = await burst(20, (i) =>
      call('POST', `/api/payment-requests/${requestId}/pay`, {
        ...(i % 2 === 0 ? GIFT_CARD : VALUE_VOUCHER),
        idempotencyKey: key,
      }),
    );
    const giftCardReplies = results.filter((_, i) => i % 2 === 0);
    const voucherReplies = results.filter((_, i) => i % 2 === 1);
    const [winners, losers] =
      giftCardReplies[0]!.status === 200
        ? [giftCardReplies, voucherReplies]
        : [voucherReplies, giftCardReplies];

    expect(winners.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(new Set(winners.map((r) => r.body['id'])).size).toBe(1);
    expect(losers.map((r) => [r.status, r.body['message']])).toEqual(
      Array(10).fill([403, 'IDEMPOTENT_OPERATION_FAILED']),
    );

    const debited =
      5_000 - (await balance(DEMO.giftCard.id)) + (2_000 - (await balance(DEMO.valueVoucher.id)));
    expect(debited).toBe(1_000);
  });

  it('20 simultaneous refunds with the same externalRef and amount make one refund', async () => {
    const before = await balance(DEMO.giftCard.id);
    const requestId = await createRequest(2_000);
    await payInFull(requestId, GIFT_CARD);

    const refund = { value: { amount: '700', currency: 'NZD' }, externalRef: 'till-roll-42' };
    const results = await burst(20, () =>
      call('POST', `/api/payment-requests/${requestId}/refund`, refund),
    );

    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(results.map((r) => r.body['id'])).size).toBe(1);
    const refunds = (await activities(requestId)).filter((a) => a.type === 'refund');
    expect(refunds.map((a) => [a.id, a.value.amount])).toEqual([[results[0]!.body['id'], '700']]);
    expect(await balance(DEMO.giftCard.id)).toBe(before - 2_000 + 700);

    // The same reference with another amount is REPEAT_REFERENCE, also under a race.
    const clash = await burst(10, () =>
      call('POST', `/api/payment-requests/${requestId}/refund`, {
        ...refund,
        value: { amount: '300', currency: 'NZD' },
      }),
    );
    expect(clash.map((r) => [r.status, r.body['message']])).toEqual(
      Array(10).fill([403, 'REPEAT_REFERENCE']),
    );
    expect(await balance(DEMO.giftCard.id)).toBe(before - 2_000 + 700);
  });
});
