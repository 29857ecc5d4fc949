// An attendant adds a serial scanner in Settings while the kiosk runs: the browser host, the real
// device manager and a real socat PTY, with no restart between the change and the first scan.
import { describe, expect, it } from 'vitest';
import { ScannerSimulator } from '../../hardware/simulators/scanner-simulator.ts';
import { startPtyPair } from '../../hardware/testing/pty-pair.ts';
import { SerialTransport } from '../../hardware/transport/serial-transport.ts';
import type { KioskState, SaleState } from '../../terminal/contract/state.ts';
import type { DeviceConfig } from '../../terminal/devices/device-config.ts';
import { DemoConsumer } from '../support/demo-consumer.ts';
import { connectKioskSocket } from '../support/kiosk-socket.ts';
import { startHostedKiosk } from './hosted-kiosk.ts';
import { closeAfterEach } from '../support/close-after-each.ts';

type Phase<P extends SaleState['phase']> = Extract<SaleState, { phase: P }>;

const salePhase =
  (wanted: SaleState['phase']) =>
  (state: KioskState): boolean =>
    state.sale.phase === wanted;

describe('devices changed from Settings on a running kiosk', () => {
  const open = closeAfterEach();

  it('reads a patron code from a scanner added through settings.update, without a restart', async () => {
    const pty = await startPtyPair();
    open({ close: () => pty.stop() });
    const hosted = await startHostedKiosk();
    open(hosted);
    const socket = await connectKioskSocket(hosted.host.pageUrl);
    open(socket);
    expect((await socket.waitForState(() => true)).devices).toEqual([]);

    await socket.invoke('attendant.unlock', { pin: '1234' });
    const discovered = await socket.invoke('devices.discover', {});
    // PTYs are never listed: the attendant types the path.
    expect(discovered).toMatchObject({ ok: true, value: { serialPorts: expect.any(Array) } });
    const scanner: DeviceConfig = {
      id: 'front',
      name: 'Front scanner',
      driver: 'serial-scanner',
      match: { path: pty.a },
    };
    const updated = await socket.invoke('settings.update', { devices: [scanner] });
    expect(updated).toMatchObject({ ok: true, value: { devices: [scanner] } });
    const connected = await socket.waitForState(
      (state) => state.devices[0]?.status === 'connected',
    );
    expect(connected.devices).toEqual([
      expect.objectContaining({ id: 'front', kind: 'scanner', port: pty.a }),
    ]);
    await socket.invoke('attendant.lock', {});

    const far = new SerialTransport({ path: pty.b });
    await far.open();
    open(far);
    const simulator = new ScannerSimulator({ transport: far, suffix: '\r\n' });
    const consumer = await DemoConsumer.signIn(hosted.stack.embeddedCoreUrl!, hosted.dataDir);
    await socket.invoke('sale.start', { amount: 650, method: 'barcode' });
    await socket.waitForState(salePhase('awaitingBarcode'));
    await simulator.scan(await consumer.patronBarcode());
    const waiting = (await socket.waitForState(salePhase('awaitingPayment')))
      .sale as Phase<'awaitingPayment'>;
    expect(await consumer.promptedRequestId()).toBe(waiting.request.id);
    await consumer.payRequest(waiting.request.id);
    await socket.waitForState(salePhase('paid'));
  });
});
