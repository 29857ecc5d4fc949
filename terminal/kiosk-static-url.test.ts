// The vending machine's static URL, `<public base>/v/{terminalId}`: the base is the
// `publicBaseUrl` setting, or the host's own address when the setting is empty, and there is no
// static URL while no host serves it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScriptedPaymentApi } from './api/testing/scripted-payment-api.ts';
import type { DeviceConfig } from './contract/commands.ts';
import { FakeDeviceFactory } from './devices/testing/fake-devices.ts';
import type { TerminalSettings } from './settings.ts';
import { startTestKiosk, type TestKiosk } from './testing/kiosk-harness.ts';

const adapter: DeviceConfig = {
  id: 'vmc',
  driver: 'qibixx',
  match: { path: '/dev/ttyACM0' },
  vending: { maxCredit: 500 },
};

describe('the static URL', () => {
  let dir: string;
  let running: TestKiosk | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-static-url-'));
  });
  afterEach(async () => {
    await running?.kiosk.close();
    running = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(settings: Partial<TerminalSettings> = {}): Promise<TestKiosk> {
    running = await startTestKiosk({
      dir,
      settings: { devices: [adapter], ...settings },
      api: new ScriptedPaymentApi(),
      devices: new FakeDeviceFactory(),
      logger: pino({ level: 'silent' }),
    });
    return running;
  }
  const staticUrl = () => running!.state().vending?.staticUrl;

  it('is on the host’s own address while the setting is empty', async () => {
    const { kiosk } = await start();
    expect(staticUrl()).toBeNull();
    kiosk.setHostPublicUrl('http://192.168.1.20:8080');
    expect(staticUrl()).toBe('http://192.168.1.20:8080/v/kiosk-1');
    kiosk.setHostPublicUrl(null);
    expect(staticUrl()).toBeNull();
  });

  it('follows publicBaseUrl and terminalId, as stored and as changed in Settings', async () => {
    const { kiosk, asAttendant, stored } = await start({
      publicBaseUrl: 'https://pay.example.com/kiosk-7/',
    });
    kiosk.setHostPublicUrl('http://192.168.1.20:8080');
    expect(staticUrl()).toBe('https://pay.example.com/kiosk-7/v/kiosk-1');

    const result = await asAttendant('settings.update', {
      publicBaseUrl: 'http://kiosk-7.lan:8080',
      terminalId: 'vending 7',
    });

    expect(result).toMatchObject({ ok: true, value: { publicBaseUrl: 'http://kiosk-7.lan:8080' } });
    expect(stored().publicBaseUrl).toBe('http://kiosk-7.lan:8080');
    expect(staticUrl()).toBe('http://kiosk-7.lan:8080/v/vending%207');
    await asAttendant('settings.update', { publicBaseUrl: '' });
    expect(staticUrl()).toBe('http://192.168.1.20:8080/v/vending%207');
  });

  it('is not there while nothing serves it, whatever the setting says', async () => {
    await start({ publicBaseUrl: 'https://pay.example.com/kiosk-7' });
    expect(staticUrl()).toBeNull();
  });

  it.each(['pay.example.com', 'ftp://pay.example.com', 'http://pay example.com'])(
    'refuses %s, naming publicBaseUrl, and keeps the stored one',
    async (publicBaseUrl) => {
      const { asAttendant, stored } = await start({ publicBaseUrl: 'http://kiosk.lan:8080' });
      const result = await asAttendant('settings.update', { publicBaseUrl });
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', field: 'publicBaseUrl' },
      });
      expect(stored().publicBaseUrl).toBe('http://kiosk.lan:8080');
    },
  );
});
