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
  logger,
  paths: {
    preload: fileURLToPath(new URL('../preload/preload.cjs', import.meta.url)),
    renderer: fileURLToPath(new URL('../../renderer/', import.meta.url)),
  },
}).catch((error: unknown) => {
  logger.fatal({ err: error }, 'the kiosk failed to start');
  app.exit(1);
});
