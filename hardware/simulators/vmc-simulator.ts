// The far side of the MDB cashless link for tests and demos: a Qibixx adapter plus the vending
// machine controller behind it, on a Transport (end B of a socat PTY pair, or a memory end). It
// answers the kiosk's commands as spec/hardware.md's "Simulators" section says, a script plays the
// consumer (`select`, `cancel`), and faults can be injected: garbage, silence, unplug, vend
// failure, a VMC that gives up on a slow approval, `START -3`, a VMC reset.
import { formatAmount, parseAmount, DEFAULT_DECIMALS } from '../mdb/amount.ts';
import { LineSplitter } from '../mdb/line-codec.ts';
import { silentLogger, type HardwareLogger } from '../logger.ts';
import type { Transport } from '../transport/transport.ts';

export type VmcMode = 'creditFirst' | 'alwaysIdle';

export interface VmcSimulatorOptions {
  /** The end the kiosk does not hold. */
  transport: Transport;
  /**
   * Whether a selection comes before payment (`alwaysIdle`, mode B). Default `creditFirst`. The
   * kiosk's `C,SETCONF,mdb-always-idle=0|1` overrides it, as it would on the adapter.
   */
  mode?: VmcMode;
  /** From an approval to the vend result. Default 100 ms. */
  vendMs?: number;
  /** How long the VMC waits for an approval before it gives up (`VEND 1`). Default 30 s. */
  approvalLimitMs?: number;
  /** Digits of the minor unit. Default 2. */
  decimals?: number;
  /** Answer to `V`. Default `4.0.2.0` / `SIM`. */
  version?: string;
  cpuId?: string;
  /** How the simulator "unplugs". Default: close its transport. A PTY test passes socat's stop. */
  unplug?: () => Promise<void> | void;
  logger?: HardwareLogger;
}

/** Where the simulated VMC and adapter are. */
export type VmcPhase =
  /** Cashless off (after `C,0`, or before `C,1`). */
  | 'off'
  | 'enabled'
  | 'sessionIdle'
  /** A selection waits for approval. */
  | 'vendPending'
  /** Approved; dispensing. */
  | 'vending';

export interface SimulatedVend {
  item: number;
  priceMinor: number;
  approvedMinor: number;
  result: 'success' | 'failure';
}

export interface VmcTraffic {
  direction: 'in' | 'out';
  line: string;
}

/** Garbage as line noise delivers it: control bytes, high bytes, a stray delimiter, then CR LF. */
export const DEFAULT_GARBAGE = Uint8Array.from([
  0x00, 0xff, 0x13, 0x63, 0x2c, 0x8f, 0x53, 0x54, 0x41, 0x07, 0xfe, 0x0d, 0x0a,
]);

const checkMs = (name: string, value: number): number => {
  if (!Number.isInteger(value) || value < 0) {
    throw new TypeError(`"${name}" must be an integer >= 0, got ${String(value)}`);
  }
  return value;
};

export class VmcSimulator {
  /** Every command line received, oldest first. */
  readonly received: string[] = [];
  /** Every approved vend and how it ended. */
  readonly vends: SimulatedVend[] = [];
  /** `C,SETCONF` settings received, by key. */
  readonly settings = new Map<string, string>();
  readonly #transport: Transport;
  readonly #decimals: number;
  readonly #version: string;
  readonly #cpuId: string;
  readonly #unplug: () => Promise<void> | void;
  readonly #logger: HardwareLogger;
  readonly #splitter = new LineSplitter();
  readonly #trafficListeners = new Set<(traffic: VmcTraffic) => void>();
  #alwaysIdle: boolean;
  #vendMs: number;
  #approvalLimitMs: number;
  #phase: VmcPhase = 'off';
  #fundsMinor: number | null = null;
  #pending: { item: number; priceMinor: number } | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #silent = false;
  #failNextVend = false;
  #startRefusals = 0;
  #writes: Promise<void> = Promise.resolve();
  #detach: (() => void)[] = [];

  constructor(options: VmcSimulatorOptions) {
    const mode = options.mode ?? 'creditFirst';
    if (mode !== 'creditFirst' && mode !== 'alwaysIdle') {
      throw new TypeError(`"mode" must be 'creditFirst' or 'alwaysIdle', got ${String(mode)}`);
    }
    this.#transport = options.transport;
    this.#alwaysIdle = mode === 'alwaysIdle';
    this.#vendMs = checkMs('vendMs', options.vendMs ?? 100);
    this.#approvalLimitMs = checkMs('approvalLimitMs', options.approvalLimitMs ?? 30_000);
    this.#decimals = options.decimals ?? DEFAULT_DECIMALS;
    this.#version = options.version ?? '4.0.2.0';
    this.#cpuId = options.cpuId ?? 'SIM';
    this.#unplug = options.unplug ?? (() => this.#transport.close());
    this.#logger = (options.logger ?? silentLogger).child({ module: 'vmc-simulator' });
  }

  get phase(): VmcPhase {
    return this.#phase;
  }

  get mode(): VmcMode {
    return this.#alwaysIdle ? 'alwaysIdle' : 'creditFirst';
  }

  /** The session's funds (mode A), or null. */
  get fundsMinor(): number | null {
    return this.#fundsMinor;
  }

  /** Opens the transport if needed and starts answering. */
  async open(): Promise<void> {
    if (this.#detach.length === 0) {
      this.#detach = [
        this.#transport.onData((bytes) => this.#onData(bytes)),
        this.#transport.onClose(() => this.#clearTimer()),
      ];
    }
    if (!this.#transport.isOpen) await this.#transport.open();
  }

  /** Every line in and out, for a console or a test. Returns a function that stops listening. */
  onTraffic(listener: (traffic: VmcTraffic) => void): () => void {
    this.#trafficListeners.add(listener);
    return () => void this.#trafficListeners.delete(listener);
  }

  /** Resolves once every line sent so far has been written. */
  async flush(): Promise<void> {
    await this.#writes;
  }

  // --- the consumer ---------------------------------------------------------------------------

  /**
   * The consumer picks `item` at `priceMinor`: the VMC asks for a vend (`c,STATUS,VEND,p,i`) and
   * waits up to the approval limit. Mode A needs an open session; mode B needs the reader enabled.
   */
  select(item: number, priceMinor: number): void {
    const allowed: VmcPhase[] = this.#alwaysIdle ? ['enabled', 'sessionIdle'] : ['sessionIdle'];
    if (!allowed.includes(this.#phase)) {
      throw new Error(`cannot select in phase '${this.#phase}' (allowed: ${allowed.join(', ')})`);
    }
    if (!Number.isInteger(item) || item < 0 || item > 0xffff) {
      throw new RangeError(`an item number is 0-65535, got ${item}`);
    }
    this.#pending = { item, priceMinor };
    this.#phase = 'vendPending';
    this.#emit(`c,STATUS,VEND,${this.#amount(priceMinor)},${item}`);
    this.#setTimer(this.#approvalLimitMs, () => {
      // The VMC stopped waiting for the reader's approval.
      this.#emit('c,ERR,"VEND 1"');
      this.#afterVendRequest();
    });
  }

  /** The consumer presses cancel (coin return): ends the session, or drops the vend request. */
  cancel(): void {
    if (this.#phase === 'vendPending') {
      this.#clearTimer();
      this.#emit('c,ERR,"VEND 1"');
      this.#afterVendRequest();
      return;
    }
    if (this.#phase === 'sessionIdle') {
      this.#endSession();
      return;
    }
    throw new Error(`nothing to cancel in phase '${this.#phase}'`);
  }

  // --- scripting and faults -------------------------------------------------------------------

  setVendMs(ms: number): void {
    this.#vendMs = checkMs('vendMs', ms);
  }

  /** How long the VMC waits for approval (a slow kiosk beyond this gets `VEND 1`). */
  setApprovalLimitMs(ms: number): void {
    this.#approvalLimitMs = checkMs('approvalLimitMs', ms);
  }

  /** Switches mode B (selection before payment) on or off, as `mdb-always-idle` does. */
  setMode(mode: VmcMode): void {
    this.#alwaysIdle = mode === 'alwaysIdle';
  }

  /** The next approved vend fails: `c,ERR,"VEND 3"` instead of success. */
  failNextVend(): void {
    this.#failNextVend = true;
  }

  /** The next `times` `C,START` are refused with `START -3` (the reader not enabled yet). */
  refuseStart(times: number): void {
    this.#startRefusals = checkMs('times', times);
  }

  /** Stops answering anything, `V` included, and sends nothing (or starts again). */
  setSilent(silent: boolean): void {
    this.#silent = silent;
  }

  get silent(): boolean {
    return this.#silent;
  }

  /** Sends noise (by default a line of control and high bytes, ended by CR LF). */
  injectGarbage(bytes: Uint8Array | string = DEFAULT_GARBAGE): void {
    const chunk = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
    this.#traffic({ direction: 'out', line: Buffer.from(chunk).toString('latin1') });
    this.#write(chunk);
  }

  /** Sends any line as is (CR LF added): firmware variants, lines nobody documents. */
  sendLine(line: string): void {
    this.#emit(line, true);
  }

  /**
   * The VMC resets (`c,ERR,"VEND 5"`): any session or vend is gone. When cashless is on and
   * `reenable` (default true), the VMC brings the reader back: INACTIVE, DISABLED, ENABLED.
   */
  resetVmc(reenable = true): void {
    this.#clearTimer();
    this.#pending = null;
    this.#fundsMinor = null;
    this.#emit('c,ERR,"VEND 5"');
    if (this.#phase === 'off') return;
    if (reenable) {
      this.#emitEnableSequence();
      this.#phase = 'enabled';
    }
  }

  /** The device vanishes mid-whatever: by default its transport closes (a PTY test kills socat). */
  async unplug(): Promise<void> {
    this.#clearTimer();
    await this.#unplug();
  }

  /** Stops the timers and closes the transport. */
  async close(): Promise<void> {
    this.#clearTimer();
    await this.#writes;
    for (const detach of this.#detach) detach();
    this.#detach = [];
    if (this.#transport.isOpen) await this.#transport.close();
  }

  // --- the adapter's side of the protocol -----------------------------------------------------

  #onData(bytes: Uint8Array): void {
    for (const line of this.#splitter.push(bytes)) {
      this.received.push(line);
      this.#traffic({ direction: 'in', line });
      if (this.#silent) continue;
      this.#onCommand(line);
    }
  }

  #onCommand(line: string): void {
    const [verb, arg, ...rest] = line.split(',');
    if (line === 'V') return this.#emit(`v,${this.#version},${this.#cpuId}`);
    if (line === 'C,0') return this.#cashlessOff();
    if (line === 'C,1') return this.#cashlessOn();
    if (line === 'C,STOP') return this.#stop();
    if (verb === 'C' && arg === 'SETCONF') return this.#setConfig(rest.join(','));
    if (verb === 'C' && arg === 'START' && rest.length === 1) return this.#start(rest[0] ?? '');
    if (verb === 'C' && arg === 'VEND' && rest.length === 1) return this.#vend(rest[0] ?? '');
    if (verb === 'X') return this.#emit('x,ACK');
    this.#logger.warn({ line }, 'unknown command');
    this.#emit('c,ERR,"unknown command"');
  }

  #cashlessOff(): void {
    this.#clearTimer();
    this.#pending = null;
    this.#fundsMinor = null;
    this.#phase = 'off';
  }

  #cashlessOn(): void {
    if (this.#phase !== 'off') return this.#emit('c,ERR,"cashless is on"');
    this.#phase = 'enabled';
    this.#emitEnableSequence();
  }

  #setConfig(setting: string): void {
    if (this.#phase !== 'off') return this.#emit('c,ERR,"cashless is on"');
    const match = /^([a-z0-9-]+)=(\S+)$/.exec(setting);
    if (!match) return this.#emit('c,ERR,"SETCONF"');
    const [, key = '', value = ''] = match;
    this.settings.set(key, value);
    if (key === 'mdb-always-idle') this.#alwaysIdle = value === '1';
    this.#emit('c,SET,OK');
  }

  #start(amount: string): void {
    const fundsMinor = parseAmount(amount, this.#decimals);
    if (fundsMinor === undefined) return this.#emit('c,ERR,"START -1"');
    if (this.#startRefusals > 0 || this.#phase !== 'enabled') {
      if (this.#startRefusals > 0) this.#startRefusals -= 1;
      return this.#emit('c,ERR,"START -3"');
    }
    this.#phase = 'sessionIdle';
    this.#fundsMinor = fundsMinor;
    this.#emit(`c,STATUS,IDLE,${this.#amount(fundsMinor)}`);
  }

  #vend(amount: string): void {
    const pending = this.#pending;
    if (this.#phase !== 'vendPending' || !pending) return this.#emit('c,ERR,"VEND -3"');
    this.#clearTimer();
    if (amount === '-1') {
      this.#pending = null;
      this.#phase = this.#fundsMinor === null ? 'enabled' : 'sessionIdle';
      this.#emit(this.#idleLine(this.#fundsMinor));
      return;
    }
    const approvedMinor = parseAmount(amount, this.#decimals);
    if (approvedMinor === undefined) return this.#emit('c,ERR,"VEND -1"');
    this.#phase = 'vending';
    const fails = this.#failNextVend || approvedMinor < pending.priceMinor;
    this.#failNextVend = false;
    this.#setTimer(this.#vendMs, () => {
      this.vends.push({ ...pending, approvedMinor, result: fails ? 'failure' : 'success' });
      this.#emit(fails ? 'c,ERR,"VEND 3"' : 'c,VEND,SUCCESS');
      const left =
        this.#fundsMinor === null || fails
          ? this.#fundsMinor
          : Math.max(0, this.#fundsMinor - pending.priceMinor);
      this.#emit(this.#idleLine(left));
      // Single vend: the VMC ends the session after the result.
      this.#endSession();
    });
  }

  #stop(): void {
    switch (this.#phase) {
      case 'sessionIdle':
      case 'vendPending':
      case 'enabled':
        this.#endSession();
        return;
      case 'vending':
        // The product is on its way; the result still comes.
        this.#logger.info({}, 'C,STOP while vending; ignored');
        return;
      case 'off':
        return;
    }
  }

  #afterVendRequest(): void {
    this.#pending = null;
    this.#phase = this.#alwaysIdle && this.#fundsMinor === null ? 'enabled' : 'sessionIdle';
  }

  #endSession(): void {
    this.#clearTimer();
    this.#pending = null;
    this.#fundsMinor = null;
    this.#phase = 'enabled';
    this.#emit('c,STATUS,ENABLED');
  }

  #emitEnableSequence(): void {
    this.#emit('c,STATUS,INACTIVE');
    this.#emit('c,STATUS,DISABLED');
    this.#emit('c,STATUS,ENABLED');
  }

  #idleLine(fundsMinor: number | null): string {
    return fundsMinor === null ? 'c,STATUS,IDLE' : `c,STATUS,IDLE,${this.#amount(fundsMinor)}`;
  }

  #amount(minor: number): string {
    return formatAmount(minor, this.#decimals);
  }

  #setTimer(ms: number, fire: () => void): void {
    this.#clearTimer();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      fire();
    }, ms);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Sends one line (CR LF, as the adapter ends its replies) unless silent. */
  #emit(line: string, evenIfSilent = false): void {
    if (this.#silent && !evenIfSilent) return;
    this.#traffic({ direction: 'out', line });
    this.#write(Buffer.from(`${line}\r\n`, 'latin1'));
  }

  #write(bytes: Uint8Array): void {
    if (!this.#transport.isOpen) {
      this.#logger.debug({}, 'not open; a line was dropped');
      return;
    }
    this.#writes = this.#writes
      .then(() => this.#transport.write(bytes))
      .catch((error: unknown) => this.#logger.debug({ err: error }, 'a write failed'));
  }

  #traffic(traffic: VmcTraffic): void {
    for (const listener of [...this.#trafficListeners]) listener(traffic);
  }
}
