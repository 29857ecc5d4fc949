// A Transport in memory, in the spirit of serialport's binding-mock: `MemoryTransport.pair()`
// gives two connected ends (a driver on one, a simulator on the other), and every end has test
// conveniences: emitData() injects bytes as if they came down the wire, lastWrite/writes record
// what was sent, and unplug() makes the device vanish.
import {
  CancelledError,
  DisconnectedError,
  type Transport,
  type TransportClose,
} from './transport.ts';

export interface MemoryTransportOptions {
  /** For logs and assertions. Default `memory`. */
  name?: string;
  /**
   * Keep every chunk written in `writes`. Default true (tests read them); false where the link
   * runs for months (simulated devices), so memory does not grow with every heartbeat.
   */
  recordWrites?: boolean;
}

export interface UnplugOptions {
  /**
   * When an open end finds out. `now` (default): at once, as serialport reports a pulled USB
   * adapter. `on-write`: nothing happens until that end's next write, which rejects with
   * DisconnectedError and then closes it, as measured on a socat PTY whose far side died while
   * nothing was reading (spec, Transports): a silent link is found only by writing.
   */
  detect?: 'now' | 'on-write';
}

interface PendingWrite {
  resolve(): void;
  reject(error: Error): void;
}

/** The wire between two ends; unplugging it affects both. */
interface Link {
  ends: MemoryTransport[];
  unplugged: 'now' | 'on-write' | undefined;
}

export class MemoryTransport implements Transport {
  readonly name: string;
  /** Every chunk this end wrote, oldest first; reset() empties it. */
  readonly writes: Uint8Array[] = [];
  #link: Link = { ends: [this], unplugged: undefined };
  #state: 'closed' | 'open' = 'closed';
  #ended: TransportClose | undefined;
  readonly #pending = new Set<PendingWrite>();
  readonly #dataListeners = new Set<(bytes: Uint8Array) => void>();
  readonly #closeListeners = new Set<(close: TransportClose) => void>();

  /** Two connected ends: what one writes, the other receives (if it is open). */
  static pair(
    names: [string, string] = ['memory-a', 'memory-b'],
    options: Omit<MemoryTransportOptions, 'name'> = {},
  ): [MemoryTransport, MemoryTransport] {
    const a = new MemoryTransport({ ...options, name: names[0] });
    const b = new MemoryTransport({ ...options, name: names[1] });
    const link: Link = { ends: [a, b], unplugged: undefined };
    a.#link = link;
    b.#link = link;
    return [a, b];
  }

  readonly #recordWrites: boolean;

  constructor(options: MemoryTransportOptions = {}) {
    this.name = options.name ?? 'memory';
    this.#recordWrites = options.recordWrites ?? true;
  }

  get isOpen(): boolean {
    return this.#state === 'open';
  }

  /** The last chunk this end wrote, or undefined. */
  get lastWrite(): Uint8Array | undefined {
    return this.writes.at(-1);
  }

  /** Rejects with DisconnectedError while unplugged, as opening a vanished port fails. */
  async open(): Promise<void> {
    if (this.#state === 'open') throw new Error(`${this.name} is already open`);
    if (this.#link.unplugged) throw new DisconnectedError(`${this.name}: no such device`);
    this.#state = 'open';
    this.#ended = undefined;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.#state !== 'open') return Promise.reject(this.#notOpenError());
    const chunk = Uint8Array.from(bytes);
    if (this.#recordWrites) this.writes.push(chunk);
    return new Promise<void>((resolve, reject) => {
      const pending: PendingWrite = { resolve, reject };
      this.#pending.add(pending);
      // Delivered a microtask later, so that a close() in the same turn cancels the write, as it
      // does on a port; a microtask and not a timer, so fake timers never hold a write up.
      queueMicrotask(() => {
        if (!this.#pending.delete(pending)) return;
        if (this.#link.unplugged) {
          const error = new DisconnectedError(`${this.name}: EIO: i/o error, write`);
          reject(error);
          this.#end({ reason: 'unplugged', error });
          return;
        }
        for (const end of this.#link.ends) if (end !== this) end.#receive(chunk);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    if (this.#state !== 'open') return;
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

  /** Test: bytes arrive on this end now, synchronously, as if the far side sent them. */
  emitData(bytes: Uint8Array | string): void {
    if (this.#state !== 'open') throw new Error(`${this.name} is not open`);
    this.#receive(
      typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Uint8Array.from(bytes),
    );
  }

  /** Test: the device vanishes for both ends of the link (killing socat does the same). */
  unplug(options: UnplugOptions = {}): void {
    const detect = options.detect ?? 'now';
    this.#link.unplugged = detect;
    if (detect === 'on-write') return;
    const error = new DisconnectedError('device unplugged');
    for (const end of this.#link.ends) end.#end({ reason: 'unplugged', error });
  }

  /** Test: the device is back; closed ends can open again. */
  replug(): void {
    this.#link.unplugged = undefined;
  }

  /** Test: forget what this end wrote. */
  reset(): void {
    this.writes.length = 0;
  }

  #receive(bytes: Uint8Array): void {
    if (this.#state !== 'open') return;
    for (const listener of this.#dataListeners) listener(bytes);
  }

  #end(close: TransportClose): void {
    if (this.#state !== 'open') return;
    this.#state = 'closed';
    this.#ended = close;
    for (const pending of this.#pending) {
      pending.reject(
        close.reason === 'closed'
          ? new CancelledError(`${this.name} was closed`)
          : new DisconnectedError(`${this.name} is gone (${close.reason})`),
      );
    }
    this.#pending.clear();
    for (const listener of this.#closeListeners) listener(close);
  }

  #notOpenError(): Error {
    if (this.#ended?.reason === 'closed') return new CancelledError(`${this.name} is closed`);
    if (this.#ended) return new DisconnectedError(`${this.name} is gone (${this.#ended.reason})`);
    return new Error(`${this.name} is not open`);
  }
}
