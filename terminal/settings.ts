// The terminal's configuration, and where each host keeps it. The API key and the attendant
// PIN's hash are kept apart from the rest: Electron stores the key with the OS's secure
// storage (safeStorage), the browser host in a file only its user can read.
import type { DeviceConfig } from './devices/device-config.ts';

export interface TerminalSettings {
  /** Empty means "the core embedded in this kiosk". */
  apiBaseUrl: string;
  /**
   * Where phones reach this kiosk's static URL (`<publicBaseUrl>/v/{terminalId}`, which the
   * vending machine's printed QR code encodes). Empty means the host's own address.
   */
  publicBaseUrl: string;
  configId: string;
  terminalId: string;
  deviceId: string;
  merchantName: string;
  currency: 'NZD' | 'AUD';
  kioskMode: boolean;
  /** How long a consumer has to pay each payment request. */
  expirySeconds: number;
  /** Scanners and vending adapters, opened by the device manager; a change applies at once. */
  devices: DeviceConfig[];
}

export interface SettingsStore {
  read(): Promise<TerminalSettings>;
  write(settings: TerminalSettings): Promise<void>;
}

export type SecretName = 'apiKey';

export interface SecretStore {
  read(name: SecretName): Promise<string | null>;
  /** Throws SecretStorageUnavailableError where no secure storage exists. */
  write(name: SecretName, value: string): Promise<void>;
}

/** The host refuses to keep a secret in plain text where the OS should offer secure storage. */
export class SecretStorageUnavailableError extends Error {
  override readonly name = 'SecretStorageUnavailableError';
}
