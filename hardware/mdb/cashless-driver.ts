// The imperative shell around the cashless machine: it frames and parses the adapter's lines,
// feeds them to `transitionCashless`, writes the commands the machine asks for, runs its timers,
// and hands its notifications to the kiosk. Everything it decides is decided in
// cashless-session.ts; this file only does I/O.
import type { Transport, TransportClose } from '../transport/transport.ts';
import { CancelledError, DisconnectedError } from '../transport/transport.ts';
import { encodeCommand, LineSplitter } from './line-codec.ts';
import { parseAdapterLine } from './qibixx-lines.ts';
import { silentLogger, type HardwareLogger } from '../logger.ts';
import { assertNever, RefusedTransitionError } from './refused-transition.ts';
import {
  cashlessConfig,
  initialCashlessState,
  KIOSK_COMMAND_PHASES,
  transitionCashless,
  type CashlessConfig,
  type CashlessConfigInput,
  type CashlessEvent,
  type CashlessNotification,
  type CashlessPhase,
  type CashlessState,
  type CashlessTimer,
  type SessionEndReason,
  type VendFailureReason,
} from './cashless-session.ts';

/** The timer functions the driver uses; inject fakes to run its timeouts in tests. */
export interface TimerApi {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Looks the globals up at each call, so vitest's fake timers apply when installed later. */
const realTimers: TimerApi = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface CashlessDriverOptions extends CashlessConfigInput {
  transport: Transport;
  /** A pino logger or anything with its shape; the driver logs under `{ module: 'mdb' }`. */
  logger?: HardwareLogger;
  timers?: TimerApi;
  /** Longest adapter line kept, in bytes (default 256). */
  maxLineLength?: number;
}

export type VendOutcome =
  | { result: 'succeeded'; priceMinor: number; item: number }
  | { result: 'failed'; priceMinor: number; item: number; reason: VendFailureReason };

/** Why an awaited driver call did not get what it asked for. */
export type CashlessErrorReason =
  SessionEndReason | 'noReply' | 'adapterSilent' | 'disconnected' | 'closed';

export class CashlessError extends Error {
  override readonly name = 'CashlessError';
  constructor(
    readonly reason: CashlessErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/** One line on the link, for a journal or a trace ("journal each line and decision first"). */
export interface TrafficLine {
  direction: 'in' | 'out';
  line: string;
}

type Answer<T> = (
  notification: CashlessNotification,
) => { value: T } | { error: Error } | undefined;

interface Waiter {
  notify(notification: CashlessNotification): void;
  fail(error: Error): void;
}

export class CashlessDriver {
  readonly config: CashlessConfig;
  readonly #transport: Transport;
  readonly #logger: HardwareLogger;
  readonly #timers: TimerApi;
  readonly #splitter: LineSplitter;
  #state: CashlessState = initialCashlessState();
  readonly #timerHandles = new Map<CashlessTimer, unknown>();
  readonly #listeners = new Set<(notification: CashlessNotification) => void>();
  readonly #trafficListeners = new Set<(traffic: TrafficLine) => void>();
  readonly #waiters = new Set<Waiter>();
  readonly #pending: CashlessNotification[] = [];
  #delivering = false;
  #writes: Promise<void> = Promise.resolve();
  #detach: (() => void)[] = [];
  #closing = false;

  constructor(options: CashlessDriverOptions) {
    this.config = cashlessConfig(options);
    this.#transport = options.transport;
    this.#logger = (options.logger ?? silentLogger).child({
      module: 'mdb',
      port: options.transport.name,
    });
    this.#timers = options.timers ?? realTimers;
    this.#splitter = new LineSplitter({
      maxLineLength: options.maxLineLength,
      onOverflow: (droppedBytes) =>
        this.#logger.warn({ droppedBytes }, 'dropped an over-long line from the adapter'),
    });
  }

  /** The machine's current state (a snapshot; the driver never mutates it). */
  get state(): CashlessState {
    return this.#state;
  }

  get phase(): CashlessPhase {
    return this.#state.phase;
  }

  /** Every notification, in order. Returns a function that stops listening. */
  subscribe(listener: (notification: CashlessNotification) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Every line sent and received (garbage included), before it is acted on. */
  onTraffic(listener: (traffic: TrafficLine) => void): () => void {
    this.#trafficListeners.add(listener);
    return () => void this.#trafficListeners.delete(listener);
  }

  /**
   * Opens the transport if needed, identifies the adapter (`V`), configures it (`C,0`, SETCONF,
   * `C,1`) and resolves once the VMC has enabled the reader. Rejects with a CashlessError when
   * the adapter does not answer, goes silent or the link ends first. While the VMC keeps the
   * reader disabled the promise stays pending (heartbeats still watch the adapter).
   */
  async start(): Promise<void> {
    const allowed: readonly CashlessPhase[] = KIOSK_COMMAND_PHASES.start;
    if (!allowed.includes(this.phase))
      throw new RefusedTransitionError(this.phase, 'start', allowed);
    this.#closing = false;
    this.#attach();
    if (!this.#transport.isOpen) await this.#transport.open();
    return this.#command({ type: 'start' }, (n) => {
      if (n.type === 'ready') return { value: undefined };
      if (n.type === 'fault')
        return { error: new CashlessError('noReply', `the adapter did not answer ${n.command}`) };
      return linkFailure(n);
    });
  }

  /**
   * Mode A: the wallet paid; opens a session with this credit and resolves once the VMC shows it
   * (`c,STATUS,IDLE`). `START -3` is retried every 500 ms for 10 s. Rejects with a CashlessError
   * whose reason is why the session ended (`startRefused`, `startNoReply`, `disconnected`, ...).
   */
  startSession(creditMinor: number): Promise<void> {
    return this.#command({ type: 'startSession', creditMinor }, (n) => {
      if (n.type === 'sessionStarted') return { value: undefined };
      if (n.type === 'sessionEnded')
        return { error: new CashlessError(n.reason, `the session did not start (${n.reason})`) };
      return undefined;
    });
  }

  /**
   * Approves the pending vend request at its price (journal the decision before calling) and
   * resolves with the vend's outcome. Only `succeeded` may be charged, exactly `priceMinor`.
   */
  approveVend(priceMinor: number): Promise<VendOutcome> {
    return this.#command(
      { type: 'approveVend', priceMinor },
      (n): { value: VendOutcome } | undefined => {
        if (n.type === 'vendSucceeded')
          return { value: { result: 'succeeded', priceMinor: n.priceMinor, item: n.item } };
        if (n.type === 'vendFailed')
          return {
            value: { result: 'failed', priceMinor: n.priceMinor, item: n.item, reason: n.reason },
          };
        return undefined;
      },
    );
  }

  /** Denies the pending vend request; resolves once the denial is written. */
  async denyVend(): Promise<void> {
    this.#dispatch({ type: 'denyVend' });
    await this.#writes;
  }

  /**
   * Ends the open session (the consumer cancelled) and resolves with the reason it ended, once
   * the VMC is back to enabled. With no session open it resolves at once with `kioskStopped`.
   */
  endSession(): Promise<SessionEndReason> {
    const phase = this.phase;
    if (phase === 'enabled' || phase === 'waitingForVmc') {
      this.#dispatch({ type: 'endSession' });
      return Promise.resolve('kioskStopped');
    }
    return this.#command({ type: 'endSession' }, (n) =>
      n.type === 'sessionEnded' ? { value: n.reason } : undefined,
    );
  }

  /**
   * Stops any open session (`C,STOP`), stops every timer, closes the transport and fails every
   * pending call with a CashlessError (`closed`). `start()` may be called again afterwards.
   */
  async close(): Promise<void> {
    this.#closing = true;
    this.#dispatch({ type: 'shutdown' });
    await this.#writes;
    this.#stopAllTimers();
    for (const waiter of [...this.#waiters]) {
      waiter.fail(new CashlessError('closed', 'the cashless driver was closed'));
    }
    for (const detach of this.#detach) detach();
    this.#detach = [];
    if (this.#transport.isOpen) await this.#transport.close();
  }

  // --- internals ------------------------------------------------------------------------------

  #attach(): void {
    if (this.#detach.length > 0) return;
    this.#detach = [
      this.#transport.onData((bytes) => this.#onData(bytes)),
      this.#transport.onClose((close) => this.#onClose(close)),
    ];
  }

  #onData(bytes: Uint8Array): void {
    for (const line of this.#splitter.push(bytes)) {
      this.#traffic({ direction: 'in', line });
      this.#logger.debug({ line }, 'adapter line');
      this.#dispatchInternal({ type: 'line', line: parseAdapterLine(line, this.config.decimals) });
    }
  }

  #onClose(close: TransportClose): void {
    this.#splitter.flush();
    if (this.#closing) return;
    if (close.error) this.#logger.warn({ err: close.error }, 'the transport closed');
    this.#dispatchInternal({ type: 'linkLost', reason: close.reason });
  }

  /** Runs a kiosk command and waits for the notification that answers it. */
  #command<T>(event: CashlessEvent, pick: Answer<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        notify: (notification) => {
          const outcome = pick(notification);
          if (!outcome) return;
          this.#waiters.delete(waiter);
          if ('value' in outcome) resolve(outcome.value);
          else reject(outcome.error);
        },
        fail: (error) => {
          this.#waiters.delete(waiter);
          reject(error);
        },
      };
      this.#waiters.add(waiter);
      try {
        this.#dispatch(event);
      } catch (error) {
        waiter.fail(error as Error);
      }
    });
  }

  /** Lines and timers never throw out of the machine; this logs if one ever does. */
  #dispatchInternal(event: CashlessEvent): void {
    try {
      this.#dispatch(event);
    } catch (error) {
      this.#logger.error({ err: error, event }, 'the cashless machine refused an internal event');
    }
  }

  #dispatch(event: CashlessEvent): void {
    const { state, effects } = transitionCashless(this.config, this.#state, event);
    this.#state = state;
    for (const effect of effects) {
      switch (effect.type) {
        case 'send':
          this.#send(effect.command);
          break;
        case 'startTimer':
          this.#startTimer(effect.timer, effect.ms);
          break;
        case 'stopTimer':
          this.#stopTimer(effect.timer);
          break;
        case 'stopAllTimers':
          this.#stopAllTimers();
          break;
        case 'notify':
          this.#pending.push(effect.notification);
          break;
        case 'log':
          this.#logger[effect.level]({ ...effect.fields, phase: state.phase }, effect.message);
          break;
        default:
          assertNever(effect);
      }
    }
    this.#deliver();
  }

  /**
   * Hands out queued notifications in order. A listener may call the driver back (approve in the
   * vendRequested handler): that nested call's notifications join the queue instead of
   * overtaking the ones still being delivered.
   */
  #deliver(): void {
    if (this.#delivering) return;
    this.#delivering = true;
    try {
      for (let next = this.#pending.shift(); next; next = this.#pending.shift()) {
        this.#logger.info({ notification: next }, next.type);
        for (const waiter of [...this.#waiters]) waiter.notify(next);
        for (const listener of [...this.#listeners]) {
          try {
            listener(next);
          } catch (error) {
            this.#logger.error({ err: error }, 'a cashless listener threw');
          }
        }
      }
    } finally {
      this.#delivering = false;
    }
  }

  #traffic(traffic: TrafficLine): void {
    for (const listener of [...this.#trafficListeners]) {
      try {
        listener(traffic);
      } catch (error) {
        this.#logger.error({ err: error }, 'a traffic listener threw');
      }
    }
  }

  /** Writes go out one after another, in the order the machine asked for them. */
  #send(command: string): void {
    this.#traffic({ direction: 'out', line: command });
    this.#logger.debug({ command }, 'command');
    const bytes = encodeCommand(command);
    this.#writes = this.#writes
      .then(() => this.#transport.write(bytes))
      .catch((error: unknown) => this.#onWriteError(command, error));
  }

  #onWriteError(command: string, error: unknown): void {
    if (error instanceof CancelledError || this.#closing) return;
    const reason = error instanceof DisconnectedError ? 'unplugged' : 'error';
    this.#logger.warn({ err: error, command }, 'a write to the adapter failed');
    this.#dispatchInternal({ type: 'linkLost', reason });
    // serialport closes the port itself a moment after a failed write; closing it now means a
    // start() that follows opens it afresh instead of finding a dying port still open.
    if (this.#transport.isOpen) {
      this.#transport.close().catch((closeError: unknown) => {
        this.#logger.debug({ err: closeError }, 'closing the lost transport failed');
      });
    }
  }

  #startTimer(timer: CashlessTimer, ms: number): void {
    this.#stopTimer(timer);
    const handle = this.#timers.setTimeout(() => {
      if (this.#timerHandles.get(timer) !== handle) return;
      this.#timerHandles.delete(timer);
      this.#dispatchInternal({ type: 'timerFired', timer });
    }, ms);
    this.#timerHandles.set(timer, handle);
  }

  #stopTimer(timer: CashlessTimer): void {
    const handle = this.#timerHandles.get(timer);
    if (handle === undefined) return;
    this.#timers.clearTimeout(handle);
    this.#timerHandles.delete(timer);
  }

  #stopAllTimers(): void {
    for (const timer of [...this.#timerHandles.keys()]) this.#stopTimer(timer);
  }
}

/** The notifications that end any wait for the adapter's answer. */
function linkFailure(n: CashlessNotification): { error: Error } | undefined {
  if (n.type === 'adapterSilent')
    return { error: new CashlessError('adapterSilent', 'the adapter does not answer') };
  if (n.type === 'disconnected')
    return { error: new CashlessError('disconnected', `the adapter link ended (${n.reason})`) };
  return undefined;
}
