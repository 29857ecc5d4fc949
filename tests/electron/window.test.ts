// The window factory and the session: every security setting is asserted, not assumed.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../electron/app-url.std.ts';
import {
  createKioskWindow,
  hardenSession,
  hardenWebContents,
  withContentSecurityPolicy,
} from '../../electron/window.main.ts';
import {
  APP_URL,
  fakeBrowserWindowClass,
  FakeSession,
  FakeWebContents,
  navigation,
  preventable,
} from './fakes.ts';

const logger = pino({ level: 'silent' });

function makeWindow(options: { packaged?: boolean; kioskMode?: boolean } = {}) {
  const { BrowserWindow, instances } = fakeBrowserWindowClass();
  const window = createKioskWindow(BrowserWindow, {
    preloadPath: '/app/dist/electron/preload/preload.cjs',
    kioskMode: options.kioskMode ?? true,
    packaged: options.packaged ?? true,
    logger,
  });
  const made = instances[0];
  if (made === undefined || made !== window) throw new Error('the factory made no window');
  return made;
}

describe('the kiosk window', () => {
  it('runs the renderer sandboxed and isolated, without Node', () => {
    const { webPreferences } = makeWindow().options;
    expect(webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
  });

  it('has no devtools when packaged, and has them in development', () => {
    expect(makeWindow({ packaged: true }).options.webPreferences.devTools).toBe(false);
    expect(makeWindow({ packaged: false }).options.webPreferences.devTools).toBe(true);
  });

  it('takes kiosk mode from the settings', () => {
    expect(makeWindow({ kioskMode: true }).options).toMatchObject({
      kiosk: true,
      fullscreen: true,
    });
    expect(makeWindow({ kioskMode: false }).options).toMatchObject({
      kiosk: false,
      fullscreen: false,
    });
  });

  it('has no menu (so no reload or devtools shortcuts) and shows once painted', () => {
    const window = makeWindow();
    expect(window.menuRemoved).toBe(true);
    expect(window.options.show).toBe(false);
    window.emit('ready-to-show');
    expect(window.visible).toBe(true);
  });

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])(
    'cancels %s to anything but the app',
    (eventName) => {
      const contents = makeWindow().webContents;
      for (const url of [
        'https://evil.example/',
        'file:///etc/passwd',
        'app://elsewhere/index.html',
        'javascript:alert(1)',
        'not a url',
      ]) {
        const event = navigation(url);
        contents.emit(eventName, event);
        expect(event.defaultPrevented, url).toBe(true);
      }
      const own = navigation(`${APP_URL}#/sale`);
      contents.emit(eventName, own);
      expect(own.defaultPrevented).toBe(false);
    },
  );

  it('denies window.open, even for the app itself', () => {
    const contents = makeWindow().webContents;
    expect(contents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler?.({ url: APP_URL })).toEqual({ action: 'deny' });
  });

  it('refuses webviews', () => {
    const event = preventable();
    makeWindow().webContents.emit('will-attach-webview', event);
    expect(event.defaultPrevented).toBe(true);
  });

  it('hardens a web contents once, however often it is asked', () => {
    const contents = new FakeWebContents();
    hardenWebContents(contents, logger);
    hardenWebContents(contents, logger);
    expect(contents.listenerCount('will-navigate')).toBe(1);
  });
});

describe('the session', () => {
  function hardened() {
    const session = new FakeSession();
    hardenSession(session, logger);
    return session;
  }

  it('denies every permission request', () => {
    const session = hardened();
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'openExternal',
      'fullscreen',
    ]) {
      let granted: boolean | undefined;
      session.permissionRequestHandler?.(null, permission, (answer) => (granted = answer));
      expect(granted, permission).toBe(false);
    }
  });

  it('answers every permission check and device request with no', () => {
    const session = hardened();
    for (const permission of ['serial', 'hid', 'usb', 'clipboard-read', 'media']) {
      expect(session.permissionCheckHandler?.(null, permission, 'app://kiosk')).toBe(false);
    }
    expect(session.devicePermissionHandler?.({ deviceType: 'hid' })).toBe(false);
  });

  it('cancels downloads', () => {
    const event = preventable();
    hardened().emit('will-download', event);
    expect(event.defaultPrevented).toBe(true);
  });

  it('puts its CSP on every response, replacing any other', () => {
    const session = hardened();
    let headers: Record<string, string[]> | undefined;
    session.headersListener?.(
      {
        responseHeaders: {
          'content-security-policy': ["default-src *; script-src 'unsafe-inline'"],
          'Content-Type': ['text/html'],
        },
      },
      (response) => (headers = response.responseHeaders),
    );
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
    expect(withContentSecurityPolicy(undefined)).toEqual({
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
  });

  it('has a strict policy: nothing inline, nothing evaluated, nothing remote', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
  });
});
