// `npm run bench:core`: the embedded payment API's throughput and latency under 50 concurrent
// connections, beside a baseline (Fastify plus the same API-key lookup), on SQLite and then on
// PostgreSQL. Each server runs in its own process; autocannon runs in this one. It prints
// numbers and asserts nothing.
//
//   BENCH_SECONDS=5 npm run bench:core     (default 10 s per scenario)
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Instance, RequestSpec } from 'autocannon';
import { cleanUpEverything, cleanUpOnSignals, deferCleanup } from './cleanup.ts';
import { CONNECTIONS, runLoad, type LoadResult } from './load.ts';
import { startTemporaryPostgres } from './postgres.ts';
import { formatTable, type Row, type Scenario } from './report.ts';
import {
  API_HEADERS,
  baselineRequests,
  createPayableRequests,
  createRequests,
  getRequests,
  payRequests,
  type PayQueue,
} from './scenarios.ts';
import { startServerProcess } from './server-process.ts';
import { progress, wholeNumberFromEnvironment } from './run-options.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const seconds = wholeNumberFromEnvironment('BENCH_SECONDS', 10);
/** Unmeasured load before each scenario, so the JIT and the caches are warm when it counts. */
const WARMUP_SECONDS = 1;
/** The fewest requests pre-created at a time: 20 per connection. */
const MIN_POOL = 20 * CONNECTIONS;
/**
 * Requests pre-created for pay's measured run, as a multiple of what pay managed per second in
 * its warm-up: each pay must be a first payment, so the pool must outlast the run. The warm-up
 * runs cold, and has been seen at half the pace of the measured run.
 */
const PAY_POOL_MARGIN = 2.5;
/** Measured pay runs at most, should the pool still run out. */
const MAX_PAY_RUNS = 3;

interface EngineReport {
  title: string;
  rows: Row[];
  notes: string[];
}

/** Warms up, then measures one scenario. */
async function measure(
  scenario: Scenario,
  url: string,
  requests: RequestSpec[],
): Promise<LoadResult> {
  progress(`${scenario}: ${WARMUP_SECONDS} s warm-up, then ${seconds} s…`);
  await runLoad({ url, headers: API_HEADERS, requests, seconds: WARMUP_SECONDS });
  return runLoad({ url, headers: API_HEADERS, requests, seconds });
}

/** Creates `count` payable requests at create's pace, unmeasured; returns their ids. */
async function precreate(url: string, count: number, create: LoadResult): Promise<string[]> {
  const eta =
    create.requestsPerSecond > 0 ? ` (≈${Math.ceil(count / create.requestsPerSecond)} s)` : '';
  progress(`pre-creating ${count} payment requests${eta}…`);
  const ids = await createPayableRequests(url, count);
  if (ids.length === 0) throw new Error('no payment request could be pre-created');
  if (ids.length < count) progress(`only ${ids.length} of ${count} could be pre-created`);
  return ids;
}

/**
 * Pays pre-created requests, each once. The warm-up pays get's requests; its pace sizes the
 * pool for the measured run, which is run again with a bigger pool if it still runs out.
 */
async function measurePay(
  url: string,
  warmupIds: string[],
  create: LoadResult,
  notes: string[],
): Promise<LoadResult> {
  progress(`pay: warm-up paying ${warmupIds.length} requests…`);
  const warmup = await runLoad({
    url,
    headers: API_HEADERS,
    amount: warmupIds.length,
    requests: payRequests({ ids: warmupIds, next: 0, repeats: 0 }),
  });
  let pace = (warmup.statusCounts['200'] ?? 0) / warmup.seconds;
  for (let run = 1; ; run++) {
    const size = Math.max(MIN_POOL, Math.ceil(pace * seconds * PAY_POOL_MARGIN));
    const queue: PayQueue = { ids: await precreate(url, size, create), next: 0, repeats: 0 };
    progress(`pay: ${seconds} s…`);
    let running: Instance | undefined;
    let startedAt = Date.now();
    const result = await runLoad({
      url,
      headers: API_HEADERS,
      seconds,
      requests: payRequests(queue, () => running?.stop()),
      started: (instance) => {
        running = instance;
        startedAt = Date.now();
      },
    });
    if (queue.exhaustedAt === undefined) return result;
    const lasted = (queue.exhaustedAt - startedAt) / 1000;
    pace = queue.ids.length / lasted;
    const ranOut = `pay used up all ${queue.ids.length} requests after ${lasted.toFixed(1)} s`;
    if (run === MAX_PAY_RUNS) {
      notes.push(`${ranOut}; its ${queue.repeats} repeat pays are among its non-2xx`);
      return result;
    }
    progress(`${ranOut}; once more with more`);
  }
}

async function benchEngine(
  engine: string,
  coreDb: string,
  baselineDb: string,
  report: EngineReport,
): Promise<void> {
  const { rows, notes } = report;
  // The core first: on a shared PostgreSQL database it migrates and seeds, the baseline reuses.
  progress(`starting core on ${engine}…`);
  const core = await startServerProcess(
    'core',
    ['bin/kiosk.mjs', 'core', '--port', '0', '--db', coreDb],
    {
      cwd: root,
      env: { LOG_LEVEL: 'warn' },
    },
  );
  try {
    progress(`starting baseline on ${engine}…`);
    const baseline = await startServerProcess(
      'baseline',
      ['--import', 'tsx', 'bench/baseline-server.ts', '--db', baselineDb],
      { cwd: root },
    );
    try {
      rows.push({
        scenario: 'baseline',
        result: await measure('baseline', baseline.url, baselineRequests),
      });
    } finally {
      await baseline.stop();
    }

    const create = await measure('create', core.url, createRequests);
    rows.push({ scenario: 'create', result: create });

    const firstPool = await precreate(
      core.url,
      Math.max(MIN_POOL, Math.ceil(create.requestsPerSecond * WARMUP_SECONDS)),
      create,
    );
    rows.push({ scenario: 'get', result: await measure('get', core.url, getRequests(firstPool)) });

    rows.push({ scenario: 'pay', result: await measurePay(core.url, firstPool, create, notes) });
    for (const { scenario, result } of rows)
      if (result.non2xx > 0)
        notes.push(`${scenario}: non-2xx by status ${JSON.stringify(result.statusCounts)}`);
  } finally {
    await core.stop();
  }
}

/** Runs one engine's scenarios; a failure is noted and the other engine still runs. */
async function runEngine(
  title: string,
  bench: (report: EngineReport) => Promise<void>,
): Promise<EngineReport> {
  const report: EngineReport = { title, rows: [], notes: [] };
  try {
    await bench(report);
  } catch (error) {
    report.notes.push(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
  return report;
}

cleanUpOnSignals();
const reports: EngineReport[] = [];
try {
  console.log(
    `core benchmark: ${CONNECTIONS} connections, ${seconds} s per scenario (BENCH_SECONDS) after ` +
      `${WARMUP_SECONDS} s warm-up; Node ${process.version}, ${availableParallelism()} CPUs ` +
      'shared by autocannon and the server under test',
  );
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-bench-'));
  deferCleanup(() => rmSync(dir, { recursive: true, force: true }));

  reports.push(
    await runEngine('SQLite (WAL, synchronous=FULL, group commit)', (report) =>
      benchEngine('sqlite', join(dir, 'core.db'), join(dir, 'baseline.db'), report),
    ),
  );

  reports.push(
    await runEngine('PostgreSQL (temporary server on 127.0.0.1)', async (report) => {
      progress('starting a temporary PostgreSQL…');
      const postgres = await startTemporaryPostgres();
      const stopPostgres = deferCleanup(() => postgres.stop());
      try {
        await benchEngine('postgres', postgres.url, postgres.url, report);
      } finally {
        await stopPostgres();
      }
    }),
  );
} finally {
  await cleanUpEverything();
}

for (const { title, rows, notes } of reports) {
  console.log(`\n${title}`);
  if (rows.length > 0) console.log(formatTable(rows));
  for (const note of notes) console.log(`note: ${note}`);
}
console.log(
  '\nreq/s and ratios are relative to the baseline of the same engine in this run; ' +
    'latency includes non-2xx replies.',
);
