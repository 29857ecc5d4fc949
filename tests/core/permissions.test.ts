// The spec's permission table, route by route and caller by caller. 403 is what a refused
// caller sees (and a missing resource, alike); 401 only without valid credentials.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../core/seed/demo.ts';
import { buildTestCore, nzd, type TestCore } from '../support/core.ts';
import { engines } from '../support/databases.ts';

type Caller = 'owner' | 'terminal' | 'consumer' | 'anon' | 'none';
const CALLERS: Caller[] = ['owner', 'terminal', 'consumer', 'anon', 'none'];

interface Route {
  name: string;
  method: 'GET' | 'POST' | 'PUT';
  url: (ids: { request: string }) => string;
  payload?: Record<string, unknown>;
  allowed: Caller[];
}

const ROUTES: Route[] = [
  {
    name: 'read an account',
    method: 'GET',
    url: () => `/api/accounts/${DEMO.accountId}`,
    allowed: ['owner'],
  },
  {
    name: 'list API keys',
    method: 'GET',
    url: () => `/api/accounts/${DEMO.accountId}/api-keys`,
    allowed: ['owner'],
  },
  {
    name: 'read a merchant',
    method: 'GET',
    url: () => `/api/merchants/${DEMO.merchantId}`,
    allowed: ['owner'],
  },
  {
    name: 'list merchant configs',
    method: 'GET',
    url: () => `/api/merchants/${DEMO.merchantId}/configs`,
    allowed: ['owner'],
  },
  {
    name: 'read a merchant config',
    method: 'GET',
    url: () => `/api/merchant-configs/${DEMO.configId}`,
    allowed: ['owner', 'terminal'],
  },
  {
    name: 'create a payment request',
    method: 'POST',
    url: () => '/api/payment-requests',
    payload: { configId: DEMO.configId, value: nzd(100) },
    allowed: ['owner', 'terminal'],
  },
  {
    name: 'read a payment request',
    method: 'GET',
    url: ({ request }) => `/api/payment-requests/${request}`,
    allowed: ['owner', 'terminal', 'consumer', 'anon'],
  },
  {
    name: 'list activities',
    method: 'GET',
    url: ({ request }) => `/api/payment-requests/${request}/activities`,
    allowed: ['owner', 'terminal'],
  },
  {
    name: 'pay with a code presented at the terminal',
    method: 'POST',
    url: ({ request }) => `/api/payment-requests/${request}/pay`,
    payload: { assetType: 'external.test' },
    allowed: ['terminal'],
  },
  {
    name: "pay with the consumer's own wallet",
    method: 'POST',
    url: ({ request }) => `/api/payment-requests/${request}/pay`,
    payload: { assetType: 'centrapay.nzd.test', assetId: DEMO.walletId },
    allowed: ['consumer'],
  },
  {
    name: 'void',
    method: 'POST',
    url: ({ request }) => `/api/payment-requests/${request}/void`,
    allowed: ['owner', 'terminal'],
  },
  {
    name: 'issue a patron code',
    method: 'POST',
    url: () => '/api/patron-codes',
    allowed: ['consumer'],
  },
  {
    name: "read the consumer's wallet",
    method: 'GET',
    url: () => `/api/assets/${DEMO.walletId}`,
    allowed: ['consumer'],
  },
];

describe.each(engines)('the permission table on $name', (engine) => {
  let core: TestCore;
  const auth: Partial<Record<Caller, { key?: string | null; token?: string }>> = {};
  beforeAll(async () => {
    core = await buildTestCore(engine);
    auth.owner = { key: DEMO.ownerKey };
    auth.terminal = { key: DEMO.terminalKey };
    auth.consumer = { token: await core.consumerToken() };
    auth.anon = { token: await core.anonToken() };
    auth.none = { key: null };
  });
  afterAll(async () => {
    await core.close();
  });

  async function freshRequest(): Promise<string> {
    const reply = await core.call({
      method: 'POST',
      url: '/api/payment-requests',
      payload: { configId: DEMO.configId, value: nzd(100) },
    });
    return reply.json().id;
  }

  for (const route of ROUTES) {
    it.each(CALLERS)(`${route.name}: %s`, async (caller) => {
      const request = await freshRequest();
      const reply = await core.call({
        method: route.method,
        url: route.url({ request }),
        ...(route.payload && { payload: route.payload }),
        ...auth[caller],
      });
      const expected = route.allowed.includes(caller) ? 200 : caller === 'none' ? 401 : 403;
      expect(reply.statusCode, reply.body).toBe(expected);
    });
  }
});
