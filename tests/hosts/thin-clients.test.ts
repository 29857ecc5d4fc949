// Thin clients: the browser host off loopback only with --thin-clients, and a page served there
// earning the token with the pairing code. Real HTTP and WebSocket, with 127.0.0.2 standing in
// for a LAN address (Linux routes all of 127.0.0.0/8 to loopback, but a listener on 127.0.0.1
// does not answer 127.0.0.2, so the two behave as different addresses).
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHostArgs } from '../../cli/host-command.ts';
import { listenAddresses, ownOrigins, thinClientAddresses } from '../../hosts/browser/addresses.ts';
import type { BrowserHostOptions } from '../../hosts/browser/browser-host.ts';
import type { PairingCode } from '../../hosts/browser/pairing.ts';
import { PAIRING_PATH, type PairingReply } from '../../terminal/contract/pairing-messages.ts';
import { connectKioskSocket, refusedStatus } from '../support/kiosk-socket.ts';
import { startHostedKiosk, type HostedKiosk } from './hosted-kiosk.ts';

const THIN_CLIENT_ADDRESS = '127.0.0.2';

/** Whether anything accepts a TCP connection at address:port. */
function accepts(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function postPairing(url: string, body: unknown, origin: string | null = url) {
  const response = await fetch(`${url}${PAIRING_PATH}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(origin === null ? {} : { origin }),
    },
    body: JSON.stringify(body),
  });
  const reply = (await response.json()) as PairingReply;
  return { status: response.status, headers: response.headers, reply };
}

/** The port's external addresses, to prove nothing listens there. */
function externalAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((infos) => infos ?? [])
    .filter((info) => !info.internal && info.family === 'IPv4')
    .map((info) => info.address);
}

/** A host with thin clients on 127.0.0.2, recording its pairing codes and its log. */
async function startThinClientKiosk(host: Partial<BrowserHostOptions['thinClients']> = {}) {
  const log: string[] = [];
  const logger = pino(
    { level: 'trace' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        log.push(chunk.toString());
        done();
      },
    }),
  );
  const kiosk = await startHostedKiosk({
    logger,
    host: { thinClients: { address: THIN_CLIENT_ADDRESS, ...host } },
  });
  const codes: PairingCode[] = [];
  kiosk.host.thinClients!.onPairingCode((code) => codes.push(code));
  const thinUrl = kiosk.host.thinClients!.urls[0]!;
  return { kiosk, codes, thinUrl, log };
}

describe('kiosk host without --thin-clients', () => {
  let kiosk: HostedKiosk;
  beforeAll(async () => {
    // A `host` option, like the one this host used to take, must not move it off loopback.
    kiosk = await startHostedKiosk({ host: { host: '0.0.0.0' } as Partial<BrowserHostOptions> });
  });
  afterAll(() => kiosk.close());

  it('listens on 127.0.0.1 and on no other address', async () => {
    const port = Number(new URL(kiosk.host.url).port);
    expect(await accepts('127.0.0.1', port)).toBe(true);
    expect(await accepts(THIN_CLIENT_ADDRESS, port)).toBe(false);
    for (const address of externalAddresses()) expect(await accepts(address, port)).toBe(false);
    expect(kiosk.host.thinClients).toBeUndefined();
  });

  it('offers no pairing', async () => {
    const { status } = await postPairing(kiosk.host.url, { code: '123456' });
    expect(status).toBe(404);
  });

  it('has no command-line option but --thin-clients that leaves loopback', () => {
    expect(() => parseHostArgs(['--host', '0.0.0.0'])).toThrow(/Unknown option '--host'/);
    expect(parseHostArgs(['--port', '0'])).toEqual({ port: 0, simulateDevices: false });
    expect(parseHostArgs(['--thin-clients', '0.0.0.0'])).toEqual({
      port: 0,
      thinClients: '0.0.0.0',
      simulateDevices: false,
    });
  });

  it('takes only an IP address for thin clients, and not the one it already serves', () => {
    expect(() => parseHostArgs(['--thin-clients', 'kiosk.example'])).toThrow(/IP address/);
    expect(() => parseHostArgs(['--thin-clients', '127.0.0.1'])).toThrow(/already listens/);
  });
});

describe('the host’s addresses with --thin-clients', () => {
  const interfaces = {
    lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
    eth0: [
      { address: '192.168.1.5', family: 'IPv4', internal: false },
      { address: '2001:db8::5', family: 'IPv6', internal: false },
      { address: 'fe80::1', family: 'IPv6', internal: false },
    ],
  } as unknown as ReturnType<typeof networkInterfaces>;

  it('listens on loopback and the given address, or on a wildcard alone', () => {
    expect(listenAddresses(undefined)).toEqual(['127.0.0.1']);
    expect(listenAddresses('192.168.1.5')).toEqual(['127.0.0.1', '192.168.1.5']);
    // A wildcard takes loopback connections too, and would not share the port with 127.0.0.1.
    expect(listenAddresses('0.0.0.0')).toEqual(['0.0.0.0']);
  });

  it('counts as its own origins only loopback and this machine’s addresses', () => {
    expect(thinClientAddresses('0.0.0.0', interfaces)).toEqual(['192.168.1.5']);
    expect(thinClientAddresses('::', interfaces)).toEqual(['192.168.1.5', '2001:db8::5']);
    expect(thinClientAddresses('192.168.1.5', interfaces)).toEqual(['192.168.1.5']);
    expect([...ownOrigins(8080, ['http://192.168.1.5:8080', 'http://[2001:db8::5]:8080'])]).toEqual(
      [
        'http://127.0.0.1:8080',
        'http://localhost:8080',
        'http://192.168.1.5:8080',
        'http://[2001:db8::5]:8080',
      ],
    );
  });
});

describe('kiosk host --thin-clients 127.0.0.2', () => {
  let hosted: Awaited<ReturnType<typeof startThinClientKiosk>>;
  beforeAll(async () => {
    hosted = await startThinClientKiosk();
  });
  afterAll(() => hosted.kiosk.close());

  it('serves the renderer on the thin-client address as well as on loopback, one port', async () => {
    const port = new URL(hosted.kiosk.host.url).port;
    expect(hosted.kiosk.host.url).toBe(`http://127.0.0.1:${port}`);
    expect(hosted.kiosk.host.thinClients!.urls).toEqual([`http://${THIN_CLIENT_ADDRESS}:${port}`]);
    expect((await fetch(hosted.thinUrl)).status).toBe(200);
    expect((await fetch(hosted.kiosk.host.url)).status).toBe(200);
  });

  it('announces a six-digit code, good for ten minutes', () => {
    expect(hosted.codes).toHaveLength(1);
    const [first] = hosted.codes;
    expect(first!.code).toMatch(/^[0-9]{6}$/);
    const minutes = (first!.expiresAt.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(9);
    expect(minutes).toBeLessThanOrEqual(10);
  });

  it('refuses a socket from the thin-client origin without a token', async () => {
    expect(await refusedStatus(hosted.thinUrl, hosted.thinUrl, null)).toBe(401);
  });

  it('hears no code from a page elsewhere, and does not count it', async () => {
    const code = hosted.codes.at(-1)!.code;
    for (const origin of [
      'http://evil.example',
      `http://127.0.0.3:${new URL(hosted.thinUrl).port}`,
      null,
    ]) {
      const { status, reply } = await postPairing(hosted.thinUrl, { code }, origin);
      expect(status).toBe(403);
      expect(reply).toEqual({ ok: false, reason: 'foreign-origin', attemptsLeft: 5 });
    }
  });

  it('refuses a malformed code without counting it', async () => {
    for (const body of [{ code: '12345' }, { code: '12345a' }, { code: '1234567' }, {}]) {
      expect((await postPairing(hosted.thinUrl, body)).status).toBe(400);
    }
    const wrong = wrongCodeFor(hosted.codes.at(-1)!.code);
    // The wrong code after them is the first one counted.
    expect((await postPairing(hosted.thinUrl, { code: wrong })).reply).toMatchObject({
      attemptsLeft: 4,
    });
  });

  it('refuses a wrong code and counts it', async () => {
    const wrong = wrongCodeFor(hosted.codes.at(-1)!.code);
    const { status, reply } = await postPairing(hosted.thinUrl, { code: wrong });
    expect(status).toBe(401);
    expect(reply).toEqual({ ok: false, reason: 'wrong-code', attemptsLeft: 3 });
  });

  it('exchanges the right code for a token that opens the socket from the thin-client origin', async () => {
    const code = hosted.codes.at(-1)!.code;
    const { status, headers, reply } = await postPairing(hosted.thinUrl, { code });
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    const { token } = reply as Extract<PairingReply, { ok: true }>;
    expect(token).toEqual(expect.any(String));

    const socket = await connectKioskSocket(`${hosted.thinUrl}/#token=${token}`);
    expect(await socket.waitForState(() => true)).toMatchObject({ merchantName: 'Demo Café' });
    expect(await socket.invoke('attendant.lock', {})).toEqual({ ok: true });
    socket.close();
  });

  it('uses a code up: the next one is announced, the old one is wrong', async () => {
    expect(hosted.codes).toHaveLength(2);
    const [used, next] = hosted.codes;
    expect(next!.code).toMatch(/^[0-9]{6}$/);
    // One draw in a million repeats the code; then the old one is simply the new one.
    if (used!.code !== next!.code) {
      const { status, reply } = await postPairing(hosted.thinUrl, { code: used!.code });
      expect(status).toBe(401);
      expect(reply).toMatchObject({ reason: 'wrong-code', attemptsLeft: 2 });
    }
  });

  it('refuses the paired token from any origin but the host’s own', async () => {
    const { reply } = await postPairing(hosted.thinUrl, { code: hosted.codes.at(-1)!.code });
    const { token } = reply as Extract<PairingReply, { ok: true }>;
    const port = new URL(hosted.thinUrl).port;
    for (const origin of [
      'http://evil.example',
      `http://127.0.0.3:${port}`,
      `http://kiosk.example:${port}`,
    ]) {
      expect(await refusedStatus(hosted.thinUrl, origin, token)).toBe(403);
      expect(await refusedStatus(hosted.kiosk.host.url, origin, token)).toBe(403);
    }
  });

  it('never logs a pairing code or the token', () => {
    const token = new URLSearchParams(new URL(hosted.kiosk.host.pageUrl).hash.slice(1)).get(
      'token',
    )!;
    const text = hosted.log.join('');
    expect(text).toContain('thin client paired');
    expect(text).toContain('pairing refused: wrong code');
    for (const { code } of hosted.codes) expect(text).not.toContain(code);
    expect(text).not.toContain(token);
  });
});

describe('pairing lock-out', () => {
  let hosted: Awaited<ReturnType<typeof startThinClientKiosk>>;
  beforeAll(async () => {
    hosted = await startThinClientKiosk();
  });
  afterAll(() => hosted.kiosk.close());

  it('locks after five wrong codes, and then refuses even the right one', async () => {
    const code = hosted.codes.at(-1)!.code;
    const wrong = wrongCodeFor(code);
    for (const attemptsLeft of [4, 3, 2, 1, 0]) {
      const { status, reply } = await postPairing(hosted.thinUrl, { code: wrong });
      expect(status).toBe(401);
      expect(reply).toEqual({ ok: false, reason: 'wrong-code', attemptsLeft });
    }
    const { status, reply } = await postPairing(hosted.thinUrl, { code });
    expect(status).toBe(429);
    expect(reply).toEqual({ ok: false, reason: 'locked', attemptsLeft: 0 });
    expect(hosted.codes).toHaveLength(1);
  });

  it('says on the console that a new start is needed', () => {
    expect(hosted.log.join('')).toContain('pairing locked after too many wrong codes');
  });
});

describe('an expired pairing code', () => {
  let hosted: Awaited<ReturnType<typeof startThinClientKiosk>>;
  beforeAll(async () => {
    hosted = await startThinClientKiosk({ pairing: { lifetimeMs: 1 } });
  });
  afterAll(() => hosted.kiosk.close());

  it('is refused, and closes pairing without counting', async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    const { status, reply } = await postPairing(hosted.thinUrl, { code: hosted.codes[0]!.code });
    expect(status).toBe(410);
    expect(reply).toEqual({ ok: false, reason: 'expired', attemptsLeft: 5 });
  });
});

/** A code that is certainly not `code`. */
function wrongCodeFor(code: string): string {
  return code === '000000' ? '000001' : '000000';
}
