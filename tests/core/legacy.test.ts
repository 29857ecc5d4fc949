import { STATUS_CODES } from 'node:http';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../core/patron-codes/barcode.ts';
import { DEMO, TEST_ASSET_TYPES } from '../../core/seed/demo.ts';
import { buildTestCore, nzd, PUBLIC_BASE_URL, type TestCore } from '../support/core.ts';
import { engines } from '../support/databases.ts';

type Encoding = 'query' | 'form' | 'json';
const encodings: Encoding[] = ['query', 'form', 'json'];

type Params = Record<string, string | number | undefined>;
interface Auth {
  key?: string | null;
  token?: string;
}

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

/** The exact legacy error body. */
function expectError(
  reply: LightMyRequestResponse,
  status: number,
  message: string,
  reason?: string,
) {
  expect(reply.statusCode, reply.body).toBe(status);
  expect(reply.json()).toEqual({
    statusCode: status,
    error: STATUS_CODES[status],
    message,
    ...(reason !== undefined && { reason }),
  });
}

/** The legacy receipt for a payment or refund made at the test clock's start. */
function receipt(type: string, amount: number, message: string) {
  return {
    createdAt: '2026-11-25T09:00:00.000Z',
    merchant: { id: DEMO.merchantId, name: DEMO.merchantName, location: 'NZ' },
    payment: { amount, asset: 'NZD', message },
    reference: expect.any(String),
    settlementDate: '2026-11-25',
    status: 'Success',
    type,
    version: 1,
  };
}

describe.each(engines)('legacy routes on $name', (engine) => {
  let core: TestCore;
  beforeEach(async () => {
    core = await buildTestCore(engine);
  });
  afterEach(async () => {
    await core.close();
  });

  /** Calls a legacy route with its parameters in the query string, a form or a JSON body. */
  function send(
    encoding: Encoding,
    route: string,
    params: Params,
    { method = 'POST', ...auth }: Auth & { method?: 'GET' | 'POST' } = {},
  ) {
    const url = `/payments/api/${route}`;
    const defined = Object.entries(params).filter(([, value]) => value !== undefined);
    const text = new URLSearchParams(
      defined.map(([name, value]): [string, string] => [name, String(value)]),
    );
    switch (encoding) {
      case 'query':
        return core.call({ method, url: `${url}?${text}`, ...auth });
      case 'form':
        return core.call({
          method,
          url,
          payload: text.toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          ...auth,
        });
      case 'json':
        // JSON keeps numbers as numbers, as Centrapay types `amount`.
        return core.call({ method, url, payload: Object.fromEntries(defined), ...auth });
    }
  }

  const current = async (id: string) =>
    (await core.call({ method: 'GET', url: `/api/payment-requests/${id}` })).json();
  const balance = async (id: string) =>
    (
      await core.storage.read
        .selectFrom('assets')
        .select('balance')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).balance;

  describe.each(encodings)('with parameters in the %s', (encoding) => {
    const legacy = (route: string, params: Params, auth?: Auth & { method?: 'GET' | 'POST' }) =>
      send(encoding, route, params, auth);

    async function create(params: Params = {}) {
      const reply = await legacy('requests.create', {
        merchantId: DEMO.merchantId,
        clientId: DEMO.configId,
        amount: 300,
        asset: 'NZD',
        ...params,
      });
      expect(reply.statusCode, reply.body).toBe(200);
      return reply.json<{ requestId: string; [field: string]: unknown }>();
    }
    const info = (requestId: string) => legacy('requests.info', { requestId });
    const payWithVoucher = (requestId: string, code: string = DEMO.valueVoucher.code) =>
      legacy('requests.pay', { requestId, ledger: 'voucher.test', authorization: code });
    const refund = (transactionId: string, amount: number, externalReference?: string) =>
      legacy('transactions.refund', { transactionId, amount, externalReference });
    async function paidRequest(amount = 300, code: string = DEMO.valueVoucher.code) {
      const { requestId } = await create({ amount });
      const paid = await payWithVoucher(requestId, code);
      expect(paid.statusCode, paid.body).toBe(200);
      return { requestId, transactionId: paid.json<{ reference: string }>().reference };
    }

    describe('requests.create', () => {
      it('creates a request with every legacy field, and requests.info shows it again', async () => {
        const created = await create({
          description: 'Flat white',
          externalReference: 'order-1',
          notifyUrl: 'https://merchant.test/notify?till=1',
          paymentExpirySeconds: 60,
          terminalId: 'kiosk-1',
          deviceId: 'dev-1',
        });
        const url = `${PUBLIC_BASE_URL}/pay/${created.requestId}`;
        expect(created).toEqual({
          requestId: expect.any(String),
          shortCode: expect.stringMatching(/^CP-[0-9A-Z]{3}-[0-9A-Z]{3}$/),
          merchantId: DEMO.merchantId,
          merchantName: DEMO.merchantName,
          clientId: DEMO.configId,
          denomination: { asset: 'NZD', amount: 300 },
          payments: TEST_ASSET_TYPES.map((ledger) => ({
            ledger,
            amount: 300,
            methods: ['qr_code'],
          })),
          qrCode: url,
          requestCode: url,
          status: 'new',
          createdAt: '2026-11-25T09:00:00.000Z',
          updatedAt: '2026-11-25T09:00:00.000Z',
          liveness: 'test',
          paymentExpirySeconds: 60,
          terminalId: 'kiosk-1',
          deviceId: 'dev-1',
          description: 'Flat white',
          externalReference: 'order-1',
          notifyUrl: 'https://merchant.test/notify?till=1',
        });
        const shown = await info(created.requestId);
        expect(shown.statusCode).toBe(200);
        expect(shown.json()).toEqual(created);
        const row = await core.storage.read
          .selectFrom('payment_requests')
          .select(['description', 'notify_url', 'expires_at', 'created_at'])
          .where('id', '=', created.requestId)
          .executeTakeFirstOrThrow();
        expect(row).toMatchObject({
          description: 'Flat white',
          notify_url: 'https://merchant.test/notify?till=1',
        });
        expect(row.expires_at - row.created_at).toBe(60_000);
      });

      it('defaults to a 120 second expiry and shows no absent optional field', async () => {
        const created = await create();
        expect(created.paymentExpirySeconds).toBe(120);
        for (const field of ['description', 'notifyUrl', 'externalReference', 'paidBy'])
          expect(created).not.toHaveProperty(field);
      });

      it('treats an empty optional parameter as absent', async () => {
        const created = await create({ description: '', externalReference: '' });
        expect(created).not.toHaveProperty('description');
        expect(created).not.toHaveProperty('externalReference');
      });

      it('403 MERCHANT_CONFIGURATION_NOT_FOUND: unknown clientId, another merchant, or not the caller’s', async () => {
        const base = { merchantId: DEMO.merchantId, clientId: DEMO.configId, amount: 300 };
        const unknown = await legacy('requests.create', {
          ...base,
          clientId: 'mc_nope',
          asset: 'NZD',
        });
        expectError(unknown, 403, 'MERCHANT_CONFIGURATION_NOT_FOUND');
        const otherMerchant = await legacy('requests.create', {
          ...base,
          merchantId: 'another-merchant',
          asset: 'NZD',
        });
        expectError(otherMerchant, 403, 'MERCHANT_CONFIGURATION_NOT_FOUND');
        const consumer = await legacy(
          'requests.create',
          { ...base, asset: 'NZD' },
          { token: await core.consumerToken() },
        );
        expectError(consumer, 403, 'MERCHANT_CONFIGURATION_NOT_FOUND');
      });

      it('403 NO_AVAILABLE_PAYMENT_OPTIONS when the config offers nothing of the merchant’s liveness', async () => {
        await core.storage.write((trx) =>
          trx
            .updateTable('merchant_configs')
            .set({ payment_options: JSON.stringify([{ type: 'centrapay.nzd.main' }]) })
            .where('id', '=', DEMO.configId)
            .execute(),
        );
        const reply = await legacy('requests.create', {
          merchantId: DEMO.merchantId,
          clientId: DEMO.configId,
          amount: 300,
          asset: 'NZD',
        });
        expectError(reply, 403, 'NO_AVAILABLE_PAYMENT_OPTIONS');
      });

      it('attaches a patronCode; 400 CHECKSUM_FAILED and 403 PATRON_CODE_INVALID (used, unknown, expired)', async () => {
        const token = await core.consumerToken();
        const issue = async () =>
          (await core.call({ method: 'POST', url: '/api/patron-codes', token })).json<{
            id: string;
            barcode: string;
          }>();
        const code = await issue();
        const created = await create({ patronCode: code.barcode });
        expect(created.patronCode).toBe(code.id);

        const withCode = (patronCode: string) =>
          legacy('requests.create', {
            merchantId: DEMO.merchantId,
            clientId: DEMO.configId,
            amount: 300,
            asset: 'NZD',
            patronCode,
          });
        expectError(await withCode(code.barcode), 403, 'PATRON_CODE_INVALID', 'ALREADY_USED');
        const body = code.barcode.slice(0, 15);
        const wrongDigit = body + String((Number(luhnCheckDigit(body)) + 1) % 10);
        expectError(await withCode(wrongDigit), 400, 'CHECKSUM_FAILED');
        const unknown = '987600000000001';
        expectError(await withCode(unknown + luhnCheckDigit(unknown)), 403, 'PATRON_CODE_INVALID');
        const later = await issue();
        core.clock.advance(5 * 60 * 1000 + 1);
        expectError(await withCode(later.barcode), 403, 'PATRON_CODE_INVALID');
      });

      it.each([
        [{ amount: 12.5 }, 'amount'],
        [{ amount: '0' }, 'amount'],
        [{ amount: '100000000' }, 'amount'],
        [{ amount: 'ten' }, 'amount'],
        [{ amount: undefined }, 'amount'],
        [{ asset: 'USD' }, 'asset'],
        [{ asset: 'centrapay.nzd.test' }, 'asset'],
        [{ merchantId: undefined }, 'merchantId'],
        [{ clientId: 'x'.repeat(65) }, 'clientId'],
        [{ paymentExpirySeconds: '0' }, 'paymentExpirySeconds'],
        [{ paymentExpirySeconds: '86401' }, 'paymentExpirySeconds'],
        [{ paymentExpirySeconds: '1.5' }, 'paymentExpirySeconds'],
        [{ notifyUrl: 'ftp://merchant.test/notify' }, 'notifyUrl'],
        [{ notifyUrl: 'not a url' }, 'notifyUrl'],
        [{ externalReference: 'x'.repeat(129) }, 'externalReference'],
        [{ description: 'x'.repeat(257) }, 'description'],
        [{ terminalId: 'x'.repeat(129) }, 'terminalId'],
        [{ deviceId: 'x'.repeat(129) }, 'deviceId'],
        [{ patronCode: '1'.repeat(33) }, 'patronCode'],
        [{ description: 'a\u0000b' }, 'description'],
      ])('400 naming the malformed parameter (%j → %s)', async (params, field) => {
        const reply = await legacy('requests.create', {
          merchantId: DEMO.merchantId,
          clientId: DEMO.configId,
          amount: 300,
          asset: 'NZD',
          ...params,
        });
        expect(reply.statusCode, reply.body).toBe(400);
        expect(reply.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
        expect(reply.json().message).toContain(field);
      });

      it('401 without credentials', async () => {
        const reply = await legacy(
          'requests.create',
          { merchantId: DEMO.merchantId, clientId: DEMO.configId, amount: 300, asset: 'NZD' },
          { key: null },
        );
        expect(reply.statusCode).toBe(401);
      });
    });

    describe('requests.info', () => {
      it('answers by GET and by POST alike', async () => {
        const { requestId } = await create();
        const byGet = await send('query', 'requests.info', { requestId }, { method: 'GET' });
        const byPost = await info(requestId);
        expect(byGet.statusCode).toBe(200);
        expect(byPost.statusCode).toBe(200);
        expect(byPost.json()).toEqual(byGet.json());
        expect(byGet.json()).toMatchObject({ requestId, status: 'new' });
      });

      it('shows paidBy once paid, and expiry exactly at its time', async () => {
        const { requestId, transactionId } = await paidRequest();
        expect((await info(requestId)).json()).toMatchObject({
          status: 'paid',
          paidBy: { transactionId, amount: 300 },
        });
        const unpaid = await create({ paymentExpirySeconds: 30 });
        core.clock.advance(30_000);
        const expired = (await info(unpaid.requestId)).json();
        expect(expired).toMatchObject({
          status: 'expired',
          cancellationReason: 'PAYMENT_REQUEST_EXPIRED',
        });
        expect(expired).not.toHaveProperty('paidBy');
      });

      it('400 REQUEST_NOT_FOUND for an unknown request; 400 naming a missing requestId', async () => {
        expectError(await info('does-not-exist'), 400, 'REQUEST_NOT_FOUND');
        const missing = await legacy('requests.info', {});
        expectError(missing, 400, 'requestId is required');
      });
    });

    describe('requests.pay', () => {
      it('pays with a voucher presented at the terminal and answers the receipt', async () => {
        const { requestId } = await create();
        const reply = await payWithVoucher(requestId);
        expect(reply.statusCode, reply.body).toBe(200);
        expect(reply.json()).toEqual(receipt('txVoucher', 300, 'Payment processed'));
        expect(await balance(DEMO.valueVoucher.id)).toBe(2000 - 300);
        const activities = (
          await core.call({ method: 'GET', url: `/api/payment-requests/${requestId}/activities` })
        ).json().items;
        expect(activities[0]).toMatchObject({ id: reply.json().reference, type: 'payment' });
      });

      it('pays with the consumer’s wallet (ledger centrapay.nzd.test, authorization = asset id)', async () => {
        const { requestId } = await create();
        const reply = await legacy(
          'requests.pay',
          { requestId, ledger: 'centrapay.nzd.test', authorization: DEMO.walletId },
          { token: await core.consumerToken() },
        );
        expect(reply.statusCode, reply.body).toBe(200);
        expect(reply.json()).toMatchObject({ type: 'txCentrapay', payment: { amount: 300 } });
        expect(await balance(DEMO.walletId)).toBe(50_000 - 300);
      });

      it('pays with a gift card and records an external tender', async () => {
        const card = await create();
        const byCard = await legacy('requests.pay', {
          requestId: card.requestId,
          ledger: 'epay.nzd.test',
          authorization: DEMO.giftCard.number,
        });
        expect(byCard.json()).toMatchObject({ status: 'Success', type: 'txEpay' });
        expect(await balance(DEMO.giftCard.id)).toBe(5000 - 300);
        const cash = await create();
        const byCash = await legacy('requests.pay', {
          requestId: cash.requestId,
          ledger: 'external.test',
          authorization: 'till-9',
        });
        expect(byCash.json()).toMatchObject({ status: 'Success', type: 'txExternal' });
        expect((await current(cash.requestId)).status).toBe('paid');
      });

      it('403 REQUEST_PAID, REQUEST_CANCELLED and REQUEST_EXPIRED, taking nothing', async () => {
        const { requestId } = await paidRequest();
        expectError(await payWithVoucher(requestId), 403, 'REQUEST_PAID');
        const cancelled = await create();
        await legacy('requests.cancel', { requestId: cancelled.requestId });
        expectError(await payWithVoucher(cancelled.requestId), 403, 'REQUEST_CANCELLED');
        const expiring = await create();
        core.clock.advance(120_000);
        expectError(await payWithVoucher(expiring.requestId), 403, 'REQUEST_EXPIRED');
        expect(await balance(DEMO.valueVoucher.id)).toBe(2000 - 300);
      });

      it('403 INVALID_ASSET_TYPE, INACTIVE_ASSET, INSUFFICIENT_ASSET_VALUE and ASSET_REDEMPTION_DENIED', async () => {
        const { requestId } = await create({ amount: 2500 });
        const bitcoin = await legacy('requests.pay', {
          requestId,
          ledger: 'g.crypto.bitcoin.mainnet',
          authorization: '4a936ad82d8e51ae0afc317e944bfa569d935a45206b49b67117ee8aaa04a3b1',
        });
        expectError(bitcoin, 403, 'INVALID_ASSET_TYPE');
        expectError(
          await payWithVoucher(requestId, DEMO.expiredVoucher.code),
          403,
          'INACTIVE_ASSET',
        );
        expectError(await payWithVoucher(requestId), 403, 'INSUFFICIENT_ASSET_VALUE');
        expectError(
          await payWithVoucher(requestId, '00000000'),
          403,
          'ASSET_REDEMPTION_DENIED',
          'UNKNOWN_CODE',
        );
        expect((await current(requestId)).status).toBe('new');
      });

      it('400 REQUEST_NOT_FOUND for an unknown request; 400 naming a missing parameter', async () => {
        expectError(await payWithVoucher('does-not-exist'), 400, 'REQUEST_NOT_FOUND');
        const { requestId } = await create();
        expectError(
          await legacy('requests.pay', { requestId, authorization: DEMO.valueVoucher.code }),
          400,
          'ledger is required',
        );
        expectError(
          await legacy('requests.pay', { requestId, ledger: 'voucher.test' }),
          400,
          'authorization is required',
        );
      });
    });

    describe('requests.cancel', () => {
      it('cancels an unpaid request and answers it; a repeat answers the same', async () => {
        const { requestId } = await create({ description: 'Coffee' });
        const reply = await legacy('requests.cancel', { requestId });
        expect(reply.statusCode, reply.body).toBe(200);
        expect(reply.json()).toMatchObject({
          requestId,
          status: 'cancelled',
          cancellationReason: 'CANCELLED_BY_MERCHANT',
          description: 'Coffee',
          denomination: { asset: 'NZD', amount: 300 },
        });
        const again = await legacy('requests.cancel', { requestId });
        expect(again.statusCode).toBe(200);
        expect(again.json()).toEqual(reply.json());
        expect((await current(requestId)).status).toBe('cancelled');
      });

      it('400 REQUEST_NOT_FOUND and 400 REQUEST_EXPIRED', async () => {
        expectError(
          await legacy('requests.cancel', { requestId: 'does-not-exist' }),
          400,
          'REQUEST_NOT_FOUND',
        );
        const { requestId } = await create();
        core.clock.advance(120_000);
        expectError(await legacy('requests.cancel', { requestId }), 400, 'REQUEST_EXPIRED');
      });

      it('404 REQUEST_PAID, and the payment stands', async () => {
        const { requestId } = await paidRequest();
        expectError(await legacy('requests.cancel', { requestId }), 404, 'REQUEST_PAID');
        expect((await current(requestId)).status).toBe('paid');
        expect(await balance(DEMO.valueVoucher.id)).toBe(2000 - 300);
      });

      it('400 naming a missing requestId', async () => {
        expectError(await legacy('requests.cancel', {}), 400, 'requestId is required');
      });
    });

    describe('requests.void', () => {
      it('cancels an unpaid request', async () => {
        const { requestId } = await create();
        const reply = await legacy('requests.void', { requestId });
        expect(reply.statusCode, reply.body).toBe(200);
        expect(reply.json()).toEqual({
          type: 'voidCancel',
          status: 'Success',
          message: 'Payment request cancelled',
        });
        expect((await current(requestId)).status).toBe('cancelled');
      });

      it('refunds a paid request in full within 24 hours', async () => {
        const { requestId } = await paidRequest();
        const reply = await legacy('requests.void', { requestId });
        expect(reply.json()).toEqual({
          type: 'voidCancel',
          status: 'Success',
          message: 'Payment refunded in full',
        });
        expect(await balance(DEMO.valueVoucher.id)).toBe(2000);
        expect((await current(requestId)).status).toBe('cancelled');
      });

      it('400 REQUEST_NOT_FOUND, 400 REQUEST_EXPIRED, 404 REQUEST_PAID past 24 hours', async () => {
        expectError(
          await legacy('requests.void', { requestId: 'does-not-exist' }),
          400,
          'REQUEST_NOT_FOUND',
        );
        const expiring = await create();
        core.clock.advance(120_000);
        expectError(
          await legacy('requests.void', { requestId: expiring.requestId }),
          400,
          'REQUEST_EXPIRED',
        );
        const { requestId } = await paidRequest();
        core.clock.advance(DAY + 1);
        expectError(await legacy('requests.void', { requestId }), 404, 'REQUEST_PAID');
        // A refund is still possible.
        expect(await balance(DEMO.valueVoucher.id)).toBe(2000 - 300);
      });

      it('400 ALREADY_REFUNDED once the payment was refunded in full', async () => {
        const { requestId, transactionId } = await paidRequest();
        expect((await refund(transactionId, 300)).statusCode).toBe(200);
        expectError(await legacy('requests.void', { requestId }), 400, 'ALREADY_REFUNDED');
      });
    });

    describe('transactions.refund', () => {
      it('without externalReference: the first refund succeeds, later ones are ALREADY_REFUNDED', async () => {
        const { transactionId } = await paidRequest();
        const first = await refund(transactionId, 100);
        expect(first.statusCode, first.body).toBe(200);
        expect(first.json()).toEqual(receipt('txRefund', 100, 'Refund processed'));
        expectError(await refund(transactionId, 100), 400, 'ALREADY_REFUNDED');
        expectError(await refund(transactionId, 50), 400, 'ALREADY_REFUNDED');
        expect(await balance(DEMO.valueVoucher.id)).toBe(2000 - 300 + 100);
      });

      it('with externalReference: refunds again per reference; a repeat returns the first', async () => {
        const { requestId, transactionId } = await paidRequest();
        const first = await refund(transactionId, 100, 'r1');
        expect(first.statusCode, first.body).toBe(200);
        const repeat = await refund(transactionId, 100, 'r1');
        expect(repeat.statusCode).toBe(200);
        expect(repeat.json().reference).toBe(first.json().reference);
        expectError(await refund(transactionId, 150, 'r1'), 400, 'REPEAT_REFERENCE');
        expectError(await refund(transactionId, 201, 'r2'), 400, 'INVALID_AMOUNT');
        expect((await refund(transactionId, 200, 'r3')).statusCode).toBe(200);
        expectError(await refund(transactionId, 1, 'r4'), 400, 'ALREADY_REFUNDED');
        expect(await balance(DEMO.valueVoucher.id)).toBe(2000);
        const activities = (
          await core.call({ method: 'GET', url: `/api/payment-requests/${requestId}/activities` })
        ).json().items;
        expect(activities.map((a: { type: string }) => a.type)).toEqual([
          'refund',
          'refund',
          'payment',
          'request',
        ]);
      });

      it('403 PARTIAL_REFUNDS_NOT_ALLOWED and REFUND_WINDOW_EXCEEDED', async () => {
        const fixed = await paidRequest(500, DEMO.fixedVoucher.code);
        expectError(
          await refund(fixed.transactionId, 100, 'part'),
          403,
          'PARTIAL_REFUNDS_NOT_ALLOWED',
        );
        const old = await paidRequest();
        core.clock.advance(366 * DAY);
        expectError(await refund(old.transactionId, 300), 403, 'REFUND_WINDOW_EXCEEDED');
      });

      it('400 TRANSACTION_NOT_FOUND for an unknown id or one that is not a payment', async () => {
        expectError(await refund('does-not-exist', 100), 400, 'TRANSACTION_NOT_FOUND');
        const { transactionId } = await paidRequest();
        const refunded = await refund(transactionId, 100, 'r1');
        expectError(await refund(refunded.json().reference, 100), 400, 'TRANSACTION_NOT_FOUND');
      });

      it.each([
        [{ amount: '1.50' }, 'amount'],
        [{ amount: '0' }, 'amount'],
        [{ amount: undefined }, 'amount'],
        [{ transactionId: undefined }, 'transactionId'],
        [{ externalReference: 'x'.repeat(129) }, 'externalReference'],
      ])('400 naming the malformed parameter (%j → %s)', async (params, field) => {
        const reply = await legacy('transactions.refund', {
          transactionId: 'some-transaction',
          amount: 100,
          ...params,
        });
        expect(reply.statusCode, reply.body).toBe(400);
        expect(reply.json().message).toContain(field);
      });
    });

    describe('one domain with the current API', () => {
      it('a legacy request is visible and payable through /api/payment-requests, and the other way round', async () => {
        const { requestId } = await create({
          externalReference: 'order-9',
          terminalId: 'kiosk-2',
          description: 'Muffin',
        });
        const shown = await current(requestId);
        expect(shown).toMatchObject({
          id: requestId,
          configId: DEMO.configId,
          merchantId: DEMO.merchantId,
          value: nzd(300),
          status: 'new',
          externalRef: 'order-9',
          terminalId: 'kiosk-2',
          url: `${PUBLIC_BASE_URL}/pay/${requestId}`,
        });
        const paid = await core.call({
          method: 'POST',
          url: `/api/payment-requests/${requestId}/pay`,
          payload: { assetType: 'voucher.test', authorization: DEMO.valueVoucher.code },
        });
        expect(paid.statusCode, paid.body).toBe(200);
        expect((await info(requestId)).json()).toMatchObject({
          status: 'paid',
          description: 'Muffin',
          paidBy: { transactionId: paid.json().id, amount: 300 },
        });
        const refunded = await refund(paid.json().id, 300);
        expect(refunded.statusCode, refunded.body).toBe(200);
        expect((await current(requestId)).paidBy.assetTotals[0].total).toEqual(nzd(300));

        const modern = await core.call({
          method: 'POST',
          url: '/api/payment-requests',
          payload: { configId: DEMO.configId, value: nzd(450) },
        });
        const modernId = modern.json().id as string;
        expect((await info(modernId)).json()).toMatchObject({
          requestId: modernId,
          denomination: { asset: 'NZD', amount: 450 },
          status: 'new',
        });
        expect((await legacy('requests.void', { requestId: modernId })).statusCode).toBe(200);
        expect((await current(modernId)).status).toBe('cancelled');
      });

      it('refuses to refund a pre-auth request (403 INVALID_PAYMENT_REQUEST_TYPE)', async () => {
        const created = await core.call({
          method: 'POST',
          url: '/api/payment-requests',
          payload: { configId: DEMO.configId, value: nzd(1000), preAuth: true },
        });
        const id = created.json().id as string;
        const authorized = await core.call({
          method: 'POST',
          url: `/api/payment-requests/${id}/pay`,
          payload: { assetType: 'centrapay.nzd.test', assetId: DEMO.walletId },
          token: await core.consumerToken(),
        });
        expect(authorized.statusCode, authorized.body).toBe(200);
        expect((await info(id)).json()).toMatchObject({
          status: 'paid',
          paidBy: { transactionId: authorized.json().id, amount: 1000 },
        });
        expectError(await refund(authorized.json().id, 1000), 403, 'INVALID_PAYMENT_REQUEST_TYPE');
      });

      it('lets a consumer read a request (to pay it) but not cancel or void it', async () => {
        const { requestId } = await create();
        const token = await core.consumerToken();
        expect((await legacy('requests.info', { requestId }, { token })).statusCode).toBe(200);
        for (const route of ['requests.cancel', 'requests.void']) {
          expectError(await legacy(route, { requestId }, { token }), 403, 'Forbidden');
        }
        expect((await current(requestId)).status).toBe('new');
      });
    });
  });

  describe('parameter sources', () => {
    const create = { merchantId: DEMO.merchantId, clientId: DEMO.configId, asset: 'NZD' };

    it('merges the query string with a body; the same value twice is fine, two values are not', async () => {
      const same = await core.call({
        method: 'POST',
        url: '/payments/api/requests.create?amount=300&asset=NZD',
        payload: { ...create, amount: 300 },
      });
      expect(same.statusCode, same.body).toBe(200);
      const form = await core.call({
        method: 'POST',
        url: `/payments/api/requests.create?merchantId=${DEMO.merchantId}&amount=300`,
        payload: `clientId=${DEMO.configId}&asset=NZD`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(form.statusCode, form.body).toBe(200);
      const clash = await core.call({
        method: 'POST',
        url: '/payments/api/requests.create?amount=500',
        payload: { ...create, amount: 300 },
      });
      expectError(clash, 400, 'amount is given twice with different values');
    });

    it('refuses a parameter repeated with two values in one query string', async () => {
      const reply = await core.call({
        method: 'POST',
        url: `/payments/api/requests.create?merchantId=${DEMO.merchantId}&clientId=${DEMO.configId}&asset=NZD&amount=300&amount=400`,
      });
      expect(reply.statusCode).toBe(400);
      expect(reply.json().message).toContain('amount');
    });

    it('takes an empty JSON body as no parameters, and refuses a JSON body that is not an object', async () => {
      const created = await core.call({
        method: 'POST',
        url: `/payments/api/requests.create?merchantId=${DEMO.merchantId}&clientId=${DEMO.configId}&asset=NZD&amount=300`,
        headers: { 'content-type': 'application/json' },
        payload: '',
      });
      expect(created.statusCode, created.body).toBe(200);
      const array = await core.call({
        method: 'POST',
        url: '/payments/api/requests.info',
        headers: { 'content-type': 'application/json' },
        payload: '["requestId"]',
      });
      expectError(array, 400, 'body must be an object of parameters');
    });

    it('keeps form bodies to the legacy routes', async () => {
      const reply = await core.call({
        method: 'POST',
        url: '/api/payment-requests',
        payload: `configId=${DEMO.configId}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(reply.statusCode).toBe(415);
    });

    it('documents the legacy routes in the OpenAPI document', async () => {
      const openapi = await core.call({ method: 'GET', url: '/api/documentation/json', key: null });
      const paths = Object.keys(openapi.json().paths);
      for (const route of [
        'requests.create',
        'requests.info',
        'requests.pay',
        'requests.cancel',
        'requests.void',
      ])
        expect(paths).toContain(`/payments/api/${route}`);
      expect(paths).toContain('/payments/api/transactions.refund');
    });
  });
});
