// Carries the terminal contract over IPC: `kiosk:invoke` and `kiosk:get-state` are answered here,
// state is pushed on `kiosk:state`. Every message is checked for where it came from (the app's
// own top frame in the kiosk window) and what it carries (the command schemas) before the
// terminal sees it.
import type { Logger } from 'pino';
import type { Kiosk } from '../terminal/kiosk.ts';
import type { CommandInput, CommandResult } from '../terminal/contract/bridge.ts';
import { isAppUrl } from './app-url.std.ts';
import { isKioskChannel, KIOSK_CHANNELS, type StateMessage } from './channels.std.ts';
import { validateCommand } from '../terminal/contract/validate-command.ts';

/** The parts of Electron's `IpcMainInvokeEvent` the sender check reads. */
export interface InvokeEvent {
  sender: unknown;
  senderFrame: { url: string; parent: unknown } | null;
}

export type InvokeHandler = (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>;

/** The slice of Electron's `ipcMain` the adapter uses; tests pass a fake. */
export interface IpcMainPort {
  handle(channel: string, listener: InvokeHandler): void;
  removeHandler(channel: string): void;
}

/** The contents allowed to talk to the kiosk, and where its state goes. */
export interface StateTarget {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export interface KioskIpcOptions {
  ipcMain: IpcMainPort;
  kiosk: Kiosk;
  webContents: StateTarget;
  logger: Logger;
}

export interface KioskIpc {
  /**
   * Answers one message as the registered handlers do; exposed so the refusal of anything but
   * the kiosk's channels is testable without Electron.
   */
  dispatch(channel: string, event: InvokeEvent, args: unknown[]): Promise<unknown>;
  dispose(): void;
}

/** Thrown back to the renderer for a message that is not the app's; it never reaches the kiosk. */
export class RefusedMessageError extends Error {
  constructor(reason: string) {
    super(`kiosk IPC refused: ${reason}`);
    this.name = 'RefusedMessageError';
  }
}

const handledChannels = [KIOSK_CHANNELS.invoke, KIOSK_CHANNELS.getState] as const;

export function attachKioskIpc(options: KioskIpcOptions): KioskIpc {
  const { ipcMain, kiosk, webContents } = options;
  const logger = options.logger.child({ module: 'electron.ipc' });
  let latest: StateMessage | null = null;
  let version = 0;

  const unsubscribe = kiosk.subscribe((state) => {
    latest = { version: ++version, state };
    if (!webContents.isDestroyed()) webContents.send(KIOSK_CHANNELS.state, latest);
  });

  function assertFromApp(event: InvokeEvent): void {
    if (event.sender !== webContents) throw new RefusedMessageError('not the kiosk window');
    const frame = event.senderFrame;
    if (frame === null) throw new RefusedMessageError('the sending frame is gone');
    if (frame.parent !== null) throw new RefusedMessageError('sent from a subframe');
    if (!isAppUrl(frame.url)) throw new RefusedMessageError('sent from a page that is not the app');
  }

  async function invoke(args: unknown[]): Promise<CommandResult<never>> {
    if (args.length !== 2) throw new RefusedMessageError('expected (name, input)');
    const check = validateCommand(args[0], args[1]);
    if (!check.ok) {
      logger.warn({ command: args[0], error: check.error }, 'command refused');
      return { ok: false, error: check.error };
    }
    try {
      // Checked against the schema of `check.name` just above.
      const input = check.input as CommandInput<typeof check.name>;
      return (await kiosk.invoke(check.name, input)) as CommandResult<never>;
    } catch (error) {
      // The contract says refusals are `{ok: false}`; a throw is a bug, and its details stay here.
      logger.error({ err: error, command: check.name }, 'command threw');
      throw new Error('the kiosk failed to run the command');
    }
  }

  async function dispatch(channel: string, event: InvokeEvent, args: unknown[]): Promise<unknown> {
    try {
      if (!isKioskChannel(channel)) throw new RefusedMessageError(`unknown channel`);
      assertFromApp(event);
    } catch (error) {
      logger.warn({ channel: String(channel).slice(0, 100), err: error }, 'IPC message refused');
      throw error;
    }
    switch (channel) {
      case KIOSK_CHANNELS.invoke:
        return invoke(args);
      case KIOSK_CHANNELS.getState:
        return latest;
      case KIOSK_CHANNELS.state:
        throw new RefusedMessageError('kiosk:state only flows from main to the renderer');
    }
  }

  for (const channel of handledChannels) {
    ipcMain.handle(channel, (event, ...args) => dispatch(channel, event, args));
  }

  return {
    dispatch,
    dispose() {
      for (const channel of handledChannels) ipcMain.removeHandler(channel);
      unsubscribe();
    },
  };
}
