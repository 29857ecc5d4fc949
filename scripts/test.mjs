// `npm test`: install what is missing, start PostgreSQL, then type-check, lint and run every
// suite, ending with the line `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ensureDebianPackages,
  ensureNpmDependencies,
  TEST_DEBIAN_PACKAGES,
} from './ensure-installed.mjs';
import { startTemporaryPostgres } from './postgres.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);

function step(name, command, args, env = process.env) {
  console.log(`\n== ${name}`);
  const ok = spawnSync(command, args, { cwd: root, stdio: 'inherit', env }).status === 0;
  console.log(`== ${name}: ${ok ? 'ok' : 'FAILED'}`);
  return ok;
}

ensureNpmDependencies();
ensureDebianPackages(TEST_DEBIAN_PACKAGES);

let passed = 0;
let failed = 0;
const count = (ok) => (ok ? passed++ : failed++);

count(step('typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']));
count(step('lint', bin('eslint'), ['.']));

console.log('\n== starting a temporary PostgreSQL on 127.0.0.1');
const postgres = await startTemporaryPostgres();
const reportDir = mkdtempSync(join(tmpdir(), 'kiosk-vitest-'));
const report = join(reportDir, 'report.json');
try {
  const env = { ...process.env, KIOSK_TEST_POSTGRES_URL: postgres.url };
  const args = ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`];
  step('vitest', bin('vitest'), [...args, ...process.argv.slice(2)], env);
  try {
    const results = JSON.parse(readFileSync(report, 'utf8'));
    passed += results.numPassedTests;
    failed += results.numFailedTests;
    // A suite that fails to load has no tests to count but is still a failure.
    failed += results.testResults.filter(
      (file) => file.status === 'failed' && file.assertionResults.length === 0,
    ).length;
  } catch {
    console.log('vitest wrote no report');
    failed++;
  }
} finally {
  postgres.stop();
  rmSync(reportDir, { recursive: true, force: true });
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
