// Driver for a scanner in USB HID-POS mode (usage page 0x8C, usage 0x02): input reports in, the
// same ScanEvent as the serial scanner out. Report layout (spec, HID scanners; node-hid keeps the
// report ID as byte 0):
//   0 report ID 0x02 | 1 data length 0-56 | 2-4 AIM identifier | 5-60 data | 61 vendor code ID |
//   62 reserved | 63 bit 0 set: more reports follow.
// A read longer than 56 bytes spans reports, concatenated until bit 0 is clear; a trailing CR is
// stripped. The read then passes the same checks as a serial read.
import { silentLogger, type HardwareLogger } from '../logger.ts';
import type { Transport, TransportClose } from '../transport/transport.ts';
import { ScanOutput } from './scan-output.ts';
import {
  MAX_READ_BYTES,
  resolveReadRules,
  symbologyOfAim,
  type ReadRules,
  type ScanEvent,
  type ScannerStats,
} from './scan-read.ts';

export const HID_POS_REPORT_ID = 0x02;
export const HID_POS_REPORT_BYTES = 64;
export const HID_POS_MAX_DATA_BYTES = 56;
export const HONEYWELL_VENDOR_ID = 0x0c2e;
/** Feature report 0xFE = 0x01 puts a Honeywell scanner in HID-POS mode, as WebHidBarcodeScanner does. */
export const HONEYWELL_HID_POS_FEATURE_REPORT = Uint8Array.of(0xfe, 0x01);

/** A HidTransport, or anything with its feature reports and vendor ID. */
export interface HidReportTransport extends Transport {
  readonly vendorId: number | undefined;
  sendFeatureReport(bytes: Uint8Array): Promise<void>;
}

export interface HidPosScannerOptions extends ReadRules {
  transport: HidReportTransport;
  /**
   * Send the Honeywell feature report on open. Default: when the vendor ID is Honeywell's
   * (0x0C2E). Assumed needed (spec); a failure is logged and the scanner used anyway.
   */
  honeywellFeatureReport?: boolean;
  /** Longest read in bytes, over all its reports; a longer one is rejected. Default 512. */
  maxReadBytes?: number;
  /** pino or compatible; logs under `{ module: 'hid-pos-scanner' }`. Default: silent. */
  logger?: HardwareLogger;
  /** Clock for `at`. Default Date.now. */
  now?: () => number;
}

/** A read whose reports are still arriving. */
interface PartialRead {
  aim: string;
  chunks: Uint8Array[];
  length: number;
}

export class HidPosScanner {
  readonly source: string;
  readonly #transport: HidReportTransport;
  readonly #honeywellFeatureReport: boolean | undefined;
  readonly #maxReadBytes: number;
  readonly #logger: HardwareLogger;
  readonly #output: ScanOutput;
  #partial: PartialRead | undefined;

  constructor(options: HidPosScannerOptions) {
    const maxReadBytes = options.maxReadBytes ?? MAX_READ_BYTES;
    if (!Number.isInteger(maxReadBytes) || maxReadBytes < 1) {
      throw new TypeError(`"maxReadBytes" must be an integer >= 1, got ${String(maxReadBytes)}`);
    }
    this.#transport = options.transport;
    this.source = options.transport.name;
    this.#honeywellFeatureReport = options.honeywellFeatureReport;
    this.#maxReadBytes = maxReadBytes;
    this.#logger = (options.logger ?? silentLogger).child({
      module: 'hid-pos-scanner',
      source: this.source,
    });
    const rules = resolveReadRules(options);
    this.#output = new ScanOutput(this.source, rules, this.#logger, options.now ?? Date.now);
    this.#transport.onData((report) => this.#onReport(report));
    this.#transport.onClose(() => {
      if (this.#partial) this.#output.reject('incomplete', { length: this.#partial.length });
      this.#partial = undefined;
    });
  }

  get isOpen(): boolean {
    return this.#transport.isOpen;
  }

  get stats(): ScannerStats {
    return this.#output.stats;
  }

  async start(): Promise<void> {
    this.#partial = undefined;
    await this.#transport.open();
    const honeywell = this.#transport.vendorId === HONEYWELL_VENDOR_ID;
    if (this.#honeywellFeatureReport ?? honeywell) {
      try {
        await this.#transport.sendFeatureReport(HONEYWELL_HID_POS_FEATURE_REPORT);
      } catch (error) {
        this.#logger.warn(
          { err: (error as Error).message },
          'Honeywell HID-POS feature report failed',
        );
      }
    }
    this.#logger.debug({ vendorId: this.#transport.vendorId }, 'started');
  }

  async stop(): Promise<void> {
    await this.#transport.close();
  }

  onScan(listener: (scan: ScanEvent) => void): () => void {
    return this.#output.onScan(listener);
  }

  onClose(listener: (close: TransportClose) => void): () => void {
    return this.#transport.onClose(listener);
  }

  #onReport(report: Uint8Array): void {
    if (report[0] !== HID_POS_REPORT_ID) {
      // A scanner also sends other reports (status, its own vendor ones): not reads.
      this.#logger.debug({ reportId: report[0] }, 'ignored a report that is not a scan');
      return;
    }
    const length = report[1] ?? 0;
    if (length > HID_POS_MAX_DATA_BYTES || 5 + length > report.length) {
      this.#partial = undefined;
      this.#output.reject('bad-report', { length, reportBytes: report.length });
      return;
    }
    const partial = (this.#partial ??= {
      aim: Buffer.from(report.subarray(2, 5)).toString('latin1'),
      chunks: [],
      length: 0,
    });
    partial.length += length;
    // Past the cap the bytes are only counted: the read will be rejected whole.
    if (partial.length <= this.#maxReadBytes) partial.chunks.push(report.slice(5, 5 + length));
    const moreFollow = ((report[HID_POS_REPORT_BYTES - 1] ?? 0) & 0x01) === 1;
    if (moreFollow) return;
    this.#partial = undefined;
    if (partial.length > this.#maxReadBytes) {
      this.#output.reject('too-long', { length: partial.length });
      return;
    }
    let bytes: Uint8Array = Buffer.concat(partial.chunks);
    if (bytes.at(-1) === 0x0d) bytes = bytes.subarray(0, -1);
    this.#output.accept(this.#output.dropControlBytes(bytes), symbologyOfAim(partial.aim));
  }
}
