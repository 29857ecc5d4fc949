// The settings form's logic: what it edits, and the update it sends.
import type { KioskSettings, SettingsUpdate } from './contract.ts';

/** The editable settings; the API key is write-only and kept apart. */
export type Draft = Pick<
  KioskSettings,
  | 'apiBaseUrl'
  | 'publicBaseUrl'
  | 'configId'
  | 'terminalId'
  | 'deviceId'
  | 'kioskMode'
  | 'expirySeconds'
>;
export type TextField = 'apiBaseUrl' | 'publicBaseUrl' | 'configId' | 'terminalId' | 'deviceId';

export function draftOf(settings: KioskSettings): Draft {
  const { apiBaseUrl, publicBaseUrl, configId, terminalId, deviceId, kioskMode, expirySeconds } =
    settings;
  return { apiBaseUrl, publicBaseUrl, configId, terminalId, deviceId, kioskMode, expirySeconds };
}

/** Only what changed is sent; the API key only when a new one was typed. */
export function settingsChanges(
  saved: KioskSettings,
  draft: Draft,
  apiKey: string,
): SettingsUpdate {
  const update: SettingsUpdate = {};
  if (draft.apiBaseUrl.trim() !== saved.apiBaseUrl) update.apiBaseUrl = draft.apiBaseUrl.trim();
  if (draft.publicBaseUrl.trim() !== saved.publicBaseUrl) {
    update.publicBaseUrl = draft.publicBaseUrl.trim();
  }
  if (draft.configId.trim() !== saved.configId) update.configId = draft.configId.trim();
  if (draft.terminalId.trim() !== saved.terminalId) update.terminalId = draft.terminalId.trim();
  if (draft.deviceId.trim() !== saved.deviceId) update.deviceId = draft.deviceId.trim();
  if (draft.kioskMode !== saved.kioskMode) update.kioskMode = draft.kioskMode;
  if (draft.expirySeconds !== saved.expirySeconds) update.expirySeconds = draft.expirySeconds;
  if (apiKey !== '') update.apiKey = apiKey;
  return update;
}

/** The contract's bounds on `expirySeconds` (commands.ts `EXPIRY_SECONDS`). */
export const EXPIRY_SECONDS_MIN = 10;
export const EXPIRY_SECONDS_MAX = 3600;

/** A typed number of seconds, or null when it is not a whole number within the bounds. */
export function parseExpirySeconds(text: string): number | null {
  if (!/^[0-9]{1,5}$/.test(text.trim())) return null;
  const seconds = Number(text.trim());
  return seconds >= EXPIRY_SECONDS_MIN && seconds <= EXPIRY_SECONDS_MAX ? seconds : null;
}
