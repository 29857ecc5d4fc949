// The object a UI holds: in Electron the preload exposes it, in a browser the WebSocket client
// implements it. Both carry exactly this, and the terminal implements it in-process.
import type { CommandInput, CommandName } from './commands.ts';
import type { CommandResult } from './replies.ts';
import type { KioskState } from './state.ts';

export interface KioskBridge {
  /** Runs one command; never rejects for a refused command (that is `{ok: false}`). */
  invoke<N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandResult<N>>;
  /** Calls `listener` at once with the current state, then on every change. */
  subscribe(listener: (state: KioskState) => void): () => void;
}

export type * from './commands.ts';
export type * from './replies.ts';
export type * from './state.ts';
