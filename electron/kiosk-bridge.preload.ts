// The `kiosk` object the preload hands the page: the KioskBridge contract and nothing else. It
// is built over an injected ipcRenderer so it can be tested without Electron.
import type {
  CommandInput,
  CommandName,
  CommandResult,
  KioskBridge,
  KioskState,
} from '../terminal/contract/bridge.ts';
import { isKioskChannel, KIOSK_CHANNELS, type KioskChannel } from './channels.std.ts';

/** The slice of Electron's `ipcRenderer` the bridge uses. */
export interface PreloadIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, message: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, message: unknown) => void): unknown;
}

export function createKioskBridge(ipc: PreloadIpc): KioskBridge {
  // Channels are constants here, but the check keeps a future edit from opening another one.
  const channel = (name: KioskChannel): KioskChannel => {
    if (!isKioskChannel(name)) throw new Error(`not a kiosk channel: ${String(name)}`);
    return name;
  };

  return {
    invoke<N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandResult<N>> {
      return ipc.invoke(channel(KIOSK_CHANNELS.invoke), name, input) as Promise<CommandResult<N>>;
    },

    subscribe(listener: (state: KioskState) => void): () => void {
      let active = true;
      let delivered = -1;
      // Pushes and the answer to get-state race; the version keeps the newest and drops repeats.
      const deliver = (message: unknown): void => {
        if (!active || !isStateMessage(message) || message.version <= delivered) return;
        delivered = message.version;
        listener(message.state);
      };
      const onState = (_event: unknown, message: unknown): void => deliver(message);
      ipc.on(channel(KIOSK_CHANNELS.state), onState);
      ipc
        .invoke(channel(KIOSK_CHANNELS.getState))
        .then(deliver)
        .catch((error: unknown) => console.error('kiosk: could not read the current state', error));
      return () => {
        active = false;
        ipc.removeListener(KIOSK_CHANNELS.state, onState);
      };
    },
  };
}

function isStateMessage(message: unknown): message is { version: number; state: KioskState } {
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof (message as { version?: unknown }).version === 'number' &&
    typeof (message as { state?: unknown }).state === 'object' &&
    (message as { state?: unknown }).state !== null
  );
}
