// `npm test`: install what is missing, start PostgreSQL, then type-check, lint and run every
// suite (Vitest, the end-to-end tests in Debian's Chromium, the Electron app test), ending with
// the line `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureRendererBuilt } from './build-renderer.mjs';
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

/** Adds a JSON report's counts; a run that wrote no report is one failure. */
function countReport(file, read) {
  try {
    const counts = read(JSON.parse(readFileSync(file, 'utf8')));
    passed += counts.passed;
    failed += counts.failed;
  } catch {
    console.log(`no report at ${file}`);
    failed++;
  }
}

const typecheck = [
  ['-p', 'tsconfig.json', '--noEmit'],
  ['-p', 'renderer/tsconfig.json'],
  ['-p', 'renderer/tsconfig.node.json'],
];
count(typecheck.every((args) => step(`typecheck ${args[1]}`, bin('tsc'), args)));
count(step('lint', bin('eslint'), ['.']));

console.log('\n== starting a temporary PostgreSQL on 127.0.0.1');
const postgres = await startTemporaryPostgres();
const reportDir = mkdtempSync(join(tmpdir(), 'kiosk-test-reports-'));
try {
  const env = { ...process.env, KIOSK_TEST_POSTGRES_URL: postgres.url };
  const vitestReport = join(reportDir, 'vitest.json');
  const args = [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${vitestReport}`,
  ];
  step('vitest', bin('vitest'), [...args, ...process.argv.slice(2)], env);
  countReport(vitestReport, (results) => ({
    passed: results.numPassedTests,
    // A suite that fails to load has no tests to count but is still a failure.
    failed:
      results.numFailedTests +
      results.testResults.filter(
        (file) => file.status === 'failed' && file.assertionResults.length === 0,
      ).length,
  }));
} finally {
  postgres.stop();
}

ensureRendererBuilt();
const playwrightCounts = (report) => ({
  passed: report.stats.expected + report.stats.flaky,
  failed: report.stats.unexpected,
});
const suites = [
  ['end-to-end (browser host, Chromium)', 'playwright.config.ts', 'e2e.json'],
  ['end-to-end (Electron app)', 'tests/electron/playwright.config.ts', 'electron.json'],
];
for (const [name, config, reportName] of suites) {
  const report = join(reportDir, reportName);
  step(name, bin('playwright'), ['test', '-c', config, '--reporter=list,json'], {
    ...process.env,
    PLAYWRIGHT_JSON_OUTPUT_NAME: report,
  });
  countReport(report, playwrightCounts);
}
rmSync(reportDir, { recursive: true, force: true });

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
