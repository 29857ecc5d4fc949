// The far side of a barcode scanner, for tests and demos. ScannerSimulator writes reads to a
// Transport (end B of a socat PTY pair, or a memory end) the way a serial scanner sends them: a
// suffix, an optional AIM prefix, bytes trickling in with a delay or split into chunks, and garbage
// on the line. hidPosReports() builds the 64-byte HID-POS input reports a USB scanner sends.
import {
  HID_POS_MAX_DATA_BYTES,
  HID_POS_REPORT_BYTES,
  HID_POS_REPORT_ID,
} from '../scanners/hid-pos-scanner.ts';
import { aimIdOf, type Symbology } from '../scanners/scan-read.ts';
import type { Transport } from '../transport/transport.ts';

export type ScanSuffix = '\r' | '\n' | '\r\n' | '';

export interface ScannerSimulatorOptions {
  /** Where reads go: the end the driver does not hold. */
  transport: Transport;
  /** What ends each read. Default `\r`, the usual factory setting; `''` for suffix-less scanners. */
  suffix?: ScanSuffix;
  /** Prefix each read with its symbology's AIM identifier. Default false. */
  aimPrefix?: boolean;
  /** Send each byte on its own after this many ms. Default 0: a read goes in one write. */
  byteDelayMs?: number;
}

export interface ScanOptions {
  /** Decides the AIM prefix when the simulator sends one. Default `code-128`. */
  symbology?: Exclude<Symbology, 'unknown'>;
  /** An AIM identifier to send as is, even one the driver does not know (`]X0`); overrides both. */
  aim?: string;
  suffix?: ScanSuffix;
  byteDelayMs?: number;
  /** Split the read into writes of these sizes (the rest goes last), `chunkDelayMs` apart. */
  chunks?: number[];
  /** Between split chunks. Default 10. */
  chunkDelayMs?: number;
  /** Noise inside the read: `bytes` inserted before byte `at` of the data. */
  insert?: { at: number; bytes: Uint8Array | number[] | string };
}

const bytesOf = (value: Uint8Array | number[] | string): Uint8Array =>
  typeof value === 'string' ? Buffer.from(value, 'latin1') : Uint8Array.from(value);

// The global setTimeout, so tests on fake timers can drive a trickle with advanceTimersByTime.
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class ScannerSimulator {
  readonly #transport: Transport;
  readonly #suffix: ScanSuffix;
  readonly #aimPrefix: boolean;
  readonly #byteDelayMs: number;

  constructor(options: ScannerSimulatorOptions) {
    const byteDelayMs = options.byteDelayMs ?? 0;
    if (typeof byteDelayMs !== 'number' || !(byteDelayMs >= 0)) {
      throw new TypeError(`"byteDelayMs" must be a number >= 0, got ${String(byteDelayMs)}`);
    }
    const suffix = options.suffix ?? '\r';
    if (!['\r', '\n', '\r\n', ''].includes(suffix)) {
      throw new TypeError(`"suffix" must be CR, LF, CR LF or empty, got ${JSON.stringify(suffix)}`);
    }
    this.#transport = options.transport;
    this.#suffix = suffix;
    this.#aimPrefix = options.aimPrefix ?? false;
    this.#byteDelayMs = byteDelayMs;
  }

  /** The bytes one read puts on the wire. */
  encode(data: string, options: ScanOptions = {}): Uint8Array {
    const aim = options.aim ?? (this.#aimPrefix ? aimIdOf(options.symbology ?? 'code-128') : '');
    let body = Buffer.from(data, 'utf8');
    if (options.insert) {
      const { at, bytes } = options.insert;
      body = Buffer.concat([body.subarray(0, at), bytesOf(bytes), body.subarray(at)]);
    }
    const suffix = options.suffix ?? this.#suffix;
    return Buffer.concat([Buffer.from(aim, 'latin1'), body, Buffer.from(suffix, 'latin1')]);
  }

  /** Sends one read; resolves when its last byte was written. */
  async scan(data: string, options: ScanOptions = {}): Promise<void> {
    const bytes = this.encode(data, options);
    const byteDelayMs = options.byteDelayMs ?? this.#byteDelayMs;
    if (byteDelayMs > 0) {
      for (let i = 0; i < bytes.length; i++) {
        if (i > 0) await delay(byteDelayMs);
        await this.#transport.write(bytes.subarray(i, i + 1));
      }
      return;
    }
    let offset = 0;
    for (const size of options.chunks ?? []) {
      await this.#transport.write(bytes.subarray(offset, offset + size));
      offset += size;
      await delay(options.chunkDelayMs ?? 10);
    }
    if (offset < bytes.length) await this.#transport.write(bytes.subarray(offset));
  }

  /** Raw bytes on the line: noise, a half-sent read, power-up junk. */
  async garbage(bytes: Uint8Array | number[] | string): Promise<void> {
    await this.#transport.write(bytesOf(bytes));
  }
}

export interface HidPosReportOptions {
  /** AIM identifier in bytes 2-4 of every report. Default `]E0`; `''` sends zeros. */
  aim?: string;
  /** Append a CR, as scanners set to add a suffix do. Default false. */
  suffixCr?: boolean;
  /** Byte 61. Default 0. */
  vendorCode?: number;
}

/**
 * The HID-POS input reports for one read, 64 bytes each with the report ID as byte 0 (as node-hid
 * delivers them): 56 data bytes a report, bit 0 of byte 63 set on all but the last.
 */
export function hidPosReports(
  data: string | Uint8Array,
  options: HidPosReportOptions = {},
): Buffer[] {
  const aim = Buffer.from(options.aim ?? ']E0', 'latin1');
  if (aim.length !== 0 && aim.length !== 3) {
    throw new TypeError(`"aim" must be 3 characters or empty, got ${JSON.stringify(options.aim)}`);
  }
  const body = Buffer.concat([
    typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data),
    options.suffixCr ? Buffer.of(0x0d) : Buffer.alloc(0),
  ]);
  const reports: Buffer[] = [];
  let offset = 0;
  do {
    const piece = body.subarray(offset, offset + HID_POS_MAX_DATA_BYTES);
    offset += piece.length;
    const report = Buffer.alloc(HID_POS_REPORT_BYTES);
    report[0] = HID_POS_REPORT_ID;
    report[1] = piece.length;
    aim.copy(report, 2);
    piece.copy(report, 5);
    report[61] = options.vendorCode ?? 0;
    report[63] = offset < body.length ? 0x01 : 0x00;
    reports.push(report);
  } while (offset < body.length);
  return reports;
}
