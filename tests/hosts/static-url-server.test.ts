// The static-URL server, as Electron runs it: only the vending visit route, over a real embedded
// core and a real kiosk whose vending adapter is on a socat PTY with the VMC simulator at the far
// end. A phone opening the static URL is sent on to the pay page of a new payment request.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { startPtyPair } from '../../hardware/testing/pty-pair.ts';
import { FileSecretStore } from '../../hosts/file-secret-store.ts';
import { FileSettingsStore } from '../../hosts/file-settings-store.ts';
import { startKioskStack, type KioskStack } from '../../hosts/kiosk-stack.ts';
import {
  startStaticUrlServer,
  type RunningStaticUrlServer,
} from '../../hosts/static-url-server.ts';
import type { KioskState } from '../../terminal/contract/state.ts';
import type { Kiosk } from '../../terminal/kiosk.ts';
import { MAX_PRICE, startVmc, vendingAdapter } from './vending-machine.ts';
import { closeAfterEach } from '../support/close-after-each.ts';

describe('the static-URL server', () => {
  const open = closeAfterEach();
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'kiosk-static-url-'));
    open({ close: () => rmSync(dataDir, { recursive: true, force: true }) });
  });

  async function start(): Promise<{ stack: KioskStack; server: RunningStaticUrlServer }> {
    const pty = await startPtyPair();
    open({ close: () => pty.stop() });
    open(await startVmc(pty.b));
    const settings = new FileSettingsStore(join(dataDir, 'settings.json'));
    await settings.write({ ...(await settings.read()), devices: [vendingAdapter(pty.a, true)] });
    const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });
    const stack = await startKioskStack({
      dataDir,
      settings,
      secrets: new FileSecretStore(join(dataDir, 'secrets')),
      logger,
    });
    open(stack);
    const server = await startStaticUrlServer({
      kiosk: stack.kiosk,
      host: '127.0.0.1',
      port: 0,
      logger,
    });
    open(server);
    return { stack, server };
  }

  it('sends a phone opening the static URL to the pay page, with 303', async () => {
    const { stack, server } = await start();
    const ready = await stateWhere(stack.kiosk, (state) => state.vending?.readerAvailable === true);
    expect(ready.vending?.staticUrl).toBe(`${server.url}/v/kiosk-1`);

    const reply = await fetch(ready.vending!.staticUrl!, { redirect: 'manual' });

    expect(reply.status).toBe(303);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    const paying = await stateWhere(stack.kiosk, (state) => Boolean(state.vending?.request));
    expect(paying.vending).toMatchObject({ phase: 'awaitingPayment', maxPrice: MAX_PRICE });
    const location = reply.headers.get('location');
    expect(location).toBe(paying.vending?.request?.url);
    expect(location?.startsWith(`${stack.embeddedCoreUrl}/`)).toBe(true);
  });

  it('serves nothing but the static URL', async () => {
    const { server } = await start();
    expect((await fetch(`${server.url}/v/another-kiosk`)).status).toBe(404);
    expect((await fetch(`${server.url}/`)).status).toBe(404);
  });
});

/** The kiosk's first state that matches, now or later. */
function stateWhere(kiosk: Kiosk, matches: (state: KioskState) => boolean): Promise<KioskState> {
  return new Promise((resolve) => {
    const unsubscribe = kiosk.subscribe((state) => {
      if (!matches(state)) return;
      queueMicrotask(() => unsubscribe());
      resolve(state);
    });
  });
}
