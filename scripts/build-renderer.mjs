// Builds the kiosk UI (dist/renderer) when it is missing or older than its sources, so
// `npm start` and `npm test` serve what is in the tree and a second start begins at once.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const builtPage = join(root, 'dist', 'renderer', 'index.html');
/** What the bundle is made of: the UI and the contract whose types it uses. */
const SOURCES = ['renderer', join('terminal', 'contract'), 'package-lock.json'];

function newestChange(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (newest, entry) => Math.max(newest, newestChange(join(path, entry))),
    stat.mtimeMs,
  );
}

export function ensureRendererBuilt() {
  if (existsSync(builtPage)) {
    const built = statSync(builtPage).mtimeMs;
    if (SOURCES.every((source) => newestChange(join(root, source)) <= built)) return;
  }
  console.log('[kiosk] building the kiosk UI (dist/renderer)');
  const vite = join(root, 'node_modules', '.bin', 'vite');
  const result = spawnSync(
    vite,
    ['build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) throw new Error('the kiosk UI did not build; see the output above');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureRendererBuilt();
