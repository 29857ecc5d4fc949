import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../core/seed/demo.ts';
import { buildTestCore, nzd, type TestCore } from '../support/core.ts';
import { engines } from '../support/databases.ts';

describe.each(engines)('accounts, API keys, merchants and configs on $name', (engine) => {
  let core: TestCore;
  beforeEach(async () => {
    core = await buildTestCore(engine);
  });
  afterEach(async () => {
    await core.close();
  });

  it('sets up a new merchant from nothing: account, keys, merchant, config, then a sale', async () => {
    const token = await core.consumerToken();
    const account = await core.call({
      method: 'POST',
      url: '/api/accounts',
      token,
      payload: { name: 'Corner Dairy', type: 'org' },
    });
    expect(account.statusCode, account.body).toBe(200);
    const accountId = account.json().id;
    expect(account.json()).toMatchObject({ name: 'Corner Dairy', type: 'org', test: true });

    const owner = await core.call({
      method: 'POST',
      url: `/api/accounts/${accountId}/api-keys`,
      token,
      payload: { name: 'ops', role: 'account-owner' },
    });
    expect(owner.json()).toMatchObject({ name: 'ops', role: 'account-owner', enabled: true });
    const ownerKey: string = owner.json().secret;
    expect(ownerKey.length).toBeGreaterThanOrEqual(40);

    const merchant = await core.call({
      method: 'POST',
      url: '/api/merchants',
      key: ownerKey,
      payload: { accountId, name: 'Corner Dairy', country: 'NZ', test: true },
    });
    expect(merchant.statusCode, merchant.body).toBe(200);
    const merchantId = merchant.json().id;
    const config = await core.call({
      method: 'POST',
      url: `/api/merchants/${merchantId}/configs`,
      key: ownerKey,
      payload: { paymentOptions: [{ type: 'voucher.test' }, { type: 'external.test' }] },
    });
    expect(config.statusCode, config.body).toBe(200);
    expect(config.json().id).toMatch(/^mc_/);

    const terminal = await core.call({
      method: 'POST',
      url: `/api/accounts/${accountId}/api-keys`,
      key: ownerKey,
      payload: { name: 'till-1', role: 'merchant-terminal' },
    });
    const terminalKey: string = terminal.json().secret;
    const sale = await core.call({
      method: 'POST',
      url: '/api/payment-requests',
      key: terminalKey,
      payload: { configId: config.json().id, value: nzd(300) },
    });
    expect(sale.statusCode, sale.body).toBe(200);
    expect(sale.json()).toMatchObject({ merchantName: 'Corner Dairy', liveness: 'test' });
    expect(sale.json().paymentOptions.map((o: { assetType: string }) => o.assetType)).toEqual([
      'voucher.test',
      'external.test',
    ]);

    // The list never shows secrets; a disabled key stops working at once.
    const list = await core.call({
      method: 'GET',
      url: `/api/accounts/${accountId}/api-keys`,
      key: ownerKey,
    });
    expect(list.json().items.map((k: { name: string }) => k.name)).toEqual(['ops', 'till-1']);
    expect(list.body).not.toContain(terminalKey);
    const disabled = await core.call({
      method: 'PUT',
      url: `/api/accounts/${accountId}/api-keys/till-1`,
      key: ownerKey,
      payload: { enabled: false },
    });
    expect(disabled.json().enabled).toBe(false);
    const refused = await core.call({
      method: 'GET',
      url: `/api/payment-requests/${sale.json().id}`,
      key: terminalKey,
    });
    expect(refused.statusCode).toBe(401);

    // The demo terminal belongs to another account and sees none of it.
    expect(
      (await core.call({ method: 'GET', url: `/api/payment-requests/${sale.json().id}` }))
        .statusCode,
    ).toBe(403);
    expect(
      (await core.call({ method: 'GET', url: `/api/merchants/${merchantId}`, key: DEMO.ownerKey }))
        .statusCode,
    ).toBe(403);
  });

  it('stores API keys only as a digest', async () => {
    const created = await core.call({
      method: 'POST',
      url: `/api/accounts/${DEMO.accountId}/api-keys`,
      key: DEMO.ownerKey,
      payload: { name: 'k2', role: 'merchant-terminal' },
    });
    const secret: string = created.json().secret;
    const row = await core.storage.read
      .selectFrom('api_keys')
      .selectAll()
      .where('name', '=', 'k2')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(secret);
    const duplicate = await core.call({
      method: 'POST',
      url: `/api/accounts/${DEMO.accountId}/api-keys`,
      key: DEMO.ownerKey,
      payload: { name: 'k2', role: 'merchant-terminal' },
    });
    expect(duplicate.statusCode).toBe(403);
  });

  it('refuses terminals and consumers the account-owner routes', async () => {
    const routes = [
      { method: 'GET' as const, url: `/api/accounts/${DEMO.accountId}` },
      { method: 'GET' as const, url: `/api/accounts/${DEMO.accountId}/api-keys` },
      { method: 'GET' as const, url: `/api/merchants/${DEMO.merchantId}` },
      { method: 'GET' as const, url: `/api/merchants/${DEMO.merchantId}/configs` },
    ];
    const token = await core.consumerToken();
    for (const route of routes) {
      expect((await core.call({ ...route, key: DEMO.ownerKey })).statusCode, route.url).toBe(200);
      expect((await core.call({ ...route, key: DEMO.terminalKey })).statusCode, route.url).toBe(
        403,
      );
      expect((await core.call({ ...route, token })).statusCode, route.url).toBe(403);
    }
    // A terminal may read the config it is set up with.
    expect(
      (await core.call({ method: 'GET', url: `/api/merchant-configs/${DEMO.configId}` }))
        .statusCode,
    ).toBe(200);
  });

  it('keeps demo credentials in test liveness', async () => {
    const live = await core.call({
      method: 'POST',
      url: '/api/merchants',
      key: DEMO.ownerKey,
      payload: { accountId: DEMO.accountId, name: 'Live', country: 'NZ', test: false },
    });
    expect(live.json().message).toBe('LIVENESS_MISMATCH');
    const mainOption = await core.call({
      method: 'PUT',
      url: `/api/merchants/${DEMO.merchantId}/configs/${DEMO.configId}`,
      key: DEMO.ownerKey,
      payload: { paymentOptions: [{ type: 'centrapay.nzd.main' }] },
    });
    expect(mainOption.json().message).toBe('LIVENESS_MISMATCH');
    const liveAccount = await core.call({
      method: 'POST',
      url: '/api/accounts',
      token: await core.consumerToken(),
      payload: { name: 'x', type: 'org', test: false },
    });
    expect(liveAccount.json().message).toBe('LIVENESS_MISMATCH');
    const unknown = await core.call({
      method: 'POST',
      url: `/api/merchants/${DEMO.merchantId}/configs`,
      key: DEMO.ownerKey,
      payload: { paymentOptions: [{ type: 'bitcoin.test' }] },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toContain('paymentOptions/0/type');
  });
});
