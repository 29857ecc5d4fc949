// The serial scanner driver against the scanner simulator, over a real socat PTY pair and the
// real serialport stack: the driver holds end A, the simulator end B.
import { afterEach, describe, expect, it } from 'vitest';
import { ScannerSimulator, type ScannerSimulatorOptions } from '../simulators/scanner-simulator.ts';
import { eventQueue } from '../testing/event-queue.ts';
import { recordingLogger } from '../testing/log-recorder.ts';
import { startPtyPair } from '../testing/pty-pair.ts';
import { SerialTransport } from '../transport/serial-transport.ts';
import type { ScanEvent } from './scan-read.ts';
import { SerialScanner, type SerialScannerOptions } from './serial-scanner.ts';

const SETTLE_MS = 200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function rig(
  options: {
    driver?: Omit<SerialScannerOptions, 'transport'>;
    simulator?: Omit<ScannerSimulatorOptions, 'transport'>;
    settle?: boolean;
  } = {},
) {
  const pty = await startPtyPair();
  cleanups.push(pty.stop);
  const log = recordingLogger();
  const scanner = new SerialScanner({
    transport: new SerialTransport({ path: pty.a }),
    logger: log.logger,
    ...options.driver,
  });
  const far = new SerialTransport({ path: pty.b });
  await far.open();
  cleanups.push(() => far.close());
  const simulator = new ScannerSimulator({ transport: far, ...options.simulator });
  const scans = eventQueue<ScanEvent>((listener) => scanner.onScan(listener));
  const closes = eventQueue((listener) => scanner.onClose(listener));
  await scanner.start();
  cleanups.push(() => scanner.stop());
  // Reads in the settling time are ignored: wait it out unless the test is about it.
  if (options.settle !== false) await sleep(SETTLE_MS + 20);
  return { pty, scanner, simulator, scans, closes, log };
}

/** The data of the next `count` scans. */
async function nextData(scans: { next(): Promise<ScanEvent> }, count: number) {
  const data: string[] = [];
  for (let i = 0; i < count; i++) data.push((await scans.next()).data);
  return data;
}

describe('SerialScanner over a socat PTY pair, fed by the scanner simulator', () => {
  it.each([
    ['CR', '\r'],
    ['LF', '\n'],
    ['CR LF', '\r\n'],
  ] as const)(
    'frames reads ended by %s, each emitted once with its source and time',
    async (_, suffix) => {
      const { pty, simulator, scans, scanner } = await rig({ simulator: { suffix } });
      const before = Date.now();
      await simulator.scan('ABC-123');
      await simulator.scan('4006381333931');
      const first = await scans.next();
      expect(first).toEqual({ data: 'ABC-123', symbology: 'unknown', at: first.at, source: pty.a });
      expect(first.at).toBeGreaterThanOrEqual(before);
      expect((await scans.next()).data).toBe('4006381333931');
      await sleep(30);
      expect(scans.all).toHaveLength(2);
      expect(scanner.stats).toMatchObject({ reads: 2, rejects: 0 });
    },
  );

  it('a CR LF suffix split between two writes still ends one read', async () => {
    const { simulator, scans, scanner } = await rig({ simulator: { suffix: '\r\n' } });
    await simulator.scan('SPLIT', { chunks: [6], chunkDelayMs: 20 });
    await simulator.scan('NEXT');
    expect(await nextData(scans, 2)).toEqual(['SPLIT', 'NEXT']);
    expect(scanner.stats.rejects).toBe(0);
  });

  it('strips AIM prefixes into symbology names (the spec table, and unknown ones)', async () => {
    const { simulator, scans } = await rig({ simulator: { aimPrefix: true } });
    const reads = [
      ['4006381333931', 'ean-13'],
      ['96385074', 'ean-8'],
      ['ABC-abc-123', 'code-128'],
      ['0109501101020917', 'gs1-128'],
      ['CODE39', 'code-39'],
      ['12345670', 'itf'],
      ['https://example.test/pay?id=1', 'qr'],
      ['DM-0001', 'data-matrix'],
    ] as const;
    for (const [data, symbology] of reads) await simulator.scan(data, { symbology });
    await simulator.scan('DATABAR', { aim: ']e0' });
    for (const [data, symbology] of reads) {
      expect(await scans.next()).toMatchObject({ data, symbology });
    }
    expect(await scans.next()).toMatchObject({ data: 'DATABAR', symbology: 'unknown' });
  });

  it('with aimPrefix "never", a read starting with ]xx is data', async () => {
    const { simulator, scans } = await rig({ driver: { aimPrefix: 'never' } });
    await simulator.scan(']C0RAW');
    expect(await scans.next()).toMatchObject({ data: ']C0RAW', symbology: 'unknown' });
  });

  it('joins a read that arrives in chunks or byte by byte', async () => {
    const { simulator, scans } = await rig({ simulator: { aimPrefix: true } });
    await simulator.scan('4006381333931', {
      symbology: 'ean-13',
      chunks: [2, 5, 3],
      chunkDelayMs: 15,
    });
    await simulator.scan('TRICKLE', { byteDelayMs: 3 });
    expect(await scans.next()).toMatchObject({ data: '4006381333931', symbology: 'ean-13' });
    expect(await scans.next()).toMatchObject({ data: 'TRICKLE', symbology: 'code-128' });
  });

  it('logs and skips garbage while the good reads around it still arrive', async () => {
    const { simulator, scans, scanner, log } = await rig();
    await simulator.scan('GOOD-1');
    await simulator.garbage([0xff, 0xfe, 0x80, 0x0d]);
    await simulator.scan('GOOD-2', { insert: { at: 3, bytes: [0x00, 0x1b, 0x07] } });
    await simulator.garbage([0x00, 0x07, 0x0a]);
    await simulator.scan('GOOD-3');
    expect(await nextData(scans, 3)).toEqual(['GOOD-1', 'GOOD-2', 'GOOD-3']);
    expect(scanner.stats).toMatchObject({
      reads: 3,
      rejects: 2,
      rejectsByReason: { charset: 1, empty: 1 },
      controlBytesDropped: 5,
    });
    const warnings = log.warnings();
    expect(warnings.filter((entry) => entry['msg'] === 'read rejected')).toEqual([
      expect.objectContaining({ reason: 'charset', module: 'serial-scanner' }),
      expect.objectContaining({ reason: 'empty' }),
    ]);
    expect(
      warnings.filter((entry) => entry['msg'] === 'dropped control bytes from a read'),
    ).toEqual([expect.objectContaining({ dropped: 3 }), expect.objectContaining({ dropped: 2 })]);
  });

  it('caps a read at 512 bytes and skips to the next terminator', async () => {
    const { simulator, scans, scanner, log } = await rig();
    await simulator.scan('A'.repeat(512));
    await simulator.scan('B'.repeat(2000), { chunks: [700, 700], chunkDelayMs: 5 });
    await simulator.scan('AFTER');
    expect((await scans.next()).data).toBe('A'.repeat(512));
    expect((await scans.next()).data).toBe('AFTER');
    expect(scanner.stats.rejectsByReason['too-long']).toBe(1);
    expect(log.warnings()).toContainEqual(
      expect.objectContaining({ msg: 'read rejected', reason: 'too-long', length: 2000 }),
    );
  });

  it('ignores what arrives in the first 200 ms after open, including the rest of a read begun then', async () => {
    const { simulator, scans, scanner } = await rig({ settle: false });
    await simulator.garbage('STALE-READ\rHALF-');
    await sleep(SETTLE_MS + 50);
    await simulator.garbage('READ\r');
    await simulator.scan('FIRST-GOOD');
    expect(await scans.next()).toMatchObject({ data: 'FIRST-GOOD' });
    expect(scanner.stats).toMatchObject({ reads: 1, rejects: 0, bytesIgnoredAtOpen: 16 });
  });

  it('rejects and counts EAN-13 and EAN-8 reads whose check digit fails', async () => {
    const { simulator, scans, scanner, log } = await rig({ simulator: { aimPrefix: true } });
    await simulator.scan('4006381333932', { symbology: 'ean-13' });
    await simulator.scan('96385075', { symbology: 'ean-8' });
    await simulator.scan('4006381333931', { symbology: 'ean-13' });
    expect(await scans.next()).toMatchObject({ data: '4006381333931', symbology: 'ean-13' });
    expect(scanner.stats).toMatchObject({ reads: 1, rejects: 2 });
    expect(scanner.stats.rejectsByReason['check-digit']).toBe(2);
    const rejects = log.warnings().filter((entry) => entry['msg'] === 'read rejected');
    expect(rejects.map((entry) => [entry['reason'], entry['symbology']])).toEqual([
      ['check-digit', 'ean-13'],
      ['check-digit', 'ean-8'],
    ]);
    // The log never carries the read: it may be a patron's payment code.
    expect(log.lines.join('\n')).not.toContain('400638133393');
  });

  it('frames a suffix-less scanner by 50 ms of silence', async () => {
    const { simulator, scans } = await rig({
      driver: { framing: 'silence' },
      simulator: { suffix: '' },
    });
    await simulator.scan('NO-SUFFIX-1', { byteDelayMs: 4 });
    await sleep(120);
    await simulator.scan('NO-SUFFIX-2', { chunks: [4], chunkDelayMs: 20 });
    expect(await nextData(scans, 2)).toEqual(['NO-SUFFIX-1', 'NO-SUFFIX-2']);
  });

  it('reports "unplugged" when the far side vanishes', async () => {
    const { pty, closes, scanner } = await rig({ settle: false });
    await pty.stop();
    // Here the read loop sees the PTY hang up at once; a scanner never writes, so it relies on
    // that (the MDB link, which may not see it, finds a silent link with its V heartbeat).
    expect(await closes.next()).toMatchObject({ reason: 'unplugged' });
    expect(scanner.isOpen).toBe(false);
  });
});
