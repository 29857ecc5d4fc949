// The client against a server that misbehaves on cue: what is retried (unknown outcomes), what is
// not (refusals), that every attempt carries the same body and so the same idempotency key, and
// that OutcomeUnknownError comes once the retries are used up.
import { afterEach, describe, expect, it } from 'vitest';
import { createPaymentApiClient, type PaymentApiClientOptions } from './client.ts';
import { OutcomeUnknownError, PaymentApiError } from './errors.ts';
import { AttemptError } from './http-call.ts';
import { recordingLogger } from './testing/log-recorder.ts';
import { activityModel, paymentRequestModel } from './testing/models.ts';
import {
  inOrder,
  startScriptedServer,
  type Behaviour,
  type Script,
  type ScriptedServer,
} from './testing/scripted-server.ts';

const API_KEY = 'secret-terminal-key';
const VOUCHER_CODE = '87654321';
const model = paymentRequestModel();
const createBody = {
  configId: 'mc_demo',
  value: { amount: '300', currency: 'NZD' },
  idempotencyKey: 'create-key-1',
};

describe('payment API client against a misbehaving server', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const delays: number[] = [];
  async function serve(script: Script, options: Partial<PaymentApiClientOptions> = {}) {
    server = await startScriptedServer(script);
    delays.length = 0;
    return createPaymentApiClient({
      baseUrl: server.url,
      apiKey: API_KEY,
      timeoutMs: 200,
      // No real waiting between attempts; the delays chosen are checked instead.
      sleep: async (ms) => void delays.push(ms),
      random: () => 0.5,
      ...options,
    });
  }
  const sent = () => server?.requests ?? [];

  const faults: [string, Behaviour][] = [
    ['a reply that never comes (timeout)', { kind: 'hang' }],
    ['a body that stalls halfway', { kind: 'stall-body', body: model }],
    ['a 502 from a proxy', { kind: 'json', status: 502, body: { message: 'Bad Gateway' } }],
    ['a 503 HTML page', { kind: 'html', status: 503 }],
    ['a 200 HTML page', { kind: 'html' }],
    ['truncated JSON', { kind: 'truncated', body: model }],
    ['a reset connection', { kind: 'reset' }],
    ['a 409 conflict', { kind: 'json', status: 409, body: { message: 'CONFLICT' } }],
    ['a model without its short code', { kind: 'json', body: { ...model, shortCode: undefined } }],
    ['a model with an unknown status', { kind: 'json', body: { ...model, status: 'pending' } }],
  ];

  it.each(faults)('retries after %s and succeeds with the same body', async (_, fault) => {
    const api = await serve(inOrder(fault, { kind: 'json', body: model }));
    await expect(api.createPaymentRequest(createBody)).resolves.toEqual(model);
    expect(sent()).toHaveLength(2);
    const [first, second] = sent();
    expect(second?.body).toBe(first?.body);
    expect(JSON.parse(second?.body ?? '')).toMatchObject({ idempotencyKey: 'create-key-1' });
    expect(sent().map((request) => request.headers['x-api-key'])).toEqual([API_KEY, API_KEY]);
  });

  it('throws OutcomeUnknownError after the first attempt and both retries fail, with one key throughout', async () => {
    const api = await serve(
      inOrder({ kind: 'hang' }, { kind: 'json', status: 502, body: {} }, { kind: 'reset' }),
    );
    const paying = api.pay('pr_test', { assetType: 'voucher.test', authorization: VOUCHER_CODE });
    await expect(paying).rejects.toBeInstanceOf(OutcomeUnknownError);
    const error = (await paying.catch((caught: unknown) => caught)) as OutcomeUnknownError;
    expect(error.attempts).toBe(3);
    expect(error.cause).toBeInstanceOf(AttemptError);
    expect((error.cause as AttemptError).failure).toBe('network');
    expect(sent()).toHaveLength(3);
    expect(sent().map((request) => request.url)).toEqual(
      Array(3).fill('/api/payment-requests/pr_test/pay'),
    );
    // The client made the key (the caller gave none) and sent the same one every time.
    const keys = sent().map(
      (request) => (JSON.parse(request.body) as { idempotencyKey: string }).idempotencyKey,
    );
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(keys).size).toBe(1);
  });

  it('gives each operation its own idempotency key', async () => {
    const api = await serve(() => ({ kind: 'json', body: model }));
    const withoutKey = { configId: createBody.configId, value: createBody.value };
    await api.createPaymentRequest(withoutKey);
    await api.createPaymentRequest(withoutKey);
    const keys = sent().map(
      (request) => (JSON.parse(request.body) as { idempotencyKey?: string }).idempotencyKey,
    );
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('retries a refund with the same external reference', async () => {
    const api = await serve(
      inOrder({ kind: 'reset' }, { kind: 'json', body: activityModel({ type: 'refund' }) }),
    );
    const body = { value: { amount: '100', currency: 'NZD' }, externalRef: 'refund-1' };
    await expect(api.refund('pr_test', body)).resolves.toMatchObject({ type: 'refund' });
    expect(sent().map((request) => JSON.parse(request.body) as unknown)).toEqual([body, body]);
  });

  it('does not retry a 403: the refusal is the answer', async () => {
    const api = await serve(
      inOrder(
        {
          kind: 'json',
          status: 403,
          body: {
            statusCode: 403,
            error: 'Forbidden',
            message: 'ASSET_REDEMPTION_DENIED',
            reason: 'UNKNOWN_CODE',
          },
        },
        { kind: 'json', body: activityModel() },
      ),
    );
    const paying = api.pay('pr_test', { assetType: 'voucher.test', authorization: VOUCHER_CODE });
    await expect(paying).rejects.toBeInstanceOf(PaymentApiError);
    await expect(paying).rejects.toMatchObject({
      statusCode: 403,
      code: 'ASSET_REDEMPTION_DENIED',
      reason: 'UNKNOWN_CODE',
    });
    expect(sent()).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('reports Retry-After on a 429 without retrying', async () => {
    const api = await serve(
      inOrder({
        kind: 'json',
        status: 429,
        headers: { 'retry-after': '7' },
        body: { statusCode: 429, error: 'Too Many Requests', message: 'RATE_LIMIT_EXCEEDED' },
      }),
    );
    await expect(
      api.pay('pr_test', { assetType: 'voucher.test', authorization: VOUCHER_CODE }),
    ).rejects.toMatchObject({
      statusCode: 429,
      code: 'RATE_LIMIT_EXCEEDED',
      retryAfterSeconds: 7,
    });
    expect(sent()).toHaveLength(1);
  });

  it('names a 4xx without a JSON body by its HTTP reason', async () => {
    const api = await serve(inOrder({ kind: 'html', status: 404 }));
    await expect(api.getPaymentRequest('pr_test')).rejects.toMatchObject({
      statusCode: 404,
      code: 'Not Found',
    });
    expect(sent()).toHaveLength(1);
  });

  it('makes exactly retries + 1 attempts', async () => {
    const api = await serve(() => ({ kind: 'json', status: 500, body: {} }), { retries: 0 });
    await expect(api.getPaymentRequest('pr_test')).rejects.toMatchObject({ attempts: 1 });
    expect(sent()).toHaveLength(1);
  });

  it('waits a capped, jittered, growing delay between attempts', async () => {
    const api = await serve(() => ({ kind: 'json', status: 503, body: {} }), {
      retries: 4,
      retryBackoff: { initialMs: 100, maxMs: 300 },
    });
    await expect(api.getPaymentRequest('pr_test')).rejects.toBeInstanceOf(OutcomeUnknownError);
    // random() = 0.5 puts each delay at three quarters of its ceiling: 100, 200, 300 (cap), 300.
    expect(delays).toEqual([75, 150, 225, 225]);
  });

  it('encodes path segments and reads lists', async () => {
    const api = await serve((request) => ({
      kind: 'json',
      body: request.url.includes('/external-ref/') ? { items: [model] } : model,
    }));
    await expect(api.listByExternalRef('order/7 #2')).resolves.toEqual([model]);
    await api.getByShortCode('CP-C7F/ZS5');
    expect(sent().map((request) => request.url)).toEqual([
      '/api/payment-requests/external-ref/order%2F7%20%232',
      '/api/payment-requests/short-code/CP-C7F%2FZS5',
    ]);
  });

  it('treats a list with a malformed item as an unknown outcome', async () => {
    const api = await serve(
      inOrder(
        { kind: 'json', body: { items: [{ ...model, id: 42 }] } },
        { kind: 'json', body: { items: [] } },
      ),
    );
    await expect(api.listByExternalRef('order-1')).resolves.toEqual([]);
    expect(sent()).toHaveLength(2);
  });

  it('logs retries at warn under its namespace, never the key nor the body', async () => {
    const log = recordingLogger();
    const api = await serve(
      inOrder({ kind: 'json', status: 502, body: {} }, { kind: 'json', body: activityModel() }),
      {
        logger: log.logger,
      },
    );
    await api.pay('pr_test', { assetType: 'voucher.test', authorization: VOUCHER_CODE });
    const warnings = log.entries().filter((entry) => entry['level'] === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      module: 'payment-api',
      method: 'POST',
      path: '/api/payment-requests/pr_test/pay',
      attempt: 1,
      attempts: 3,
      failure: 'server-error',
      statusCode: 502,
    });
    const everything = log.lines.join('\n');
    expect(everything).not.toContain(API_KEY);
    expect(everything).not.toContain(VOUCHER_CODE);
  });

  it('refuses options it cannot use, naming them', async () => {
    const base = { baseUrl: 'http://127.0.0.1:1', apiKey: API_KEY };
    expect(() => createPaymentApiClient({ ...base, baseUrl: 'core.local' })).toThrow(/baseUrl/);
    expect(() => createPaymentApiClient({ ...base, apiKey: '' })).toThrow(/apiKey/);
    expect(() => createPaymentApiClient({ ...base, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => createPaymentApiClient({ ...base, retries: -1 })).toThrow(/retries/);
    expect(() => createPaymentApiClient({ ...base, pollIntervalMs: Number.NaN })).toThrow(
      /pollIntervalMs/,
    );
  });
});
