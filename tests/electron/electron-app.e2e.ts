// The real Electron app, launched through Playwright: the window is locked down, `window.kiosk`
// is the contract and nothing else, and a crashed renderer comes back by itself.
// Needs the built app (`npm run build:electron` and the renderer build) and native modules built
// for Electron's ABI (better-sqlite3: `npx electron-builder install-app-deps`), and skips with
// `SKIP electron app test: Electron binary not installed` where node_modules/electron has no binary.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';
import type { KioskBridge, KioskState } from '../../terminal/contract/bridge.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'dist/electron/main/index.js');
const APP_URL = 'app://kiosk/index.html';

/** The binary node_modules/electron would start, or null where it was never downloaded. */
function electronExecutable(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    // node_modules/electron throws when its postinstall download did not happen.
    return null;
  }
}

/** The page's globals, typed without the DOM library. */
type PageGlobals = {
  kiosk?: KioskBridge;
  require?: unknown;
  process?: unknown;
  location: { href: string };
  open(url: string): unknown;
};

test('the kiosk window is locked down, carries the contract and survives a renderer crash', async () => {
  const executablePath = electronExecutable();
  if (executablePath === null) {
    console.log('SKIP electron app test: Electron binary not installed');
    test.skip(true, 'Electron binary not installed');
    return;
  }
  expect(existsSync(MAIN), `${MAIN} is missing: run npm run build:electron first`).toBe(true);

  const userData = mkdtempSync(join(tmpdir(), 'kiosk-electron-e2e-'));
  // Windowed, so a developer's desktop is not taken over by the test.
  writeFileSync(join(userData, 'settings.json'), JSON.stringify({ kioskMode: false }));
  const app = await electron.launch({
    executablePath,
    args: [MAIN],
    env: { ...process.env, KIOSK_USER_DATA_DIR: userData, KIOSK_LOG_LEVEL: 'info' },
  });
  const log: string[] = [];
  app.process().stdout?.on('data', (chunk) => log.push(String(chunk)));
  app.process().stderr?.on('data', (chunk) => log.push(String(chunk)));

  try {
    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    expect(page.url()).toBe(APP_URL);

    const surface = await page.evaluate(() => {
      const page = globalThis as unknown as PageGlobals;
      return {
        kiosk: Object.keys(page.kiosk ?? {}).sort(),
        require: typeof page.require,
        process: typeof page.process,
      };
    });
    expect(surface).toEqual({
      kiosk: ['invoke', 'subscribe'],
      require: 'undefined',
      process: 'undefined',
    });

    const state = await page.evaluate(
      () =>
        new Promise<KioskState>((resolve) => {
          const page = globalThis as unknown as PageGlobals;
          const stop = page.kiosk?.subscribe((current) => {
            stop?.();
            resolve(current);
          });
        }),
    );
    expect(state.sale.phase).toBe('idle');

    const refused = await page.evaluate(() => {
      const page = globalThis as unknown as PageGlobals;
      return page.kiosk?.invoke('sale.start', { amount: 1.5, method: 'qr' });
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'amount' } });

    const opened = await page.evaluate(() =>
      (globalThis as unknown as PageGlobals).open('https://example.com/'),
    );
    expect(opened).toBeNull();

    const fetched = await page.evaluate(() =>
      fetch('https://example.com/').then(
        () => 'fetched',
        () => 'blocked',
      ),
    );
    expect(fetched).toBe('blocked');

    await page.evaluate(() => {
      (globalThis as unknown as PageGlobals).location.href = 'https://example.com/';
    });
    await page.waitForTimeout(1_000);
    expect(
      await app.evaluate(({ BrowserWindow }) =>
        BrowserWindow.getAllWindows()[0]?.webContents.getURL(),
      ),
    ).toBe(APP_URL);

    await app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows()[0]?.webContents.forcefullyCrashRenderer(),
    );
    await expect
      .poll(() =>
        app.evaluate(({ BrowserWindow }) => {
          const contents = BrowserWindow.getAllWindows()[0]?.webContents;
          if (!contents || contents.isCrashed()) return 'crashed';
          return contents.executeJavaScript('typeof window.kiosk');
        }),
      )
      .toBe('object');
  } catch (error) {
    // The app's log is kept only when the test fails.
    await test.info().attach('electron.log', { body: log.join(''), contentType: 'text/plain' });
    throw error;
  } finally {
    await app.close().catch(() => undefined);
    rmSync(userData, { recursive: true, force: true });
  }
});
