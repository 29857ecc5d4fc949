import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PRE_AUTH_HOLD_MS } from '../../core/payment-requests/lifecycle.ts';
import { DEMO } from '../../core/seed/demo.ts';
import { booksTotal, buildTestCore, nzd, type TestCore } from '../support/core.ts';
import { engines } from '../support/databases.ts';

describe.each(engines)('pre-auth and lapses on $name', (engine) => {
  let core: TestCore;
  let token: string;
  beforeEach(async () => {
    core = await buildTestCore(engine);
    token = await core.consumerToken();
  });
  afterEach(async () => {
    await core.close();
  });

  const item = (price: number, sku = 'snack') => ({
    name: 'Snack',
    sku,
    qty: '1',
    price: String(price),
  });
  const post = (
    id: string,
    action: string,
    payload?: Record<string, unknown>,
    auth: { token?: string } = {},
  ) =>
    core.call({
      method: 'POST',
      url: `/api/payment-requests/${id}/${action}`,
      ...(payload && { payload }),
      ...auth,
    });
  const get = async (id: string) =>
    (await core.call({ method: 'GET', url: `/api/payment-requests/${id}` })).json();
  const wallet = () =>
    core.storage.read
      .selectFrom('assets')
      .selectAll()
      .where('id', '=', DEMO.walletId)
      .executeTakeFirstOrThrow();
  const activityTypes = async (id: string) =>
    (await core.call({ method: 'GET', url: `/api/payment-requests/${id}/activities` }))
      .json()
      .items.map((a: { type: string }) => a.type);

  async function authorized(amount = 1000) {
    const created = await core.call({
      method: 'POST',
      url: '/api/payment-requests',
      payload: { configId: DEMO.configId, value: nzd(amount), preAuth: true },
    });
    expect(created.statusCode, created.body).toBe(200);
    const request = created.json();
    expect(request.paymentOptions.map((o: { assetType: string }) => o.assetType)).toEqual([
      'centrapay.nzd.test',
    ]);
    const paid = await post(
      request.id,
      'pay',
      { assetType: 'centrapay.nzd.test', assetId: DEMO.walletId },
      { token },
    );
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json().type).toBe('authorization');
    return request.id as string;
  }

  it('holds funds on authorization, charges each confirmation, and returns the rest on release', async () => {
    const books = await booksTotal(core.storage);
    const id = await authorized(1000);
    expect(await get(id)).toMatchObject({
      status: 'paid',
      preAuth: true,
      preAuthStatus: 'authorized',
    });
    expect(await wallet()).toMatchObject({ balance: 50_000, held: 1000 });

    const first = await post(id, 'confirm', {
      invoiceRef: 'vend-1',
      lineItems: [item(300)],
      idempotencyKey: 'c1',
    });
    expect(first.json()).toMatchObject({ type: 'confirmation', value: nzd(300) });
    const repeat = await post(id, 'confirm', {
      invoiceRef: 'vend-1',
      lineItems: [item(300)],
      idempotencyKey: 'c1',
    });
    expect(repeat.json().id).toBe(first.json().id);
    expect(
      (
        await post(id, 'confirm', {
          invoiceRef: 'vend-2',
          lineItems: [item(800)],
          idempotencyKey: 'c2',
        })
      ).json().message,
    ).toBe('INVALID_AMOUNT');
    expect(
      (
        await post(id, 'confirm', {
          invoiceRef: 'vend-3',
          lineItems: [item(200)],
          idempotencyKey: 'c3',
        })
      ).statusCode,
    ).toBe(200);
    expect(await wallet()).toMatchObject({ balance: 49_500, held: 500 });

    const release = await post(id, 'release');
    expect(release.json()).toMatchObject({ type: 'release', value: nzd(500) });
    expect(await wallet()).toMatchObject({ balance: 49_500, held: 0 });
    expect((await get(id)).preAuthStatus).toBe('released');
    expect(
      (
        await post(id, 'confirm', {
          invoiceRef: 'late',
          lineItems: [item(100)],
          idempotencyKey: 'c4',
        })
      ).json().message,
    ).toBe('PRE_AUTH_RELEASED');
    expect((await post(id, 'release')).json().message).toBe('PRE_AUTH_RELEASED');
    expect(await activityTypes(id)).toEqual([
      'release',
      'confirmation',
      'confirmation',
      'authorization',
      'preAuthRequest',
    ]);
    expect(await booksTotal(core.storage)).toBe(books);
  });

  it('never lets held funds be spent twice', async () => {
    await authorized(49_000);
    const other = await core.call({
      method: 'POST',
      url: '/api/payment-requests',
      payload: { configId: DEMO.configId, value: nzd(2000) },
    });
    const reply = await post(
      other.json().id,
      'pay',
      { assetType: 'centrapay.nzd.test', assetId: DEMO.walletId },
      { token },
    );
    expect(reply.json().message).toBe('INSUFFICIENT_ASSET_VALUE');
    expect((await wallet()).balance).toBe(50_000);
  });

  it('refuses confirmations that do not fit the request', async () => {
    const plain = await core.call({
      method: 'POST',
      url: '/api/payment-requests',
      payload: { configId: DEMO.configId, value: nzd(100) },
    });
    expect(
      (
        await post(plain.json().id, 'confirm', {
          invoiceRef: 'x',
          lineItems: [item(100)],
          idempotencyKey: 'k',
        })
      ).json().message,
    ).toBe('INVALID_PAYMENT_REQUEST_TYPE');
    const pending = await core.call({
      method: 'POST',
      url: '/api/payment-requests',
      payload: { configId: DEMO.configId, value: nzd(100), preAuth: true },
    });
    expect(
      (
        await post(pending.json().id, 'confirm', {
          invoiceRef: 'x',
          lineItems: [item(100)],
          idempotencyKey: 'k',
        })
      ).json().message,
    ).toBe('PRE_AUTH_PENDING');
    // Releasing before anyone authorized simply cancels it.
    expect((await post(pending.json().id, 'release')).json().type).toBe('cancellation');
    expect((await get(pending.json().id)).status).toBe('cancelled');
  });

  it('refunds confirmed amounts only, and voids only an unconfirmed hold', async () => {
    const id = await authorized(1000);
    const refund = (amount: number, ref: string) =>
      core.call({
        method: 'POST',
        url: `/api/payment-requests/${id}/refund`,
        payload: { value: nzd(amount), externalRef: ref },
      });
    expect((await refund(100, 'r0')).json().message).toBe('PRE_AUTH_PENDING');
    await post(id, 'confirm', { invoiceRef: 'v', lineItems: [item(400)], idempotencyKey: 'c' });
    expect((await refund(500, 'r1')).json().message).toBe('INVALID_AMOUNT');
    expect((await refund(400, 'r2')).statusCode).toBe(200);
    expect((await post(id, 'void')).json().message).toBe('PRE_AUTH_ALREADY_CONFIRMED');

    const unconfirmed = await authorized(700);
    expect((await post(unconfirmed, 'void')).json().type).toBe('cancellation');
    expect((await wallet()).held).toBe(600); // only the first hold's unconfirmed rest remains
  });

  it('releases an unconfirmed hold by itself at preAuthExpiresAt', async () => {
    const id = await authorized(1000);
    const { preAuthExpiresAt } = await get(id);
    expect(Date.parse(preAuthExpiresAt) - core.clock.now()).toBe(PRE_AUTH_HOLD_MS);
    core.clock.advance(PRE_AUTH_HOLD_MS);
    expect((await get(id)).preAuthStatus).toBe('released');
    expect(
      (
        await post(id, 'confirm', { invoiceRef: 'v', lineItems: [item(100)], idempotencyKey: 'c' })
      ).json().message,
    ).toBe('PRE_AUTH_RELEASED');
    expect(await core.app.services.paymentRequests.recordLapses()).toBe(1);
    expect((await wallet()).held).toBe(0);
    expect((await activityTypes(id))[0]).toBe('release');
    expect(await core.app.services.paymentRequests.recordLapses()).toBe(0);
  });

  it('writes down an expiry once expiresAt has passed', async () => {
    const created = await core.call({
      method: 'POST',
      url: '/api/payment-requests',
      payload: { configId: DEMO.configId, value: nzd(100), expirySeconds: 60 },
    });
    const id = created.json().id;
    expect(await core.app.services.paymentRequests.recordLapses()).toBe(0);
    core.clock.advance(60_000);
    expect(await core.app.services.paymentRequests.recordLapses()).toBe(1);
    const row = await core.storage.read
      .selectFrom('payment_requests')
      .select(['status', 'cancellation_reason'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'expired', cancellation_reason: 'PAYMENT_REQUEST_EXPIRED' });
    expect(await activityTypes(id)).toEqual(['expiry', 'request']);
  });
});
