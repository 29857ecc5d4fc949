// Settings are JSON under userData, checked field by field on read and whole on write.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../hosts/default-settings.ts';
import { recordingLogger } from '../../terminal/api/testing/log-recorder.ts';
import type { TerminalSettings } from '../../terminal/settings.ts';
import {
  createJsonSettingsStore,
  InvalidSettingsError,
} from '../../electron/settings-store.main.ts';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiosk-settings-'));
  file = join(dir, 'settings.json');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function store() {
  const recorder = recordingLogger();
  return { settings: createJsonSettingsStore({ file, logger: recorder.logger }), ...recorder };
}

const configured: TerminalSettings = {
  apiBaseUrl: 'https://pay.example/api',
  publicBaseUrl: 'https://pay.example.com/kiosk-7',
  configId: 'cfg-1',
  terminalId: 'term-9',
  deviceId: 'SN-001',
  merchantName: 'Corner Café',
  currency: 'AUD',
  kioskMode: false,
  expirySeconds: 300,
  devices: [
    { id: 'front', driver: 'serial-scanner', match: { vendorId: '0c2e', productId: 2913 } },
  ],
};

describe('the JSON settings store', () => {
  it('starts from the hosts’ shared defaults', async () => {
    expect(await store().settings.read()).toEqual(defaultSettings());
  });

  it('round-trips settings', async () => {
    const { settings } = store();
    await settings.write(configured);
    expect(await settings.read()).toEqual(configured);
  });

  it('replaces an invalid field by its default, keeps the rest, and says which', async () => {
    await writeFile(
      file,
      JSON.stringify({
        ...configured,
        publicBaseUrl: 'pay.example.com',
        currency: 'USD',
        kioskMode: 'yes',
        smuggled: true,
      }),
    );
    const { settings, entries } = store();
    const read = await settings.read();
    expect(read).toEqual({ ...configured, publicBaseUrl: '', currency: 'NZD', kioskMode: true });
    expect(read).not.toHaveProperty('smuggled');
    const warned = entries()
      .filter((entry) => entry['level'] === 40)
      .map((entry) => entry['setting']);
    expect(warned).toEqual(['publicBaseUrl', 'currency', 'kioskMode']);
  });

  it('falls back to the defaults for a corrupt file and keeps a copy of it', async () => {
    await writeFile(file, '{"apiBaseUrl": "https://pay.exa');
    const { settings, entries } = store();
    expect(await settings.read()).toEqual(defaultSettings());
    const names = await readdir(dir);
    expect(names.some((name) => name.startsWith('settings.json.corrupt-'))).toBe(true);
    expect(entries().some((entry) => entry['level'] === 50)).toBe(true);
  });

  it('refuses to write an invalid setting, naming it, and leaves the file alone', async () => {
    const { settings } = store();
    await settings.write(configured);
    const before = await readFile(file, 'utf8');
    await expect(settings.write({ ...configured, expirySeconds: 2 })).rejects.toEqual(
      new InvalidSettingsError('expirySeconds'),
    );
    expect(await readFile(file, 'utf8')).toBe(before);
  });
});
