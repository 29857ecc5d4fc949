// What a new kiosk starts with: the embedded core and its demo merchant.
import { hostname } from 'node:os';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { EXPIRY_SECONDS, HTTP_URL_OR_EMPTY } from '../terminal/contract/commands.ts';
import {
  DeviceConfigs,
  isUsableDeviceList,
  type DeviceConfig,
} from '../terminal/devices/device-config.ts';
import type { TerminalSettings } from '../terminal/settings.ts';

export function defaultSettings(): TerminalSettings {
  return {
    apiBaseUrl: '',
    publicBaseUrl: '',
    configId: 'mc_demo',
    terminalId: 'kiosk-1',
    deviceId: hostname(),
    merchantName: 'Demo Café',
    currency: 'NZD',
    kioskMode: true,
    expirySeconds: 120,
    devices: [],
  };
}

const StoredSettings = Type.Partial(
  Type.Object({
    apiBaseUrl: Type.String(),
    publicBaseUrl: HTTP_URL_OR_EMPTY,
    configId: Type.String({ minLength: 1 }),
    terminalId: Type.String({ minLength: 1 }),
    deviceId: Type.String({ minLength: 1 }),
    merchantName: Type.String(),
    currency: Type.Union([Type.Literal('NZD'), Type.Literal('AUD')]),
    kioskMode: Type.Boolean(),
    expirySeconds: EXPIRY_SECONDS,
    devices: DeviceConfigs,
  }),
);
const storedSettings = Compile(StoredSettings);

/**
 * Settings read from disk: each field that is valid is kept, anything else falls back to the
 * default, so a damaged file never stops an unattended kiosk from starting.
 */
export function settingsFromStored(stored: unknown): TerminalSettings {
  const defaults = defaultSettings();
  if (typeof stored !== 'object' || stored === null) return defaults;
  const kept: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(stored)) {
    if (!(field in defaults) || !storedSettings.Check({ [field]: value })) continue;
    // Kept whole or not at all, like every field: a half-applied device list would open the
    // wrong scanners.
    if (field === 'devices' && !isUsableDeviceList(value as DeviceConfig[])) continue;
    kept[field] = value;
  }
  return { ...defaults, ...kept };
}
