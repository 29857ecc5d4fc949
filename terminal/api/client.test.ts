// The client against the real core over real sockets: every route it wraps, refusals mapped to
// PaymentApiError, and watch() live over SSE, by polling behind a core without the stream, and
// through a stream that drops.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../core/seed/demo.ts';
import { startCore, type RunningCore } from '../../core/server.ts';
import { createPaymentApiClient, type PaymentApiClientOptions } from './client.ts';
import { PaymentApiError } from './errors.ts';
import type { PaymentApi } from './payment-api.ts';
import { pause, WatchRecorder } from './testing/watch-recorder.ts';
import type { CreatePaymentRequestBody } from './wire.ts';

const nzd = (amount: number) => ({ amount: String(amount), currency: 'NZD' });

describe('payment API client against the real core', () => {
  let dir: string;
  let core: RunningCore;
  let api: PaymentApi;
  let stopWatch: (() => void) | undefined;
  let proxy: Proxy | undefined;

  const client = (options: Partial<PaymentApiClientOptions> = {}) =>
    createPaymentApiClient({
      baseUrl: core.url,
      apiKey: DEMO.terminalKey,
      timeoutMs: 2_000,
      pollIntervalMs: 100,
      ...options,
    });
  const create = (body: Partial<CreatePaymentRequestBody> = {}) =>
    api.createPaymentRequest({ configId: DEMO.configId, value: nzd(300), ...body });
  const payWithVoucher = (id: string) =>
    api.pay(id, { assetType: 'voucher.test', authorization: DEMO.valueVoucher.code });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-client-'));
    core = await startCore({ db: join(dir, 'core.db'), port: 0 });
    api = client();
  });
  afterEach(async () => {
    stopWatch?.();
    stopWatch = undefined;
    await proxy?.close();
    proxy = undefined;
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a payment request and reads it back by id, short code and external reference', async () => {
    // Characters that must be encoded in a path segment.
    const externalRef = `order/${randomUUID()} #1?`;
    const created = await create({
      externalRef,
      terminalId: 'till-1',
      deviceId: 'SN-0001',
      lineItems: [{ name: 'Flat white', qty: '1', price: '300' }],
    });
    expect(created).toMatchObject({
      configId: DEMO.configId,
      value: nzd(300),
      status: 'new',
      externalRef,
      terminalId: 'till-1',
      deviceId: 'SN-0001',
    });
    expect(created.shortCode).toMatch(/^CP-/);

    expect(await api.getPaymentRequest(created.id)).toMatchObject({
      id: created.id,
      shortCode: created.shortCode,
    });
    expect((await api.getByShortCode(created.shortCode)).id).toBe(created.id);
    const listed = await api.listByExternalRef(externalRef);
    expect(listed.map((request) => request.id)).toEqual([created.id]);
    expect(await api.listByExternalRef(`other-${randomUUID()}`)).toEqual([]);
  });

  it('creates once when the same idempotency key is sent twice', async () => {
    const idempotencyKey = randomUUID();
    const first = await create({ idempotencyKey });
    const again = await create({ idempotencyKey });
    expect(again.id).toBe(first.id);
  });

  it('pays with a voucher code and lists the payment among the activities', async () => {
    const created = await create();
    const payment = await payWithVoucher(created.id);
    expect(payment).toMatchObject({
      type: 'payment',
      paymentRequestId: created.id,
      value: nzd(300),
    });
    const paid = await api.getPaymentRequest(created.id);
    expect(paid.status).toBe('paid');
    expect(paid.paidBy?.assetTotals[0]?.description).toBe('Voucher');
    const activities = await api.listActivities(created.id);
    expect(activities.map((activity) => activity.type)).toContain('payment');
    expect(activities.find((activity) => activity.type === 'payment')?.id).toBe(payment.id);
  });

  it('voids an unpaid request once, however often the void is repeated with its key', async () => {
    const created = await create();
    const key = randomUUID();
    const cancellation = await api.void(created.id, key);
    expect(cancellation).toMatchObject({ type: 'cancellation', paymentRequestId: created.id });
    expect((await api.void(created.id, key)).id).toBe(cancellation.id);
    expect((await api.getPaymentRequest(created.id)).status).toBe('cancelled');
  });

  it('voids a paid request by refunding it in full', async () => {
    const created = await create();
    await payWithVoucher(created.id);
    const refund = await api.void(created.id, randomUUID());
    expect(refund).toMatchObject({ type: 'refund', value: nzd(300) });
  });

  it('refunds part of a paid request, and a repeated refund reference returns the first refund', async () => {
    const created = await create();
    await payWithVoucher(created.id);
    const body = { value: nzd(100), externalRef: `refund-${randomUUID()}` };
    const refund = await api.refund(created.id, body);
    expect(refund).toMatchObject({ type: 'refund', value: nzd(100), paymentRequestId: created.id });
    expect((await api.refund(created.id, body)).id).toBe(refund.id);
  });

  it("maps refusals to PaymentApiError with the contract's code and reason", async () => {
    const created = await create();
    await api.void(created.id, randomUUID());
    await expect(payWithVoucher(created.id)).rejects.toMatchObject({
      name: 'PaymentApiError',
      statusCode: 403,
      code: 'REQUEST_CANCELLED',
    });

    const other = await create();
    const wrongCode = api.pay(other.id, { assetType: 'voucher.test', authorization: '00000000' });
    await expect(wrongCode).rejects.toBeInstanceOf(PaymentApiError);
    await expect(wrongCode).rejects.toMatchObject({
      statusCode: 403,
      code: 'ASSET_REDEMPTION_DENIED',
      reason: 'UNKNOWN_CODE',
    });

    // Generic refusals carry a fixed human message rather than a code (core/errors.ts).
    await expect(api.getPaymentRequest('no-such-request')).rejects.toMatchObject({
      statusCode: 403,
      code: 'Forbidden',
    });
    await expect(client({ apiKey: 'wrong-key' }).getPaymentRequest(other.id)).rejects.toMatchObject(
      {
        statusCode: 401,
      },
    );
  });

  it('watches live over SSE and sees the payment once', async () => {
    const created = await create();
    const watch = new WatchRecorder();
    stopWatch = api.watch(created.id, watch);
    await watch.until(() => watch.statuses.includes('new'));
    expect(watch.modes).toEqual(['live']);

    await payWithVoucher(created.id);
    await watch.until(() => watch.statuses.includes('paid'));
    expect(watch.changes.at(-1)?.paidBy?.assetTotals[0]?.description).toBe('Voucher');
    // Longer than the poll interval: nothing was polled or repeated.
    await pause(300);
    expect(watch.statuses).toEqual(['new', 'paid']);
    expect(watch.modes).toEqual(['live']);
  });

  it('polls every interval when the core answers 404 for the stream', async () => {
    proxy = await startProxy(core.url, (url) =>
      url.endsWith('/events') ? 'not-found' : 'forward',
    );
    // A reconnect delay short enough that a stream asked for again would show below.
    const proxied = client({ baseUrl: proxy.url, streamReconnect: { initialMs: 50, maxMs: 50 } });
    const created = await proxied.createPaymentRequest({
      configId: DEMO.configId,
      value: nzd(300),
    });
    const watch = new WatchRecorder();
    stopWatch = proxied.watch(created.id, watch);
    await watch.until(() => watch.statuses.includes('new'));
    expect(watch.modes).toEqual(['polling']);

    await payWithVoucher(created.id);
    await watch.until(() => watch.statuses.includes('paid'));
    await pause(300);
    expect(watch.statuses).toEqual(['new', 'paid']);
    expect(watch.modes).toEqual(['polling']);
    // A 404 means "not offered here": the stream is not asked for again.
    expect(proxy.paths.filter((path) => path.endsWith('/events'))).toHaveLength(1);
    const polls = proxy.paths.filter((path) => path === `/api/payment-requests/${created.id}`);
    expect(polls.length).toBeGreaterThanOrEqual(4);

    stopWatch();
    const seenAtStop = proxy.paths.length;
    await pause(400);
    expect(proxy.paths.length).toBe(seenAtStop);
  });

  it('polls while a dropped stream reconnects, then goes live again without repeating the model', async () => {
    proxy = await startProxy(core.url, (url, seen) =>
      url.endsWith('/events') && seen === 1 ? 'drop-after-first-event' : 'forward',
    );
    const proxied = client({ baseUrl: proxy.url, streamReconnect: { initialMs: 400, maxMs: 400 } });
    const created = await proxied.createPaymentRequest({
      configId: DEMO.configId,
      value: nzd(300),
    });
    const watch = new WatchRecorder();
    stopWatch = proxied.watch(created.id, watch);
    await watch.until(() => watch.modes.join() === 'live,polling,live');
    // The stream sent 'new' twice and polls read it too; the consumer heard it once.
    expect(watch.statuses).toEqual(['new']);
    expect(proxy.paths.filter((path) => path.endsWith('/events'))).toHaveLength(2);

    await payWithVoucher(created.id);
    await watch.until(() => watch.statuses.includes('paid'));
    expect(watch.statuses).toEqual(['new', 'paid']);
  });
});

type ProxyAction = 'forward' | 'not-found' | 'drop-after-first-event';

interface Proxy {
  url: string;
  /** Every path asked for, in order. */
  paths: string[];
  close(): Promise<void>;
}

/**
 * Forwards to the core, except where `decide` says otherwise: a 404, as a core without the
 * stream extension answers, or a stream cut off after its first event. `seen` counts requests
 * for the same path so far, this one included.
 */
async function startProxy(
  target: string,
  decide: (path: string, seen: number) => ProxyAction,
): Promise<Proxy> {
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    paths.push(path);
    const action = decide(path, paths.filter((seen) => seen === path).length);
    if (action === 'not-found') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ statusCode: 404, error: 'Not Found', message: 'Not Found' }));
      return;
    }
    const upstream = httpRequest(
      new URL(path, target),
      { method: req.method, headers: req.headers },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.on('data', (chunk: Buffer) => {
          if (action !== 'drop-after-first-event' || !chunk.toString().includes('event:')) {
            res.write(chunk);
            return;
          }
          // Cut off once the event is on its way, as a proxy's idle timeout would.
          res.write(chunk, () => {
            reply.destroy();
            res.destroy();
          });
        });
        reply.on('end', () => res.end());
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    paths,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
