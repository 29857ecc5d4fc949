// The main-process life cycle with every Electron collaborator faked.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultSettings } from '../../hosts/default-settings.ts';
import { startKioskApp, type KioskAppDeps } from '../../electron/app.main.ts';
import { KIOSK_CHANNELS } from '../../electron/channels.std.ts';
import { recordingLogger } from '../../terminal/api/testing/log-recorder.ts';
import { occupyPort } from '../support/occupied-port.ts';
import {
  APP_URL,
  appFrameEvent,
  FakeApp,
  fakeBrowserWindowClass,
  FakeIpcMain,
  FakePowerSaveBlocker,
  createFakeSafeStorage,
  FakeSession,
  fakeStackStarter,
  FakeKiosk,
  FakeWebContents,
  navigation,
  sampleState,
  sampleVending,
} from './fakes.ts';

let userData: string;
beforeEach(async () => {
  userData = await mkdtemp(join(tmpdir(), 'kiosk-userdata-'));
});
afterEach(() => rm(userData, { recursive: true, force: true }));

interface HarnessOptions {
  packaged?: boolean;
  lockGranted?: boolean;
  kiosk?: FakeKiosk;
  staticUrlPort?: number;
}

function harness(options: HarnessOptions = {}) {
  const app = new FakeApp(userData);
  app.isPackaged = options.packaged ?? true;
  app.lockGranted = options.lockGranted ?? true;
  const windows = fakeBrowserWindowClass();
  const ipcMain = new FakeIpcMain();
  const session = new FakeSession();
  const powerSaveBlocker = new FakePowerSaveBlocker();
  const stack = fakeStackStarter(options.kiosk);
  const deps: KioskAppDeps = {
    app,
    BrowserWindow: windows.BrowserWindow,
    ipcMain,
    safeStorage: createFakeSafeStorage(),
    powerSaveBlocker,
    session,
    fetchFile: async () => new Response('<!doctype html>'),
    startKioskStack: stack.startKioskStack,
    staticUrlListen: { host: '127.0.0.1', port: options.staticUrlPort ?? 0 },
    logger: pino({ level: 'silent' }),
    paths: { preload: '/app/preload.cjs', renderer: '/app/renderer' },
  };
  return { deps, app, windows, ipcMain, session, powerSaveBlocker, stack };
}

async function started(options: HarnessOptions = {}) {
  const h = harness(options);
  const running = await startKioskApp(h.deps);
  if (running === null) throw new Error('the kiosk did not start');
  const window = h.windows.instances[0];
  if (window === undefined) throw new Error('no window');
  return { ...h, running, window };
}

describe('the kiosk app', () => {
  it('hands over to the running instance when it cannot take the lock', async () => {
    const h = harness({ lockGranted: false });
    expect(await startKioskApp(h.deps)).toBeNull();
    expect(h.app.quitCalls).toBe(1);
    expect(h.stack.startKioskStack).not.toHaveBeenCalled();
    expect(h.windows.instances).toEqual([]);
  });

  it('focuses its window when a second instance starts', async () => {
    const { app, window } = await started();
    window.minimized = true;
    app.emit('second-instance');
    expect(window).toMatchObject({ minimized: false, visible: true, focused: true });
  });

  it('starts the stack on userData with the settings and the safeStorage secrets', async () => {
    const { stack } = await started();
    const options = stack.started[0];
    expect(options?.dataDir).toBe(userData);
    expect(await options?.settings.read()).toEqual(defaultSettings());
    await options?.secrets.write('apiKey', 'sk_live_1');
    expect(await options?.secrets.read('apiKey')).toBe('sk_live_1');
    expect(await readFile(join(userData, 'secrets.json'), 'utf8')).not.toContain('sk_live_1');
  });

  it('opens the hardened window on the app URL, kiosk mode from the settings', async () => {
    const { window } = await started();
    expect(window.loaded).toEqual([APP_URL]);
    expect(window.options).toMatchObject({ kiosk: true, fullscreen: true });
    expect(window.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      devTools: false,
      preload: '/app/preload.cjs',
    });
    const away = navigation('https://evil.example/');
    window.webContents.emit('will-navigate', away);
    expect(away.defaultPrevented).toBe(true);
  });

  it('keeps devtools for development builds', async () => {
    const { window } = await started({ packaged: false });
    expect(window.options.webPreferences.devTools).toBe(true);
  });

  it('serves the renderer on app:// and hardens the session', async () => {
    const { session } = await started();
    expect([...session.protocolHandlers.keys()]).toEqual(['app']);
    let granted: boolean | undefined;
    session.permissionRequestHandler?.(null, 'media', (answer) => (granted = answer));
    expect(granted).toBe(false);
  });

  it('hardens any other web contents that appears', async () => {
    const { app } = await started();
    const stray = new FakeWebContents();
    app.emit('web-contents-created', {}, stray);
    expect(stray.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('carries the contract over IPC from the window to the kiosk', async () => {
    const { ipcMain, window, stack } = await started();
    const result = await ipcMain.invoke(
      KIOSK_CHANNELS.invoke,
      appFrameEvent(window.webContents),
      'sale.start',
      { amount: 100, method: 'barcode' },
    );
    expect(result).toEqual({ ok: true, value: undefined });
    expect(stack.kiosk.invoked).toEqual([
      { name: 'sale.start', input: { amount: 100, method: 'barcode' } },
    ]);
  });

  it('reloads a crashed renderer, which resumes the sale where the terminal has it', async () => {
    vi.useFakeTimers();
    try {
      const { window, ipcMain, stack } = await started();
      const midSale = sampleState({
        sale: {
          phase: 'awaitingPayment',
          order: { saleId: 's1', method: 'qr', amount: 450, currency: 'NZD', lines: [] },
          request: {
            id: 'pr_1',
            shortCode: 'ABC123',
            url: 'https://pay.example/pr_1',
            expiresAt: '2030-01-01T00:00:00Z',
          },
          connection: 'live',
        },
      });
      stack.kiosk.setState(midSale);
      window.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
      await vi.advanceTimersByTimeAsync(0);
      expect(window.webContents.reloads).toBe(1);
      // What the reloaded page's preload asks for first.
      const resumed = await ipcMain.invoke(
        KIOSK_CHANNELS.getState,
        appFrameEvent(window.webContents),
      );
      expect(resumed).toMatchObject({ state: midSale });
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps the display awake until it quits', async () => {
    const { powerSaveBlocker } = await started();
    expect(powerSaveBlocker.types).toEqual(['prevent-display-sleep']);
    expect(powerSaveBlocker.active.size).toBe(1);
  });

  it('closes the stack before quitting, once', async () => {
    const { app, stack, powerSaveBlocker, ipcMain } = await started();
    app.quit();
    expect(app.quitCompleted).toBe(false);
    await vi.waitFor(() => expect(app.quitCompleted).toBe(true));
    expect(stack.close).toHaveBeenCalledTimes(1);
    expect(powerSaveBlocker.active.size).toBe(0);
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('applies a kiosk-mode change from the settings screen at once', async () => {
    const { stack, window } = await started();
    const settings = stack.started[0]?.settings;
    const current = await settings?.read();
    if (!settings || !current) throw new Error('no settings');
    await settings.write({ ...current, kioskMode: false });
    expect(window.kioskChanges).toEqual([false]);
  });

  it('exits non-zero when the stack cannot start, so a supervisor restarts it', async () => {
    const h = harness();
    h.deps.startKioskStack = async () => {
      throw new Error('database is locked');
    };
    expect(await startKioskApp(h.deps)).toBeNull();
    expect(h.app.exitCode).toBe(1);
    expect(h.windows.instances).toEqual([]);
  });
});

describe('the static URL under Electron', () => {
  const vendingKiosk = () => new FakeKiosk(sampleState({ vending: sampleVending() }));
  /** Where the static-URL server said it listens, once it does. */
  const servedAt = async (kiosk: FakeKiosk) => {
    await vi.waitFor(() => expect(kiosk.setHostPublicUrl).toHaveBeenCalled());
    return kiosk.setHostPublicUrl.mock.calls[0]![0]!;
  };

  it('is served while the kiosk drives a vending machine, and closed with the app', async () => {
    const kiosk = vendingKiosk();
    kiosk.visitVendingMachine.mockReturnValue(
      Promise.resolve({ kind: 'pay', url: 'https://pay.example/pr_1' }),
    );
    const { app } = await started({ kiosk });
    const base = await servedAt(kiosk);
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const visit = await fetch(`${base}/v/term-1`, { redirect: 'manual' });
    expect(visit.status).toBe(303);
    expect(visit.headers.get('location')).toBe('https://pay.example/pr_1');
    expect(kiosk.visitVendingMachine).toHaveBeenCalledWith('term-1');

    app.quit();
    await vi.waitFor(() => expect(app.quitCompleted).toBe(true));
    await expect(fetch(`${base}/v/term-1`)).rejects.toThrow();
  });

  it('opens no port until a vending adapter is added', async () => {
    const kiosk = new FakeKiosk();
    await started({ kiosk });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(kiosk.setHostPublicUrl).not.toHaveBeenCalled();

    kiosk.setState(sampleState({ vending: sampleVending() }));
    expect(await servedAt(kiosk)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('keeps the kiosk running, without a static URL, when the port is taken', async () => {
    const taken = await occupyPort();
    try {
      const kiosk = vendingKiosk();
      const log = recordingLogger();
      const h = harness({ kiosk, staticUrlPort: taken.port });
      h.deps.logger = log.logger;
      const running = await startKioskApp(h.deps);
      expect(running).not.toBeNull();
      expect(h.windows.instances[0]?.loaded).toEqual([APP_URL]);
      await vi.waitFor(() =>
        expect(log.entries()).toContainEqual(
          expect.objectContaining({
            level: 50,
            msg: 'the static URL cannot be served',
            port: taken.port,
            err: expect.objectContaining({ code: 'EADDRINUSE' }),
          }),
        ),
      );
      expect(kiosk.setHostPublicUrl).not.toHaveBeenCalled();
      expect(h.app.exitCode).toBeNull();

      h.app.quit();
      await vi.waitFor(() => expect(h.app.quitCompleted).toBe(true));
      expect(h.stack.close).toHaveBeenCalledTimes(1);
    } finally {
      await taken.release();
    }
  });
});
