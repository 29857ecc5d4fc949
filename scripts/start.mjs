// `npm start`: installs what is missing, builds the kiosk UI if it changed, then runs the kiosk
// on its embedded default. Electron where its binary is installed (KIOSK_SHELL=browser forces
// the browser host); otherwise the browser host, opened in an installed Chromium in kiosk mode
// (or its address printed when there is none).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ensureRendererBuilt } from './build-renderer.mjs';
import { createRequire } from 'node:module';
import { ensureNpmDependencies, forgetNodeInstall } from './ensure-installed.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

ensureNpmDependencies();
ensureRendererBuilt();

/** The Electron binary node_modules/electron installed, or null where it could not download. */
function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const electron = process.env.KIOSK_SHELL === 'browser' ? null : electronBinary();
if (electron) runElectron(electron);
else runBrowserHost();

/** The kiosk as a desktop app: main and preload built, native modules built for Electron. */
function runElectron(binary) {
  const bin = (name) => join(root, 'node_modules', '.bin', name);
  for (const [command, args] of [
    [bin('electron-vite'), ['build']],
    [bin('electron-builder'), ['install-app-deps']],
  ]) {
    if (spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status !== 0) {
      throw new Error(`${command} ${args.join(' ')} failed; see the output above`);
    }
  }
  forgetNodeInstall();
  const app = spawn(binary, [join(root, 'dist/electron/main/index.js')], {
    cwd: root,
    stdio: 'inherit',
  });
  forwardSignals([app]);
  app.on('exit', (code) => process.exit(code ?? 1));
}

function runBrowserHost() {
  // Simulated devices stand in while none are configured; they are played from this console.
  const host = spawn(
    process.execPath,
    [
      'bin/kiosk.mjs',
      'host',
      '--port',
      process.env.PORT ?? '3000',
      '--simulate-devices',
      ...process.argv.slice(2),
    ],
    { cwd: root, stdio: ['inherit', 'pipe', 'inherit'] },
  );
  const children = [host];
  createInterface({ input: host.stdout }).on('line', (line) => {
    console.log(line);
    if (line.startsWith('open ')) openKioskWindow(line.slice('open '.length).trim());
  });

  /** Opens the page full screen in Chromium, in a profile of its own under the data directory. */
  function openKioskWindow(pageUrl) {
    const chromium = CHROMIUMS.find((path) => existsSync(path));
    const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
    if (!chromium || !hasDisplay) {
      console.log(
        chromium
          ? '[kiosk] no display: open the address above in a browser'
          : '[kiosk] no Chromium installed: open the address above in a browser',
      );
      return;
    }
    const profile = join(resolve(root, process.env.KIOSK_DATA_DIR ?? 'data'), 'chromium-profile');
    mkdirSync(profile, { recursive: true });
    const browser = spawn(
      chromium,
      [`--user-data-dir=${profile}`, '--kiosk', '--no-first-run', `--app=${pageUrl}`],
      { stdio: 'ignore' },
    );
    children.push(browser);
    browser.on('exit', () => host.kill('SIGTERM'));
  }

  forwardSignals(children);
  host.on('exit', (code) => process.exit(code ?? 1));
}

function forwardSignals(children) {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => children.forEach((child) => child.kill(signal)));
  }
}
