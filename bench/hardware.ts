// `npm run bench:hardware`: the hardware drivers' latency and throughput through real socat PTY
// pairs (spec/hardware.md, "Simulators"): each driver on end A, its simulator on end B, both over
// serialport. It prints numbers and asserts nothing.
//
//   1. scanner read → ScanEvent latency, beside a raw PTY round trip of the same bytes;
//   2. vend request → approval latency (mode A), beside the limits the VMC and the spec set;
//   3. reads per second with garbage mixed in, beside the same without garbage;
//   4. vend request → approval through the whole kiosk (journal write first), beside section 2.
//
//   BENCH_READS=500 BENCH_VENDS=100 BENCH_SECONDS=5 BENCH_SESSIONS=30 npm run bench:hardware
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { CashlessDriver } from '../hardware/mdb/cashless-driver.ts';
import type { CashlessNotification } from '../hardware/mdb/cashless-session.ts';
import { SerialScanner } from '../hardware/scanners/serial-scanner.ts';
import { hasValidGtinCheckDigit, type ScannerStats } from '../hardware/scanners/scan-read.ts';
import { ScannerSimulator } from '../hardware/simulators/scanner-simulator.ts';
import { VmcSimulator } from '../hardware/simulators/vmc-simulator.ts';
import { startPtyPair, type PtyPair } from '../hardware/testing/pty-pair.ts';
import { SerialTransport } from '../hardware/transport/serial-transport.ts';
import type { Transport } from '../hardware/transport/transport.ts';
import { cleanUpEverything, cleanUpOnSignals, deferCleanup } from './cleanup.ts';
import { kioskVendLatency } from './hardware/kiosk-vending.ts';
import { progress, wholeNumberFromEnvironment } from './run-options.ts';

const reads = wholeNumberFromEnvironment('BENCH_READS', 500);
const vends = wholeNumberFromEnvironment('BENCH_VENDS', 100);
const seconds = wholeNumberFromEnvironment('BENCH_SECONDS', 5);
const sessions = wholeNumberFromEnvironment('BENCH_SESSIONS', 30);
/** Between reads (and between vends) in the latency runs, so each is measured on a quiet line. */
const SPACING_MS = 3;
/** Unmeasured reads before each latency run, so the JIT is warm when it counts. */
const WARMUP_READS = 50;
/** The scanner ignores bytes for 200 ms after open (spec); wait a little longer. */
const SETTLE_WAIT_MS = 300;
/** One garbage burst per this many good reads in the garbage run. */
const READS_PER_GARBAGE = 4;
/** Longest wait for the last reads of a throughput run to come through. */
const DRAIN_MS = 5_000;
/** The kiosk's answer to a vend request is due within 1 s (spec, mode A step 3). */
const KIOSK_APPROVAL_LIMIT_MS = 1_000;
/** The VMC's "application maximum response time" (30 s in a Qibixx sniff). */
const VMC_APPROVAL_LIMIT_MS = 30_000;
const SCANNER_BAUD = 9600;
const ADAPTER_BAUD = 115_200;

// --- numbers --------------------------------------------------------------------------------

interface Latency {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of samples in ms. */
function latencyOf(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  return {
    count: sorted.length,
    p50: rank(50),
    p95: rank(95),
    p99: rank(99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

const ms = (value: number) => (Number.isNaN(value) ? '-' : value.toFixed(3));

/** Pads each column to its widest cell: the first to the left, the others to the right. */
function alignColumns(table: string[][]): string {
  const widths = table[0]!.map((_, column) =>
    Math.max(...table.map((row) => (row[column] ?? '').length)),
  );
  const format = (row: string[]) =>
    row
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  const [header, ...body] = table;
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [format(header!), rule, ...body.map(format)].join('\n');
}

function latencyTable(rows: { name: string; latency: Latency; extra?: string }[]): string {
  const extras = rows.some((row) => row.extra !== undefined);
  return alignColumns([
    ['measure', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', ...(extras ? ['limit'] : [])],
    ...rows.map(({ name, latency, extra }) => [
      name,
      String(latency.count),
      ms(latency.p50),
      ms(latency.p95),
      ms(latency.p99),
      ms(latency.max),
      ...(extras ? [extra ?? ''] : []),
    ]),
  ]);
}

// --- reads ----------------------------------------------------------------------------------

/** The n-th distinct EAN-13: 12 digits from n, then the GS1 check digit. */
function ean13(n: number): string {
  const body = String(200_000_000_000 + n).padStart(12, '0');
  for (let check = 0; check <= 9; check++) {
    if (hasValidGtinCheckDigit(`${body}${check}`)) return `${body}${check}`;
  }
  throw new Error(`no check digit for ${body}`);
}

/** Garbage as a bad line delivers it, each burst ended by CR so it cannot swallow a good read. */
const GARBAGE_BURSTS: Uint8Array[] = [
  // Control bytes only: empty once they are dropped.
  Uint8Array.from([0x00, 0x07, 0x1b, 0x08, 0x7f, 0x01, 0x0d]),
  // An over-long run: past the 512-byte cap, skipped to its terminator.
  Buffer.from(`${'7'.repeat(700)}\r`, 'latin1'),
  // High bytes: not UTF-8.
  Uint8Array.from([0xff, 0xfe, 0x8f, 0xc3, 0x28, 0x0d]),
  // An EAN-13 with a wrong check digit.
  Buffer.from(`]E0${ean13(0).slice(0, 12)}${(Number(ean13(0).at(-1)) + 1) % 10}\r`, 'latin1'),
];

// --- rigs -----------------------------------------------------------------------------------

/** A socat PTY pair whose stop() runs even on failure or SIGINT. */
async function ptyPair(): Promise<PtyPair> {
  if (interrupted) throw new Error('interrupted');
  const pair = await startPtyPair();
  deferCleanup(() => pair.stop());
  // A signal while socat was starting: the cleanup already ran, so this pair is stopped here.
  if (interrupted) {
    await pair.stop();
    throw new Error('interrupted');
  }
  return pair;
}

/** A SerialTransport on `path`, closed on cleanup (before its socat is stopped). */
function serialTransport(path: string, baudRate: number): SerialTransport {
  const transport = new SerialTransport({ path, baudRate });
  deferCleanup(() => transport.close());
  return transport;
}

interface ScannerRig {
  scanner: SerialScanner;
  sim: ScannerSimulator;
  /** Stops everything the rig started. */
  stop(): Promise<void>;
}

async function scannerRig(): Promise<ScannerRig> {
  const pair = await ptyPair();
  const kiosk = serialTransport(pair.a, SCANNER_BAUD);
  const device = serialTransport(pair.b, SCANNER_BAUD);
  const scanner = new SerialScanner({ transport: kiosk });
  const sim = new ScannerSimulator({ transport: device, suffix: '\r', aimPrefix: true });
  await device.open();
  await scanner.start();
  await sleep(SETTLE_WAIT_MS);
  return {
    scanner,
    sim,
    stop: async () => {
      await scanner.stop();
      await device.close();
      await pair.stop();
    },
  };
}

/** Polls until `done()` holds or `timeoutMs` passes; says which. */
async function until(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) return false;
    await sleep(5);
  }
  return true;
}

// --- 1. scanner read → event ----------------------------------------------------------------

/** Raw PTY round trip: write on B, first `data` on A, for the bytes a read puts on the wire. */
async function rawRoundTrip(): Promise<{ samples: number[]; bytes: number }> {
  const pair = await ptyPair();
  const a = serialTransport(pair.a, SCANNER_BAUD);
  const b = serialTransport(pair.b, SCANNER_BAUD);
  // The bytes the scanner run sends for one read.
  const payload = new ScannerSimulator({ transport: b, suffix: '\r', aimPrefix: true }).encode(
    ean13(1),
    { symbology: 'ean-13' },
  );
  try {
    await a.open();
    await b.open();
    let arrived: (() => void) | undefined;
    a.onData(() => arrived?.());
    const samples: number[] = [];
    for (let i = 0; i < WARMUP_READS + reads; i++) {
      const received = new Promise<number>((resolve) => {
        arrived = () => {
          arrived = undefined;
          resolve(performance.now());
        };
      });
      const start = performance.now();
      await b.write(payload);
      const end = await withTimeout(received, 1_000, 'raw PTY data');
      if (i >= WARMUP_READS) samples.push(end - start);
      await sleep(SPACING_MS);
    }
    return { samples, bytes: payload.length };
  } finally {
    await a.close();
    await b.close();
    await pair.stop();
  }
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${what}: nothing in ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function scanLatency(): Promise<{ samples: number[]; stats: ScannerStats }> {
  const rig = await scannerRig();
  try {
    const waiting = new Map<string, (at: number) => void>();
    rig.scanner.onScan((scan) => {
      const at = performance.now();
      waiting.get(scan.data)?.(at);
      waiting.delete(scan.data);
    });
    const samples: number[] = [];
    for (let i = 0; i < WARMUP_READS + reads; i++) {
      const data = ean13(i + 1);
      const emitted = new Promise<number>((resolve) => waiting.set(data, resolve));
      const start = performance.now();
      await rig.sim.scan(data, { symbology: 'ean-13' });
      const end = await withTimeout(emitted, 1_000, `read ${data}`);
      if (i >= WARMUP_READS) samples.push(end - start);
      await sleep(SPACING_MS);
    }
    return { samples, stats: rig.scanner.stats };
  } finally {
    await rig.stop();
  }
}

// --- 2. vend request → approval -------------------------------------------------------------

/** Wraps a transport so every write of a vend request is timed as it starts. */
function timingWrites(transport: Transport, onVendRequest: (at: number) => void): Transport {
  return {
    get name() {
      return transport.name;
    },
    get isOpen() {
      return transport.isOpen;
    },
    open: () => transport.open(),
    close: () => transport.close(),
    onData: (listener) => transport.onData(listener),
    onClose: (listener) => transport.onClose(listener),
    write: (bytes) => {
      if (Buffer.from(bytes).toString('latin1').startsWith('c,STATUS,VEND,'))
        onVendRequest(performance.now());
      return transport.write(bytes);
    },
  };
}

interface VendResult {
  samples: number[];
  outcomes: Record<string, number>;
}

async function vendLatency(): Promise<VendResult> {
  const pair = await ptyPair();
  const kiosk = serialTransport(pair.a, ADAPTER_BAUD);
  const device = serialTransport(pair.b, ADAPTER_BAUD);
  let requestWrittenAt: number | undefined;
  let approvalSeen: ((at: number) => void) | undefined;
  const sim = new VmcSimulator({
    transport: timingWrites(device, (at) => (requestWrittenAt = at)),
    vendMs: 1,
    approvalLimitMs: VMC_APPROVAL_LIMIT_MS,
  });
  sim.onTraffic(({ direction, line }) => {
    if (direction === 'in' && line.startsWith('C,VEND,')) approvalSeen?.(performance.now());
  });
  const driver = new CashlessDriver({ transport: kiosk, currencyCode: 978 });
  const outcomes: Record<string, number> = {};
  let measuring = false;
  const count = (key: string) => {
    if (measuring) outcomes[key] = (outcomes[key] ?? 0) + 1;
  };
  const approvals: Promise<void>[] = [];
  let sessionEnded: (() => void) | undefined;
  driver.subscribe((n: CashlessNotification) => {
    if (n.type === 'vendRequested') {
      approvals.push(
        driver.approveVend(n.priceMinor).then(
          (outcome) => count(outcome.result),
          (error: unknown) =>
            count(`error: ${error instanceof Error ? error.message : String(error)}`),
        ),
      );
    }
    if (n.type === 'sessionEnded') sessionEnded?.();
  });
  try {
    await sim.open();
    await withTimeout(driver.start(), 5_000, 'driver start');
    const samples: number[] = [];
    const warmup = 5;
    for (let i = 0; i < warmup + vends; i++) {
      measuring = i >= warmup;
      const ended = new Promise<void>((resolve) => (sessionEnded = resolve));
      await withTimeout(driver.startSession(500), 2_000, 'session start');
      const approved = new Promise<number>((resolve) => (approvalSeen = resolve));
      requestWrittenAt = undefined;
      sim.select(1 + (i % 60), 100 + (i % 400));
      const end = await withTimeout(approved, VMC_APPROVAL_LIMIT_MS, 'C,VEND');
      if (requestWrittenAt === undefined) throw new Error('the VEND line was never written');
      if (i >= warmup) samples.push(end - requestWrittenAt);
      await withTimeout(ended, 5_000, 'session end');
      await sleep(SPACING_MS);
    }
    await Promise.all(approvals);
    return { samples, outcomes };
  } finally {
    await driver.close();
    await sim.close();
    await pair.stop();
  }
}

// --- 3. reads per second --------------------------------------------------------------------

interface ThroughputResult {
  sent: number;
  garbageBursts: number;
  seconds: number;
  received: number;
  missing: number;
  duplicates: number;
  unexpected: number;
  rejects: number;
  rejectsByReason: Partial<Record<string, number>>;
  drained: boolean;
}

async function throughput(withGarbage: boolean): Promise<ThroughputResult> {
  const rig = await scannerRig();
  try {
    const seen = new Map<string, number>();
    const sent = new Set<string>();
    let firstArrivals = 0;
    rig.scanner.onScan((scan) => {
      const count = seen.get(scan.data) ?? 0;
      if (count === 0 && sent.has(scan.data)) firstArrivals++;
      seen.set(scan.data, count + 1);
    });
    let garbageBursts = 0;
    const start = performance.now();
    const stopAt = start + seconds * 1000;
    for (let n = 1; performance.now() < stopAt; n++) {
      const data = ean13(1_000_000 + n);
      sent.add(data);
      await rig.sim.scan(data, { symbology: 'ean-13' });
      if (withGarbage && n % READS_PER_GARBAGE === 0) {
        await rig.sim.garbage(GARBAGE_BURSTS[garbageBursts % GARBAGE_BURSTS.length]!);
        garbageBursts++;
      }
    }
    // Reads still in flight count: the rate is over the time until the last one arrived.
    const drained = await until(() => firstArrivals === sent.size, DRAIN_MS);
    const elapsed = (performance.now() - start) / 1000;
    // A duplicate could come after the last first arrival; give it a moment.
    await sleep(50);
    let missing = 0;
    let duplicates = 0;
    for (const data of sent) {
      const count = seen.get(data) ?? 0;
      if (count === 0) missing++;
      if (count > 1) duplicates += count - 1;
    }
    const unexpected = [...seen.keys()].filter((data) => !sent.has(data)).length;
    const stats = rig.scanner.stats;
    const rejectsByReason = Object.fromEntries(
      Object.entries(stats.rejectsByReason).filter(([, count]) => count > 0),
    );
    return {
      sent: sent.size,
      garbageBursts,
      seconds: elapsed,
      received: [...seen.values()].reduce((sum, count) => sum + count, 0),
      missing,
      duplicates,
      unexpected,
      rejects: stats.rejects,
      rejectsByReason,
      drained,
    };
  } finally {
    await rig.stop();
  }
}

function throughputTable(rows: { name: string; result: ThroughputResult }[]): string {
  return alignColumns([
    ['run', 'reads sent', 'garbage', 'good reads', 'reads/s', 'rejects', 'exactly once'],
    ...rows.map(({ name, result }) => [
      name,
      String(result.sent),
      String(result.garbageBursts),
      String(result.received),
      (result.received / result.seconds).toFixed(0),
      String(result.rejects),
      exactlyOnce(result) ? 'yes' : 'NO',
    ]),
  ]);
}

const exactlyOnce = (result: ThroughputResult) =>
  result.missing === 0 && result.duplicates === 0 && result.unexpected === 0;

// --- main -----------------------------------------------------------------------------------

/** Runs one section; a failure is noted and the others still run. */
async function section(title: string, run: () => Promise<string[]>): Promise<string[]> {
  try {
    return [title, ...(await run())];
  } catch (error) {
    process.exitCode = 1;
    return [
      title,
      `FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    ];
  } finally {
    // Whatever the section left registered (it failed half-way) goes now.
    await cleanUpEverything();
  }
}

/** Section 2's result: the baseline of section 4. */
let driverVendLatency: Latency | undefined;

/** Set on SIGINT/SIGTERM: no new PTY pair is started while the cleanup runs. */
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => (interrupted = true));
cleanUpOnSignals();
const output: string[][] = [];
try {
  console.log(
    `hardware benchmark through socat PTY pairs: ${reads} reads (BENCH_READS), ${vends} vends ` +
      `(BENCH_VENDS), ${seconds} s per throughput run (BENCH_SECONDS); Node ${process.version}, ` +
      `${availableParallelism()} CPUs shared by driver, simulator and socat`,
  );

  output.push(
    await section(
      '1. scanner read → ScanEvent (EAN-13 with ]E0 prefix and CR, 17 bytes)',
      async () => {
        progress(`raw PTY round trip: ${WARMUP_READS} warm-up + ${reads} writes…`);
        const roundTrip = await rawRoundTrip();
        const raw = latencyOf(roundTrip.samples);
        progress(`scanner: ${WARMUP_READS} warm-up + ${reads} reads, ${SPACING_MS} ms apart…`);
        const { samples, stats } = await scanLatency();
        const scan = latencyOf(samples);
        return [
          latencyTable([
            { name: 'baseline: raw PTY write → first data', latency: raw },
            { name: 'simulator write → ScanEvent', latency: scan },
          ]),
          `${roundTrip.bytes} bytes a read; driver over baseline at p50: +${ms(scan.p50 - raw.p50)} ms; ` +
            `scanner stats: ${stats.reads} reads, ${stats.rejects} rejects`,
        ];
      },
    ),
  );

  output.push(
    await section('2. vend request → approval (mode A, approve on vendRequested)', async () => {
      progress(`vends: 5 warm-up + ${vends}, each in its own session…`);
      const { samples, outcomes } = await vendLatency();
      const latency = latencyOf(samples);
      driverVendLatency = latency;
      return [
        latencyTable([
          {
            name: 'VMC writes c,STATUS,VEND → receives C,VEND,<price>',
            latency,
            extra: `kiosk ≤ ${KIOSK_APPROVAL_LIMIT_MS} ms (spec); VMC gives up at ${VMC_APPROVAL_LIMIT_MS} ms`,
          },
        ]),
        `p99 uses ${((latency.p99 / KIOSK_APPROVAL_LIMIT_MS) * 100).toFixed(2)}% of the kiosk's 1 s ` +
          `and ${((latency.p99 / VMC_APPROVAL_LIMIT_MS) * 100).toFixed(4)}% of the VMC's 30 s; ` +
          `outcomes: ${JSON.stringify(outcomes)}`,
      ];
    }),
  );

  output.push(
    await section(
      `3. reads per second, back to back for ${seconds} s (1 garbage burst per ${READS_PER_GARBAGE} reads)`,
      async () => {
        progress(`throughput without garbage: ${seconds} s…`);
        const clean = await throughput(false);
        progress(`throughput with garbage: ${seconds} s…`);
        const dirty = await throughput(true);
        const lines = [
          throughputTable([
            { name: 'baseline: no garbage', result: clean },
            { name: 'garbage mixed in', result: dirty },
          ]),
          `garbage rejects by reason: ${JSON.stringify(dirty.rejectsByReason)} ` +
            `(bursts: control bytes, ${GARBAGE_BURSTS[1]!.length - 1}-byte run, high bytes, bad check digit)`,
        ];
        for (const [name, result] of [
          ['baseline', clean],
          ['garbage', dirty],
        ] as const) {
          if (!exactlyOnce(result) || !result.drained)
            lines.push(
              `!!! ${name}: COUNT MISMATCH: ${result.sent} sent, ${result.received} received, ` +
                `${result.missing} missing, ${result.duplicates} duplicated, ` +
                `${result.unexpected} unexpected${result.drained ? '' : ` (not drained in ${DRAIN_MS} ms)`} !!!`,
            );
          else lines.push(`${name}: every one of ${result.sent} good reads arrived exactly once`);
        }
        if (clean.rejects > 0)
          lines.push(`!!! baseline had ${clean.rejects} rejects without garbage !!!`);
        return lines;
      },
    ),
  );

  output.push(
    await section(
      '4. vend request → approval through the whole kiosk (vending runner, journal write first)',
      async () => {
        const result = await kioskVendLatency(sessions, timingWrites, progress);
        const approval = latencyOf(result.approvals);
        return [
          latencyTable([
            ...(driverVendLatency
              ? [{ name: 'baseline: the driver alone (section 2)', latency: driverVendLatency }]
              : []),
            {
              name: 'VMC writes c,STATUS,VEND → receives C,VEND,<price>',
              latency: approval,
              extra: `kiosk ≤ ${KIOSK_APPROVAL_LIMIT_MS} ms (spec)`,
            },
            {
              name: 'a whole session: visit → paid → vended → settled',
              latency: latencyOf(result.sessions),
            },
          ]),
          `sessions by outcome: ${JSON.stringify(result.outcomes)}`,
        ];
      },
    ),
  );
} finally {
  await cleanUpEverything();
}

for (const [title, ...lines] of output) {
  console.log(`\n${title}`);
  for (const line of lines) console.log(line);
}
console.log(
  '\nLatencies are wall-clock (performance.now) in this one process; the PTY baseline is the ' +
    'floor any driver pays. The vend limits are ceilings, not baselines.',
);
