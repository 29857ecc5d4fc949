// The HID-POS driver fed real HID-POS report bytes through a fake node-hid device: no virtual
// HID device exists here.
import { describe, expect, it } from 'vitest';
import { hidPosReports } from '../simulators/scanner-simulator.ts';
import { eventQueue } from '../testing/event-queue.ts';
import { FakeHidDevice } from '../testing/fake-hid-device.ts';
import { recordingLogger } from '../testing/log-recorder.ts';
import { HidTransport } from '../transport/hid-transport.ts';
import { HidPosScanner, type HidPosScannerOptions } from './hid-pos-scanner.ts';
import type { ScanEvent } from './scan-read.ts';

async function started(
  info: ConstructorParameters<typeof FakeHidDevice>[0] = {},
  options: Omit<HidPosScannerOptions, 'transport'> = {},
) {
  const device = new FakeHidDevice(info);
  const transport = new HidTransport({ device, name: '/dev/hidraw3' });
  const log = recordingLogger();
  const scanner = new HidPosScanner({ transport, logger: log.logger, ...options });
  const scans = eventQueue<ScanEvent>((listener) => scanner.onScan(listener));
  await scanner.start();
  const feed = (reports: Uint8Array[]) => reports.forEach((report) => device.input(report));
  return { device, scanner, scans, log, feed };
}

/** A report as a Zebra scanner sends it, byte for byte: ]E0 + EAN-13, one report. */
function zebraEan13Report(): Buffer {
  const report = Buffer.alloc(64);
  report.set([0x02, 13, 0x5d, 0x45, 0x30]);
  report.write('4006381333931', 5, 'latin1');
  return report;
}

describe('HidPosScanner with a fake node-hid device (no virtual HID device exists here)', () => {
  it('decodes a single report: data, AIM symbology, source', async () => {
    const { scans, feed, scanner } = await started();
    feed([zebraEan13Report()]);
    expect(scans.all).toEqual([
      {
        data: '4006381333931',
        symbology: 'ean-13',
        at: expect.any(Number),
        source: '/dev/hidraw3',
      },
    ]);
    expect(scanner.stats).toMatchObject({ reads: 1, rejects: 0 });
  });

  it('concatenates a multi-report read until bit 0 of byte 63 is clear', async () => {
    const { scans, feed } = await started();
    const url = `https://pay.example.test/r/${'x'.repeat(120)}`;
    const reports = hidPosReports(url, { aim: ']Q1' });
    expect(reports).toHaveLength(3);
    feed(reports.slice(0, 2));
    expect(scans.all).toHaveLength(0);
    feed(reports.slice(2));
    expect(scans.all).toEqual([expect.objectContaining({ data: url, symbology: 'qr' })]);
  });

  it('strips a trailing CR, also when it is alone in the last report', async () => {
    const { scans, feed, scanner, log } = await started();
    feed(hidPosReports('ABC', { aim: ']C0', suffixCr: true }));
    const exactlyOneReportOfData = 'D'.repeat(56);
    const reports = hidPosReports(exactlyOneReportOfData, { aim: ']C0', suffixCr: true });
    expect(reports).toHaveLength(2);
    feed(reports);
    expect(scans.all.map((scan) => scan.data)).toEqual(['ABC', exactlyOneReportOfData]);
    // A suffix is not line noise: nothing dropped, nothing logged.
    expect(scanner.stats.controlBytesDropped).toBe(0);
    expect(log.warnings()).toEqual([]);
  });

  it('sends the Honeywell feature report 0xFE = 0x01 on open to a Honeywell scanner (VID 0x0C2E)', async () => {
    const { device, scans, feed } = await started({ vendorId: 0x0c2e, productId: 0x0b8f });
    expect(device.featureReports).toEqual([[0xfe, 0x01]]);
    feed(hidPosReports('96385074', { aim: ']E4' }));
    expect(scans.all).toEqual([expect.objectContaining({ data: '96385074', symbology: 'ean-8' })]);
  });

  it('sends no feature report to other vendors unless told to', async () => {
    const zebra = await started({ vendorId: 0x05e0 });
    expect(zebra.device.featureReports).toEqual([]);
    const told = await started({ vendorId: 0x05e0 }, { honeywellFeatureReport: true });
    expect(told.device.featureReports).toEqual([[0xfe, 0x01]]);
  });

  it('a failed feature report is logged and the scanner still reads', async () => {
    const device = new FakeHidDevice({ vendorId: 0x0c2e });
    device.failNextSend = new Error('Invalid report');
    const log = recordingLogger();
    const scanner = new HidPosScanner({
      transport: new HidTransport({ device }),
      logger: log.logger,
    });
    const scans = eventQueue<ScanEvent>((listener) => scanner.onScan(listener));
    await scanner.start();
    expect(log.warnings()).toContainEqual(
      expect.objectContaining({ msg: 'Honeywell HID-POS feature report failed' }),
    );
    expect(scanner.isOpen).toBe(true);
    hidPosReports('OK', { aim: ']C0' }).forEach((report) => device.input(report));
    expect(scans.all.map((scan) => scan.data)).toEqual(['OK']);
  });

  it('rejects a report whose length byte cannot be right, and ignores other report IDs', async () => {
    const { scans, feed, scanner, log } = await started();
    const bad = zebraEan13Report();
    bad[1] = 57;
    const status = Buffer.alloc(64);
    status[0] = 0x04;
    feed([bad, status, zebraEan13Report()]);
    expect(scans.all.map((scan) => scan.data)).toEqual(['4006381333931']);
    expect(scanner.stats.rejectsByReason['bad-report']).toBe(1);
    expect(log.warnings()).toContainEqual(
      expect.objectContaining({ reason: 'bad-report', length: 57 }),
    );
  });

  it('rejects and counts an EAN read whose check digit fails', async () => {
    const { scans, feed, scanner } = await started();
    feed(hidPosReports('4006381333932', { aim: ']E0' }));
    feed(hidPosReports('4006381333931', { aim: ']E0' }));
    expect(scans.all.map((scan) => scan.data)).toEqual(['4006381333931']);
    expect(scanner.stats.rejectsByReason['check-digit']).toBe(1);
  });

  it('rejects a read longer than maxReadBytes over all its reports', async () => {
    const { scans, feed, scanner } = await started({}, { maxReadBytes: 100 });
    feed(hidPosReports('L'.repeat(101), { aim: ']d1' }));
    feed(hidPosReports('S'.repeat(100), { aim: ']d1' }));
    expect(scans.all.map((scan) => scan.data.length)).toEqual([100]);
    expect(scanner.stats.rejectsByReason['too-long']).toBe(1);
  });

  it('an unplugged device ends the scanner with "unplugged" and drops the read in progress', async () => {
    const { device, scanner, feed } = await started();
    const closes = eventQueue((listener) => scanner.onClose(listener));
    feed(hidPosReports('P'.repeat(80), { aim: ']Q1' }).slice(0, 1));
    device.unplug();
    expect(await closes.next()).toMatchObject({ reason: 'unplugged' });
    expect(scanner.stats.rejectsByReason.incomplete).toBe(1);
    expect(device.closed).toBe(true);
  });

  it('stop() closes the device', async () => {
    const { device, scanner } = await started();
    const closes = eventQueue((listener) => scanner.onClose(listener));
    await scanner.stop();
    expect(await closes.next()).toMatchObject({ reason: 'closed' });
    expect(device.closed).toBe(true);
  });
});
