import { describe, expect, it } from 'vitest';
import { MemoryTransport } from '../transport/memory-transport.ts';
import { hidPosReports, ScannerSimulator } from './scanner-simulator.ts';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

describe('ScannerSimulator', () => {
  it('encodes a read with its AIM prefix, inserted noise and suffix', () => {
    const simulator = new ScannerSimulator({
      transport: new MemoryTransport(),
      suffix: '\r\n',
      aimPrefix: true,
    });
    expect(text(simulator.encode('4006381333931', { symbology: 'ean-13' }))).toBe(
      ']E04006381333931\r\n',
    );
    expect(text(simulator.encode('AB', { aim: ']X0', suffix: '' }))).toBe(']X0AB');
    expect(text(simulator.encode('ABCD', { insert: { at: 2, bytes: [0] } }))).toBe(']C0AB\0CD\r\n');
  });

  it('writes a read in the chunks asked for', async () => {
    const [scannerEnd, kioskEnd] = MemoryTransport.pair();
    await scannerEnd.open();
    await kioskEnd.open();
    const simulator = new ScannerSimulator({ transport: scannerEnd });
    await simulator.scan('ABCDEFG', { chunks: [2, 3], chunkDelayMs: 0 });
    expect(scannerEnd.writes.map(text)).toEqual(['AB', 'CDE', 'FG\r']);
    scannerEnd.reset();
    await simulator.scan('XY', { byteDelayMs: 1 });
    expect(scannerEnd.writes.map(text)).toEqual(['X', 'Y', '\r']);
  });

  it('rejects a bad option with a TypeError naming it', () => {
    const transport = new MemoryTransport();
    expect(() => new ScannerSimulator({ transport, byteDelayMs: -1 })).toThrow(/"byteDelayMs"/);
    expect(() => new ScannerSimulator({ transport, suffix: '\t' as '' })).toThrow(/"suffix"/);
  });
});

describe('hidPosReports', () => {
  it('lays out one 64-byte report: ID, length, AIM, data, vendor code, more-flag clear', () => {
    const reports = hidPosReports('4006381333931', { aim: ']E0', vendorCode: 0x11 });
    expect(reports).toHaveLength(1);
    const report = reports[0] ?? Buffer.alloc(0);
    expect(report).toHaveLength(64);
    expect([...report.subarray(0, 5)]).toEqual([0x02, 13, 0x5d, 0x45, 0x30]);
    expect(report.subarray(5, 18).toString('latin1')).toBe('4006381333931');
    expect(report[61]).toBe(0x11);
    expect(report[63]).toBe(0);
  });

  it('splits at 56 data bytes and sets bit 0 of byte 63 on all but the last report', () => {
    const reports = hidPosReports('x'.repeat(130));
    expect(reports.map((report) => [report[1], report[63]])).toEqual([
      [56, 1],
      [56, 1],
      [18, 0],
    ]);
  });
});
