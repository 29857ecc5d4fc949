import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../core/seed/demo.ts';
import { booksTotal, buildTestCore, nzd, PUBLIC_BASE_URL, type TestCore } from '../support/core.ts';
import { engines } from '../support/databases.ts';

describe.each(engines)('payment requests on $name', (engine) => {
  let core: TestCore;
  beforeEach(async () => {
    core = await buildTestCore(engine);
  });
  afterEach(async () => {
    await core.close();
  });

  async function create(body: Record<string, unknown> = {}) {
    const reply = await core.call({
      method: 'POST',
      url: '/api/payment-requests',
      payload: { configId: DEMO.configId, value: nzd(2500), ...body },
    });
    expect(reply.statusCode, reply.body).toBe(200);
    return reply.json<{ id: string; shortCode: string; status: string; [k: string]: unknown }>();
  }

  const pay = (
    id: string,
    body: Record<string, unknown>,
    auth: { key?: string | null; token?: string } = {},
  ) =>
    core.call({ method: 'POST', url: `/api/payment-requests/${id}/pay`, payload: body, ...auth });
  const get = async (id: string) =>
    (await core.call({ method: 'GET', url: `/api/payment-requests/${id}` })).json();
  const asset = (id: string) =>
    core.storage.read
      .selectFrom('assets')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const voucher = (code: string) => ({ assetType: 'voucher.test', authorization: code });

  describe('create', () => {
    it('answers the request with its pay URL, short code, options and defaults', async () => {
      const request = await create({
        externalRef: 'order-1',
        terminalId: 'kiosk-1',
        deviceId: 'dev-1',
        lineItems: [{ name: 'Flat white', sku: 'fw', qty: '1', price: '2500' }],
      });
      expect(request).toMatchObject({
        status: 'new',
        liveness: 'test',
        merchantName: 'Demo Café',
        configId: DEMO.configId,
        value: nzd(2500),
        expirySeconds: 120,
        remainingAmount: '2500',
        externalRef: 'order-1',
        terminalId: 'kiosk-1',
        deviceId: 'dev-1',
        url: `${PUBLIC_BASE_URL}/pay/${request.id}`,
      });
      expect(request.id.length).toBeGreaterThanOrEqual(16);
      expect(request.shortCode).toMatch(/^CP-[0-9A-Z]{3}-[0-9A-Z]{3}$/);
      expect(
        Date.parse(request.expiresAt as string) - Date.parse(request.createdAt as string),
      ).toBe(120_000);
      expect((request.paymentOptions as { assetType: string }[]).map((o) => o.assetType)).toContain(
        'centrapay.nzd.test',
      );
    });

    it('refuses line items that do not sum to the value', async () => {
      const reply = await core.call({
        method: 'POST',
        url: '/api/payment-requests',
        payload: {
          configId: DEMO.configId,
          value: nzd(2500),
          lineItems: [{ name: 'Tea', qty: '1', price: '2000' }],
        },
      });
      expect(reply.statusCode).toBe(400);
      expect(reply.json().message).toBe('LINE_ITEMS_SUM_CHECK_FAILED');
    });

    it.each([
      [{ value: nzd(2500) }, 'configId'],
      [{ configId: DEMO.configId, value: { amount: '0', currency: 'NZD' } }, 'amount'],
      [{ configId: DEMO.configId, value: { amount: '100000000', currency: 'NZD' } }, 'amount'],
      [{ configId: DEMO.configId, value: { amount: '12.50', currency: 'NZD' } }, 'amount'],
      [{ configId: DEMO.configId, value: { amount: '100', currency: 'USD' } }, 'currency'],
      [{ configId: DEMO.configId, value: nzd(100), expirySeconds: -5 }, 'expirySeconds'],
    ])('names the malformed field (%j → %s)', async (payload, field) => {
      const reply = await core.call({ method: 'POST', url: '/api/payment-requests', payload });
      expect(reply.statusCode).toBe(400);
      expect(reply.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(reply.json().message).toContain(field);
    });

    it('refuses NUL characters in any field with a 400 naming it, on every engine', async () => {
      const reply = await core.call({
        method: 'POST',
        url: '/api/payment-requests',
        payload: { configId: DEMO.configId, value: nzd(100), externalRef: 'a\u0000b' },
      });
      expect(reply.statusCode).toBe(400);
      expect(reply.json().message).toBe('body/externalRef must not contain a NUL character');
      const inPath = await core.call({ method: 'GET', url: '/api/payment-requests/ab%00cd' });
      expect(inPath.statusCode).toBe(400);
      expect(inPath.json().message).toContain('params/id');
    });

    it('refuses a body over 64 KB with 413', async () => {
      const reply = await core.call({
        method: 'POST',
        url: '/api/payment-requests',
        payload: {
          configId: DEMO.configId,
          value: nzd(100),
          externalRef: 'x',
          padding: 'y'.repeat(70_000),
        },
      });
      expect(reply.statusCode).toBe(413);
    });

    it('is idempotent by idempotencyKey', async () => {
      const first = await create({ idempotencyKey: 'k-1' });
      const again = await create({ idempotencyKey: 'k-1' });
      expect(again.id).toBe(first.id);
      const other = await core.call({
        method: 'POST',
        url: '/api/payment-requests',
        payload: { configId: DEMO.configId, value: nzd(999), idempotencyKey: 'k-1' },
      });
      expect(other.statusCode).toBe(403);
      expect(other.json().message).toBe('IDEMPOTENT_OPERATION_FAILED');
    });

    it('refuses an unknown config as Forbidden, and bad credentials as 401', async () => {
      const unknown = await core.call({
        method: 'POST',
        url: '/api/payment-requests',
        payload: { configId: 'mc_nope', value: nzd(100) },
      });
      expect(unknown.statusCode).toBe(403);
      expect(unknown.json().message).toBe('Forbidden');
      const noKey = await core.call({
        method: 'POST',
        url: '/api/payment-requests',
        payload: { configId: DEMO.configId, value: nzd(100) },
        key: null,
      });
      expect(noKey.statusCode).toBe(401);
      const badKey = await core.call({
        method: 'POST',
        url: '/api/payment-requests',
        payload: { configId: DEMO.configId, value: nzd(100) },
        key: 'wrong',
      });
      expect(badKey.statusCode).toBe(401);
    });

    it('lets the account owner create, but not a consumer', async () => {
      const owner = await core.call({
        method: 'POST',
        url: '/api/payment-requests',
        payload: { configId: DEMO.configId, value: nzd(100) },
        key: DEMO.ownerKey,
      });
      expect(owner.statusCode).toBe(200);
      const consumer = await core.call({
        method: 'POST',
        url: '/api/payment-requests',
        payload: { configId: DEMO.configId, value: nzd(100) },
        token: await core.consumerToken(),
      });
      expect(consumer.statusCode).toBe(403);
    });
  });

  describe('read', () => {
    it('finds a request by id, by short code (typed loosely) and by external reference', async () => {
      const request = await create({ externalRef: 'receipt-77' });
      expect((await get(request.id)).id).toBe(request.id);
      const typed = request.shortCode.toLowerCase().replace(/-/g, '');
      const byCode = await core.call({
        method: 'GET',
        url: `/api/payment-requests/short-code/${typed}`,
      });
      expect(byCode.json().id).toBe(request.id);
      const list = await core.call({
        method: 'GET',
        url: '/api/payment-requests/external-ref/receipt-77',
      });
      expect(list.json().items.map((r: { id: string }) => r.id)).toEqual([request.id]);
    });

    it('says CHECKSUM_FAILED for a short code with a wrong check character', async () => {
      const request = await create();
      const last = request.shortCode.at(-1)!;
      const wrong = request.shortCode.slice(0, -1) + (last === '0' ? '1' : '0');
      const reply = await core.call({
        method: 'GET',
        url: `/api/payment-requests/short-code/${wrong}`,
      });
      expect(reply.statusCode).toBe(400);
      expect(reply.json().message).toBe('CHECKSUM_FAILED');
    });

    it('pages through requests sharing an external reference, newest first', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await create({ externalRef: 'shared' })).id);
        core.clock.advance(1000);
      }
      const seen: string[] = [];
      let pageKey: string | undefined;
      do {
        const query = new URLSearchParams({ paginationLimit: '2', ...(pageKey && { pageKey }) });
        const page = (
          await core.call({
            method: 'GET',
            url: `/api/payment-requests/external-ref/shared?${query}`,
          })
        ).json();
        seen.push(...page.items.map((r: { id: string }) => r.id));
        pageKey = page.nextPageKey;
      } while (pageKey);
      expect(seen).toEqual(ids.reverse());
    });

    it('hides another merchant account’s requests and unknown ids alike (403)', async () => {
      const unknown = await core.call({
        method: 'GET',
        url: '/api/payment-requests/does-not-exist',
      });
      expect(unknown.statusCode).toBe(403);
      const unknownRoute = await core.call({ method: 'GET', url: '/api/nothing-here' });
      expect(unknownRoute.statusCode).toBe(404);
    });

    it('lets a consumer read a request to pay it', async () => {
      const request = await create();
      const reply = await core.call({
        method: 'GET',
        url: `/api/payment-requests/${request.id}`,
        token: `Bearer ${await core.consumerToken()}`,
      });
      expect(reply.statusCode).toBe(200);
    });
  });

  describe('pay', () => {
    it('with the consumer wallet: paid, paidBy described, balance and books moved together', async () => {
      const before = await booksTotal(core.storage);
      const request = await create();
      const reply = await pay(
        request.id,
        { assetType: 'centrapay.nzd.test', assetId: DEMO.walletId },
        { token: await core.consumerToken() },
      );
      expect(reply.statusCode, reply.body).toBe(200);
      expect(reply.json()).toMatchObject({
        type: 'payment',
        value: nzd(2500),
        assetType: 'centrapay.nzd.test',
        paymentRequestId: request.id,
        activityNumber: '2',
      });
      const paid = await get(request.id);
      expect(paid.status).toBe('paid');
      expect(paid.remainingAmount).toBe('0');
      expect(paid.paidBy).toEqual({
        assetTotals: [
          { type: 'centrapay.nzd.test', description: 'Centrapay NZD wallet', total: nzd(2500) },
        ],
      });
      expect((await asset(DEMO.walletId)).balance).toBe(50_000 - 2500);
      expect(await booksTotal(core.storage)).toBe(before);
    });

    it('refuses a terminal paying with a consumer wallet, and a consumer presenting a voucher', async () => {
      const request = await create();
      expect(
        (await pay(request.id, { assetType: 'centrapay.nzd.test', assetId: DEMO.walletId }))
          .statusCode,
      ).toBe(403);
      const consumer = await pay(request.id, voucher(DEMO.valueVoucher.code), {
        token: await core.consumerToken(),
      });
      expect(consumer.statusCode).toBe(403);
      expect((await get(request.id)).status).toBe('new');
    });

    it('with a value voucher: takes part of its balance', async () => {
      const request = await create({ value: nzd(1500) });
      const reply = await pay(request.id, voucher(DEMO.valueVoucher.code));
      expect(reply.statusCode).toBe(200);
      expect((await asset(DEMO.valueVoucher.id)).balance).toBe(500);
      expect((await get(request.id)).paidBy.assetTotals[0].description).toBe('Voucher');
    });

    it('with a voucher short of the amount: INSUFFICIENT_ASSET_VALUE and nothing taken', async () => {
      const request = await create({ value: nzd(2500) });
      const reply = await pay(request.id, voucher(DEMO.valueVoucher.code));
      expect(reply.statusCode).toBe(403);
      expect(reply.json().message).toBe('INSUFFICIENT_ASSET_VALUE');
      expect((await asset(DEMO.valueVoucher.id)).balance).toBe(2000);
    });

    it('with a fixed-amount voucher: pays its amount once; partial requests keep the rest open', async () => {
      const exact = await create({ value: nzd(500) });
      expect((await pay(exact.id, voucher(DEMO.fixedVoucher.code))).statusCode).toBe(200);
      const again = await create({ value: nzd(500) });
      const reuse = await pay(again.id, voucher(DEMO.fixedVoucher.code));
      expect(reuse.json().message).toBe('INACTIVE_ASSET');
    });

    it('with a partial-payment request: the voucher pays what it covers and remainingAmount shows the rest', async () => {
      const request = await create({
        value: nzd(3000),
        partialAllowed: true,
        basketAmount: '3000',
      });
      const reply = await pay(request.id, voucher(DEMO.valueVoucher.code));
      expect(reply.statusCode).toBe(200);
      const paid = await get(request.id);
      expect(paid).toMatchObject({ status: 'paid', remainingAmount: '1000' });
      expect((await asset(DEMO.valueVoucher.id)).balance).toBe(0);
    });

    it('with an expired voucher: INACTIVE_ASSET', async () => {
      const request = await create({ value: nzd(100) });
      expect((await pay(request.id, voucher(DEMO.expiredVoucher.code))).json().message).toBe(
        'INACTIVE_ASSET',
      );
    });

    it('with an unknown code: ASSET_REDEMPTION_DENIED naming why, then locked out with Retry-After', async () => {
      const request = await create({ value: nzd(100) });
      for (let i = 0; i < 5; i++) {
        const reply = await pay(request.id, voucher('00000000'));
        expect(reply.json()).toMatchObject({
          message: 'ASSET_REDEMPTION_DENIED',
          reason: 'UNKNOWN_CODE',
        });
      }
      const locked = await pay(request.id, voucher('00000000'));
      expect(locked.statusCode).toBe(429);
      expect(locked.json().message).toBe('RATE_LIMIT_EXCEEDED');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      // The lock lifts once the window has passed.
      core.clock.advance(15 * 60 * 1000 + 1);
      const later = await create({ value: nzd(100) });
      expect((await pay(later.id, voucher(DEMO.valueVoucher.code))).statusCode).toBe(200);
    });

    it('locks a terminal that tries many different codes', async () => {
      const request = await create({ value: nzd(100) });
      for (let i = 0; i < 10; i++) await pay(request.id, voucher(`1000000${i}`));
      const locked = await pay(request.id, voucher(DEMO.valueVoucher.code));
      expect(locked.statusCode).toBe(429);
    });

    it('with the gift card and with an external tender', async () => {
      const card = await create({ value: nzd(1234) });
      expect(
        (await pay(card.id, { assetType: 'epay.nzd.test', authorization: DEMO.giftCard.number }))
          .statusCode,
      ).toBe(200);
      expect((await asset(DEMO.giftCard.id)).balance).toBe(5000 - 1234);
      const cash = await create({ value: nzd(800) });
      const reply = await pay(cash.id, {
        assetType: 'external.test',
        externalPaymentRef: 'till-9',
      });
      expect(reply.statusCode).toBe(200);
      expect((await get(cash.id)).paidBy.assetTotals[0]).toMatchObject({
        type: 'external.test',
        total: nzd(800),
      });
    });

    it('with a token: pays the eligible line item', async () => {
      const request = await create({
        value: nzd(450),
        lineItems: [{ name: 'Coffee', sku: DEMO.tokenSku, qty: '1', price: '450' }],
      });
      const reply = await pay(
        request.id,
        { assetType: 'centrapay.token.test', assetId: DEMO.tokenId },
        { token: await core.consumerToken() },
      );
      expect(reply.statusCode, reply.body).toBe(200);
      expect((await asset(DEMO.tokenId)).status).toBe('spent');
    });

    it('refuses an asset type the request does not offer', async () => {
      const request = await create();
      const reply = await pay(
        request.id,
        { assetType: 'centrapay.nzd.main', assetId: DEMO.walletId },
        { token: await core.consumerToken() },
      );
      expect(reply.json().message).toBe('INVALID_ASSET_TYPE');
    });

    it('refuses to pay twice: REQUEST_PAID, and repeats an idempotent pay without paying again', async () => {
      const request = await create({ value: nzd(100) });
      const first = await pay(request.id, {
        ...voucher(DEMO.valueVoucher.code),
        idempotencyKey: 'p-1',
      });
      const repeat = await pay(request.id, {
        ...voucher(DEMO.valueVoucher.code),
        idempotencyKey: 'p-1',
      });
      expect(repeat.statusCode).toBe(200);
      expect(repeat.json().id).toBe(first.json().id);
      const second = await pay(request.id, {
        ...voucher(DEMO.valueVoucher.code),
        idempotencyKey: 'p-2',
      });
      expect(second.json().message).toBe('REQUEST_PAID');
      expect((await asset(DEMO.valueVoucher.id)).balance).toBe(1900);
    });
  });

  describe('expiry', () => {
    it('is exact at expiresAt for readers and payers', async () => {
      const request = await create({ expirySeconds: 30 });
      core.clock.advance(29_999);
      expect((await get(request.id)).status).toBe('new');
      core.clock.advance(1);
      const expired = await get(request.id);
      expect(expired).toMatchObject({
        status: 'expired',
        cancellationReason: 'PAYMENT_REQUEST_EXPIRED',
      });
      const reply = await pay(request.id, voucher(DEMO.valueVoucher.code));
      expect(reply.json().message).toBe('REQUEST_EXPIRED');
      expect(
        (
          await core.call({ method: 'POST', url: `/api/payment-requests/${request.id}/void` })
        ).json().message,
      ).toBe('REQUEST_EXPIRED');
    });
  });

  describe('void', () => {
    it('cancels an unpaid request, and again answers the same cancellation', async () => {
      const request = await create();
      const reply = await core.call({
        method: 'POST',
        url: `/api/payment-requests/${request.id}/void`,
      });
      expect(reply.statusCode).toBe(200);
      expect(reply.json()).toMatchObject({
        type: 'cancellation',
        cancellationReason: 'CANCELLED_BY_MERCHANT',
      });
      expect((await get(request.id)).status).toBe('cancelled');
      const again = await core.call({
        method: 'POST',
        url: `/api/payment-requests/${request.id}/void`,
      });
      expect(again.json().id).toBe(reply.json().id);
      expect((await pay(request.id, voucher(DEMO.valueVoucher.code))).json().message).toBe(
        'REQUEST_CANCELLED',
      );
    });

    it('refunds a paid request in full within 24 hours, and not after', async () => {
      const request = await create({ value: nzd(700) });
      await pay(request.id, voucher(DEMO.valueVoucher.code));
      const reply = await core.call({
        method: 'POST',
        url: `/api/payment-requests/${request.id}/void`,
      });
      expect(reply.json()).toMatchObject({ type: 'refund', value: nzd(700) });
      expect((await asset(DEMO.valueVoucher.id)).balance).toBe(2000);
      expect((await get(request.id)).status).toBe('cancelled');

      const late = await create({ value: nzd(700) });
      await pay(late.id, voucher(DEMO.valueVoucher.code));
      core.clock.advance(24 * 3600 * 1000 + 1);
      expect(
        (await core.call({ method: 'POST', url: `/api/payment-requests/${late.id}/void` })).json()
          .message,
      ).toBe('VOID_WINDOW_EXCEEDED');
    });

    it('is refused to a consumer', async () => {
      const request = await create();
      const reply = await core.call({
        method: 'POST',
        url: `/api/payment-requests/${request.id}/void`,
        token: await core.consumerToken(),
      });
      expect(reply.statusCode).toBe(403);
      expect((await get(request.id)).status).toBe('new');
    });
  });

  describe('refund', () => {
    const refund = (id: string, amount: number, externalRef: string) =>
      core.call({
        method: 'POST',
        url: `/api/payment-requests/${id}/refund`,
        payload: { value: nzd(amount), externalRef },
      });

    it('refunds in parts, never above what was paid, idempotent by externalRef', async () => {
      const before = await booksTotal(core.storage);
      const request = await create({ value: nzd(2000) });
      await pay(request.id, voucher(DEMO.valueVoucher.code));
      expect((await refund(request.id, 500, 'r1')).json()).toMatchObject({
        type: 'refund',
        value: nzd(500),
        externalRef: 'r1',
      });
      expect((await refund(request.id, 500, 'r1')).statusCode).toBe(200);
      expect((await refund(request.id, 600, 'r1')).json().message).toBe('REPEAT_REFERENCE');
      expect((await refund(request.id, 1600, 'r2')).json().message).toBe('INVALID_AMOUNT');
      expect((await refund(request.id, 1500, 'r3')).statusCode).toBe(200);
      expect((await refund(request.id, 1, 'r4')).json().message).toBe('ALREADY_REFUNDED');
      expect((await asset(DEMO.valueVoucher.id)).balance).toBe(2000);
      expect(await booksTotal(core.storage)).toBe(before);
      const activities = (
        await core.call({ method: 'GET', url: `/api/payment-requests/${request.id}/activities` })
      ).json().items;
      expect(
        activities.map(
          (a: { type: string; activityNumber: string }) => `${a.activityNumber}:${a.type}`,
        ),
      ).toEqual(['4:refund', '3:refund', '2:payment', '1:request']);
    });

    it('says NOT_PAID for an unpaid request and PARTIAL_REFUNDS_NOT_ALLOWED for a fixed voucher', async () => {
      const unpaid = await create();
      expect((await refund(unpaid.id, 100, 'x')).json().message).toBe('NOT_PAID');
      const fixed = await create({ value: nzd(500) });
      await pay(fixed.id, voucher(DEMO.fixedVoucher.code));
      expect((await refund(fixed.id, 100, 'x')).json().message).toBe('PARTIAL_REFUNDS_NOT_ALLOWED');
      expect((await refund(fixed.id, 500, 'y')).statusCode).toBe(200);
      expect((await asset(DEMO.fixedVoucher.id)).status).toBe('active');
    });
  });

  describe('well-known and docs', () => {
    it('publishes the JWKS and the OpenAPI document', async () => {
      const jwks = await core.call({ method: 'GET', url: '/api/.well-known/jwks.json', key: null });
      expect(jwks.json().keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
      const openapi = await core.call({ method: 'GET', url: '/api/documentation/json', key: null });
      expect(openapi.json().openapi).toBe('3.1.0');
      expect(Object.keys(openapi.json().paths)).toContain('/api/payment-requests/{id}/pay');
    });
  });
});
