// Which bridge this page talks through: the one Electron's preload exposed as `window.kiosk`,
// else a WebSocket to the browser host that served the page, once the page has a token (from
// its start link, or from pairing when it is a thin client).
import type { KioskBridge } from '../contract.ts';
import { BridgeDisconnectedError } from './errors.ts';
import type { LinkStatusSource } from './link.ts';
import { needsPairing } from './pairing.ts';
import { keepToken, sessionStorageOrNull, takeToken } from './token.ts';
import { socketUrl, WebSocketBridge } from './websocket-bridge.ts';

export interface SelectedBridge {
  kind: 'bridge';
  bridge: KioskBridge;
  /** Null for a bridge that cannot drop (Electron's, in process). */
  link: LinkStatusSource | null;
}

/** A bridge, or first the pairing screen (a thin client's page without a token). */
export type BridgeChoice = SelectedBridge | { kind: 'pairing' };

export function selectBridge(win: Window): BridgeChoice {
  if (win.kiosk) return { kind: 'bridge', bridge: win.kiosk, link: null };
  const token = takeToken({
    location: win.location,
    history: win.history,
    storage: sessionStorageOrNull(win),
  });
  if (token) return connectWithToken(win, token);
  if (needsPairing(win.location)) return { kind: 'pairing' };
  return { kind: 'bridge', bridge: unavailableBridge, link: noTokenLink };
}

/** The bridge for a token earned by pairing, kept so a reload of this page connects too. */
export function bridgeForPairedToken(win: Window, token: string): SelectedBridge {
  keepToken(sessionStorageOrNull(win), token);
  return connectWithToken(win, token);
}

function connectWithToken(win: Window, token: string): SelectedBridge {
  const bridge = new WebSocketBridge({ url: socketUrl(win.location), token });
  return { kind: 'bridge', bridge, link: bridge };
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
