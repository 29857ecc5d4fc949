// Driver for a serial barcode scanner (RS-232 or a USB CDC/virtual COM port): bytes from any
// Transport in, one ScanEvent per good read out. Garbage is handled as the spec says: bytes in the
// settling time after open are ignored, a read over the cap is skipped to its end, control bytes
// are dropped, and charset, length and EAN check digit are checked; every reject is counted and
// logged at warn with its reason.
import { silentLogger, type HardwareLogger } from '../logger.ts';
import type { Transport, TransportClose } from '../transport/transport.ts';
import { ScanFramer, type Frame, type ScanFramerOptions } from './scan-framer.ts';
import { ScanOutput } from './scan-output.ts';
import {
  MAX_READ_BYTES,
  resolveReadRules,
  startsWithAim,
  symbologyOfAim,
  type ReadRules,
  type ScanEvent,
  type ScannerStats,
  type Symbology,
} from './scan-read.ts';

export interface SerialScannerOptions extends ScanFramerOptions, ReadRules {
  /** The port: a SerialTransport (9600 8N1 for most scanners), or a memory end in tests. */
  transport: Transport;
  /**
   * Bytes arriving this many ms after open are ignored, and so is the rest of a read they start:
   * power-up noise and reads buffered before we listened. Default 200.
   */
  settleMs?: number;
  /**
   * `auto` (default): a read starting with an AIM identifier `]cm` has it stripped into
   * `symbology`. `never`: the scanner is set to send none, so a read starting with `]` is data.
   */
  aimPrefix?: 'auto' | 'never';
  /** pino or compatible; logs under `{ module: 'serial-scanner' }`. Default: silent. */
  logger?: HardwareLogger;
  /** Clock for `at` and the settling time. Default Date.now. */
  now?: () => number;
}

export class SerialScanner {
  /** The transport's name, carried by every event as `source`. */
  readonly source: string;
  readonly #transport: Transport;
  readonly #framerOptions: ScanFramerOptions;
  readonly #settleMs: number;
  readonly #aimPrefix: 'auto' | 'never';
  readonly #logger: HardwareLogger;
  readonly #now: () => number;
  readonly #output: ScanOutput;
  #framer: ScanFramer | undefined;
  #openedAt = 0;

  constructor(options: SerialScannerOptions) {
    const settleMs = options.settleMs ?? 200;
    if (typeof settleMs !== 'number' || !(settleMs >= 0)) {
      throw new TypeError(`"settleMs" must be a number >= 0, got ${String(settleMs)}`);
    }
    const aimPrefix = options.aimPrefix ?? 'auto';
    if (aimPrefix !== 'auto' && aimPrefix !== 'never') {
      throw new TypeError(`"aimPrefix" must be 'auto' or 'never', got ${String(aimPrefix)}`);
    }
    this.#framerOptions = {
      framing: options.framing ?? 'suffix',
      interByteTimeoutMs: options.interByteTimeoutMs ?? 50,
      maxReadBytes: options.maxReadBytes ?? MAX_READ_BYTES,
    };
    // Built once here so a bad framing option throws from the constructor, not from start().
    new ScanFramer(this.#framerOptions).destroy();
    this.#transport = options.transport;
    this.source = options.transport.name;
    this.#settleMs = settleMs;
    this.#aimPrefix = aimPrefix;
    this.#now = options.now ?? Date.now;
    this.#logger = (options.logger ?? silentLogger).child({
      module: 'serial-scanner',
      source: this.source,
    });
    this.#output = new ScanOutput(this.source, resolveReadRules(options), this.#logger, this.#now);
    this.#transport.onData((chunk) => this.#receive(chunk));
    this.#transport.onClose(() => {
      // Whatever was mid-read is reported as incomplete by the framer's flush.
      this.#framer?.end();
      this.#framer = undefined;
    });
  }

  get isOpen(): boolean {
    return this.#transport.isOpen;
  }

  /** Reads kept, and rejects by reason, since construction. */
  get stats(): ScannerStats {
    return this.#output.stats;
  }

  /** Opens the transport; reads count from `settleMs` later. */
  async start(): Promise<void> {
    const framer = new ScanFramer(this.#framerOptions);
    framer.on('data', (frame: Frame) => this.#onFrame(frame));
    await this.#transport.open();
    this.#framer = framer;
    this.#openedAt = this.#now();
    this.#logger.debug({ settleMs: this.#settleMs }, 'started');
  }

  async stop(): Promise<void> {
    await this.#transport.close();
  }

  /** Every good read, once; returns a function that stops listening. */
  onScan(listener: (scan: ScanEvent) => void): () => void {
    return this.#output.onScan(listener);
  }

  /** When the port ends: `closed` after stop(), `unplugged` when the scanner went away. */
  onClose(listener: (close: TransportClose) => void): () => void {
    return this.#transport.onClose(listener);
  }

  #receive(chunk: Uint8Array): void {
    const framer = this.#framer;
    if (!framer) return;
    if (this.#now() - this.#openedAt < this.#settleMs) {
      this.#output.countIgnoredAtOpen(chunk.length);
      this.#logger.debug({ bytes: chunk.length }, 'ignored bytes while settling after open');
      framer.ignore(chunk);
      return;
    }
    framer.write(chunk);
  }

  #onFrame(frame: Frame): void {
    if (frame.kind === 'discarded') {
      this.#output.reject(frame.reason, { length: frame.length });
      return;
    }
    let bytes = this.#output.dropControlBytes(frame.bytes);
    let symbology: Symbology = 'unknown';
    if (this.#aimPrefix === 'auto' && startsWithAim(bytes)) {
      const aim = Buffer.from(bytes.subarray(0, 3)).toString('latin1');
      symbology = symbologyOfAim(aim);
      if (symbology === 'unknown') this.#logger.debug({ aim }, 'AIM identifier not in the table');
      bytes = bytes.subarray(3);
    }
    this.#output.accept(bytes, symbology);
  }
}
