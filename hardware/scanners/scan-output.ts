// The end both scanner drivers share: a framed read goes in, its control bytes are dropped, it is
// checked, and it comes out as one ScanEvent, or as one counted reject logged at warn.
import type { HardwareLogger } from '../logger.ts';
import {
  checkRead,
  dropControlBytes,
  emptyStats,
  type ReadRules,
  type RejectReason,
  type ScanEvent,
  type ScannerStats,
  type Symbology,
} from './scan-read.ts';

export class ScanOutput {
  readonly #listeners = new Set<(scan: ScanEvent) => void>();
  readonly #stats = emptyStats();

  readonly #source: string;
  readonly #rules: Required<ReadRules>;
  readonly #logger: HardwareLogger;
  readonly #now: () => number;

  constructor(
    source: string,
    rules: Required<ReadRules>,
    logger: HardwareLogger,
    now: () => number,
  ) {
    this.#source = source;
    this.#rules = rules;
    this.#logger = logger;
    this.#now = now;
  }

  get stats(): ScannerStats {
    return { ...this.#stats, rejectsByReason: { ...this.#stats.rejectsByReason } };
  }

  countIgnoredAtOpen(bytes: number): void {
    this.#stats.bytesIgnoredAtOpen += bytes;
  }

  onScan(listener: (scan: ScanEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A whole read without its control bytes (counted, and logged at warn: line noise). */
  dropControlBytes(raw: Uint8Array): Uint8Array {
    const { bytes, dropped } = dropControlBytes(raw);
    if (dropped > 0) {
      this.#stats.controlBytesDropped += dropped;
      this.#logger.warn({ dropped }, 'dropped control bytes from a read');
    }
    return bytes;
  }

  /** A whole read, control bytes dropped and AIM identifier taken off. */
  accept(bytes: Uint8Array, symbology: Symbology): void {
    const check = checkRead(bytes, symbology, this.#rules);
    if (!check.ok) return this.reject(check.reason, { ...check.detail, symbology });
    this.#stats.reads += 1;
    const scan: ScanEvent = { data: check.data, symbology, at: this.#now(), source: this.#source };
    for (const listener of this.#listeners) {
      // A throwing listener must not break the framing stream behind us, nor starve the others.
      try {
        listener(scan);
      } catch (error) {
        this.#logger.error({ err: (error as Error).message }, 'scan listener threw');
      }
    }
  }

  /** Counted and logged; the detail never holds the read (it may be a payment code). */
  reject(reason: RejectReason, detail: Record<string, unknown>): void {
    this.#stats.rejects += 1;
    this.#stats.rejectsByReason[reason] += 1;
    this.#logger.warn({ reason, ...detail }, 'read rejected');
  }
}
