import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommandMessage, KioskState } from '../contract.ts';
import { kioskState } from '../store/fixtures.ts';
import { BridgeDisconnectedError, BridgeTimeoutError } from './errors.ts';
import type { LinkStatus } from './link.ts';
import { socketUrl, WebSocketBridge, type SocketLike } from './websocket-bridge.ts';

/** A socket the test drives: `open()`, `receive()`, `drop()`, and what was sent. */
class FakeSocket implements SocketLike {
  readyState: SocketLike['readyState'] = 0;
  sent: string[] = [];
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onerror: SocketLike['onerror'] = null;
  constructor(
    readonly url: string,
    readonly protocol: string,
  ) {}
  send(data: string) {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(data);
  }
  close() {
    this.drop();
  }
  open() {
    this.readyState = 1;
    this.onopen?.call(this as unknown as WebSocket, new Event('open'));
  }
  receive(message: unknown) {
    const data = typeof message === 'string' ? message : JSON.stringify(message);
    this.onmessage?.call(this as unknown as WebSocket, { data } as MessageEvent);
  }
  drop() {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.call(this as unknown as WebSocket, {} as CloseEvent);
  }
  lastSent(): CommandMessage {
    return JSON.parse(this.sent.at(-1) ?? 'null') as CommandMessage;
  }
}

let sockets: FakeSocket[];
let bridge: WebSocketBridge;
let statuses: LinkStatus[];

function start(options: { replyTimeoutMs?: number } = {}) {
  bridge = new WebSocketBridge({
    url: 'ws://kiosk.test/kiosk',
    token: 'tok123',
    connect: (url, protocol) => {
      const socket = new FakeSocket(url, protocol);
      sockets.push(socket);
      return socket;
    },
    random: () => 0.5,
    ...options,
  });
  bridge.onLinkStatus((s) => statuses.push(s));
}

const socket = () => sockets.at(-1)!;

beforeEach(() => {
  vi.useFakeTimers();
  sockets = [];
  statuses = [];
});

afterEach(() => {
  bridge.close();
  vi.useRealTimers();
});

describe('WebSocketBridge', () => {
  it('connects to the kiosk path with the token as subprotocol', () => {
    start();
    expect(sockets).toHaveLength(1);
    expect(socket().url).toBe('ws://kiosk.test/kiosk');
    expect(socket().protocol).toBe('kiosk.tok123');
    expect(statuses).toEqual(['connecting']);
    socket().open();
    expect(statuses).toEqual(['connecting', 'open']);
  });

  it('sends {id, name, input} and resolves each reply by its id', async () => {
    start();
    socket().open();
    const first = bridge.invoke('journal.list', { limit: 5 });
    const second = bridge.invoke('sale.cancel', {});
    const [a, b] = socket().sent.map((s) => JSON.parse(s) as CommandMessage);
    expect(a).toEqual({ id: 1, name: 'journal.list', input: { limit: 5 } });
    expect(b).toEqual({ id: 2, name: 'sale.cancel', input: {} });
    // Replies may come in any order.
    socket().receive({ type: 'reply', id: 2, result: { ok: true } });
    socket().receive({ type: 'reply', id: 1, result: { ok: true, value: [] } });
    await expect(second).resolves.toEqual({ ok: true });
    await expect(first).resolves.toEqual({ ok: true, value: [] });
  });

  it('passes a refusal through as a result, not a rejection', async () => {
    start();
    socket().open();
    const reply = bridge.invoke('refund.submit', { amount: 100 });
    const error = { code: 'PIN_REQUIRED', message: 'PIN first' };
    socket().receive({ type: 'reply', id: socket().lastSent().id, result: { ok: false, error } });
    await expect(reply).resolves.toEqual({ ok: false, error });
  });

  it('hands every state to subscribers, and the latest at once to a new one', () => {
    start();
    socket().open();
    const seen: KioskState[] = [];
    const unsubscribe = bridge.subscribe((s) => seen.push(s));
    expect(seen).toEqual([]);
    const first = kioskState();
    const second = kioskState({ apiReachable: false });
    socket().receive({ type: 'state', state: first });
    socket().receive({ type: 'state', state: second });
    expect(seen).toEqual([first, second]);
    const late: KioskState[] = [];
    bridge.subscribe((s) => late.push(s));
    expect(late).toEqual([second]);
    unsubscribe();
    socket().receive({ type: 'state', state: first });
    expect(seen).toHaveLength(2);
  });

  it('ignores frames that are not the contract’s', () => {
    start();
    socket().open();
    const seen: KioskState[] = [];
    bridge.subscribe((s) => seen.push(s));
    socket().receive('not json');
    socket().receive({ type: 'state' });
    socket().receive({ type: 'reply', id: 99, result: { ok: true } });
    socket().receive({ type: 'other' });
    expect(seen).toEqual([]);
  });

  it('fails waiting commands at once when the socket drops, and reconnects with backoff', async () => {
    start();
    socket().open();
    const waiting = bridge.invoke('sale.start', { amount: 100, method: 'qr' });
    socket().drop();
    await expect(waiting).rejects.toBeInstanceOf(BridgeDisconnectedError);
    expect(statuses.at(-1)).toBe('reconnecting');
    // While down, a command fails without being queued.
    await expect(bridge.invoke('sale.cancel', {})).rejects.toBeInstanceOf(BridgeDisconnectedError);

    // First retry after 250 ms × (0.5 + 0.5 × jitter 0.5) ≈ 188 ms.
    vi.advanceTimersByTime(187);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    // That one fails too: the next wait doubles.
    socket().drop();
    vi.advanceTimersByTime(374);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);
    socket().open();
    expect(statuses.at(-1)).toBe('open');
    expect(socket().protocol).toBe('kiosk.tok123');
  });

  it('caps the backoff', () => {
    start();
    for (let i = 0; i < 12; i++) {
      socket().drop();
      vi.advanceTimersByTime(5000);
    }
    expect(sockets).toHaveLength(13);
    // Never connected yet: the page still says "connecting", not "reconnecting".
    expect(statuses).toEqual(['connecting']);
  });

  it('gives up on a reply that never comes', async () => {
    start({ replyTimeoutMs: 1000 });
    socket().open();
    const reply = bridge.invoke('settings.get', {});
    vi.advanceTimersByTime(1000);
    await expect(reply).rejects.toBeInstanceOf(BridgeTimeoutError);
    // A late reply is dropped quietly.
    socket().receive({ type: 'reply', id: 1, result: { ok: true, value: {} } });
  });

  it('stops for good when closed', async () => {
    start();
    socket().open();
    const waiting = bridge.invoke('journal.list', {});
    bridge.close();
    await expect(waiting).rejects.toBeInstanceOf(BridgeDisconnectedError);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('reports an unusable token instead of retrying', () => {
    bridge = new WebSocketBridge({
      url: 'ws://kiosk.test/kiosk',
      token: 'bad token',
      connect: () => {
        throw new SyntaxError('invalid subprotocol');
      },
    });
    bridge.onLinkStatus((s) => statuses.push(s));
    expect(statuses).toEqual(['no-token']);
  });

  it('refuses a bad option by name', () => {
    expect(() => new WebSocketBridge({ url: 'ws://x/kiosk', token: 't', maxDelayMs: 0 })).toThrow(
      /maxDelayMs/,
    );
    bridge = new WebSocketBridge({
      url: 'ws://x/kiosk',
      token: 't',
      connect: (url, protocol) => new FakeSocket(url, protocol),
    });
  });
});

describe('socketUrl', () => {
  it('uses the page’s own host, with wss under https', () => {
    expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:3000' })).toBe(
      'ws://127.0.0.1:3000/kiosk',
    );
    expect(socketUrl({ protocol: 'https:', host: 'kiosk.example' })).toBe(
      'wss://kiosk.example/kiosk',
    );
  });
});
