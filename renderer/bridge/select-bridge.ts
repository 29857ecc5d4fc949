// Which bridge this page talks through: the one Electron's preload exposed as `window.kiosk`,
// else a WebSocket to the browser host that served the page.
import type { KioskBridge } from '../contract.ts';
import { BridgeDisconnectedError } from './errors.ts';
import type { LinkStatusSource } from './link.ts';
import { sessionStorageOrNull, takeToken } from './token.ts';
import { socketUrl, WebSocketBridge } from './websocket-bridge.ts';

export interface SelectedBridge {
  bridge: KioskBridge;
  /** Null for a bridge that cannot drop (Electron's, in process). */
  link: LinkStatusSource | null;
}

export function selectBridge(win: Window): SelectedBridge {
  if (win.kiosk) return { bridge: win.kiosk, link: null };
  const token = takeToken({
    location: win.location,
    history: win.history,
    storage: sessionStorageOrNull(win),
  });
  if (!token) return { bridge: unavailableBridge, link: noTokenLink };
  const bridge = new WebSocketBridge({ url: socketUrl(win.location), token });
  return { bridge, link: bridge };
}

/** A page opened without its token cannot reach the kiosk; it says so instead of trying. */
const unavailableBridge: KioskBridge = {
  invoke: (name) => Promise.reject(new BridgeDisconnectedError(name)),
  subscribe: () => () => {},
};

const noTokenLink: LinkStatusSource = {
  onLinkStatus(listener) {
    listener('no-token');
    return () => {};
  },
};
