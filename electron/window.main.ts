// The one window factory, and the hardening every web contents and the session get: sandboxed,
// isolated renderer, no Node, no navigation away from the app, no new windows, no permissions,
// a CSP on every response, no devtools in packaged builds.
import type { WebPreferences } from 'electron';
import type { Logger } from 'pino';
import { CONTENT_SECURITY_POLICY, isAppUrl } from './app-url.std.ts';

/** The parts of a navigation event the guards use (Electron passes `Event<…Params>`). */
export interface NavigationEvent {
  url: string;
  preventDefault(): void;
}

/** The slice of Electron's `WebContents` the shell uses; tests pass a fake. */
export interface KioskWebContents {
  on(
    event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect',
    listener: (event: NavigationEvent) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  on(
    event: 'render-process-gone',
    listener: (event: unknown, details: { reason: string; exitCode: number }) => void,
  ): unknown;
  on(event: 'unresponsive' | 'responsive', listener: () => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  reload(): void;
  forcefullyCrashRenderer(): void;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export interface KioskWindow {
  readonly webContents: KioskWebContents;
  once(event: 'ready-to-show', listener: () => void): unknown;
  loadURL(url: string): Promise<void>;
  removeMenu(): void;
  show(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  setKiosk(flag: boolean): void;
  isDestroyed(): boolean;
}

export interface WindowOptions {
  show: boolean;
  kiosk: boolean;
  fullscreen: boolean;
  autoHideMenuBar: boolean;
  backgroundColor: string;
  width: number;
  height: number;
  title: string;
  webPreferences: WebPreferences;
}

export type KioskWindowConstructor = new (options: WindowOptions) => KioskWindow;

export interface HeadersReceivedDetails {
  responseHeaders?: Record<string, string[]>;
}

/** The slice of Electron's `Session` the shell uses; tests pass a fake. */
export interface KioskSession {
  setPermissionRequestHandler(
    handler: (
      webContents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
    ) => void,
  ): void;
  setPermissionCheckHandler(
    handler: (webContents: unknown, permission: string, requestingOrigin: string) => boolean,
  ): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
  on(event: 'will-download', listener: (event: { preventDefault(): void }) => void): unknown;
  readonly webRequest: {
    onHeadersReceived(
      listener: (
        details: HeadersReceivedDetails,
        callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
      ) => void,
    ): void;
  };
}

export interface CreateWindowOptions {
  preloadPath: string;
  /** Full-screen kiosk mode (settings.kioskMode); off while an attendant works on a desktop. */
  kioskMode: boolean;
  /** `app.isPackaged`: devtools exist only in development builds. */
  packaged: boolean;
  logger: Logger;
}

/** Every window gets these; nothing here is left to Electron's defaults. */
export function kioskWebPreferences(preloadPath: string, packaged: boolean): WebPreferences {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    devTools: !packaged,
  };
}

export function createKioskWindow(
  BrowserWindow: KioskWindowConstructor,
  options: CreateWindowOptions,
): KioskWindow {
  const logger = options.logger.child({ module: 'electron.window' });
  const window = new BrowserWindow({
    // Shown once the first frame is painted, so the screen never flashes white.
    show: false,
    kiosk: options.kioskMode,
    fullscreen: options.kioskMode,
    autoHideMenuBar: true,
    backgroundColor: '#000000',
    width: 1080,
    height: 1920,
    title: 'Kiosk',
    webPreferences: kioskWebPreferences(options.preloadPath, options.packaged),
  });
  // No menu means no accelerators either: Ctrl+R, Ctrl+Shift+I and friends are gone.
  window.removeMenu();
  hardenWebContents(window.webContents, logger);
  window.once('ready-to-show', () => window.show());
  return window;
}

const hardened = new WeakSet<KioskWebContents>();

/**
 * Applied to the kiosk window and, through `web-contents-created`, to any other contents; each
 * contents is hardened once however many of those paths reach it.
 */
export function hardenWebContents(contents: KioskWebContents, logger: Logger): void {
  if (hardened.has(contents)) return;
  hardened.add(contents);
  const refuseNavigation = (event: NavigationEvent): void => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    logger.warn({ url: event.url }, 'navigation away from the app refused');
  };
  contents.on('will-navigate', refuseNavigation);
  contents.on('will-frame-navigate', refuseNavigation);
  contents.on('will-redirect', refuseNavigation);
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    logger.warn('webview refused');
  });
  contents.setWindowOpenHandler(({ url }) => {
    logger.warn({ url }, 'window.open refused');
    return { action: 'deny' };
  });
}

/** Denies every permission and device, cancels downloads and puts the CSP on every response. */
export function hardenSession(session: KioskSession, logger: Logger): void {
  const log = logger.child({ module: 'electron.session' });
  session.setPermissionRequestHandler((_webContents, permission, callback) => {
    log.warn({ permission }, 'permission request denied');
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  // WebHID, Web Serial and WebUSB: the renderer never talks to devices; the terminal does.
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event) => {
    event.preventDefault();
    log.warn('download refused');
  });
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) });
  });
}

export function withContentSecurityPolicy(
  headers: Record<string, string[]> | undefined,
): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    // A policy from elsewhere would only add to ours, never relax it; drop it to keep one source.
    if (name.toLowerCase() !== 'content-security-policy') result[name] = value;
  }
  result['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return result;
}
