import { describe, expect, it, vi } from 'vitest';
import { exchangePairingCode, needsPairing } from './pairing.ts';

function replying(status: number, body: unknown) {
  return vi.fn(async () => new Response(JSON.stringify(body), { status }));
}

describe('needsPairing', () => {
  it('pairs a page on a thin-client address, not one where a start link points', () => {
    expect(needsPairing({ hostname: '192.168.1.5' })).toBe(true);
    expect(needsPairing({ hostname: '127.0.0.2' })).toBe(true);
    for (const hostname of ['127.0.0.1', 'localhost', '[::1]']) {
      expect(needsPairing({ hostname })).toBe(false);
    }
  });
});

describe('exchangePairingCode', () => {
  it('posts the code to /pairing as JSON and returns the token', async () => {
    const fetch = replying(200, { ok: true, token: 'abc' });
    expect(await exchangePairingCode('123456', fetch)).toEqual({ ok: true, token: 'abc' });
    expect(fetch).toHaveBeenCalledWith(
      '/pairing',
      expect.objectContaining({
        method: 'POST',
        body: '{"code":"123456"}',
        headers: { 'content-type': 'application/json' },
      }),
    );
  });

  it('passes the host’s refusals on', async () => {
    const reply = { ok: false, reason: 'wrong-code', attemptsLeft: 3 };
    expect(await exchangePairingCode('123456', replying(401, reply))).toEqual(reply);
    const locked = { ok: false, reason: 'locked', attemptsLeft: 0 };
    expect(await exchangePairingCode('123456', replying(429, locked))).toEqual(locked);
  });

  it('calls anything else unreachable', async () => {
    const unreachable = { ok: false, reason: 'unreachable' };
    const offline = vi.fn(async () => {
      throw new TypeError('fetch failed');
    });
    expect(await exchangePairingCode('123456', offline)).toEqual(unreachable);
    const proxyPage = vi.fn(async () => new Response('<html>Bad gateway</html>', { status: 502 }));
    expect(await exchangePairingCode('123456', proxyPage)).toEqual(unreachable);
    // Fastify's validation error: JSON, but not a pairing reply.
    const invalid = replying(400, { statusCode: 400, message: 'body/code must match pattern' });
    expect(await exchangePairingCode('123456', invalid)).toEqual(unreachable);
    expect(await exchangePairingCode('123456', replying(200, { ok: true }))).toEqual(unreachable);
  });
});
