import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectKioskSocket, refusedStatus } from '../support/kiosk-socket.ts';
import { startHostedKiosk, type HostedKiosk } from './hosted-kiosk.ts';

describe('browser host', () => {
  let kiosk: HostedKiosk;
  beforeAll(async () => {
    kiosk = await startHostedKiosk();
  });
  afterAll(() => kiosk.close());

  const token = () => new URLSearchParams(new URL(kiosk.host.pageUrl).hash.slice(1)).get('token')!;

  it('serves the renderer on 127.0.0.1 and keeps the token out of the page', async () => {
    expect(kiosk.host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await fetch(kiosk.host.url);
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain(token());
  });

  it('pushes the current state to a page that has the token', async () => {
    const socket = await connectKioskSocket(kiosk.host.pageUrl);
    const state = await socket.waitForState(() => true);
    expect(state).toMatchObject({
      merchantName: 'Demo Café',
      currency: 'NZD',
      sale: { phase: 'idle' },
      attendant: { unlocked: false },
    });
    socket.close();
  });

  it('refuses a page from another origin, even with the token', async () => {
    expect(await refusedStatus(kiosk.host.url, 'http://evil.example', token())).toBe(403);
  });

  it('refuses a DNS-rebound origin naming the same port', async () => {
    const port = new URL(kiosk.host.url).port;
    expect(await refusedStatus(kiosk.host.url, `http://rebound.example:${port}`, token())).toBe(
      403,
    );
  });

  it('refuses its own origin without the token or with a wrong one', async () => {
    expect(await refusedStatus(kiosk.host.url, kiosk.host.url, null)).toBe(401);
    expect(await refusedStatus(kiosk.host.url, kiosk.host.url, 'x'.repeat(token().length))).toBe(
      401,
    );
  });

  it('answers a malformed command with INVALID_INPUT naming the field', async () => {
    const socket = await connectKioskSocket(kiosk.host.pageUrl);
    const result = await socket.invoke('sale.start', { amount: 12.5, method: 'qr' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'amount' } });
    const unknown = await socket.invoke('sale.teleport' as 'sale.cancel', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    socket.close();
  });

  it('ignores frames that are not commands and keeps serving', async () => {
    const socket = await connectKioskSocket(kiosk.host.pageUrl);
    socket.sendRaw('not json');
    socket.sendRaw(JSON.stringify({ hello: 'world' }));
    const result = await socket.invoke('attendant.lock', {});
    expect(result).toEqual({ ok: true });
    socket.close();
  });

  it('needs the attendant PIN for refunds, the journal and settings', async () => {
    const socket = await connectKioskSocket(kiosk.host.pageUrl);
    for (const name of ['journal.list', 'settings.get'] as const) {
      expect(await socket.invoke(name, {})).toMatchObject({
        ok: false,
        error: { code: 'PIN_REQUIRED' },
      });
    }
    expect(await socket.invoke('refund.lookup', { shortCode: 'CP-AAA-AAA' })).toMatchObject({
      ok: false,
      error: { code: 'PIN_REQUIRED' },
    });
    socket.close();
  });
});
