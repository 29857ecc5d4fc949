// The device manager over fake listings and memory transports, on fake timers: what it opens,
// how it reports each device, and when it tries again.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hidPosReports } from '../../hardware/simulators/scanner-simulator.ts';
import type { ScanEvent } from '../../hardware/scanners/scan-read.ts';
import { VmcSimulator } from '../../hardware/simulators/vmc-simulator.ts';
import type { CashlessNotification } from '../../hardware/mdb/cashless-session.ts';
import { FakeHidDevice } from '../../hardware/testing/fake-hid-device.ts';
import { HidTransport } from '../../hardware/transport/hid-transport.ts';
import { MemoryTransport } from '../../hardware/transport/memory-transport.ts';
import type { DeviceInfo } from '../contract/state.ts';
import { recordingLogger } from '../api/testing/log-recorder.ts';
import type { DeviceConfig } from './device-config.ts';
import {
  DeviceManager,
  type DeviceHardware,
  type HidDeviceListing,
  type SerialPortListing,
} from './device-manager.ts';

const PATRON_CODE = '4111111111111111';
const START = Date.parse('2030-01-01T00:00:00.000Z');
/** SerialScanner ignores what arrives in its first 200 ms. */
const SETTLE_MS = 200;

interface FakeMachine {
  hardware: DeviceHardware;
  serialPorts: SerialPortListing[];
  hidDevices: HidDeviceListing[];
  /** The kiosk's end of each serial "port", by path; a path not here fails to open. */
  ports: Map<string, MemoryTransport>;
  /** The device's end of each serial port, by path. */
  deviceEnds: Map<string, MemoryTransport>;
  hid: Map<string, FakeHidDevice>;
  /** When each port's open() was called, in ms since START. */
  opens: Map<string, number[]>;
  failListing: Error | undefined;
}

function fakeMachine(): FakeMachine {
  const machine: FakeMachine = {
    serialPorts: [],
    hidDevices: [],
    ports: new Map(),
    deviceEnds: new Map(),
    hid: new Map(),
    opens: new Map(),
    failListing: undefined,
    hardware: {
      listSerialPorts: async () => {
        if (machine.failListing) throw machine.failListing;
        return machine.serialPorts.map((port) => ({ ...port }));
      },
      listHidDevices: async () => machine.hidDevices.map((device) => ({ ...device })),
      serialTransport: ({ path }) => {
        const end = machine.ports.get(path);
        if (!end) throw new Error(`${path}: no such file or directory`);
        return end;
      },
      hidTransport: ({ path, vendorId, productId }) => {
        const device = machine.hid.get(path);
        if (!device) throw new Error(`${path}: no such device`);
        return new HidTransport({ device, path, vendorId, productId });
      },
    },
  };
  return machine;
}

/** A serial port whose opens are timed; the device's end is where a scanner or VMC would write. */
function addPort(machine: FakeMachine, path: string): MemoryTransport {
  const [end, deviceEnd] = MemoryTransport.pair([path, `${path}-device`]);
  machine.deviceEnds.set(path, deviceEnd);
  const open = end.open.bind(end);
  end.open = () => {
    const opens = machine.opens.get(path) ?? [];
    opens.push(Date.now() - START);
    machine.opens.set(path, opens);
    return open();
  };
  machine.ports.set(path, end);
  return end;
}

const scanner = (id: string, match: DeviceConfig['match']): DeviceConfig => ({
  id,
  driver: 'serial-scanner',
  match,
});

describe('DeviceManager', () => {
  let machine: FakeMachine;
  let log: ReturnType<typeof recordingLogger>;
  let manager: DeviceManager | undefined;
  let scans: ScanEvent[];
  let records: DeviceInfo[][];

  beforeEach(() => {
    vi.useFakeTimers({ now: START });
    machine = fakeMachine();
    log = recordingLogger();
    scans = [];
    records = [];
  });

  afterEach(async () => {
    await manager?.close();
    manager = undefined;
    vi.useRealTimers();
  });

  async function start(devices: DeviceConfig[]): Promise<DeviceManager> {
    manager = new DeviceManager({
      devices,
      hardware: machine.hardware,
      logger: log.logger,
      currency: 'NZD',
    });
    const started = manager;
    started.onScan((scan) => scans.push(scan));
    started.onChange(() => records.push(started.health()));
    started.start();
    await vi.advanceTimersByTimeAsync(0);
    return started;
  }

  const statusOf = (id: string) => manager?.health().find((device) => device.id === id)?.status;

  it('opens a device configured by path without discovery, as a PTY is never listed', async () => {
    const end = addPort(machine, '/tmp/kiosk-pty/a');
    const devices = await start([
      { ...scanner('front', { path: '/tmp/kiosk-pty/a' }), name: 'Front scanner' },
    ]);
    expect(devices.health()).toEqual([
      {
        id: 'front',
        kind: 'scanner',
        name: 'Front scanner',
        status: 'connected',
        detail: 'serial-scanner at /tmp/kiosk-pty/a',
        port: '/tmp/kiosk-pty/a',
        lastSeenAt: '2030-01-01T00:00:00.000Z',
      },
    ]);
    expect(end.isOpen).toBe(true);
    await vi.advanceTimersByTimeAsync(SETTLE_MS);
    end.emitData(`${PATRON_CODE}\r`);
    expect(scans).toEqual([
      {
        data: PATRON_CODE,
        symbology: 'unknown',
        at: START + SETTLE_MS,
        source: '/tmp/kiosk-pty/a',
      },
    ]);
    expect(devices.health()[0]?.lastSeenAt).toBe('2030-01-01T00:00:00.200Z');
  });

  it('reports a missing device, never fails, and tries its path again at every poll', async () => {
    const devices = await start([scanner('front', { path: '/dev/ttyUSB0' })]);
    expect(devices.health()[0]).toMatchObject({
      status: 'disconnected',
      port: '/dev/ttyUSB0',
      lastError: '/dev/ttyUSB0: no such file or directory',
    });
    expect(devices.health()[0]?.lastSeenAt).toBeUndefined();
    const end = addPort(machine, '/dev/ttyUSB0');
    end.unplug();
    await vi.advanceTimersByTimeAsync(4_000);
    expect(machine.opens.get('/dev/ttyUSB0')).toEqual([2_000, 4_000]);
    expect(statusOf('front')).toBe('disconnected');
    end.replug();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(statusOf('front')).toBe('connected');
    expect(devices.health()[0]?.lastError).toBeUndefined();
    // Said once at warn, then quietly while nothing changes.
    const warnings = log.entries().filter((entry) => entry['msg'] === 'device not opened');
    expect(warnings.map((entry) => entry['level'])).toEqual([40, 40, 20]);
  });

  it('finds a serial scanner by vendor and product ID, in hex or as numbers', async () => {
    machine.serialPorts.push({ path: '/dev/ttyS0' });
    addPort(machine, '/dev/ttyACM0');
    const acm1 = addPort(machine, '/dev/ttyACM1');
    const devices = await start([scanner('front', { vendorId: 0x0c2e, productId: '0x0B61' })]);
    expect(devices.health()[0]).toMatchObject({
      status: 'disconnected',
      lastError: 'not found (serial-scanner, vendor 0c2e, product 0b61)',
    });
    machine.serialPorts.push(
      { path: '/dev/ttyACM0', vendorId: '0c2e', productId: '0b62' },
      { path: '/dev/ttyACM1', vendorId: '0c2e', productId: '0b61', serialNumber: 'S1' },
    );
    await vi.advanceTimersByTimeAsync(2_000);
    expect(devices.health()[0]).toMatchObject({ status: 'connected', port: '/dev/ttyACM1' });
    expect(acm1.isOpen).toBe(true);
    expect(machine.opens.get('/dev/ttyACM0')).toBeUndefined();
  });

  it('matches by serial number, and gives two identical scanners one port each', async () => {
    machine.serialPorts.push(
      { path: '/dev/ttyACM0', vendorId: '0c2e', productId: '0b61', serialNumber: 'A' },
      { path: '/dev/ttyACM1', vendorId: '0c2e', productId: '0b61', serialNumber: 'B' },
    );
    addPort(machine, '/dev/ttyACM0');
    addPort(machine, '/dev/ttyACM1');
    const devices = await start([
      scanner('by-serial', { serialNumber: 'B' }),
      scanner('any', { vendorId: '0c2e' }),
    ]);
    expect(devices.health().map((device) => [device.id, device.status, device.port])).toEqual([
      ['by-serial', 'connected', '/dev/ttyACM1'],
      ['any', 'connected', '/dev/ttyACM0'],
    ]);
  });

  it('reopens a device that vanished after 0.5, 1, 2, 4, 8, then every 10 s', async () => {
    const end = addPort(machine, '/dev/ttyUSB0');
    const devices = await start([scanner('front', { path: '/dev/ttyUSB0' })]);
    await vi.advanceTimersByTimeAsync(1_000);
    records.length = 0;
    end.unplug();
    expect(devices.health()[0]).toMatchObject({
      status: 'reconnecting',
      lastError: 'device unplugged',
      lastSeenAt: '2030-01-01T00:00:01.000Z',
    });
    await vi.advanceTimersByTimeAsync(46_000);
    const [first, ...reopens] = machine.opens.get('/dev/ttyUSB0') ?? [];
    expect(first).toBe(0);
    expect(reopens.map((at) => at - 1_000)).toEqual([
      500, 1_500, 3_500, 7_500, 15_500, 25_500, 35_500, 45_500,
    ]);
    expect(statusOf('front')).toBe('reconnecting');
    end.replug();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(statusOf('front')).toBe('connected');
    expect(machine.opens.get('/dev/ttyUSB0')).toHaveLength(10);
    // The panel saw: lost, why each reopen failed (once, as it did not change), back.
    expect(records.map((health) => [health[0]?.status, health[0]?.lastError])).toEqual([
      ['reconnecting', 'device unplugged'],
      ['reconnecting', '/dev/ttyUSB0: no such device'],
      ['connected', undefined],
    ]);
    // And the scanner reads again on the reopened port.
    await vi.advanceTimersByTimeAsync(SETTLE_MS);
    end.emitData(`${PATRON_CODE}\r\n`);
    expect(scans.map((scan) => scan.data)).toEqual([PATRON_CODE]);
  });

  it('starts the backoff again after a successful reopen', async () => {
    const end = addPort(machine, '/dev/ttyUSB0');
    await start([scanner('front', { path: '/dev/ttyUSB0' })]);
    end.unplug();
    await vi.advanceTimersByTimeAsync(2_000); // opens at 0.5 and 1.5 s fail
    end.replug();
    await vi.advanceTimersByTimeAsync(2_000); // 3.5 s: back
    expect(statusOf('front')).toBe('connected');
    machine.opens.set('/dev/ttyUSB0', []);
    end.unplug();
    end.replug();
    await vi.advanceTimersByTimeAsync(499);
    expect(statusOf('front')).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(1);
    expect(statusOf('front')).toBe('connected');
    expect(machine.opens.get('/dev/ttyUSB0')).toEqual([4_500]);
  });

  it('takes a discovered device that leaves the listing as lost, and follows it to a new path', async () => {
    machine.serialPorts.push({ path: '/dev/ttyACM0', vendorId: '0c2e', productId: '0b61' });
    const acm0 = addPort(machine, '/dev/ttyACM0');
    addPort(machine, '/dev/ttyACM1');
    const devices = await start([scanner('front', { vendorId: '0c2e', productId: '0b61' })]);
    expect(devices.health()[0]).toMatchObject({ status: 'connected', port: '/dev/ttyACM0' });
    // Pulled while silent: the port itself says nothing (spec, Transports), the listing does.
    machine.serialPorts.length = 0;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(devices.health()[0]).toMatchObject({
      status: 'reconnecting',
      lastError: 'no longer listed',
    });
    expect(acm0.isOpen).toBe(false);
    machine.serialPorts.push({ path: '/dev/ttyACM1', vendorId: '0c2e', productId: '0b61' });
    await vi.advanceTimersByTimeAsync(1_500);
    expect(devices.health()[0]).toMatchObject({ status: 'connected', port: '/dev/ttyACM1' });
  });

  it('opens a HID-POS scanner by vendor and product ID, preferring its HID-POS interface', async () => {
    const listed = { vendorId: 0x0c2e, productId: 0x0b61, usage: 2 };
    machine.hidDevices.push(
      { ...listed, path: '/dev/hidraw3', usagePage: 0x01 },
      { ...listed, path: '/dev/hidraw4', usagePage: 0x8c },
    );
    const device = new FakeHidDevice({ vendorId: 0x0c2e, productId: 0x0b61 });
    machine.hid.set('/dev/hidraw4', device);
    const devices = await start([
      { id: 'hid', driver: 'hid-pos', match: { vendorId: '0c2e', productId: '0b61' } },
    ]);
    expect(devices.health()[0]).toMatchObject({ status: 'connected', port: '/dev/hidraw4' });
    // A Honeywell is put in HID-POS mode on open.
    expect(device.featureReports).toEqual([[0xfe, 0x01]]);
    for (const report of hidPosReports(PATRON_CODE, { aim: ']C0' })) device.input(report);
    expect(scans).toEqual([
      { data: PATRON_CODE, symbology: 'code-128', at: START, source: '/dev/hidraw4' },
    ]);
    device.unplug();
    expect(devices.health()[0]).toMatchObject({
      status: 'reconnecting',
      lastError: 'could not read from HID device',
    });
    await vi.advanceTimersByTimeAsync(500);
    expect(statusOf('hid')).toBe('connected');
  });

  it('opens a vending adapter, hands its reader to the vending flow, and reopens it when it goes silent', async () => {
    addPort(machine, '/dev/ttyACM0');
    const simulator = new VmcSimulator({ transport: machine.deviceEnds.get('/dev/ttyACM0')! });
    await simulator.open();
    const devices = await start([
      {
        id: 'vmc',
        name: 'Vending machine',
        driver: 'qibixx',
        match: { path: '/dev/ttyACM0' },
        vending: { maxCredit: 500 },
      },
    ]);
    const notifications: CashlessNotification['type'][] = [];
    devices.vendingReader?.subscribe((n) => notifications.push(n.type));
    await vi.advanceTimersByTimeAsync(100);
    expect(devices.health()).toEqual([
      expect.objectContaining({
        id: 'vmc',
        kind: 'vending',
        status: 'connected',
        port: '/dev/ttyACM0',
      }),
    ]);
    // The terminal's currency on the link: NZD is 554.
    expect(simulator.settings.get('mdb-currency-code')).toBe('0x1554');

    await devices.vendingReader?.startSession(500);
    expect(simulator.phase).toBe('sessionIdle');

    simulator.setSilent(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(devices.health()[0]).toMatchObject({
      status: 'reconnecting',
      lastError: 'the adapter stopped answering',
    });
    simulator.setSilent(false);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(devices.health()[0]).toMatchObject({ status: 'connected' });
    // The flow hears the loss and the reader coming back, through the same reader object.
    expect(notifications).toEqual(
      expect.arrayContaining(['sessionStarted', 'adapterSilent', 'ready']),
    );
    expect(notifications.lastIndexOf('ready')).toBeGreaterThan(
      notifications.indexOf('adapterSilent'),
    );
  });

  it('takes an adapter that answers V but never confirms its settings for lost, and reopens it', async () => {
    addPort(machine, '/dev/ttyACM0');
    const adapter = machine.deviceEnds.get('/dev/ttyACM0')!;
    await adapter.open();
    adapter.onData((bytes) => {
      if (Buffer.from(bytes).toString('latin1').startsWith('V\n')) {
        void adapter.write(Buffer.from('v,4.0.2.0,SIM\r\n', 'latin1'));
      }
    });
    const devices = await start([
      { id: 'vmc', driver: 'qibixx', match: { path: '/dev/ttyACM0' }, vending: { maxCredit: 500 } },
    ]);
    await vi.advanceTimersByTimeAsync(100);
    expect(devices.health()[0]).toMatchObject({ status: 'connected' });
    // The reply limit passes with C,SETCONF unanswered: reported lost, and opened again.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(records.map((health) => health[0]?.status)).toContain('reconnecting');
    expect(machine.opens.get('/dev/ttyACM0')!.length).toBeGreaterThan(1);
  });

  it('logs a listing that fails and carries on', async () => {
    machine.failListing = new Error('udevadm: not found');
    const devices = await start([scanner('front', { vendorId: '0c2e' })]);
    expect(devices.health()[0]).toMatchObject({ status: 'disconnected' });
    expect(log.entries()).toContainEqual(
      expect.objectContaining({ msg: 'listing devices failed', err: 'udevadm: not found' }),
    );
    machine.failListing = undefined;
    machine.serialPorts.push({ path: '/dev/ttyACM0', vendorId: '0c2e' });
    addPort(machine, '/dev/ttyACM0');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(statusOf('front')).toBe('connected');
  });

  it('reports a serial setting the port refuses as the reason, without failing', async () => {
    const refusing: DeviceHardware = {
      ...machine.hardware,
      serialTransport: () => {
        throw new TypeError('"baudRate" must be a positive integer, got 0');
      },
    };
    machine.hardware = refusing;
    const devices = await start([scanner('front', { path: '/dev/ttyUSB0' })]);
    expect(devices.health()[0]).toMatchObject({
      status: 'disconnected',
      lastError: '"baudRate" must be a positive integer, got 0',
    });
  });

  it('close() closes every port and stops trying', async () => {
    const end = addPort(machine, '/dev/ttyUSB0');
    const devices = await start([
      scanner('front', { path: '/dev/ttyUSB0' }),
      scanner('back', { path: '/dev/ttyUSB1' }),
    ]);
    await devices.close();
    manager = undefined;
    expect(end.isOpen).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    expect(statusOf('front')).toBeUndefined();
    expect(devices.health()[0]?.status).toBe('connected');
  });
});
