// A Transport over serialport v13: a real port (/dev/ttyUSB0, /dev/ttyACM0, COM3) or a PTY path
// (a socat link). It maps serialport's ways of ending onto the three close reasons: our close()
// is `closed`, a close carrying `err.disconnected` or a failed write is `unplugged`, and a stream
// that dies any other way is `error`.
import { SerialPort, type SerialPortOpenOptions } from 'serialport';
import { hangupGuardedBinding } from './hangup-guard.ts';
import { silentLogger, type HardwareLogger } from '../logger.ts';
import {
  CancelledError,
  DisconnectedError,
  type Transport,
  type TransportClose,
} from './transport.ts';

export type Parity = 'none' | 'even' | 'odd' | 'mark' | 'space';

export interface SerialTransportOptions {
  /** The device path: `/dev/ttyUSB0`, `/dev/ttyACM0`, `COM3`, or a PTY such as a socat link. */
  path: string;
  /** Default 9600, what most serial scanners ship with (the Qibixx adapter wants 115200). PTYs ignore it. */
  baudRate?: number;
  /** Default 8. */
  dataBits?: 5 | 6 | 7 | 8;
  /** Default 1. */
  stopBits?: 1 | 1.5 | 2;
  /** Default `none`. */
  parity?: Parity;
  /** RTS/CTS hardware flow control. Default false. */
  rtscts?: boolean;
  /** XON/XOFF software flow control, both directions. Default false. */
  xonxoff?: boolean;
  /** Keep other processes from opening the port while it is open. Default true. */
  lock?: boolean;
  /** For logs and the device panel. Default: the path. */
  name?: string;
  /** pino or compatible; logs under `{ module: 'serial-transport' }`. Default: silent. */
  logger?: HardwareLogger;
}

const BAUD_RATE = 9600;
const PARITIES: readonly Parity[] = ['none', 'even', 'odd', 'mark', 'space'];

interface PendingWrite {
  resolve(): void;
  reject(error: Error): void;
}

/** serialport's errors carry these flags; `canceled` means "you closed me". */
interface SerialError extends Error {
  code?: string;
  canceled?: boolean;
  disconnected?: boolean;
}

export class SerialTransport implements Transport {
  readonly name: string;
  readonly #options: Required<Omit<SerialTransportOptions, 'name' | 'logger'>>;
  readonly #logger: HardwareLogger;
  readonly #dataListeners = new Set<(bytes: Uint8Array) => void>();
  readonly #closeListeners = new Set<(close: TransportClose) => void>();
  readonly #pending = new Set<PendingWrite>();
  #state: 'closed' | 'opening' | 'open' | 'closing' = 'closed';
  #port: SerialPort | undefined;
  #opening: Promise<void> | undefined;
  /** How the last open ended; decides what a write on a closed transport rejects with. */
  #ended: TransportClose | undefined;
  /** Set when a write found the device gone, before serialport gets round to closing. */
  #lostDevice: Error | undefined;

  constructor(options: SerialTransportOptions) {
    if (typeof options.path !== 'string' || options.path === '') {
      throw new TypeError(`"path" must be a non-empty string, got ${String(options.path)}`);
    }
    const baudRate = options.baudRate ?? BAUD_RATE;
    if (!Number.isInteger(baudRate) || baudRate <= 0) {
      throw new TypeError(`"baudRate" must be a positive integer, got ${String(baudRate)}`);
    }
    const dataBits = options.dataBits ?? 8;
    if (![5, 6, 7, 8].includes(dataBits)) {
      throw new TypeError(`"dataBits" must be 5, 6, 7 or 8, got ${String(dataBits)}`);
    }
    const stopBits = options.stopBits ?? 1;
    if (![1, 1.5, 2].includes(stopBits)) {
      throw new TypeError(`"stopBits" must be 1, 1.5 or 2, got ${String(stopBits)}`);
    }
    const parity = options.parity ?? 'none';
    if (!PARITIES.includes(parity)) {
      throw new TypeError(`"parity" must be one of ${PARITIES.join(', ')}, got ${String(parity)}`);
    }
    this.#options = {
      path: options.path,
      baudRate,
      dataBits,
      stopBits,
      parity,
      rtscts: options.rtscts ?? false,
      xonxoff: options.xonxoff ?? false,
      lock: options.lock ?? true,
    };
    this.name = options.name ?? options.path;
    this.#logger = (options.logger ?? silentLogger).child({
      module: 'serial-transport',
      port: this.name,
    });
  }

  get isOpen(): boolean {
    return this.#state === 'open';
  }

  open(): Promise<void> {
    if (this.#state !== 'closed') {
      return Promise.reject(new Error(`${this.name} is already ${this.#state}`));
    }
    this.#state = 'opening';
    this.#opening = this.#open();
    return this.#opening;
  }

  async #open(): Promise<void> {
    const { xonxoff, ...settings } = this.#options;
    // DTR and RTS are left as the OS sets them: serialport only touches them through set(),
    // which we never call, because PTYs may reject those ioctls.
    // The guarded binding turns a hang-up into a disconnect instead of a busy loop (see there).
    const port = new SerialPort({
      ...settings,
      xon: xonxoff,
      xoff: xonxoff,
      autoOpen: false,
      binding: hangupGuardedBinding,
    } as SerialPortOpenOptions<typeof SerialPort.binding>);
    try {
      await new Promise<void>((resolve, reject) => {
        port.open((error) => (error ? reject(error) : resolve()));
      });
    } catch (error) {
      this.#state = 'closed';
      throw error;
    }
    this.#port = port;
    this.#ended = undefined;
    this.#lostDevice = undefined;
    this.#state = 'open';
    this.#logger.debug({ baudRate: this.#options.baudRate }, 'opened');
    port.on('data', (chunk: Buffer) => {
      if (port !== this.#port) return;
      for (const listener of this.#dataListeners) listener(chunk);
    });
    // Write errors also arrive here after their callback; any error left is logged, and the
    // stream's own `close` that follows it ends the transport.
    port.on('error', (error: SerialError) => {
      this.#logger.debug({ err: error.message, code: error.code }, 'port error');
    });
    // serialport emits `close` with a DisconnectedError when the device went away. A failed write
    // also destroys the stream, which emits a bare `close` first (measured on a socat PTY).
    port.on('close', (error?: SerialError | null) => {
      if (port !== this.#port) return;
      if (this.#state === 'closing') return this.#end({ reason: 'closed' });
      if (error?.disconnected) return this.#end({ reason: 'unplugged', error });
      if (this.#lostDevice) return this.#end({ reason: 'unplugged', error: this.#lostDevice });
      this.#end({ reason: 'error', error: error ?? new Error(`${this.name} closed unexpectedly`) });
    });
  }

  write(bytes: Uint8Array): Promise<void> {
    const port = this.#port;
    if (this.#state !== 'open' || !port) return Promise.reject(this.#notOpenError());
    return new Promise<void>((resolve, reject) => {
      const pending: PendingWrite = { resolve, reject };
      this.#pending.add(pending);
      port.write(Buffer.from(bytes), (error?: SerialError | null) => {
        // Already settled by close() or by the end of the link.
        if (!this.#pending.delete(pending)) return;
        if (!error) return resolve();
        if (error.canceled) return reject(new CancelledError(`write to ${this.name} cancelled`));
        // Any other write error means the device is gone (EIO on a PTY whose far side died,
        // ENXIO on a pulled USB adapter): serialport closes the port itself with `disconnected`.
        this.#lostDevice ??= error;
        reject(new DisconnectedError(`${this.name}: ${error.message}`, { cause: error }));
      });
    });
  }

  async close(): Promise<void> {
    // A close() while opening waits for the open, then closes what it opened.
    if (this.#state === 'opening') await this.#opening?.catch(() => undefined);
    const port = this.#port;
    if (this.#state !== 'open' || !port) return;
    this.#state = 'closing';
    this.#rejectPending(() => new CancelledError(`${this.name} was closed`));
    await new Promise<void>((resolve) => {
      // The callback gets an error when the port already closed under us; either way it is shut.
      port.close(() => resolve());
    });
    this.#end({ reason: 'closed' });
  }

  onData(listener: (bytes: Uint8Array) => void): () => void {
    this.#dataListeners.add(listener);
    return () => this.#dataListeners.delete(listener);
  }

  onClose(listener: (close: TransportClose) => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  #end(close: TransportClose): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#ended = close;
    this.#port = undefined;
    this.#rejectPending(() =>
      close.reason === 'closed'
        ? new CancelledError(`${this.name} was closed`)
        : new DisconnectedError(`${this.name} is gone (${close.reason})`, { cause: close.error }),
    );
    const level = close.reason === 'closed' ? 'debug' : 'warn';
    this.#logger[level]({ reason: close.reason, err: close.error?.message }, 'closed');
    for (const listener of this.#closeListeners) listener(close);
  }

  #rejectPending(makeError: () => Error): void {
    for (const pending of this.#pending) pending.reject(makeError());
    this.#pending.clear();
  }

  #notOpenError(): Error {
    if (this.#state === 'closing' || this.#ended?.reason === 'closed') {
      return new CancelledError(`${this.name} is closed`);
    }
    if (this.#ended) return new DisconnectedError(`${this.name} is gone (${this.#ended.reason})`);
    return new Error(`${this.name} is not open`);
  }
}
