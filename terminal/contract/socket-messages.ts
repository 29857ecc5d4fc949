// The browser host's WebSocket carries the bridge as JSON text frames of these shapes.
// The page learns its per-start token from its URL fragment (`#token=...`, never sent to a
// server or logged) and presents it as the subprotocol `kiosk.<token>`; the host also checks
// that the Origin is its own.
import type { CommandName } from './commands.ts';
import type { CommandResult } from './replies.ts';
import type { KioskState } from './state.ts';

export const SOCKET_PATH = '/kiosk';
export const SUBPROTOCOL_PREFIX = 'kiosk.';

export interface CommandMessage {
  id: number;
  name: CommandName;
  input: unknown;
}

export type HostMessage =
  | { type: 'state'; state: KioskState }
  | { type: 'reply'; id: number; result: CommandResult<CommandName> };
