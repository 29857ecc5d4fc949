// `npm run bench:kiosk`: how the kiosk feels at the counter. It runs `kiosk host` processes as a
// user would, drives the React UI in Chromium (Playwright's library, Debian's Chromium) with the
// same clicks as the e2e tests, pays as the demo consumer over the payment API, and prints
// numbers beside baselines measured in the same run. It asserts nothing.
//
//   1. pay tap → QR on screen        (baseline: start tap → amount screen, no API call)
//   2. consumer pays → Paid on screen, pushed by SSE and polled every second, side by side
//   3. host cold start → idle screen (baseline: `node -e ""`)
//   4. the renderer's JavaScript, raw and gzipped
//   5. memory of the host and the renderer before and after a loop of sales, and its pace
//
//   BENCH_SALES=20          sales timed for 1 and 2, on each host
//   BENCH_COLD_STARTS=5     host cold starts timed for 3
//   BENCH_WARMUP_SALES=50   sales before the first memory sample in 5
//   BENCH_LOOP_SALES=500    sales between the memory samples in 5
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from '@playwright/test';
import type { Connection } from '../terminal/contract/state.ts';
import { DemoConsumer } from '../tests/support/demo-consumer.ts';
import { cleanUpEverything } from './cleanup.ts';
import { hostHeapAfterGc, INSPECT_OPTION, inspectorUrl } from './kiosk/host-inspector.ts';
import {
  KioskPage,
  launchChromium,
  localNow,
  SALE_CENTS,
  type RendererMemory,
  type SaleTimings,
} from './kiosk/kiosk-page.ts';
import { cleanUpOnInterrupt, isInterrupted } from './kiosk/lifecycle.ts';
import { startNoEventsProxy } from './kiosk/no-events-proxy.ts';
import {
  bareNodeStartMs,
  openDescriptors,
  residentBytes,
  ROOT,
  startCoreProcess,
  type HostProcess,
  startHostProcess,
  temporaryDirectory,
} from './kiosk/processes.ts';
import {
  formatTable,
  growth,
  kib,
  logProblems,
  medianRange,
  mib,
  p50p95,
  type Heading,
  type TableRow,
} from './kiosk/report.ts';
import { progress, wholeNumberFromEnvironment } from './run-options.ts';

const SALES = wholeNumberFromEnvironment('BENCH_SALES', 20);
const COLD_STARTS = wholeNumberFromEnvironment('BENCH_COLD_STARTS', 5);
const WARMUP_SALES = wholeNumberFromEnvironment('BENCH_WARMUP_SALES', 50);
const LOOP_SALES = wholeNumberFromEnvironment('BENCH_LOOP_SALES', 500);
/** The kiosk's poll interval when the core does not stream (terminal/api/request-watcher.ts). */
const POLL_INTERVAL_MS = 1000;
/** The demo wallet's balance, which every host's fresh database seeds anew. */
const WALLET_CENTS = 50_000;
/** The terminal key of the demo seed, for a host pointed at a remote core. */
const DEMO_TERMINAL_KEY = 'demo-terminal-key';
/** Memory is also sampled this often during the loop, to show a trend and not just two points. */
const SAMPLE_EVERY_SALES = 100;
/** The loop's pace beyond which the issue asks to be told (500 sales in 10 minutes). */
const SLOW_LOOP_SECONDS = 600;

/** Every host's output, for the closing summary of what their logs complained about. */
const hostLogs: { name: string; lines: string[] }[] = [];

// 4 -------------------------------------------------------------------------------------------

/** What a kiosk downloads and parses at every start; gzip at zlib's default level, as served. */
function rendererSize(): TableRow[] {
  const assets = join(ROOT, 'dist', 'renderer', 'assets');
  const scripts = readdirSync(assets).filter((name) => name.endsWith('.js'));
  let raw = 0;
  let gzipped = 0;
  for (const name of scripts) {
    const bytes = readFileSync(join(assets, name));
    raw += bytes.length;
    gzipped += gzipSync(bytes).length;
  }
  return [
    {
      measure: 'Renderer JS, gzipped',
      value: kib(gzipped),
      baseline: `raw ${kib(raw)}`,
      note: `${scripts.length} file(s) in dist/renderer/assets`,
    },
  ];
}

// 3 -------------------------------------------------------------------------------------------

/**
 * Each start gets a fresh data directory, so it migrates and seeds as a new kiosk does. One
 * unmeasured start comes first: it fills the OS file cache and tsx's transform cache, as any
 * earlier run of the kiosk on the machine would have.
 */
async function coldStarts(browser: Browser): Promise<TableRow[]> {
  const node: number[] = [];
  for (let run = 0; run < COLD_STARTS; run++) node.push(await bareNodeStartMs());
  const coldStartLog: string[] = [];
  hostLogs.push({ name: `${COLD_STARTS} cold-started hosts`, lines: coldStartLog });
  const spans = {
    idle: [] as number[],
    migrated: [] as number[],
    coreListening: [] as number[],
    ready: [] as number[],
    pageToIdle: [] as number[],
  };
  for (let run = 0; run <= COLD_STARTS; run++) {
    progress(run === 0 ? 'cold start: one unmeasured start…' : `cold start ${run}/${COLD_STARTS}…`);
    const dataDir = temporaryDirectory('cold-start');
    const kiosk = await KioskPage.create(browser);
    let spawnedAt = 0;
    let readyAt = 0;
    let idleAt = 0;
    let host: HostProcess | undefined;
    try {
      spawnedAt = localNow();
      host = await startHostProcess(dataDir.path);
      readyAt = localNow();
      if (run > 0) coldStartLog.push(...host.lines);
      idleAt = await kiosk.load(host.pageUrl);
    } finally {
      if (!isInterrupted()) {
        await kiosk.close();
        await host?.stop();
        await dataDir.remove();
      }
    }
    if (run === 0) continue;
    spans.idle.push(idleAt - spawnedAt);
    spans.ready.push(readyAt - spawnedAt);
    spans.pageToIdle.push(idleAt - readyAt);
    // Milestones from the host's own log (pino's `time`: epoch ms, the same clock as ours).
    const migrated = loggedAt(host!.lines, 'database migrated');
    const listening = loggedAt(host!.lines, 'embedded payment API started');
    if (migrated !== undefined) spans.migrated.push(migrated - spawnedAt);
    if (listening !== undefined) spans.coreListening.push(listening - spawnedAt);
  }
  const rows: TableRow[] = [
    {
      measure: 'Host spawn → idle on screen',
      value: medianRange(spans.idle),
      baseline: `node -e "": ${medianRange(node)}`,
      note: `${COLD_STARTS} runs, median (min–max); a new data directory each`,
    },
    {
      measure: '  spawn → database migrated',
      value: medianRange(spans.migrated),
      note: 'from the host log: loading the code (tsx), opening SQLite, migrating',
    },
    {
      measure: '  spawn → embedded core listening',
      value: medianRange(spans.coreListening),
      note: 'from the host log: + seed, Fastify routes and schemas',
    },
    {
      measure: '  spawn → "kiosk host on" printed',
      value: medianRange(spans.ready),
      note: '+ the terminal and the browser host',
    },
    {
      measure: '  page load → idle on screen',
      value: medianRange(spans.pageToIdle),
      note: 'the browser tab was already open',
    },
  ];
  // A milestone whose log message has changed is left out rather than shown empty.
  return rows.filter((row) => row.value !== '–');
}

/** When the host logged `message` (pino JSON lines), in epoch milliseconds. */
function loggedAt(lines: string[], message: string): number | undefined {
  for (const line of lines) {
    if (!line.startsWith('{') || !line.includes(message)) continue;
    const entry = JSON.parse(line) as { msg?: string; time?: number };
    if (entry.msg === message && typeof entry.time === 'number') return entry.time;
  }
  return undefined;
}

// 1 and 2 -------------------------------------------------------------------------------------

/**
 * The same sales on two hosts, alternately, so that whatever else the machine is doing weighs
 * on both alike: one on its embedded core (the kiosk follows the request over SSE) and one on
 * a remote core behind a proxy that refuses the event stream (the kiosk polls every second).
 */
async function saleLatencies(browser: Browser): Promise<TableRow[]> {
  // Stopped at the end of this section even when it fails, so the next one runs on a quiet
  // machine; each stop runs once, here or at the final cleanup.
  const stops: (() => Promise<void>)[] = [];
  try {
    progress('starting a host on its embedded core (SSE)…');
    const sseDir = temporaryDirectory('sse');
    stops.push(sseDir.remove);
    const sseHost = await startHostProcess(sseDir.path);
    stops.push(sseHost.stop);
    hostLogs.push({ name: 'SSE host', lines: sseHost.lines });
    progress('starting a remote core, a proxy without /events, and a host on it (polling)…');
    const coreDir = temporaryDirectory('remote-core');
    stops.push(coreDir.remove);
    const core = await startCoreProcess(join(coreDir.path, 'core.db'));
    stops.push(core.stop);
    const proxy = await startNoEventsProxy(core.url);
    stops.push(proxy.stop);
    const pollingDir = temporaryDirectory('polling');
    stops.push(pollingDir.remove);
    const pollingHost = await startHostProcess(pollingDir.path, {
      apiUrl: proxy.url,
      apiKey: DEMO_TERMINAL_KEY,
    });
    stops.push(pollingHost.stop);
    hostLogs.push({ name: 'polling host', lines: pollingHost.lines });

    const sse = await side('SSE', 'live', sseHost.pageUrl, sseHost.coreUrl, sseDir.path);
    stops.push(sse.page.close);
    const polling = await side('polling', 'polling', pollingHost.pageUrl, core.url, coreDir.path);
    stops.push(polling.page.close);
    return await timeSales(sse, polling);
  } finally {
    if (!isInterrupted()) for (const stop of stops.reverse()) await stop();
  }

  async function side(
    name: string,
    expected: Connection,
    pageUrl: string,
    coreUrl: string,
    coreDataDir: string,
  ): Promise<Side> {
    return {
      name,
      expected,
      page: await KioskPage.open(browser, pageUrl),
      consumer: await DemoConsumer.signIn(coreUrl, coreDataDir),
      results: [],
    };
  }
}

interface Side {
  name: string;
  /** How the kiosk should be following the request on this side. */
  expected: Connection;
  page: KioskPage;
  consumer: DemoConsumer;
  results: SaleTimings[];
}

async function timeSales(sse: Side, polling: Side): Promise<TableRow[]> {
  const sides = [sse, polling];
  // One unmeasured sale on each: the first of anything pays for JIT and cold statement caches.
  for (const side of sides) await side.page.sale(side.consumer);
  for (let sale = 1; sale <= SALES; sale++) {
    if (sale % 5 === 1) progress(`timed sales ${sale}–${Math.min(sale + 4, SALES)}/${SALES}…`);
    for (const side of sides) {
      // A fixed pause between QR and payment would land at the same point of every poll
      // interval and measure one point of the polling delay; a random one samples all of it.
      const payDelayMs = Math.random() * POLL_INTERVAL_MS;
      side.results.push(await side.page.sale(side.consumer, { payDelayMs }));
    }
  }

  const column = (side: Side, pick: (timings: SaleTimings) => number) =>
    p50p95(side.results.map(pick));
  const counted = `p50 / p95 of ${SALES} sales`;
  const rows: TableRow[] = [
    {
      measure: 'Pay tap → QR on screen (embedded core)',
      value: column(sse, (t) => t.payTapToQrMs),
      baseline: `start → amount: ${column(sse, (t) => t.startToAmountMs)}`,
      note: counted,
    },
    {
      measure: 'Pay tap → QR on screen (remote core, proxy)',
      value: column(polling, (t) => t.payTapToQrMs),
      baseline: `start → amount: ${column(polling, (t) => t.startToAmountMs)}`,
      note: counted,
    },
    {
      measure: 'Consumer paid → Paid on screen, SSE',
      value: column(sse, (t) => t.payToPaidMs),
      baseline: '',
      note: `${counted}; embedded core`,
    },
    {
      measure: 'Consumer paid → Paid on screen, polling',
      value: column(polling, (t) => t.payToPaidMs),
      baseline: `SSE: ${column(sse, (t) => t.payToPaidMs)}`,
      note: `${counted}; ${POLL_INTERVAL_MS / 1000} s polls via the 404 proxy`,
    },
  ];
  // The comparison means something only if each side really followed the request its way.
  for (const side of sides) {
    const off = side.results.filter((result) => result.connectionAtPay !== side.expected);
    if (off.length > 0)
      rows.push({
        measure: `note: ${side.name}`,
        value: '',
        note: `${off.length} of ${SALES} sales were not '${side.expected}' when paid (${off
          .map((result) => result.connectionAtPay ?? 'unknown')
          .join(', ')})`,
      });
  }
  return rows;
}

// 5 -------------------------------------------------------------------------------------------

interface MemorySample {
  afterSales: number;
  hostRss: number;
  hostHeap: number;
  hostDescriptors: number;
  renderer: RendererMemory;
}

/**
 * Sales back to back on one host and one page, as a busy kiosk would run all day. The host runs
 * with the inspector open (loopback, port 0) so its heap can be read after a forced GC; the
 * renderer's is read over the page's DevTools session.
 */
async function memoryLoop(browser: Browser): Promise<{ rows: TableRow[]; trend: string[] }> {
  progress('starting a host with its inspector open…');
  const dataDir = temporaryDirectory('loop');
  const nodeOptions = [process.env['NODE_OPTIONS'], INSPECT_OPTION].filter(Boolean).join(' ');
  const host = await startHostProcess(dataDir.path, { env: { NODE_OPTIONS: nodeOptions } });
  hostLogs.push({ name: 'loop host', lines: host.lines });
  let kiosk: KioskPage | undefined;
  const samples: MemorySample[] = [];
  // Only the sales are timed: the samples' forced GCs are the benchmark's, not the kiosk's.
  let salesMs = 0;
  try {
    const inspector = inspectorUrl(host.lines);
    const page = (kiosk = await KioskPage.open(browser, host.pageUrl));
    const consumer = await DemoConsumer.signIn(host.coreUrl, dataDir.path);

    // GC in the host first, so the RSS read after it reflects live memory as far as it can.
    const sample = async (afterSales: number): Promise<MemorySample> => {
      const hostHeap = await hostHeapAfterGc(inspector);
      return {
        afterSales,
        hostHeap,
        hostRss: residentBytes(host.pid),
        hostDescriptors: openDescriptors(host.pid),
        renderer: await page.rendererMemory(),
      };
    };

    progress(`memory: ${WARMUP_SALES} warm-up sales…`);
    for (let sale = 0; sale < WARMUP_SALES; sale++) await page.sale(consumer);
    samples.push(await sample(WARMUP_SALES));

    for (let sale = 1; sale <= LOOP_SALES; sale++) {
      const startedAt = performance.now();
      await page.sale(consumer);
      salesMs += performance.now() - startedAt;
      if (sale % SAMPLE_EVERY_SALES === 0 || sale === LOOP_SALES) {
        const perSecond = (sale / salesMs) * 1000;
        const left = (LOOP_SALES - sale) / perSecond;
        progress(
          `memory: ${sale}/${LOOP_SALES} sales, ${perSecond.toFixed(2)}/s` +
            (left > 0 ? `, about ${Math.ceil(left)} s left` : ''),
        );
        samples.push(await sample(WARMUP_SALES + sale));
      }
    }
  } finally {
    if (!isInterrupted()) {
      await kiosk?.close();
      await host.stop();
      await dataDir.remove();
    }
  }
  const first = samples[0]!;
  const last = samples.at(-1)!;

  const perSecond = (LOOP_SALES / salesMs) * 1000;
  const loopSeconds = salesMs / 1000;
  // Each row: the end of the loop, beside the same reading after the warm-up.
  const change = (before: number, after: number, target = '') =>
    `${growth(before, after)} over ${LOOP_SALES} sales${target}`;
  const rows: TableRow[] = [
    {
      measure: 'Host RSS (VmRSS)',
      value: mib(last.hostRss),
      baseline: `${mib(first.hostRss)} after warm-up`,
      note: change(first.hostRss, last.hostRss, '; target < 10%'),
    },
    {
      measure: 'Host JS heap after GC',
      value: mib(last.hostHeap),
      baseline: `${mib(first.hostHeap)} after warm-up`,
      note: change(first.hostHeap, last.hostHeap),
    },
    {
      measure: 'Host open file descriptors',
      value: String(last.hostDescriptors),
      baseline: `${first.hostDescriptors} after warm-up`,
    },
    {
      measure: 'Renderer JS heap after GC',
      value: mib(last.renderer.heapUsedBytes),
      baseline: `${mib(first.renderer.heapUsedBytes)} after warm-up`,
      note: change(first.renderer.heapUsedBytes, last.renderer.heapUsedBytes, '; target < 10%'),
    },
    {
      measure: 'Renderer event listeners / DOM nodes',
      value: `${last.renderer.eventListeners} / ${last.renderer.domNodes}`,
      baseline: `${first.renderer.eventListeners} / ${first.renderer.domNodes} after warm-up`,
      note: 'on the idle screen',
    },
    {
      measure: 'Sale loop pace',
      value: `${perSecond.toFixed(2)} sales/s`,
      note:
        `${LOOP_SALES} sales in ${loopSeconds.toFixed(0)} s after ${WARMUP_SALES} warm-up; ` +
        'clicks and waits included' +
        (loopSeconds > SLOW_LOOP_SECONDS ? '; over 10 minutes' : ''),
    },
  ];
  const trend = samples.map(
    (s) =>
      `${String(s.afterSales).padStart(5)} sales: host RSS ${mib(s.hostRss)}, heap ` +
      `${mib(s.hostHeap)}, ${s.hostDescriptors} fds; renderer heap ` +
      `${mib(s.renderer.heapUsedBytes)}, ${s.renderer.eventListeners} listeners, ` +
      `${s.renderer.domNodes} nodes`,
  );
  return { rows, trend };
}

// ---------------------------------------------------------------------------------------------

/** A section that fails leaves a FAILED row (its error is printed in full); the others run. */
async function section(
  title: string,
  run: () => Promise<TableRow[]>,
): Promise<(TableRow | Heading)[]> {
  try {
    return [{ heading: title }, ...(await run())];
  } catch (error) {
    // After an interrupt every section fails; the cleanup under way says what is happening.
    if (isInterrupted()) throw error;
    process.exitCode = 1;
    const message = error instanceof Error ? error.message : String(error);
    console.error(`${title} failed: ${error instanceof Error ? error.stack : message}`);
    return [{ heading: title }, { measure: 'FAILED', value: message.split('\n')[0]!.slice(0, 80) }];
  }
}

function checkWalletSuffices(): void {
  const perHost = Math.max(SALES + 1, WARMUP_SALES + LOOP_SALES);
  if (perHost * SALE_CENTS > WALLET_CENTS)
    throw new RangeError(
      `${perHost} sales of ${SALE_CENTS} cents on one host would empty the demo wallet ` +
        `(${WALLET_CENTS / 100} NZD); ask for at most ${Math.floor(WALLET_CENTS / SALE_CENTS)}`,
    );
}

cleanUpOnInterrupt();
try {
  checkWalletSuffices();
  const browser = await launchChromium();
  console.log(
    `kiosk benchmark: ${SALES} timed sales per host (BENCH_SALES), ${COLD_STARTS} cold starts ` +
      `(BENCH_COLD_STARTS), ${WARMUP_SALES} + ${LOOP_SALES} loop sales (BENCH_WARMUP_SALES, ` +
      `BENCH_LOOP_SALES); Node ${process.version}, Chromium ${browser.version()}, ` +
      `${availableParallelism()} CPUs`,
  );
  let trend: string[] = [];
  // Cold starts run first, while no other host competes for the CPUs; the table keeps the
  // issue's order.
  const bundle = await section('Renderer bundle', async () => rendererSize());
  const start = await section('Cold start', () => coldStarts(browser));
  const latency = await section('Sale latency', () => saleLatencies(browser));
  const memory = await section('Memory loop', async () => {
    const result = await memoryLoop(browser);
    trend = result.trend;
    return result.rows;
  });
  console.log(`\n${formatTable([...latency, ...start, ...bundle, ...memory])}`);
  if (trend.length > 0)
    console.log(`\nmemory during the loop (after a forced GC):\n${trend.join('\n')}`);
  console.log('\nhost logs (warn and above):');
  for (const { name, lines } of hostLogs) {
    const { warnings, errors, messages } = logProblems(lines);
    console.log(`  ${name}: ${warnings} warning(s), ${errors} error(s)`);
    for (const message of messages) console.log(`    ${message}`);
  }
  console.log(
    '\n"on screen": in the DOM and painted (the frame after it appeared), timed inside the page;' +
      '\n"consumer paid": when the consumer\'s pay call returned to this process.',
  );
} catch (error) {
  if (!isInterrupted()) {
    process.exitCode = 1;
    console.error(error instanceof Error ? error.stack : error);
  }
} finally {
  // After an interrupt, the signal's own cleanup is already running and then exits.
  if (!isInterrupted()) await cleanUpEverything();
}
