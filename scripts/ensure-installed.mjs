// Installs what a fresh machine lacks before `npm start` or `npm test` runs anything else.
// Only Node's built-ins may be used here: nothing from node_modules exists yet.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const stampFile = join(root, 'node_modules', '.kiosk-install-stamp');

/** Debian packages the test suite needs; `npm test` installs them when it runs as root. */
export const TEST_DEBIAN_PACKAGES = [
  'postgresql',
  'chromium',
  'fonts-dejavu-core',
  // Serial devices are tested through pseudo-terminals that socat links; SerialPort.list()
  // runs udevadm; node-hid loads libusb and libudev.
  'socat',
  'udev',
  'libusb-1.0-0',
  'libudev1',
];

function log(message) {
  console.log(`[install] ${message}`);
}

function run(command, args, env = process.env) {
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', env }).status === 0;
}

function lockDigest() {
  const lock = readFileSync(join(root, 'package-lock.json'));
  return createHash('sha256').update(lock).update(process.version).digest('hex');
}

/** `npm ci` from the committed lock, once per lock change; skips Electron's binary where it cannot be downloaded. */
/**
 * Native modules rebuilt for Electron no longer load in Node: forget the install, so the next
 * `npm test` or browser-host start reinstalls them for Node.
 */
export function forgetNodeInstall() {
  rmSync(stampFile, { force: true });
}

export function ensureNpmDependencies() {
  const digest = lockDigest();
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === digest) return;
  log(
    'installing npm dependencies from package-lock.json (better-sqlite3 may compile for about a minute)',
  );
  const ci = ['ci', '--no-audit', '--no-fund'];
  if (!run('npm', ci)) {
    log("npm ci failed; retrying without Electron's binary (ELECTRON_SKIP_BINARY_DOWNLOAD=1).");
    log('The kiosk will run in the browser host instead of Electron.');
    if (!run('npm', ci, { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' })) {
      throw new Error('npm ci failed; see the output above');
    }
  }
  writeFileSync(stampFile, digest);
}

function isDebianPackageInstalled(name) {
  const query = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return query.status === 0 && query.stdout.includes('install ok installed');
}

/** Installs missing Debian packages when running as root; otherwise names them and stops. */
export function ensureDebianPackages(packages) {
  const missing = packages.filter((name) => !isDebianPackageInstalled(name));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `missing Debian packages: ${missing.join(' ')}. Install them with: sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (
    !run('apt-get', ['update'], env) ||
    !run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], env)
  ) {
    throw new Error(`apt-get could not install: ${missing.join(' ')}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureNpmDependencies();
}
