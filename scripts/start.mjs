// `npm start`: installs what is missing, then runs the kiosk on its embedded default.
// Until the kiosk UI exists (issue 3) that is the embedded core with its demo seed.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureNpmDependencies } from './ensure-installed.mjs';

ensureNpmDependencies();
const root = fileURLToPath(new URL('..', import.meta.url));
const child = spawn(
  process.execPath,
  ['bin/kiosk.mjs', 'core', '--port', process.env.PORT ?? '3000', ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 1));
