// The serial scanner driver on a memory transport, where the clock matters: fake timers, no I/O.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eventQueue } from '../testing/event-queue.ts';
import { recordingLogger } from '../testing/log-recorder.ts';
import { MemoryTransport } from '../transport/memory-transport.ts';
import type { ScanEvent } from './scan-read.ts';
import { SerialScanner, type SerialScannerOptions } from './serial-scanner.ts';

async function started(options: Omit<SerialScannerOptions, 'transport'> = {}) {
  const port = new MemoryTransport({ name: '/dev/ttyUSB0' });
  const log = recordingLogger();
  const scanner = new SerialScanner({ transport: port, logger: log.logger, ...options });
  const scans = eventQueue<ScanEvent>((listener) => scanner.onScan(listener));
  await scanner.start();
  return { port, scanner, scans, log };
}

describe('SerialScanner timing (memory transport, fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-11-25T12:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('ignores bytes up to 199 ms after open and takes them from 200 ms', async () => {
    const { port, scans, scanner } = await started();
    vi.advanceTimersByTime(199);
    port.emitData('EARLY\r');
    vi.advanceTimersByTime(1);
    port.emitData('ON-TIME\r');
    expect(scans.all.map((scan) => scan.data)).toEqual(['ON-TIME']);
    expect(scans.all[0]?.at).toBe(Date.parse('2026-11-25T12:00:00.200Z'));
    expect(scanner.stats.bytesIgnoredAtOpen).toBe(6);
  });

  it('skips the tail of a read that began while settling, to its terminator', async () => {
    const { port, scans, scanner } = await started();
    vi.advanceTimersByTime(150);
    port.emitData(']E040063');
    vi.advanceTimersByTime(100);
    port.emitData('81333931\r]E04006381333931\r');
    expect(scans.all.map((scan) => [scan.data, scan.symbology])).toEqual([
      ['4006381333931', 'ean-13'],
    ]);
    expect(scanner.stats.rejects).toBe(0);
  });

  it('settles again on every open', async () => {
    const { port, scans, scanner } = await started({ settleMs: 100 });
    vi.advanceTimersByTime(100);
    await scanner.stop();
    await scanner.start();
    port.emitData('TOO-SOON\r');
    vi.advanceTimersByTime(100);
    port.emitData('LATER\r');
    expect(scans.all.map((scan) => scan.data)).toEqual(['LATER']);
  });

  it('silence framing: a 40 ms pause joins a read, 50 ms ends it', async () => {
    const { port, scans } = await started({ framing: 'silence', settleMs: 0 });
    port.emitData('ABC');
    vi.advanceTimersByTime(40);
    port.emitData('DEF');
    vi.advanceTimersByTime(49);
    expect(scans.all).toHaveLength(0);
    vi.advanceTimersByTime(1);
    port.emitData('GHI');
    vi.advanceTimersByTime(50);
    expect(scans.all.map((scan) => scan.data)).toEqual(['ABCDEF', 'GHI']);
  });
});

describe('SerialScanner (memory transport)', () => {
  it('a throwing listener is logged and the others still get the read', async () => {
    const { port, scanner, scans, log } = await started({ settleMs: 0 });
    scanner.onScan(() => {
      throw new Error('listener bug');
    });
    const after = eventQueue<ScanEvent>((listener) => scanner.onScan(listener));
    port.emitData('ONE\rTWO\r');
    expect(scans.all.map((scan) => scan.data)).toEqual(['ONE', 'TWO']);
    expect(after.all).toHaveLength(2);
    expect(log.entries()).toContainEqual(
      expect.objectContaining({ level: 50, msg: 'scan listener threw' }),
    );
  });

  it('onScan() returns a function that stops listening', async () => {
    const { port, scanner } = await started({ settleMs: 0 });
    const seen: string[] = [];
    const stop = scanner.onScan((scan) => seen.push(scan.data));
    port.emitData('A\r');
    stop();
    port.emitData('B\r');
    expect(seen).toEqual(['A']);
  });

  it('a read cut off by an unplug is counted as incomplete, and onClose says unplugged', async () => {
    const { port, scanner, log } = await started({ settleMs: 0 });
    const closes = eventQueue((listener) => scanner.onClose(listener));
    port.emitData('HALF-A-RE');
    port.unplug();
    expect(await closes.next()).toMatchObject({ reason: 'unplugged' });
    await vi.waitFor(() => expect(scanner.stats.rejectsByReason.incomplete).toBe(1));
    expect(log.warnings()).toContainEqual(
      expect.objectContaining({ reason: 'incomplete', length: 9 }),
    );
  });

  it('minLength, maxLength and charset options apply', async () => {
    const { port, scans, scanner } = await started({
      settleMs: 0,
      minLength: 4,
      maxLength: 6,
      charset: /[0-9]/,
    });
    port.emitData('123\r1234567\r12a4\r1234\r');
    expect(scans.all.map((scan) => scan.data)).toEqual(['1234']);
    expect(scanner.stats.rejectsByReason).toMatchObject({ length: 2, charset: 1 });
  });

  it.each([
    [{ settleMs: -1 }, /"settleMs"/],
    [{ aimPrefix: 'always' as 'auto' }, /"aimPrefix"/],
    [{ framing: 'cr' as 'suffix' }, /"framing"/],
    [{ interByteTimeoutMs: 0 }, /"interByteTimeoutMs"/],
    [{ maxReadBytes: 0 }, /"maxReadBytes"/],
    [{ minLength: 0 }, /"minLength"/],
    [{ charset: /x/y }, /"charset"/],
  ])('a bad option throws a TypeError naming it: %o', (options, name) => {
    const make = () => new SerialScanner({ transport: new MemoryTransport(), ...options });
    expect(make).toThrow(TypeError);
    expect(make).toThrow(name);
  });
});
