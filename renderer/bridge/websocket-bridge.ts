// The browser host's side of the bridge: the KioskBridge contract carried over one WebSocket,
// exactly as terminal/contract/socket-messages.ts describes. Commands go out as
// `{id, name, input}`, replies come back by id, and `{type: 'state'}` frames replace the
// snapshot. When the socket drops, commands waiting for a reply fail at once (they may or may
// not have run; the next snapshot shows which) and the bridge reconnects with capped, jittered
// backoff.
import {
  SOCKET_PATH,
  SUBPROTOCOL_PREFIX,
  type CommandInput,
  type CommandMessage,
  type CommandName,
  type CommandResult,
  type HostMessage,
  type KioskBridge,
  type KioskState,
} from '../contract.ts';
import { BridgeDisconnectedError, BridgeTimeoutError } from './errors.ts';
import type { LinkStatus, LinkStatusSource } from './link.ts';

/** The part of a browser WebSocket the bridge uses; tests pass a fake. */
export type SocketLike = Pick<
  WebSocket,
  'readyState' | 'send' | 'close' | 'onopen' | 'onclose' | 'onmessage' | 'onerror'
>;

export interface WebSocketBridgeOptions {
  /** `ws://host/kiosk`; see {@link socketUrl}. */
  url: string;
  /** The per-start token, presented as the subprotocol `kiosk.<token>`. */
  token: string;
  /** Opens a socket. Default: the browser's WebSocket. */
  connect?: (url: string, protocol: string) => SocketLike;
  /** First reconnect delay, doubled on each failed attempt. Default 250 ms. */
  initialDelayMs?: number;
  /** Longest reconnect delay. Default 5000 ms. */
  maxDelayMs?: number;
  /** How long a command may wait for its reply. Default 30000 ms. */
  replyTimeoutMs?: number;
  /** Source of jitter in [0, 1). Default Math.random. */
  random?: () => number;
}

const OPEN = 1;

interface Pending {
  name: CommandName;
  resolve(result: CommandResult<CommandName>): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/** The bridge socket's address on the page's own host. */
export function socketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${SOCKET_PATH}`;
}

export class WebSocketBridge implements KioskBridge, LinkStatusSource {
  readonly #url: string;
  readonly #protocol: string;
  readonly #connect: (url: string, protocol: string) => SocketLike;
  readonly #initialDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #replyTimeoutMs: number;
  readonly #random: () => number;

  #socket: SocketLike | null = null;
  #state: KioskState | null = null;
  #status: LinkStatus = 'connecting';
  #everOpened = false;
  #attempt = 0;
  #nextId = 1;
  #reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  #closed = false;
  readonly #pending = new Map<number, Pending>();
  readonly #stateListeners = new Set<(state: KioskState) => void>();
  readonly #statusListeners = new Set<(status: LinkStatus) => void>();

  constructor(options: WebSocketBridgeOptions) {
    this.#url = options.url;
    this.#protocol = SUBPROTOCOL_PREFIX + options.token;
    this.#connect = options.connect ?? ((url, protocol) => new WebSocket(url, protocol));
    this.#initialDelayMs = positive('initialDelayMs', options.initialDelayMs ?? 250);
    this.#maxDelayMs = positive('maxDelayMs', options.maxDelayMs ?? 5000);
    this.#replyTimeoutMs = positive('replyTimeoutMs', options.replyTimeoutMs ?? 30_000);
    this.#random = options.random ?? Math.random;
    this.#open();
  }

  invoke<N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandResult<N>> {
    const socket = this.#socket;
    if (!socket || this.#status !== 'open' || socket.readyState !== OPEN) {
      return Promise.reject(new BridgeDisconnectedError(name));
    }
    const id = this.#nextId++;
    const message: CommandMessage = { id, name, input };
    return new Promise<CommandResult<N>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new BridgeTimeoutError(name, this.#replyTimeoutMs));
      }, this.#replyTimeoutMs);
      // The host answers `id` with the reply of the command it was sent; the wire cannot
      // prove the pairing to the compiler.
      const settle = resolve as (result: CommandResult<CommandName>) => void;
      this.#pending.set(id, { name, resolve: settle, reject, timer });
      try {
        socket.send(JSON.stringify(message));
      } catch {
        clearTimeout(timer);
        this.#pending.delete(id);
        reject(new BridgeDisconnectedError(name));
      }
    });
  }

  subscribe(listener: (state: KioskState) => void): () => void {
    this.#stateListeners.add(listener);
    if (this.#state) listener(this.#state);
    return () => {
      this.#stateListeners.delete(listener);
    };
  }

  onLinkStatus(listener: (status: LinkStatus) => void): () => void {
    this.#statusListeners.add(listener);
    listener(this.#status);
    return () => {
      this.#statusListeners.delete(listener);
    };
  }

  /** Stops for good: closes the socket, fails waiting commands, never reconnects. */
  close(): void {
    this.#closed = true;
    if (this.#reconnectTimer !== null) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
    const socket = this.#socket;
    this.#socket = null;
    this.#failPending();
    socket?.close(1000, 'closed');
  }

  #open(): void {
    this.#reconnectTimer = null;
    let socket: SocketLike;
    try {
      socket = this.#connect(this.#url, this.#protocol);
    } catch {
      // The constructor throws only for a malformed URL or subprotocol, which retrying
      // cannot fix: the token is unusable.
      this.#setStatus('no-token');
      return;
    }
    this.#socket = socket;
    socket.onopen = () => {
      if (this.#socket !== socket) return;
      this.#attempt = 0;
      this.#everOpened = true;
      this.#setStatus('open');
    };
    socket.onmessage = (event) => {
      if (this.#socket !== socket) return;
      this.#receive(event.data);
    };
    // Every failure ends in a close event; the error event adds nothing to act on.
    socket.onerror = () => {};
    socket.onclose = () => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.#failPending();
      if (this.#closed) return;
      this.#setStatus(this.#everOpened ? 'reconnecting' : 'connecting');
      this.#scheduleReconnect();
    };
  }

  #scheduleReconnect(): void {
    const ceiling = Math.min(this.#maxDelayMs, this.#initialDelayMs * 2 ** this.#attempt);
    this.#attempt = Math.min(this.#attempt + 1, 30);
    // Half fixed, half random, so kiosks restarted together do not reconnect in step.
    const delay = Math.round(ceiling / 2 + (ceiling / 2) * this.#random());
    this.#reconnectTimer = setTimeout(() => this.#open(), delay);
  }

  #receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (!isHostMessage(message)) return;
    if (message.type === 'state') {
      this.#state = message.state;
      for (const listener of [...this.#stateListeners]) listener(message.state);
      return;
    }
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.#pending.delete(message.id);
    pending.resolve(message.result);
  }

  #failPending(): void {
    const waiting = [...this.#pending.values()];
    this.#pending.clear();
    for (const pending of waiting) {
      clearTimeout(pending.timer);
      pending.reject(new BridgeDisconnectedError(pending.name));
    }
  }

  #setStatus(status: LinkStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    for (const listener of [...this.#statusListeners]) listener(status);
  }
}

function isHostMessage(value: unknown): value is HostMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  if (message.type === 'state') {
    return typeof message.state === 'object' && message.state !== null;
  }
  if (message.type === 'reply') {
    const result = message.result as Record<string, unknown> | null | undefined;
    return (
      typeof message.id === 'number' &&
      typeof result === 'object' &&
      result !== null &&
      typeof result.ok === 'boolean'
    );
  }
  return false;
}

function positive(option: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new TypeError(`${option} must be a positive number of milliseconds, got ${value}`);
  }
  return value;
}
