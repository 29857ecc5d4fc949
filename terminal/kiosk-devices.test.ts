// An attendant changes the kiosk's devices in Settings and the kiosk puts them in use at once: the
// old devices are closed, the new ones report and scan, and the vending flow follows its adapter.
// The devices are fakes (FakeDeviceFactory); the kiosk, its journal and the flows are real.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordingLogger } from './api/testing/log-recorder.ts';
import { refused, ScriptedPaymentApi } from './api/testing/scripted-payment-api.ts';
import type { DeviceConfig } from './contract/commands.ts';
import { FakeDeviceFactory } from './devices/testing/fake-devices.ts';
import { Journal } from './journal.ts';
import type { Kiosk } from './kiosk.ts';
import { startTestKiosk, type TestKiosk } from './testing/kiosk-harness.ts';

const PATRON_CODE = '4111111111111111';
const API_KEY = 'sk_test_do_not_log';

const front: DeviceConfig = {
  id: 'front',
  name: 'Front scanner',
  driver: 'serial-scanner',
  match: { path: '/dev/ttyUSB0' },
};
const back: DeviceConfig = {
  id: 'back',
  name: 'Back scanner',
  driver: 'hid-pos',
  match: { vendorId: '0c2e', productId: 0x0b61 },
};
const adapter = (maxCredit: number): DeviceConfig => ({
  id: 'vmc',
  name: 'Vending machine',
  driver: 'qibixx',
  match: { path: '/dev/ttyACM0' },
  vending: { maxCredit, preAuth: true },
});

describe('devices changed in Settings, with a fake device factory', () => {
  let dir: string;
  let factory: FakeDeviceFactory;
  let api: ScriptedPaymentApi;
  let log: ReturnType<typeof recordingLogger>;
  let running: TestKiosk | undefined;
  let kiosk: Kiosk | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-devices-'));
    factory = new FakeDeviceFactory();
    api = new ScriptedPaymentApi();
    log = recordingLogger();
  });

  afterEach(async () => {
    await kiosk?.close();
    kiosk = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(devices: DeviceConfig[]): Promise<Kiosk> {
    running = await startTestKiosk({
      dir,
      settings: { devices },
      api,
      devices: factory,
      logger: log.logger,
    });
    running.kiosk.setHostPublicUrl('http://kiosk.test');
    kiosk = running.kiosk;
    return kiosk;
  }

  const stored = () => running!.stored();
  const state = () => running!.state();
  const asAttendant: TestKiosk['asAttendant'] = (name, input) => running!.asAttendant(name, input);

  it('puts a new list in use at once: the new device reports, the old one is closed', async () => {
    await start([front]);
    const first = factory.latest!;
    expect(first.started).toBe(true);
    expect(state().devices.map((device) => device.id)).toEqual(['front']);

    const result = await asAttendant('settings.update', { devices: [back], apiKey: API_KEY });

    expect(result).toMatchObject({ ok: true, value: { devices: [back] } });
    const second = factory.latest!;
    expect(second).not.toBe(first);
    expect(first.closed).toBe(true);
    expect(second.started).toBe(true);
    expect(state().devices).toEqual([
      expect.objectContaining({ id: 'back', name: 'Back scanner', status: 'connected' }),
    ]);
    expect(stored().devices).toEqual([back]);
    expect(await asAttendant('settings.get', {})).toMatchObject({ value: { devices: [back] } });
    // Logged by id; the key that came with the change never is.
    const changed = log.entries().findLast((entry) => entry['msg'] === 'devices in use');
    expect(changed).toMatchObject({ added: ['back'], removed: ['front'], changed: [] });
    expect(log.lines.filter((line) => line.includes(API_KEY))).toEqual([]);
  });

  it('routes scans from the new devices only', async () => {
    await start([front]);
    const first = factory.latest!;
    await asAttendant('settings.update', {
      devices: [{ ...front, match: { path: '/dev/ttyS1' } }],
    });
    const second = factory.latest!;
    await kiosk!.invoke('attendant.lock', {});
    api.script('createPaymentRequest', refused('BARCODE_NOT_ACCEPTED', 400));
    await kiosk!.invoke('sale.start', { amount: 900, method: 'barcode' });

    first.scan(PATRON_CODE);
    await new Promise((resolve) => setImmediate(resolve));
    expect(state().sale.phase).toBe('awaitingBarcode');

    second.scan(PATRON_CODE);
    await vi.waitFor(() => expect(state().sale.phase).toBe('cancelled'));
    expect(api.callsTo('createPaymentRequest')[0]?.[0]).toMatchObject({ barcode: PATRON_CODE });
  });

  it('keeps the devices in use when the list has not changed', async () => {
    await start([front]);
    const result = await asAttendant('settings.update', {
      devices: [{ ...front }],
      kioskMode: false,
    });
    expect(result.ok).toBe(true);
    expect(factory.made).toHaveLength(1);
    expect(factory.latest!.closed).toBe(false);
  });

  it('refuses a change during a sale and keeps the devices and the stored list', async () => {
    await start([front]);
    await kiosk!.invoke('sale.start', { amount: 900, method: 'barcode' });

    const result = await asAttendant('settings.update', { devices: [back] });

    expect(result).toEqual({
      ok: false,
      error: {
        code: 'WRONG_PHASE',
        message: 'settings change only between sales',
        phase: 'awaitingBarcode',
      },
    });
    expect(factory.made).toHaveLength(1);
    expect(factory.latest!.closed).toBe(false);
    expect(stored().devices).toEqual([front]);
  });

  it('refuses a change while the vending machine is in a session, and keeps its runner', async () => {
    await start([adapter(500)]);
    const reader = factory.latest!.vendingReader!;
    reader.emit({ type: 'ready' });
    const created = api.hold('createPaymentRequest');
    const visit = kiosk!.visitVendingMachine('kiosk-1');
    expect(state().vending?.phase).toBe('awaitingPayment');

    const result = await asAttendant('settings.update', { devices: [front] });

    expect(result).toEqual({
      ok: false,
      error: {
        code: 'WRONG_PHASE',
        message: 'devices change only while the vending machine is idle',
        phase: 'creating',
      },
    });
    expect(factory.made).toHaveLength(1);
    expect(reader.listeners).toBe(1);
    expect(stored().devices).toEqual([adapter(500)]);
    created.release(refused('CONFIG_DISABLED'));
    await visit;
  });

  it('refuses a new payment API while a vending session is unsettled: its money lives on the old one', async () => {
    await start([adapter(500)]);
    const reader = factory.latest!.vendingReader!;
    reader.emit({ type: 'ready' });
    const created = api.hold('createPaymentRequest');
    const visit = kiosk!.visitVendingMachine('kiosk-1');

    const result = await asAttendant('settings.update', { apiBaseUrl: 'http://other.test' });

    expect(result).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PHASE', message: expect.stringContaining('every vending session') },
    });
    expect(stored().apiBaseUrl).toBe('');
    created.release(refused('CONFIG_DISABLED'));
    await visit;
    // Settled (the create was refused): now the API may change.
    const later = await asAttendant('settings.update', { apiBaseUrl: 'http://other.test' });
    expect(later.ok).toBe(true);
  });

  it.each<[string, DeviceConfig[], string]>([
    ['two devices with one id', [front, { ...back, id: 'front' }], 'two devices have the id'],
    ['two vending adapters', [adapter(500), { ...adapter(500), id: 'vmc-2' }], 'one adapter'],
    ['an adapter without its prices', [{ ...adapter(500), vending: undefined }], 'maxCredit'],
  ])('refuses %s, naming devices', async (_, devices, message) => {
    await start([front]);
    const result = await asAttendant('settings.update', { devices });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', field: 'devices', message: expect.stringContaining(message) },
    });
    expect(factory.made).toHaveLength(1);
    expect(stored().devices).toEqual([front]);
  });

  it('refuses a device the schema refuses, naming where in devices', async () => {
    await start([]);
    const result = await asAttendant('settings.update', {
      devices: [{ ...front, match: {} }],
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(result.ok ? null : result.error.field).toMatch(/^devices\.0\.match/);
  });

  it('rebuilds the vending runner for the adapter’s new settings, and removes it with it', async () => {
    await start([adapter(500)]);
    const firstReader = factory.latest!.vendingReader!;
    expect(state().vending).toMatchObject({
      maxPrice: 500,
      staticUrl: 'http://kiosk.test/v/kiosk-1',
    });

    await asAttendant('settings.update', { devices: [adapter(450)] });

    expect(state().vending).toMatchObject({ maxPrice: 450, readerAvailable: false });
    expect(firstReader.listeners).toBe(0);
    const secondReader = factory.latest!.vendingReader!;
    expect(secondReader.listeners).toBe(1);
    secondReader.emit({ type: 'ready' });
    expect(state().vending?.readerAvailable).toBe(true);

    await asAttendant('settings.update', { devices: [front] });

    expect(state().vending).toBeNull();
    expect(secondReader.listeners).toBe(0);
    expect(kiosk!.visitVendingMachine('kiosk-1')).toBeNull();
    const refusal = await kiosk!.invoke('vending.cancel', {});
    expect(refusal).toMatchObject({ ok: false, error: { code: 'WRONG_PHASE', phase: 'none' } });
  });

  it('leaves unfinished vending sessions in the journal when no adapter is configured', async () => {
    const journal = new Journal(join(dir, 'journal.sqlite'));
    journal.recordVending({
      flow: 'vending',
      sessionId: 'sess-old',
      terminalId: 'kiosk-1',
      currency: 'NZD',
      preAuth: true,
      creditMinor: 500,
      requestId: 'pr_1',
      shortCode: 'CP-C7F-ZS5',
      stage: 'sessionOpen',
      vend: null,
      money: [],
      reason: null,
    });
    journal.close();

    await start([front]);

    const waiting = log.entries().find((entry) => entry['msg']?.toString().includes('wait for'));
    expect(waiting).toMatchObject({ level: 40, unfinished: 1 });
  });

  it('lists what is attached for the attendant only', async () => {
    await start([]);
    factory.attached = {
      serialPorts: [{ path: '/dev/ttyUSB0', vendorId: '0403', productId: '6001' }],
      hidDevices: [],
      failures: [{ bus: 'hid', message: 'node-hid is unavailable' }],
    };

    expect(await kiosk!.invoke('devices.discover', {})).toMatchObject({
      ok: false,
      error: { code: 'PIN_REQUIRED' },
    });
    expect(await asAttendant('devices.discover', {})).toEqual({
      ok: true,
      value: factory.attached,
    });
  });
});
