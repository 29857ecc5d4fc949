// The object the preload exposes as `window.kiosk`, wired to the real IPC adapter through fake
// ipcRenderer/ipcMain halves.
import { EventEmitter } from 'node:events';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { KioskState } from '../../terminal/contract/bridge.ts';
import { KIOSK_CHANNELS } from '../../electron/channels.std.ts';
import { attachKioskIpc } from '../../electron/ipc-adapter.main.ts';
import { createKioskBridge, type PreloadIpc } from '../../electron/kiosk-bridge.preload.ts';
import { appFrameEvent, FakeIpcMain, FakeKiosk, FakeWebContents, sampleState } from './fakes.ts';

/** An ipcRenderer whose invokes reach `ipcMain` and whose window receives `webContents.send`. */
function connectedBridge() {
  const ipcMain = new FakeIpcMain();
  const kiosk = new FakeKiosk();
  const renderer = new EventEmitter();
  const webContents = new FakeWebContents();
  webContents.send = (channel, ...args) => void renderer.emit(channel, { sender: 'ipc' }, ...args);
  const ipc: PreloadIpc = {
    invoke: (channel, ...args) => ipcMain.invoke(channel, appFrameEvent(webContents), ...args),
    on: (channel, listener) => renderer.on(channel, listener),
    removeListener: (channel, listener) => renderer.removeListener(channel, listener),
  };
  attachKioskIpc({ ipcMain, kiosk, webContents, logger: pino({ level: 'silent' }) });
  return { bridge: createKioskBridge(ipc), kiosk, renderer };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the preload bridge', () => {
  it('exposes invoke and subscribe, nothing else', () => {
    expect(Object.keys(connectedBridge().bridge).sort()).toEqual(['invoke', 'subscribe']);
  });

  it('gives a new subscriber the current state at once, then every change', async () => {
    const { bridge, kiosk } = connectedBridge();
    const seen: KioskState[] = [];
    bridge.subscribe((state) => seen.push(state));
    await settle();
    expect(seen).toEqual([sampleState()]);
    kiosk.setState(sampleState({ apiReachable: false }));
    expect(seen.at(-1)).toEqual(sampleState({ apiReachable: false }));
    expect(seen).toHaveLength(2);
  });

  it('never hands the page the IPC event', async () => {
    const { bridge } = connectedBridge();
    const calls: unknown[][] = [];
    bridge.subscribe((...args: unknown[]) => calls.push(args));
    await settle();
    expect(calls).toEqual([[sampleState()]]);
  });

  it('stops after unsubscribe', async () => {
    const { bridge, kiosk, renderer } = connectedBridge();
    const seen: KioskState[] = [];
    const unsubscribe = bridge.subscribe((state) => seen.push(state));
    await settle();
    unsubscribe();
    kiosk.setState(sampleState({ merchantName: 'Gone' }));
    expect(seen).toHaveLength(1);
    expect(renderer.listenerCount(KIOSK_CHANNELS.state)).toBe(0);
  });

  it('drops a get-state answer older than a push it already delivered', async () => {
    const renderer = new EventEmitter();
    let answer: (message: unknown) => void = () => {};
    const bridge = createKioskBridge({
      invoke: () => new Promise((resolve) => (answer = resolve)),
      on: (channel, listener) => renderer.on(channel, listener),
      removeListener: (channel, listener) => renderer.removeListener(channel, listener),
    });
    const seen: string[] = [];
    bridge.subscribe((state) => seen.push(state.merchantName));
    renderer.emit(
      KIOSK_CHANNELS.state,
      {},
      { version: 3, state: sampleState({ merchantName: 'new' }) },
    );
    answer({ version: 2, state: sampleState({ merchantName: 'old' }) });
    await settle();
    expect(seen).toEqual(['new']);
  });

  it('carries commands and their answers, and main still validates them', async () => {
    const { bridge, kiosk } = connectedBridge();
    expect(await bridge.invoke('sale.start', { amount: 300, method: 'qr' })).toEqual({
      ok: true,
      value: undefined,
    });
    expect(kiosk.invoked).toEqual([{ name: 'sale.start', input: { amount: 300, method: 'qr' } }]);
    const refused = await bridge.invoke('sale.start', { amount: 0, method: 'qr' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'amount' } });
  });
});
