import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../core/seed/demo.ts';
import { buildTestCore, nzd, type TestCore } from '../support/core.ts';
import { engines } from '../support/databases.ts';

describe.each(engines)('assets on $name', (engine) => {
  let core: TestCore;
  let token: string;
  beforeEach(async () => {
    core = await buildTestCore(engine);
    token = await core.consumerToken();
  });
  afterEach(async () => {
    await core.close();
  });

  it('shows the consumer their wallet, its available balance dropping by a pre-auth hold', async () => {
    const wallet = await core.call({ method: 'GET', url: `/api/assets/${DEMO.walletId}`, token });
    expect(wallet.json()).toMatchObject({
      id: DEMO.walletId,
      accountId: DEMO.consumerAccountId,
      type: 'centrapay.nzd.test',
      category: 'money',
      liveness: 'test',
      description: 'Centrapay NZD wallet',
      balance: '50000',
      availableBalance: '50000',
    });
    const request = await core.call({
      method: 'POST',
      url: '/api/payment-requests',
      payload: { configId: DEMO.configId, value: nzd(1500), preAuth: true },
    });
    await core.call({
      method: 'POST',
      url: `/api/payment-requests/${request.json().id}/pay`,
      token,
      payload: { assetType: 'centrapay.nzd.test', assetId: DEMO.walletId },
    });
    const list = await core.call({
      method: 'GET',
      url: `/api/accounts/${DEMO.consumerAccountId}/assets`,
      token,
    });
    expect(list.json().items.map((a: { id: string }) => a.id)).toEqual([
      DEMO.walletId,
      DEMO.tokenId,
    ]);
    expect(list.json().items[0]).toMatchObject({ balance: '50000', availableBalance: '48500' });
  });

  it('keeps them from terminals and from other accounts', async () => {
    expect(
      (await core.call({ method: 'GET', url: `/api/assets/${DEMO.walletId}` })).statusCode,
    ).toBe(403);
    expect(
      (await core.call({ method: 'GET', url: `/api/assets/${DEMO.giftCard.id}`, token }))
        .statusCode,
    ).toBe(403);
    expect(
      (await core.call({ method: 'GET', url: `/api/accounts/${DEMO.accountId}/assets`, token }))
        .statusCode,
    ).toBe(403);
  });
});
