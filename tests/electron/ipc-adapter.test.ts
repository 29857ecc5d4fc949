// Main treats the renderer as untrusted: only the app's own top frame may talk, only on kiosk:
// channels, only with commands that pass their schema.
import { describe, expect, it } from 'vitest';
import { recordingLogger } from '../../terminal/api/testing/log-recorder.ts';
import { KIOSK_CHANNELS } from '../../electron/channels.std.ts';
import { attachKioskIpc, RefusedMessageError } from '../../electron/ipc-adapter.main.ts';
import { appFrameEvent, FakeIpcMain, FakeKiosk, FakeWebContents, sampleState } from './fakes.ts';

function attached() {
  const ipcMain = new FakeIpcMain();
  const kiosk = new FakeKiosk();
  const webContents = new FakeWebContents();
  const { logger, entries } = recordingLogger();
  const ipc = attachKioskIpc({ ipcMain, kiosk, webContents, logger });
  const fromApp = appFrameEvent(webContents);
  return { ipcMain, kiosk, webContents, ipc, fromApp, entries };
}

describe('the IPC adapter', () => {
  it('handles only kiosk: channels', () => {
    const { ipcMain } = attached();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(['kiosk:get-state', 'kiosk:invoke']);
  });

  it('refuses an unknown channel', async () => {
    const { ipc, kiosk, fromApp, entries } = attached();
    for (const channel of ['kiosk:evil', 'evil', 'kiosk:state', '']) {
      await expect(ipc.dispatch(channel, fromApp, ['sale.cancel', {}])).rejects.toBeInstanceOf(
        RefusedMessageError,
      );
    }
    expect(kiosk.invoked).toEqual([]);
    expect(entries().some((entry) => entry['msg'] === 'IPC message refused')).toBe(true);
  });

  it('refuses an unknown command without bothering the kiosk', async () => {
    const { ipcMain, kiosk, fromApp } = attached();
    const result = await ipcMain.invoke(KIOSK_CHANNELS.invoke, fromApp, 'system.shutdown', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    expect(kiosk.invoked).toEqual([]);
  });

  it('refuses malformed input with INVALID_INPUT naming the field', async () => {
    const { ipcMain, kiosk, fromApp } = attached();
    const wrongType = await ipcMain.invoke(KIOSK_CHANNELS.invoke, fromApp, 'sale.start', {
      amount: 12.5,
      method: 'qr',
    });
    expect(wrongType).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', field: 'amount' },
    });
    const nested = await ipcMain.invoke(KIOSK_CHANNELS.invoke, fromApp, 'sale.start', {
      amount: 500,
      method: 'qr',
      lines: [{ name: 'Tea', qty: 1, price: -1 }],
    });
    expect(nested).toMatchObject({ error: { code: 'INVALID_INPUT', field: 'lines.0.price' } });
    const smuggled = await ipcMain.invoke(KIOSK_CHANNELS.invoke, fromApp, 'settings.get', {
      apiKey: 'x',
    });
    expect(smuggled).toMatchObject({ error: { code: 'INVALID_INPUT', field: 'apiKey' } });
    const notAnObject = await ipcMain.invoke(KIOSK_CHANNELS.invoke, fromApp, 'sale.cancel', null);
    expect(notAnObject).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(kiosk.invoked).toEqual([]);
  });

  it('passes a valid command to the kiosk and returns its answer', async () => {
    const { ipcMain, kiosk, fromApp } = attached();
    kiosk.reply = { ok: false, error: { code: 'WRONG_PHASE', message: 'busy', phase: 'paying' } };
    const input = { amount: 450, method: 'voucher' as const };
    const result = await ipcMain.invoke(KIOSK_CHANNELS.invoke, fromApp, 'sale.start', input);
    expect(kiosk.invoked).toEqual([{ name: 'sale.start', input }]);
    expect(result).toEqual(kiosk.reply);
  });

  it('refuses messages that are not from the app’s top frame in the kiosk window', async () => {
    const { ipcMain, kiosk, webContents } = attached();
    const refused = [
      appFrameEvent(new FakeWebContents()),
      appFrameEvent(webContents, 'https://evil.example/'),
      appFrameEvent(webContents, 'file:///tmp/page.html'),
      { sender: webContents, senderFrame: { url: 'app://kiosk/index.html', parent: {} } },
      { sender: webContents, senderFrame: null },
    ];
    for (const event of refused) {
      await expect(
        ipcMain.invoke(KIOSK_CHANNELS.invoke, event, 'sale.cancel', {}),
      ).rejects.toBeInstanceOf(RefusedMessageError);
      await expect(ipcMain.invoke(KIOSK_CHANNELS.getState, event)).rejects.toBeInstanceOf(
        RefusedMessageError,
      );
    }
    expect(kiosk.invoked).toEqual([]);
  });

  it('refuses an invoke with the wrong number of arguments', async () => {
    const { ipcMain, fromApp } = attached();
    await expect(
      ipcMain.invoke(KIOSK_CHANNELS.invoke, fromApp, 'sale.cancel', {}, 'extra'),
    ).rejects.toBeInstanceOf(RefusedMessageError);
  });

  it('hides what a throwing kiosk said, and logs it', async () => {
    const { ipcMain, kiosk, fromApp, entries } = attached();
    kiosk.invoke = async () => {
      throw new Error('database path /var/secret');
    };
    await expect(ipcMain.invoke(KIOSK_CHANNELS.invoke, fromApp, 'sale.cancel', {})).rejects.toThrow(
      /^the kiosk failed to run the command$/,
    );
    expect(JSON.stringify(entries())).toContain('/var/secret');
  });

  it('pushes every state with a version, and answers get-state with the latest', async () => {
    const { ipcMain, kiosk, webContents, fromApp } = attached();
    expect(webContents.sent).toEqual([
      { channel: 'kiosk:state', args: [{ version: 1, state: sampleState() }] },
    ]);
    const paying = sampleState({ apiReachable: false });
    kiosk.setState(paying);
    expect(webContents.sent.at(-1)).toEqual({
      channel: 'kiosk:state',
      args: [{ version: 2, state: paying }],
    });
    expect(await ipcMain.invoke(KIOSK_CHANNELS.getState, fromApp)).toEqual({
      version: 2,
      state: paying,
    });
  });

  it('sends nothing to a destroyed window', () => {
    const { kiosk, webContents } = attached();
    webContents.destroyed = true;
    kiosk.setState(sampleState({ merchantName: 'Later' }));
    expect(webContents.sent).toHaveLength(1);
  });

  it('lets go of its channels and its subscription when disposed', () => {
    const { ipcMain, kiosk, ipc } = attached();
    ipc.dispose();
    expect(ipcMain.handlers.size).toBe(0);
    expect(kiosk.listenerCount).toBe(0);
  });
});
