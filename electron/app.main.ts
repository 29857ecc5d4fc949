// The kiosk's life cycle in the main process: one instance, then (once Electron is ready) the
// hardened session, the kiosk stack, the static URL while it drives a vending machine, the window,
// the IPC adapter, crash recovery and an awake display; on quit, the static URL and the stack are
// closed before the process ends. Every Electron collaborator is
// injected, so this runs in tests without the Electron binary; main.main.ts passes the real ones.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { KioskStack, KioskStackOptions } from '../hosts/kiosk-stack.ts';
import type { SettingsStore } from '../terminal/settings.ts';
import { createAppProtocolHandler } from './app-protocol.main.ts';
import { APP_ENTRY_URL, APP_SCHEME } from './app-url.std.ts';
import { attachKioskIpc, type IpcMainPort, type KioskIpc } from './ipc-adapter.main.ts';
import { keepRendererAlive } from './renderer-recovery.main.ts';
import { createSafeStorageSecretStore, type SafeStoragePort } from './secret-store.main.ts';
import { createJsonSettingsStore } from './settings-store.main.ts';
import {
  serveStaticUrlWhileVending,
  type StaticUrlListen,
  type StaticUrlServing,
} from './static-url.main.ts';
import {
  createKioskWindow,
  hardenSession,
  hardenWebContents,
  type KioskSession,
  type KioskWebContents,
  type KioskWindow,
  type KioskWindowConstructor,
} from './window.main.ts';

/** The slice of Electron's `app` the life cycle uses. */
export interface AppPort {
  readonly isPackaged: boolean;
  requestSingleInstanceLock(): boolean;
  on(event: 'second-instance' | 'window-all-closed', listener: () => void): unknown;
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  on(
    event: 'web-contents-created',
    listener: (event: unknown, contents: KioskWebContents) => void,
  ): unknown;
  whenReady(): Promise<unknown>;
  getPath(name: 'userData'): string;
  quit(): void;
  exit(exitCode?: number): void;
}

export interface PowerSaveBlockerPort {
  start(type: 'prevent-display-sleep'): number;
  stop(id: number): void;
}

export interface ProtocolPort {
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void;
}

export interface KioskAppDeps {
  app: AppPort;
  BrowserWindow: KioskWindowConstructor;
  ipcMain: IpcMainPort;
  safeStorage: SafeStoragePort;
  powerSaveBlocker: PowerSaveBlockerPort;
  /** The default session: the window uses it, and the app protocol is served on it. */
  session: KioskSession & { readonly protocol: ProtocolPort };
  /** Reads a file: URL (Electron's `net.fetch`, which also reads inside the asar). */
  fetchFile: (fileUrl: string) => Promise<Response>;
  startKioskStack: (options: KioskStackOptions) => Promise<KioskStack>;
  /** Where the vending machine's static URL is served (static-url.main.ts says when). */
  staticUrlListen: StaticUrlListen;
  logger: Logger;
  paths: {
    /** The built preload script. */
    preload: string;
    /** The built renderer directory, holding index.html. */
    renderer: string;
  };
  /** How long quitting waits for the stack to close. Default 10 s. */
  closeTimeoutMs?: number;
}

export interface RunningKioskApp {
  window: KioskWindow;
  stack: KioskStack;
  ipc: KioskIpc;
  staticUrl: StaticUrlServing;
  /**
   * What `before-quit` runs once: stop keeping the display awake, detach IPC, stop serving the
   * static URL, close the stack.
   */
  shutdown(): Promise<void>;
}

/** Starts the kiosk, or returns null when another instance has it (that one is focused). */
export async function startKioskApp(deps: KioskAppDeps): Promise<RunningKioskApp | null> {
  const { app } = deps;
  const logger = deps.logger.child({ module: 'electron.app' });

  if (!app.requestSingleInstanceLock()) {
    logger.info('another kiosk instance is running; handing over to it');
    app.quit();
    return null;
  }

  let window: KioskWindow | null = null;
  app.on('second-instance', () => {
    if (window === null || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  // Whatever web contents ever appear get the same guards as the kiosk window.
  const contentsLogger = deps.logger.child({ module: 'electron.web-contents' });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, contentsLogger));
  app.on('window-all-closed', () => app.quit());

  await app.whenReady();

  hardenSession(deps.session, deps.logger);
  deps.session.protocol.handle(
    APP_SCHEME,
    createAppProtocolHandler({
      rootDir: deps.paths.renderer,
      fetchFile: deps.fetchFile,
      logger: deps.logger,
    }),
  );

  const userData = app.getPath('userData');
  const settingsFile = createJsonSettingsStore({
    file: join(userData, 'settings.json'),
    logger: deps.logger,
  });
  // Kiosk mode changed in the settings screen takes effect at once.
  const settings: SettingsStore = {
    read: () => settingsFile.read(),
    async write(next) {
      await settingsFile.write(next);
      if (window !== null && !window.isDestroyed()) window.setKiosk(next.kioskMode);
    },
  };
  const secrets = createSafeStorageSecretStore({
    safeStorage: deps.safeStorage,
    file: join(userData, 'secrets.json'),
    logger: deps.logger,
  });

  let stack: KioskStack;
  try {
    stack = await deps.startKioskStack({
      dataDir: userData,
      settings,
      secrets,
      logger: deps.logger,
    });
  } catch (error) {
    // Nothing to show without the terminal; exit non-zero so the supervisor restarts the kiosk.
    logger.fatal({ err: error }, 'the kiosk stack failed to start');
    app.exit(1);
    return null;
  }
  logger.info({ embeddedCoreUrl: stack.embeddedCoreUrl }, 'kiosk stack started');
  const staticUrl = serveStaticUrlWhileVending({
    kiosk: stack.kiosk,
    listen: deps.staticUrlListen,
    logger: deps.logger,
  });

  const { kioskMode } = await settingsFile.read();
  const kioskWindow = createKioskWindow(deps.BrowserWindow, {
    preloadPath: deps.paths.preload,
    kioskMode,
    packaged: app.isPackaged,
    logger: deps.logger,
  });
  window = kioskWindow;
  const ipc = attachKioskIpc({
    ipcMain: deps.ipcMain,
    kiosk: stack.kiosk,
    webContents: kioskWindow.webContents,
    logger: deps.logger,
  });
  keepRendererAlive(kioskWindow.webContents, { logger: deps.logger });
  const blockerId = deps.powerSaveBlocker.start('prevent-display-sleep');

  let closing: Promise<void> | null = null;
  const shutdown = (): Promise<void> => {
    closing ??= (async () => {
      deps.powerSaveBlocker.stop(blockerId);
      ipc.dispose();
      try {
        await withTimeout(
          staticUrl.close().finally(() => stack.close()),
          deps.closeTimeoutMs ?? 10_000,
        );
        logger.info('kiosk stack closed');
      } catch (error) {
        logger.error({ err: error }, 'the kiosk stack did not close cleanly');
      }
    })();
    return closing;
  };
  let closed = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    void shutdown().finally(() => {
      closed = true;
      app.quit();
    });
  });

  try {
    await kioskWindow.loadURL(APP_ENTRY_URL);
  } catch (error) {
    // The window stays up (black); a missing or broken renderer build needs a reinstall.
    logger.error({ err: error, url: APP_ENTRY_URL }, 'the renderer failed to load');
  }
  return { window: kioskWindow, stack, ipc, staticUrl, shutdown };
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
