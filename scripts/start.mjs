// `npm start`: installs what is missing, builds the kiosk UI if it changed, then runs the kiosk
// on its embedded default. Electron where its binary is installed; otherwise the browser host,
// opened in an installed Chromium in kiosk mode (or its address printed when there is none).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ensureRendererBuilt } from './build-renderer.mjs';
import { ensureNpmDependencies } from './ensure-installed.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

ensureNpmDependencies();
ensureRendererBuilt();

const host = spawn(
  process.execPath,
  ['bin/kiosk.mjs', 'host', '--port', process.env.PORT ?? '3000', ...process.argv.slice(2)],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
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

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => children.forEach((child) => child.kill(signal)));
}
host.on('exit', (code) => process.exit(code ?? 1));
