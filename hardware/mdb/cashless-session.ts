// The cashless session as a pure state machine: `transitionCashless(config, state, event)` returns
// the next state and the effects the driver carries out (commands to send, timers to start or stop,
// notifications for the kiosk, log lines). Nothing here does I/O or reads a clock; timers are data,
// and their expiry comes back as a `timerFired` event.
//
// Two session modes (spec/hardware.md, "MDB cashless via the Qibixx ASCII interface"):
// - creditFirst (mode A): the wallet pays, the kiosk opens a session with that credit
//   (`C,START`), the consumer picks, the VMC asks to vend at the item's price.
// - alwaysIdle (mode B, `mdb-always-idle=1`): the consumer picks first; the vend request arrives
//   with no session, and the kiosk approves only once the payment for that price completed.
import type { AdapterLine, ReaderStatus } from './qibixx-lines.ts';
import { qibixxCommand } from './qibixx-lines.ts';
import { DEFAULT_DECIMALS } from './amount.ts';
import { assertNever, RefusedTransitionError } from './refused-transition.ts';

export type SessionMode = 'creditFirst' | 'alwaysIdle';

/** Kiosk-side time limits (spec: *assumed, configurable*). */
export interface CashlessTimeouts {
  /** A reply to `V`, `C,SETCONF`, `C,1`, `C,START`, and ENABLED after a session ends. Default 2 s. */
  replyMs: number;
  /** Mode A: from session start (or a denied vend) to a selection, then `C,STOP`. Default 90 s. */
  selectionMs: number;
  /** Mode A: the kiosk's answer to a vend request, else it is denied. Default 1 s ("within 1 s"). */
  creditFirstApprovalMs: number;
  /**
   * Mode B: payment and approval of a vend request, else `C,STOP`. Default 25 s: the VMC waits up
   * to the reader's maximum response time (30 s in a Qibixx sniff), and a late approval is refused.
   */
  alwaysIdleApprovalMs: number;
  /** From an approval to the vend result, then `C,STOP` and the vend is unconfirmed. Default 60 s. */
  vendResultMs: number;
  /** Quiet time after which `V` is sent to prove the adapter is there. Default 15 s. */
  heartbeatMs: number;
  /** Unanswered heartbeats in a row that mean the adapter is silent. Default 3. */
  heartbeatMisses: number;
  /** Pause before retrying `C,START` refused with `START -3`. Default 500 ms. */
  startRetryMs: number;
  /** How long `START -3` is retried before the session is given up. Default 10 s. */
  startRetryForMs: number;
}

export const DEFAULT_CASHLESS_TIMEOUTS: Readonly<CashlessTimeouts> = Object.freeze({
  replyMs: 2_000,
  selectionMs: 90_000,
  creditFirstApprovalMs: 1_000,
  alwaysIdleApprovalMs: 25_000,
  vendResultMs: 60_000,
  heartbeatMs: 15_000,
  heartbeatMisses: 3,
  startRetryMs: 500,
  startRetryForMs: 10_000,
});

export interface CashlessConfig {
  mode: SessionMode;
  /** ISO 4217 numeric currency code (978 EUR, 554 NZD), sent as `mdb-currency-code=0x1<code>`. */
  currencyCode: number;
  /** Digits of the minor unit: the scale of every amount on the link. */
  decimals: number;
  /** `mdb-timeout` in seconds, sent only when set (the adapter's default otherwise). */
  vmcTimeoutSeconds: number | null;
  timeouts: CashlessTimeouts;
}

export interface CashlessConfigInput {
  /** Default `creditFirst`. */
  mode?: SessionMode;
  currencyCode: number;
  /** Default 2. */
  decimals?: number;
  vmcTimeoutSeconds?: number;
  timeouts?: Partial<CashlessTimeouts>;
}

/** Applies defaults once and checks every option; a bad one is a TypeError that names it. */
export function cashlessConfig(input: CashlessConfigInput): CashlessConfig {
  const mode = input.mode ?? 'creditFirst';
  if (mode !== 'creditFirst' && mode !== 'alwaysIdle') {
    throw new TypeError(`mode must be 'creditFirst' or 'alwaysIdle', got ${String(mode)}`);
  }
  if (!Number.isInteger(input.currencyCode) || input.currencyCode < 1 || input.currencyCode > 999) {
    throw new TypeError(`currencyCode must be an ISO 4217 numeric code, got ${input.currencyCode}`);
  }
  const decimals = input.decimals ?? DEFAULT_DECIMALS;
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 4) {
    throw new TypeError(`decimals must be an integer from 0 to 4, got ${decimals}`);
  }
  const vmcTimeoutSeconds = input.vmcTimeoutSeconds ?? null;
  if (
    vmcTimeoutSeconds !== null &&
    !(Number.isInteger(vmcTimeoutSeconds) && vmcTimeoutSeconds > 0)
  ) {
    throw new TypeError(`vmcTimeoutSeconds must be a positive integer, got ${vmcTimeoutSeconds}`);
  }
  const timeouts = { ...DEFAULT_CASHLESS_TIMEOUTS, ...input.timeouts };
  for (const [name, value] of Object.entries(timeouts)) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new TypeError(`timeouts.${name} must be a positive integer, got ${String(value)}`);
    }
  }
  return { mode, currencyCode: input.currencyCode, decimals, vmcTimeoutSeconds, timeouts };
}

/** The `C,SETCONF` settings sent while cashless is off, in order. */
export function configSettings(config: CashlessConfig): string[] {
  const settings = [
    qibixxCommand.setConfig(
      'mdb-currency-code',
      `0x1${String(config.currencyCode).padStart(3, '0')}`,
    ),
    qibixxCommand.setConfig('mdb-always-idle', config.mode === 'alwaysIdle' ? '1' : '0'),
  ];
  if (config.vmcTimeoutSeconds !== null) {
    settings.push(qibixxCommand.setConfig('mdb-timeout', String(config.vmcTimeoutSeconds)));
  }
  return settings;
}

// ---------------------------------------------------------------------------------------------
// State

export interface AdapterIdentity {
  version: string;
  cpuId: string;
}

/** Why the last vend request did not end in a charge-worthy success. */
export type VendFailureReason =
  /** Mode A: the price is above the session's credit; denied at once (no vendRequested first). */
  | 'exceedsCredit'
  /** The kiosk denied it (`denyVend`, or `endSession` during the request). */
  | 'denied'
  /** The kiosk did not approve in time. */
  | 'approvalTimeout'
  /** The VMC cancelled it (`VEND 1`), or ended the session or disabled the reader meanwhile. */
  | 'vmcCancelled'
  /** The VMC reports the vend failed (`VEND 3`). */
  | 'vendFailed'
  /** The approval was refused as out of state (`VEND -3`): the VMC had already moved on. */
  | 'rejected'
  /** No result within the vend-result time, or the session ended without one. */
  | 'unconfirmed'
  | 'vmcReset'
  | 'adapterSilent'
  | 'disconnected'
  | 'shutdown';

/** Why a session (mode A) or a vend request's session (mode B) ended. */
export type SessionEndReason =
  /** After the vend's result (success or failure). */
  | 'vendFinished'
  /** Mode B: the kiosk denied the request, or did not approve in time. */
  | 'vendDenied'
  /** The kiosk ended it (`endSession`). */
  | 'kioskStopped'
  | 'selectionTimeout'
  /** The VMC ended it (session complete, cancel, or the reader disabled). */
  | 'vmcEnded'
  /** `C,START` kept being refused with `START -3`; the session never started. */
  | 'startRefused'
  /** `C,START` got no reply; `C,STOP` was sent to make sure. The session never started. */
  | 'startNoReply'
  | 'vmcReset'
  | 'adapterSilent'
  | 'disconnected'
  | 'shutdown';

export type LinkLossReason = 'closed' | 'unplugged' | 'error';

interface Heartbeat {
  /** A `V` was sent and nothing has been heard since. */
  outstanding: boolean;
  /** Heartbeats in a row that went unanswered. */
  misses: number;
}

interface Common {
  heartbeat: Heartbeat;
  adapter: AdapterIdentity | null;
}

export type CashlessPhaseState =
  /** Not started, or shut down. */
  | { phase: 'off' }
  /** `V` sent; waiting for the adapter's version. */
  | { phase: 'identifying' }
  /** `C,0` sent; `remaining[0]` is the SETCONF awaiting `c,SET,OK`. */
  | { phase: 'configuring'; remaining: string[] }
  /** `C,1` sent; waiting for the first status. */
  | { phase: 'enabling' }
  /** Cashless is on; the VMC has not enabled the reader (or disabled it). */
  | { phase: 'waitingForVmc'; status: ReaderStatus | 'online' }
  /** Reader enabled, no session. Mode A may start one; mode B waits for a vend request. */
  | { phase: 'enabled' }
  /** Mode A: `C,START` sent. */
  | { phase: 'starting'; creditMinor: number; retriesLeft: number }
  /** Mode A: a session with credit, waiting for a selection. */
  | { phase: 'sessionIdle'; creditMinor: number }
  /** A vend request waits for the kiosk's approval. `creditMinor` is null in mode B. */
  | { phase: 'vendRequested'; creditMinor: number | null; priceMinor: number; item: number }
  /** Approved; waiting for the vend result. */
  | { phase: 'vending'; creditMinor: number | null; priceMinor: number; item: number }
  /** The session is closing; waiting for ENABLED (`stopSent` once `C,STOP` went out). */
  | { phase: 'ending'; reason: SessionEndReason; stopSent: boolean }
  /** The adapter stopped answering heartbeats. */
  | { phase: 'silent' }
  /** The adapter did not accept its configuration. */
  | { phase: 'faulted'; command: string }
  /** The link ended without `close()`. */
  | { phase: 'disconnected'; reason: LinkLossReason };

export type CashlessPhase = CashlessPhaseState['phase'];
export type CashlessState = Common & CashlessPhaseState;

export function initialCashlessState(): CashlessState {
  return { phase: 'off', heartbeat: { outstanding: false, misses: 0 }, adapter: null };
}

// ---------------------------------------------------------------------------------------------
// Events, notifications, effects

export type CashlessTimer =
  'reply' | 'selection' | 'approval' | 'vendResult' | 'heartbeat' | 'startRetry';

export type CashlessEvent =
  /** Kiosk: configure the adapter and turn cashless on. */
  | { type: 'start' }
  /** Kiosk, mode A: the wallet paid; open a session with this credit. */
  | { type: 'startSession'; creditMinor: number }
  /** Kiosk: approve the pending vend request at its price. */
  | { type: 'approveVend'; priceMinor: number }
  | { type: 'denyVend' }
  /** Kiosk: the consumer cancelled; end the session if one is open. */
  | { type: 'endSession' }
  /** Kiosk: the driver is closing. */
  | { type: 'shutdown' }
  | { type: 'line'; line: AdapterLine }
  | { type: 'timerFired'; timer: CashlessTimer }
  | { type: 'linkLost'; reason: LinkLossReason };

/** What the kiosk's vending flow hears from the machine. */
export type CashlessNotification =
  | { type: 'adapterIdentified'; version: string; cpuId: string }
  /** The reader is enabled with no session: ready for a session (A) or a selection (B). */
  | { type: 'ready' }
  /** The VMC disabled the reader (out of service), or has not enabled it again. */
  | { type: 'readerDisabled'; status: ReaderStatus }
  | { type: 'sessionStarted'; creditMinor: number }
  /** Approve (`approveVend`) or deny within the approval time. `creditMinor` null in mode B. */
  | { type: 'vendRequested'; priceMinor: number; item: number; creditMinor: number | null }
  /** The only outcome that may be charged: exactly `priceMinor`. */
  | { type: 'vendSucceeded'; priceMinor: number; item: number }
  | { type: 'vendFailed'; priceMinor: number; item: number; reason: VendFailureReason }
  /** Back to enabled; with no vendSucceeded in the session, nothing is to be charged. */
  | { type: 'sessionEnded'; reason: SessionEndReason }
  | { type: 'vmcReset' }
  /** No reply to heartbeats: reconnect (close the driver and start again). */
  | { type: 'adapterSilent' }
  /** The adapter did not answer a configuration command. */
  | { type: 'fault'; reason: 'noReply'; command: string }
  | { type: 'disconnected'; reason: LinkLossReason };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type CashlessEffect =
  | { type: 'send'; command: string }
  /** Starts the named timer, replacing it if it runs. */
  | { type: 'startTimer'; timer: CashlessTimer; ms: number }
  | { type: 'stopTimer'; timer: CashlessTimer }
  | { type: 'stopAllTimers' }
  | { type: 'notify'; notification: CashlessNotification }
  | { type: 'log'; level: LogLevel; message: string; fields?: Record<string, unknown> };

export interface CashlessTransition {
  state: CashlessState;
  effects: CashlessEffect[];
}

/** Phases in which each kiosk command applies; anything else is a RefusedTransitionError. */
export const KIOSK_COMMAND_PHASES = {
  start: ['off', 'silent', 'faulted', 'disconnected'],
  startSession: ['enabled'],
  approveVend: ['vendRequested'],
  denyVend: ['vendRequested'],
  // A no-op in enabled, waitingForVmc and ending: the VMC may end a session just as the kiosk does.
  endSession: ['starting', 'sessionIdle', 'vendRequested', 'ending', 'enabled', 'waitingForVmc'],
} as const satisfies Record<string, readonly CashlessPhase[]>;

type KioskCommand = keyof typeof KIOSK_COMMAND_PHASES;

/** Phases in which a session (or mode B's vend request) is open. */
export function isSessionOpen(state: CashlessState): boolean {
  switch (state.phase) {
    case 'starting':
    case 'sessionIdle':
    case 'vendRequested':
    case 'vending':
    case 'ending':
      return true;
    case 'off':
    case 'identifying':
    case 'configuring':
    case 'enabling':
    case 'waitingForVmc':
    case 'enabled':
    case 'silent':
    case 'faulted':
    case 'disconnected':
      return false;
    default:
      return assertNever(state);
  }
}

/** Phases in which the link is in use and heartbeats run. */
function isLinkActive(state: CashlessState): boolean {
  switch (state.phase) {
    case 'off':
    case 'silent':
    case 'faulted':
    case 'disconnected':
      return false;
    case 'identifying':
    case 'configuring':
    case 'enabling':
    case 'waitingForVmc':
    case 'enabled':
    case 'starting':
    case 'sessionIdle':
    case 'vendRequested':
    case 'vending':
    case 'ending':
      return true;
    default:
      return assertNever(state);
  }
}

// ---------------------------------------------------------------------------------------------
// The transition

/** Collects effects for one transition. */
class Effects {
  readonly list: CashlessEffect[] = [];
  constructor(readonly config: CashlessConfig) {}
  send(command: string): void {
    this.list.push({ type: 'send', command });
  }
  start(timer: CashlessTimer, ms: number): void {
    this.list.push({ type: 'startTimer', timer, ms });
  }
  stop(...timers: CashlessTimer[]): void {
    for (const timer of timers) this.list.push({ type: 'stopTimer', timer });
  }
  notify(notification: CashlessNotification): void {
    this.list.push({ type: 'notify', notification });
  }
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    this.list.push(
      fields ? { type: 'log', level, message, fields } : { type: 'log', level, message },
    );
  }
}

export function transitionCashless(
  config: CashlessConfig,
  state: CashlessState,
  event: CashlessEvent,
): CashlessTransition {
  const fx = new Effects(config);
  const next = apply(state, event, fx);
  return { state: next, effects: fx.list };
}

function apply(state: CashlessState, event: CashlessEvent, fx: Effects): CashlessState {
  switch (event.type) {
    case 'start':
      return onStart(guard(state, 'start'), fx);
    case 'startSession':
      return onStartSession(guard(state, 'startSession'), event.creditMinor, fx);
    case 'approveVend':
      return onApproveVend(guard(state, 'approveVend'), event.priceMinor, fx);
    case 'denyVend':
      return onDenyVend(guard(state, 'denyVend'), fx);
    case 'endSession':
      return onEndSession(guard(state, 'endSession'), fx);
    case 'shutdown':
      return onShutdown(state, fx);
    case 'line':
      return onLine(state, event.line, fx);
    case 'timerFired':
      return onTimer(state, event.timer, fx);
    case 'linkLost':
      return onLinkLost(state, event.reason, fx);
    default:
      return assertNever(event);
  }
}

function guard(state: CashlessState, command: KioskCommand): CashlessState {
  const allowed: readonly CashlessPhase[] = KIOSK_COMMAND_PHASES[command];
  if (!allowed.includes(state.phase))
    throw new RefusedTransitionError(state.phase, command, allowed);
  return state;
}

/** The fields every phase keeps. */
const common = (state: CashlessState): Common => ({
  heartbeat: state.heartbeat,
  adapter: state.adapter,
});

function toEnabled(state: CashlessState): CashlessState {
  return { ...common(state), phase: 'enabled' };
}

function toSessionIdle(state: CashlessState, creditMinor: number, fx: Effects): CashlessState {
  fx.start('selection', fx.config.timeouts.selectionMs);
  return { ...common(state), phase: 'sessionIdle', creditMinor };
}

function toEnding(
  state: CashlessState,
  reason: SessionEndReason,
  stopSent: boolean,
  fx: Effects,
): CashlessState {
  fx.start('reply', fx.config.timeouts.replyMs);
  return { ...common(state), phase: 'ending', reason, stopSent };
}

/** Closes the session at once (no C,STOP): the VMC or the link already ended it. */
function endSessionNow(state: CashlessState, reason: SessionEndReason, fx: Effects): CashlessState {
  fx.stop('reply', 'selection', 'approval', 'vendResult', 'startRetry');
  fx.notify({ type: 'sessionEnded', reason });
  return toEnabled(state);
}

/**
 * Ends whatever session is open because something outside the kiosk's control happened: a pending
 * vend fails with `vendReason`, the session ends with `endReason` (an ending session keeps its
 * own). Returns nothing; the caller picks the next phase.
 */
function abandonSession(
  state: CashlessState,
  vendReason: VendFailureReason,
  endReason: SessionEndReason,
  fx: Effects,
): void {
  fx.stop('reply', 'selection', 'approval', 'vendResult', 'startRetry');
  if (state.phase === 'vendRequested' || state.phase === 'vending') {
    fx.notify({
      type: 'vendFailed',
      priceMinor: state.priceMinor,
      item: state.item,
      reason: vendReason,
    });
  }
  if (isSessionOpen(state)) {
    fx.notify({
      type: 'sessionEnded',
      reason: state.phase === 'ending' ? state.reason : endReason,
    });
  }
}

// --- kiosk commands ---------------------------------------------------------------------------

function onStart(state: CashlessState, fx: Effects): CashlessState {
  fx.send(qibixxCommand.version());
  fx.start('reply', fx.config.timeouts.replyMs);
  fx.start('heartbeat', fx.config.timeouts.heartbeatMs);
  return {
    phase: 'identifying',
    heartbeat: { outstanding: false, misses: 0 },
    adapter: state.adapter,
  };
}

function onStartSession(state: CashlessState, creditMinor: number, fx: Effects): CashlessState {
  if (fx.config.mode !== 'creditFirst') {
    throw new RefusedTransitionError(
      state.phase,
      'startSession',
      [],
      'sessions are opened by the kiosk only in the creditFirst mode',
    );
  }
  if (!Number.isSafeInteger(creditMinor) || creditMinor <= 0) {
    throw new RangeError(`credit must be a positive integer of minor units, got ${creditMinor}`);
  }
  const { startRetryForMs, startRetryMs, replyMs } = fx.config.timeouts;
  fx.send(qibixxCommand.startSession(creditMinor, fx.config.decimals));
  fx.start('reply', replyMs);
  return {
    ...common(state),
    phase: 'starting',
    creditMinor,
    retriesLeft: Math.floor(startRetryForMs / startRetryMs),
  };
}

function onApproveVend(state: CashlessState, priceMinor: number, fx: Effects): CashlessState {
  if (state.phase !== 'vendRequested') return state; // guarded
  if (priceMinor !== state.priceMinor) {
    // The approval names the price the kiosk will charge; a different one is a stale decision.
    throw new RangeError(
      `approveVend(${priceMinor}) does not match the requested price ${state.priceMinor}`,
    );
  }
  fx.stop('approval');
  fx.send(qibixxCommand.approveVend(priceMinor, fx.config.decimals));
  fx.start('vendResult', fx.config.timeouts.vendResultMs);
  return {
    ...common(state),
    phase: 'vending',
    creditMinor: state.creditMinor,
    priceMinor,
    item: state.item,
  };
}

/** Denies the pending request; mode A keeps the session, mode B ends it with C,STOP. */
function denyPendingVend(
  state: CashlessState & { phase: 'vendRequested' },
  reason: VendFailureReason,
  fx: Effects,
): CashlessState {
  fx.stop('approval');
  const { priceMinor, item } = state;
  if (state.creditMinor === null) {
    fx.send(qibixxCommand.stop());
    fx.notify({ type: 'vendFailed', priceMinor, item, reason });
    return toEnding(state, 'vendDenied', true, fx);
  }
  fx.send(qibixxCommand.denyVend());
  fx.notify({ type: 'vendFailed', priceMinor, item, reason });
  return toSessionIdle(state, state.creditMinor, fx);
}

function onDenyVend(state: CashlessState, fx: Effects): CashlessState {
  if (state.phase !== 'vendRequested') return state; // guarded
  return denyPendingVend(state, 'denied', fx);
}

function onEndSession(state: CashlessState, fx: Effects): CashlessState {
  switch (state.phase) {
    case 'starting':
    case 'sessionIdle':
      fx.stop('reply', 'startRetry', 'selection');
      fx.send(qibixxCommand.stop());
      return toEnding(state, 'kioskStopped', true, fx);
    case 'vendRequested': {
      fx.stop('approval');
      if (state.creditMinor !== null) fx.send(qibixxCommand.denyVend());
      fx.send(qibixxCommand.stop());
      fx.notify({
        type: 'vendFailed',
        priceMinor: state.priceMinor,
        item: state.item,
        reason: 'denied',
      });
      return toEnding(state, 'kioskStopped', true, fx);
    }
    default:
      // enabled, waitingForVmc, ending: nothing (left) to end.
      return state;
  }
}

function onShutdown(state: CashlessState, fx: Effects): CashlessState {
  if (isSessionOpen(state) && !(state.phase === 'ending' && state.stopSent)) {
    fx.send(qibixxCommand.stop());
  }
  abandonSession(state, 'shutdown', 'shutdown', fx);
  fx.list.push({ type: 'stopAllTimers' });
  return { ...common(state), phase: 'off' };
}

function onLinkLost(state: CashlessState, reason: LinkLossReason, fx: Effects): CashlessState {
  if (state.phase === 'off' || state.phase === 'disconnected') return state;
  abandonSession(state, 'disconnected', 'disconnected', fx);
  fx.list.push({ type: 'stopAllTimers' });
  fx.notify({ type: 'disconnected', reason });
  fx.log('warn', 'the adapter link ended', { reason });
  return { ...common(state), phase: 'disconnected', reason };
}

// --- timers -----------------------------------------------------------------------------------

function fault(state: CashlessState, command: string, fx: Effects): CashlessState {
  fx.list.push({ type: 'stopAllTimers' });
  fx.notify({ type: 'fault', reason: 'noReply', command });
  fx.log('error', 'the adapter did not answer', { command });
  return { ...common(state), phase: 'faulted', command };
}

function onTimer(state: CashlessState, timer: CashlessTimer, fx: Effects): CashlessState {
  switch (timer) {
    case 'reply':
      return onReplyTimeout(state, fx);
    case 'selection':
      if (state.phase !== 'sessionIdle') return stale(state, timer, fx);
      fx.send(qibixxCommand.stop());
      return toEnding(state, 'selectionTimeout', true, fx);
    case 'approval':
      if (state.phase !== 'vendRequested') return stale(state, timer, fx);
      return denyPendingVend(state, 'approvalTimeout', fx);
    case 'vendResult':
      if (state.phase !== 'vending') return stale(state, timer, fx);
      fx.send(qibixxCommand.stop());
      fx.notify({
        type: 'vendFailed',
        priceMinor: state.priceMinor,
        item: state.item,
        reason: 'unconfirmed',
      });
      fx.log('error', 'no vend result in time: the vend is unconfirmed', {
        priceMinor: state.priceMinor,
        item: state.item,
      });
      return toEnding(state, 'vendFinished', true, fx);
    case 'heartbeat':
      return onHeartbeat(state, fx);
    case 'startRetry':
      if (state.phase !== 'starting') return stale(state, timer, fx);
      fx.send(qibixxCommand.startSession(state.creditMinor, fx.config.decimals));
      fx.start('reply', fx.config.timeouts.replyMs);
      return state;
    default:
      return assertNever(timer);
  }
}

function stale(state: CashlessState, timer: CashlessTimer, fx: Effects): CashlessState {
  fx.log('debug', 'a timer fired after its phase ended', { timer, phase: state.phase });
  return state;
}

function onReplyTimeout(state: CashlessState, fx: Effects): CashlessState {
  switch (state.phase) {
    case 'identifying':
      return fault(state, qibixxCommand.version(), fx);
    case 'configuring':
      return fault(state, state.remaining[0] ?? qibixxCommand.cashlessOff(), fx);
    case 'enabling':
      return fault(state, qibixxCommand.cashlessOn(), fx);
    case 'starting':
      // The START may have reached the VMC with its reply lost: stop, so no credit stays open.
      fx.stop('startRetry');
      fx.send(qibixxCommand.stop());
      return toEnding(state, 'startNoReply', true, fx);
    case 'ending':
      if (!state.stopSent) {
        fx.send(qibixxCommand.stop());
        return toEnding(state, state.reason, true, fx);
      }
      // ENABLED after C,STOP is assumed, not documented: do not hang on it.
      fx.log('warn', 'no ENABLED after C,STOP; treating the session as ended', {
        reason: state.reason,
      });
      fx.notify({ type: 'sessionEnded', reason: state.reason });
      return toEnabled(state);
    default:
      return stale(state, 'reply', fx);
  }
}

function onHeartbeat(state: CashlessState, fx: Effects): CashlessState {
  if (!isLinkActive(state)) return stale(state, 'heartbeat', fx);
  const misses = state.heartbeat.outstanding ? state.heartbeat.misses + 1 : 0;
  if (misses >= fx.config.timeouts.heartbeatMisses) {
    abandonSession(state, 'adapterSilent', 'adapterSilent', fx);
    fx.list.push({ type: 'stopAllTimers' });
    fx.notify({ type: 'adapterSilent' });
    fx.log('error', 'the adapter does not answer heartbeats', { misses });
    return { ...common(state), phase: 'silent', heartbeat: { outstanding: false, misses } };
  }
  fx.send(qibixxCommand.version());
  fx.start('heartbeat', fx.config.timeouts.heartbeatMs);
  return { ...state, heartbeat: { outstanding: true, misses } };
}

// --- lines from the adapter -------------------------------------------------------------------

function onLine(state: CashlessState, line: AdapterLine, fx: Effects): CashlessState {
  if (line.type === 'unknown') {
    fx.log('warn', 'skipped a line the driver does not understand', {
      line: line.line,
      reason: line.reason,
    });
    return state;
  }
  if (!isLinkActive(state)) {
    fx.log('debug', 'ignored a line while the link is not in use', { phase: state.phase, line });
    return state;
  }
  // Anything the adapter says proves it is there: the heartbeat starts over.
  fx.start('heartbeat', fx.config.timeouts.heartbeatMs);
  const heard: CashlessState = { ...state, heartbeat: { outstanding: false, misses: 0 } };
  switch (line.type) {
    case 'ack':
      return heard;
    case 'version':
      return onVersion(heard, line.version, line.cpuId, fx);
    case 'setOk':
      return onSetOk(heard, fx);
    case 'online':
      if (heard.phase !== 'enabling') return ignored(heard, line, fx);
      fx.stop('reply');
      return { ...common(heard), phase: 'waitingForVmc', status: 'online' };
    case 'status':
      return line.status === 'enabled'
        ? onEnabled(heard, line, fx)
        : onDisabled(heard, line.status, line, fx);
    case 'sessionIdle':
      return onSessionIdle(heard, line.fundsMinor, line, fx);
    case 'vendRequest':
      return onVendRequest(heard, line.priceMinor, line.item, line, fx);
    case 'vendSuccess':
      if (heard.phase !== 'vending') {
        fx.log(heard.phase === 'ending' ? 'error' : 'warn', 'a vend success nobody waited for', {
          phase: heard.phase,
        });
        return heard;
      }
      fx.stop('vendResult');
      fx.notify({ type: 'vendSucceeded', priceMinor: heard.priceMinor, item: heard.item });
      return toEnding(heard, 'vendFinished', false, fx);
    case 'error':
      return onAdapterError(heard, line, fx);
    default:
      return assertNever(line);
  }
}

function ignored(state: CashlessState, line: AdapterLine, fx: Effects): CashlessState {
  fx.log('debug', 'a line with nothing to do in this phase', { phase: state.phase, line });
  return state;
}

function onVersion(
  state: CashlessState,
  version: string,
  cpuId: string,
  fx: Effects,
): CashlessState {
  const adapter = { version, cpuId };
  if (state.phase !== 'identifying') return { ...state, adapter };
  fx.stop('reply');
  fx.notify({ type: 'adapterIdentified', version, cpuId });
  // C,0 first: SETCONF is accepted only while cashless is off, and it ends any session a kiosk
  // restart left open (spec: "after a restart with an open session send C,STOP").
  fx.send(qibixxCommand.cashlessOff());
  const remaining = configSettings(fx.config);
  return sendNextSetting({ ...state, adapter }, remaining, fx);
}

function sendNextSetting(state: CashlessState, remaining: string[], fx: Effects): CashlessState {
  const [setting] = remaining;
  fx.start('reply', fx.config.timeouts.replyMs);
  if (setting === undefined) {
    fx.send(qibixxCommand.cashlessOn());
    return { ...common(state), phase: 'enabling' };
  }
  fx.send(setting);
  return { ...common(state), phase: 'configuring', remaining };
}

function onSetOk(state: CashlessState, fx: Effects): CashlessState {
  if (state.phase !== 'configuring') {
    fx.log('debug', 'c,SET,OK outside configuration', { phase: state.phase });
    return state;
  }
  return sendNextSetting(state, state.remaining.slice(1), fx);
}

function onEnabled(state: CashlessState, line: AdapterLine, fx: Effects): CashlessState {
  switch (state.phase) {
    case 'enabling':
    case 'waitingForVmc':
      fx.stop('reply');
      fx.notify({ type: 'ready' });
      return toEnabled(state);
    case 'sessionIdle':
      return endSessionNow(state, 'vmcEnded', fx);
    case 'vendRequested':
    case 'vending':
      fx.notify({
        type: 'vendFailed',
        priceMinor: state.priceMinor,
        item: state.item,
        reason: state.phase === 'vending' ? 'unconfirmed' : 'vmcCancelled',
      });
      return endSessionNow(state, 'vmcEnded', fx);
    case 'ending':
      return endSessionNow(state, state.reason, fx);
    case 'identifying':
    case 'configuring':
    case 'enabled':
    case 'starting':
    case 'off':
    case 'silent':
    case 'faulted':
    case 'disconnected':
      return ignored(state, line, fx);
    default:
      return assertNever(state);
  }
}

function onDisabled(
  state: CashlessState,
  status: 'inactive' | 'disabled',
  line: AdapterLine,
  fx: Effects,
): CashlessState {
  switch (state.phase) {
    case 'enabling':
      fx.stop('reply');
      return { ...common(state), phase: 'waitingForVmc', status };
    case 'waitingForVmc':
      return { ...state, status };
    case 'enabled':
    case 'starting':
    case 'sessionIdle':
    case 'vendRequested':
    case 'vending':
    case 'ending':
      abandonSession(state, 'vmcCancelled', 'vmcEnded', fx);
      fx.notify({ type: 'readerDisabled', status });
      return { ...common(state), phase: 'waitingForVmc', status };
    case 'identifying':
    case 'configuring':
    case 'off':
    case 'silent':
    case 'faulted':
    case 'disconnected':
      return ignored(state, line, fx);
    default:
      return assertNever(state);
  }
}

function onSessionIdle(
  state: CashlessState,
  fundsMinor: number | null,
  line: AdapterLine,
  fx: Effects,
): CashlessState {
  if (state.phase !== 'starting') return ignored(state, line, fx);
  fx.stop('reply', 'startRetry');
  if (fundsMinor !== null && fundsMinor !== state.creditMinor) {
    fx.log('warn', 'the session opened with other funds than asked for', {
      creditMinor: state.creditMinor,
      fundsMinor,
    });
  }
  fx.notify({ type: 'sessionStarted', creditMinor: state.creditMinor });
  return toSessionIdle(state, state.creditMinor, fx);
}

function onVendRequest(
  state: CashlessState,
  priceMinor: number,
  item: number,
  line: AdapterLine,
  fx: Effects,
): CashlessState {
  const { creditFirstApprovalMs, alwaysIdleApprovalMs } = fx.config.timeouts;
  if (state.phase === 'sessionIdle') {
    fx.stop('selection');
    if (priceMinor > state.creditMinor) {
      fx.send(qibixxCommand.denyVend());
      fx.notify({ type: 'vendFailed', priceMinor, item, reason: 'exceedsCredit' });
      return toSessionIdle(state, state.creditMinor, fx);
    }
    fx.start('approval', creditFirstApprovalMs);
    fx.notify({ type: 'vendRequested', priceMinor, item, creditMinor: state.creditMinor });
    return {
      ...common(state),
      phase: 'vendRequested',
      creditMinor: state.creditMinor,
      priceMinor,
      item,
    };
  }
  if (state.phase === 'enabled') {
    if (fx.config.mode === 'creditFirst') {
      // Mode A has nothing to pay with before a session: deny at once rather than keep the
      // consumer waiting for the VMC to give up (the adapter is probably set to always-idle).
      fx.log('warn', 'a vend request with no session; denied', { priceMinor, item });
      fx.send(qibixxCommand.stop());
      return state;
    }
    fx.start('approval', alwaysIdleApprovalMs);
    fx.notify({ type: 'vendRequested', priceMinor, item, creditMinor: null });
    return { ...common(state), phase: 'vendRequested', creditMinor: null, priceMinor, item };
  }
  fx.log('warn', 'a vend request in a phase that cannot take one; ignored', {
    phase: state.phase,
    line,
  });
  return state;
}

/** After the VMC dropped a vend request: mode A keeps the session, mode B is back to enabled. */
function afterDroppedVend(
  state: CashlessState & { phase: 'vendRequested' | 'vending' },
  reason: VendFailureReason,
  fx: Effects,
): CashlessState {
  fx.stop('approval', 'vendResult');
  fx.notify({ type: 'vendFailed', priceMinor: state.priceMinor, item: state.item, reason });
  if (state.creditMinor === null) return endSessionNow(state, 'vmcEnded', fx);
  return toSessionIdle(state, state.creditMinor, fx);
}

function onAdapterError(
  state: CashlessState,
  line: AdapterLine & { type: 'error' },
  fx: Effects,
): CashlessState {
  const unexpected = (): CashlessState => {
    fx.log('warn', 'an adapter error with nothing to do in this phase', {
      phase: state.phase,
      text: line.text,
    });
    return state;
  };
  switch (line.kind) {
    case 'vendFailed':
      if (state.phase !== 'vending') return unexpected();
      fx.stop('vendResult');
      fx.notify({
        type: 'vendFailed',
        priceMinor: state.priceMinor,
        item: state.item,
        reason: 'vendFailed',
      });
      return toEnding(state, 'vendFinished', false, fx);
    case 'vendCancelled':
      if (state.phase !== 'vendRequested' && state.phase !== 'vending') return unexpected();
      return afterDroppedVend(state, 'vmcCancelled', fx);
    case 'wrongState':
      if (state.phase !== 'vending') return unexpected();
      return afterDroppedVend(state, 'rejected', fx);
    case 'vmcReset':
      switch (state.phase) {
        case 'identifying':
        case 'configuring':
        case 'enabling':
          return unexpected();
        default:
          abandonSession(state, 'vmcReset', 'vmcReset', fx);
          fx.notify({ type: 'vmcReset' });
          return { ...common(state), phase: 'waitingForVmc', status: 'inactive' };
      }
    case 'startRefused':
      if (state.phase !== 'starting') return unexpected();
      fx.stop('reply');
      if (state.retriesLeft > 0) {
        fx.start('startRetry', fx.config.timeouts.startRetryMs);
        return { ...state, retriesLeft: state.retriesLeft - 1 };
      }
      return endSessionNow(state, 'startRefused', fx);
    case 'cashlessOn':
      // C,1 while it was on already: it is on, which is what was asked.
      if (state.phase !== 'enabling') return unexpected();
      fx.stop('reply');
      return { ...common(state), phase: 'waitingForVmc', status: 'online' };
    case 'other':
      return unexpected();
    default:
      return assertNever(line.kind);
  }
}
