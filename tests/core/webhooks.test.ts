import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../core/seed/demo.ts';
import { startCore, type RunningCore } from '../../core/server.ts';

interface Received {
  authorization: string;
  body: string;
}

/** A webhook receiver on a fixed port, which can be down (not listening) or up. */
class Receiver {
  readonly received: Received[] = [];
  #server: Server | undefined;
  port = 0;

  async reservePort(): Promise<void> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    this.port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/kiosk`;
  }

  async up(): Promise<void> {
    this.#server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        this.received.push({ authorization: String(request.headers.authorization), body });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(this.port, '127.0.0.1', resolve));
  }

  async down(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.#server ? this.#server.close(() => resolve()) : resolve(),
    );
  }
}

async function until(
  condition: () => Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('webhooks through the outbox, over real sockets', () => {
  let dir: string;
  let core: RunningCore;
  let receiver: Receiver;
  const start = () =>
    startCore({
      db: join(dir, 'core.db'),
      port: 0,
      webhookIntervalMs: 50,
      webhookRetry: { firstRetryMs: 100, maxRetryMs: 300, giveUpAfterMs: 24 * 3600 * 1000 },
    });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-webhooks-'));
    receiver = new Receiver();
    await receiver.reservePort();
    core = await start();
  });
  afterEach(async () => {
    await core.close();
    await receiver.down();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = async (
    path: string,
    body: unknown,
    key: string = DEMO.terminalKey,
    method = 'POST',
  ) => {
    const response = await fetch(`${core.url}${path}`, {
      method,
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
    return (await response.json()) as { id: string };
  };
  const deliveries = () => core.storage.read.selectFrom('webhook_deliveries').selectAll().execute();

  it('delivers every event once the receiver is back, across a core restart, each signed and only once', async () => {
    await call(
      `/api/merchants/${DEMO.merchantId}/configs/${DEMO.configId}`,
      {
        paymentOptions: [{ type: 'voucher.test' }, { type: 'external.test' }],
        webhookUrls: [receiver.url],
      },
      DEMO.ownerKey,
      'PUT',
    );
    const sale = await call('/api/payment-requests', {
      configId: DEMO.configId,
      value: { amount: '600', currency: 'NZD' },
    });
    await call(`/api/payment-requests/${sale.id}/pay`, {
      assetType: 'voucher.test',
      authorization: DEMO.valueVoucher.code,
    });
    await call(`/api/payment-requests/${sale.id}/refund`, {
      value: { amount: '200', currency: 'NZD' },
      externalRef: 'r1',
    });
    const abandoned = await call('/api/payment-requests', {
      configId: DEMO.configId,
      value: { amount: '100', currency: 'NZD' },
    });
    await call(`/api/payment-requests/${abandoned.id}/void`, {});

    // The receiver is down: every delivery fails and is retried.
    await until(
      async () => (await deliveries()).every((d) => d.attempts >= 2),
      'retries while the receiver is down',
    );
    const pending = await deliveries();
    expect(pending.map((d) => JSON.parse(d.body).type).sort()).toEqual([
      'payment-request:cancelled',
      'payment-request:paid',
      'payment-request:refund-completed',
      'payment-request:refund-initiated',
    ]);
    expect(pending.every((d) => d.delivered_at === null && d.last_error !== null)).toBe(true);

    await core.close();
    await receiver.up();
    core = await start();
    await until(
      async () => (await deliveries()).every((d) => d.delivered_at !== null),
      'delivery after restart',
    );
    // Acknowledged deliveries are never sent again.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const ids = receiver.received.map((r) => JSON.parse(r.body).id as string);
    expect(ids.sort()).toEqual(pending.map((d) => d.event_id).sort());

    const jwks = createRemoteJWKSet(new URL(`${core.url}/api/.well-known/jwks.json`));
    for (const { authorization, body } of receiver.received) {
      const { payload } = await jwtVerify(authorization, jwks, {
        audience: `http://127.0.0.1:${receiver.port}`,
      });
      expect(payload['request_body_sha256']).toBe(createHash('sha256').update(body).digest('hex'));
      expect(payload.exp! - payload.iat!).toBe(300);
      const notification = JSON.parse(body);
      expect(notification).toMatchObject({ accountId: DEMO.accountId, test: true });
      expect(notification.data.paymentRequestId).toMatch(/.+/);
    }
    const paid = receiver.received
      .map((r) => JSON.parse(r.body))
      .find((n) => n.type === 'payment-request:paid');
    expect(paid.data).toMatchObject({
      type: 'payment',
      paymentRequestId: sale.id,
      value: { amount: '600', currency: 'NZD' },
    });
  });

  it('sends a legacy notifyUrl a {token} signed with the same key', async () => {
    await receiver.up();
    const query = new URLSearchParams({
      merchantId: DEMO.merchantId,
      clientId: DEMO.configId,
      amount: '450',
      asset: 'NZD',
      notifyUrl: receiver.url,
      externalReference: 'legacy-7',
    });
    const created = await fetch(`${core.url}/payments/api/requests.create?${query}`, {
      method: 'POST',
      headers: { 'x-api-key': DEMO.terminalKey },
    });
    expect(created.status, await created.clone().text()).toBe(200);
    const { requestId } = (await created.json()) as { requestId: string };
    await call(`/api/payment-requests/${requestId}/pay`, {
      assetType: 'voucher.test',
      authorization: DEMO.valueVoucher.code,
    });
    await until(async () => receiver.received.length === 1, 'the legacy notification');
    const { token } = JSON.parse(receiver.received[0]!.body) as { token: string };
    const jwks = createRemoteJWKSet(new URL(`${core.url}/api/.well-known/jwks.json`));
    const { payload } = await jwtVerify(token, jwks);
    expect(payload['transaction']).toMatchObject({
      transactionType: 'PURCHASE',
      amount: 450,
      ledger: 'voucher.test',
      request: {
        requestId,
        clientId: DEMO.configId,
        externalReference: 'legacy-7',
        denomination: { asset: 'NZD', amount: 450 },
      },
    });
  });

  it('writes no delivery for a config without endpoints', async () => {
    const sale = await call('/api/payment-requests', {
      configId: DEMO.configId,
      value: { amount: '100', currency: 'NZD' },
    });
    await call(`/api/payment-requests/${sale.id}/void`, {});
    expect(await deliveries()).toEqual([]);
  });
});
