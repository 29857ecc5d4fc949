import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../core/seed/demo.ts';
import { startCore, type RunningCore } from '../../core/server.ts';
import { SseReader } from '../support/sse.ts';

interface Model {
  id: string;
  status: string;
  expiresAt: string;
  paidBy?: { assetTotals: { description: string }[] };
}

describe('payment request events (SSE) over a real socket', () => {
  let dir: string;
  let core: RunningCore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-sse-'));
    core = await startCore({ db: join(dir, 'core.db'), port: 0 });
  });
  afterEach(async () => {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const terminal = { 'x-api-key': DEMO.terminalKey, 'content-type': 'application/json' };
  async function create(body: Record<string, unknown> = {}): Promise<Model> {
    const reply = await fetch(`${core.url}/api/payment-requests`, {
      method: 'POST',
      headers: terminal,
      body: JSON.stringify({
        configId: DEMO.configId,
        value: { amount: '300', currency: 'NZD' },
        ...body,
      }),
    });
    return (await reply.json()) as Model;
  }
  async function subscribe(id: string): Promise<SseReader> {
    const response = await fetch(`${core.url}/api/payment-requests/${id}/events`, {
      headers: { 'x-api-key': DEMO.terminalKey },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    return new SseReader(response);
  }

  it('sends the request at once, then the paid model as soon as it is paid', async () => {
    const request = await create();
    const events = await subscribe(request.id);
    const first = await events.next<Model>();
    expect(first).toMatchObject({
      event: 'payment-request',
      data: { id: request.id, status: 'new' },
    });
    const paid = await fetch(`${core.url}/api/payment-requests/${request.id}/pay`, {
      method: 'POST',
      headers: terminal,
      body: JSON.stringify({ assetType: 'voucher.test', authorization: DEMO.valueVoucher.code }),
    });
    expect(paid.status).toBe(200);
    const second = await events.next<Model>();
    expect(second.data.status).toBe('paid');
    expect(second.data.paidBy?.assetTotals[0]?.description).toBe('Voucher');
    await events.cancel();
  });

  it('announces expiry at expiresAt without any write', async () => {
    const request = await create({ expirySeconds: 1 });
    const events = await subscribe(request.id);
    expect((await events.next<Model>()).data.status).toBe('new');
    const expired = await events.next<Model>();
    expect(expired.data.status).toBe('expired');
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(request.expiresAt));
    await events.cancel();
  });

  it('answers an unknown request with a plain 403, not a stream', async () => {
    const response = await fetch(`${core.url}/api/payment-requests/nope/events`, {
      headers: { 'x-api-key': DEMO.terminalKey },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ message: 'Forbidden' });
  });

  it('does not hold up shutdown while a stream is open', async () => {
    const request = await create();
    const events = await subscribe(request.id);
    await events.next();
    // Without ending open streams first, close() would wait for the client forever.
    await core.close();
    core = await startCore({ db: join(dir, 'core.db'), port: 0 });
  });
});
