// Framing for serial scanners: bytes in, one object per read out. A read ends at its suffix
// (CR, LF or CR LF) or, for a scanner configured without one, after a silence. A read longer than
// the cap is not cut into pieces: it is dropped up to the next terminator (or silence), so the
// tail of an over-long burst never passes for a read of its own.
//
// serialport's InterByteTimeoutParser frames by silence over any byte stream, but at its
// maxBufferSize it emits what it has and carries on, which turns one over-long burst into several
// bogus reads; and its DelimiterParser takes one delimiter, not "CR, LF or CR LF". So one small
// Transform does both, in the shape of those parsers.
import { Transform, type TransformCallback } from 'node:stream';

export type Frame =
  | { kind: 'read'; bytes: Buffer }
  /** Bytes dropped: a read over the cap, or cut off by the end of the stream. */
  | { kind: 'discarded'; reason: 'too-long' | 'incomplete'; length: number };

export interface ScanFramerOptions {
  /**
   * How a read ends. `suffix` (default): at a CR, an LF or a CR LF, whichever the scanner sends.
   * `silence`: the scanner sends no suffix, and a read ends after `interByteTimeoutMs` without a
   * byte.
   */
  framing?: 'suffix' | 'silence';
  /** For `silence`: quiet time that ends a read, in ms. Default 50 (a byte at 9600 takes ~1 ms). */
  interByteTimeoutMs?: number;
  /** Longest read in bytes; a longer one is dropped up to its end. Default 512. */
  maxReadBytes?: number;
}

const CR = 0x0d;
const LF = 0x0a;

export class ScanFramer extends Transform {
  readonly framing: 'suffix' | 'silence';
  readonly interByteTimeoutMs: number;
  readonly maxReadBytes: number;
  readonly #read: number[] = [];
  /** Set while bytes are dropped: the read went over the cap, or ignore() started it. */
  #skipping: { length: number; reason: 'too-long' | undefined } | undefined;
  #silenceTimer: NodeJS.Timeout | undefined;

  constructor(options: ScanFramerOptions = {}) {
    super({ readableObjectMode: true });
    const framing = options.framing ?? 'suffix';
    if (framing !== 'suffix' && framing !== 'silence') {
      throw new TypeError(`"framing" must be 'suffix' or 'silence', got ${String(framing)}`);
    }
    const interByteTimeoutMs = options.interByteTimeoutMs ?? 50;
    if (typeof interByteTimeoutMs !== 'number' || !(interByteTimeoutMs >= 1)) {
      throw new TypeError(`"interByteTimeoutMs" must be a number >= 1, got ${interByteTimeoutMs}`);
    }
    const maxReadBytes = options.maxReadBytes ?? 512;
    if (!Number.isInteger(maxReadBytes) || maxReadBytes < 1) {
      throw new TypeError(`"maxReadBytes" must be an integer >= 1, got ${maxReadBytes}`);
    }
    this.framing = framing;
    this.interByteTimeoutMs = interByteTimeoutMs;
    this.maxReadBytes = maxReadBytes;
  }

  /**
   * Drops these bytes without reporting them, and the rest of any read they start, up to its
   * terminator (or silence): bytes from the settling time after open, whose read began before we
   * listened. Synchronous, like a write to a flowing framer, so the two keep their order.
   */
  ignore(chunk: Uint8Array): void {
    for (const byte of chunk) {
      this.#read.length = 0;
      if (this.framing === 'suffix' && (byte === CR || byte === LF)) {
        this.#skipping = undefined;
      } else {
        this.#skipping = { length: (this.#skipping?.length ?? 0) + 1, reason: undefined };
      }
    }
    this.#armSilenceTimer();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    for (const byte of chunk) {
      // The LF of a CR LF ends an empty read, which emits nothing.
      if (this.framing === 'suffix' && (byte === CR || byte === LF)) {
        this.#endRead();
        continue;
      }
      if (this.#skipping) {
        this.#skipping.length += 1;
      } else if (this.#read.length === this.maxReadBytes) {
        this.#skipping = { length: this.#read.length + 1, reason: 'too-long' };
        this.#read.length = 0;
      } else {
        this.#read.push(byte);
      }
    }
    this.#armSilenceTimer();
    callback();
  }

  #armSilenceTimer(): void {
    if (this.framing !== 'silence') return;
    clearTimeout(this.#silenceTimer);
    this.#silenceTimer = setTimeout(() => this.#endRead(), this.interByteTimeoutMs);
  }

  override _flush(callback: TransformCallback): void {
    clearTimeout(this.#silenceTimer);
    if (this.framing === 'silence') {
      this.#endRead();
    } else if (this.#skipping?.reason) {
      this.#endRead();
    } else if (this.#read.length > 0) {
      // No suffix yet: the port closed mid-read. What arrived is not a whole read.
      this.push({ kind: 'discarded', reason: 'incomplete', length: this.#read.length });
      this.#read.length = 0;
    }
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.#silenceTimer);
    callback(error);
  }

  #endRead(): void {
    const skipped = this.#skipping;
    this.#skipping = undefined;
    if (skipped?.reason) {
      this.push({ kind: 'discarded', reason: skipped.reason, length: skipped.length });
    } else if (!skipped && this.#read.length > 0) {
      this.push({ kind: 'read', bytes: Buffer.from(this.#read) });
    }
    this.#read.length = 0;
  }
}
