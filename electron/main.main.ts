// The Electron main entry (built to dist/electron/main/index.js): the real collaborators, handed
// to the life cycle in app.main.ts.
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  ipcMain,
  net,
  powerSaveBlocker,
  protocol,
  safeStorage,
  session,
} from 'electron';
import { pino } from 'pino';
import { startKioskStack } from '../hosts/kiosk-stack.ts';
import { APP_SCHEME_PRIVILEGES } from './app-protocol.main.ts';
import { startKioskApp } from './app.main.ts';

const logger = pino({ name: 'kiosk', level: process.env['KIOSK_LOG_LEVEL'] ?? 'info' });

// For tests and side-by-side installs: a data directory other than the OS default.
const userDataDir = process.env['KIOSK_USER_DATA_DIR'];
if (userDataDir) app.setPath('userData', userDataDir);

// Where phones open the vending machine's static URL: every address of this machine, on a port
// that stays the same across restarts because the machine's printed QR code encodes it.
const staticUrlPort = Number(process.env['KIOSK_STATIC_URL_PORT'] ?? 8080);
if (!Number.isInteger(staticUrlPort) || staticUrlPort < 1 || staticUrlPort > 65535) {
  throw new TypeError(`KIOSK_STATIC_URL_PORT must be 1-65535, got ${staticUrlPort}`);
}

// Must happen before `ready`.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

startKioskApp({
  app,
  BrowserWindow,
  ipcMain,
  safeStorage,
  powerSaveBlocker,
  get session() {
    // `session.defaultSession` exists only once the app is ready; read it when used.
    return session.defaultSession;
  },
  fetchFile: (fileUrl) => net.fetch(fileUrl),
  startKioskStack,
  staticUrlListen: { host: '0.0.0.0', port: staticUrlPort },
  logger,
  paths: {
    preload: fileURLToPath(new URL('../preload/preload.cjs', import.meta.url)),
    renderer: fileURLToPath(new URL('../../renderer/', import.meta.url)),
  },
}).catch((error: unknown) => {
  logger.fatal({ err: error }, 'the kiosk failed to start');
  app.exit(1);
});
