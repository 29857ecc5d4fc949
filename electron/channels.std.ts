// The IPC channels that carry the terminal contract between the preload and main. Every channel
// starts with `kiosk:` so either side can refuse anything else (VS Code's validateIPC habit).
import type { KioskState } from '../terminal/contract/state.ts';

export const CHANNEL_PREFIX = 'kiosk:';

export const KIOSK_CHANNELS = {
  /** renderer → main, `invoke(name, input)` → `CommandResult`. */
  invoke: 'kiosk:invoke',
  /** renderer → main, no arguments → the current `StateMessage`. */
  getState: 'kiosk:get-state',
  /** main → renderer, a `StateMessage` on every change. */
  state: 'kiosk:state',
} as const;

export type KioskChannel = (typeof KIOSK_CHANNELS)[keyof typeof KIOSK_CHANNELS];

const knownChannels: ReadonlySet<string> = new Set(Object.values(KIOSK_CHANNELS));

export function isKioskChannel(channel: unknown): channel is KioskChannel {
  return typeof channel === 'string' && knownChannels.has(channel);
}

/**
 * A state snapshot with its place in the sequence. The preload asks for the current state when a
 * listener subscribes while pushes keep arriving; the version lets it drop whichever is older.
 */
export interface StateMessage {
  version: number;
  state: KioskState;
}
