// A serial scanner configured in the settings, on a real socat PTY, read by the kiosk's device
// manager: its reads reach the sale and the refund screen as the screen's own commands would.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ScannerSimulator } from '../../hardware/simulators/scanner-simulator.ts';
import { startPtyPair } from '../../hardware/testing/pty-pair.ts';
import { SerialTransport } from '../../hardware/transport/serial-transport.ts';
import type { KioskState, SaleState } from '../../terminal/contract/state.ts';
import { DemoConsumer } from '../support/demo-consumer.ts';
import { connectKioskSocket } from '../support/kiosk-socket.ts';
import { startHostedKiosk } from './hosted-kiosk.ts';
import { closeAfterEach } from '../support/close-after-each.ts';

type Phase<P extends SaleState['phase']> = Extract<SaleState, { phase: P }>;

const salePhase =
  (wanted: SaleState['phase']) =>
  (state: KioskState): boolean =>
    state.sale.phase === wanted;
const scannerStatus = (wanted: string) => (state: KioskState) =>
  state.devices[0]?.status === wanted;

describe('a serial scanner on a PTY, through the device manager', () => {
  const open = closeAfterEach();

  it('moves a barcode sale on with a scanned patron code, then finds its receipt for a refund', async () => {
    const pty = await startPtyPair();
    open({ close: () => pty.stop() });
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const hosted = await startHostedKiosk({
      logger,
      settings: {
        devices: [
          { id: 'front', name: 'Front scanner', driver: 'serial-scanner', match: { path: pty.a } },
        ],
      },
    });
    open(hosted);
    const socket = await connectKioskSocket(hosted.host.pageUrl);
    open(socket);
    const connected = await socket.waitForState(scannerStatus('connected'));
    expect(connected.devices).toEqual([
      expect.objectContaining({ id: 'front', kind: 'scanner', name: 'Front scanner', port: pty.a }),
    ]);

    const far = new SerialTransport({ path: pty.b });
    await far.open();
    open(far);
    const scanner = new ScannerSimulator({ transport: far, suffix: '\r\n' });
    const consumer = await DemoConsumer.signIn(hosted.stack.embeddedCoreUrl!, hosted.dataDir);

    await socket.invoke('sale.start', { amount: 900, method: 'barcode' });
    await socket.waitForState(salePhase('awaitingBarcode'));
    const barcode = await consumer.patronBarcode();
    await scanner.scan(barcode);
    const waiting = (await socket.waitForState(salePhase('awaitingPayment')))
      .sale as Phase<'awaitingPayment'>;
    expect(await consumer.promptedRequestId()).toBe(waiting.request.id);
    await consumer.payRequest(waiting.request.id);
    await socket.waitForState(salePhase('paid'));
    await socket.invoke('sale.dismiss', {});

    await socket.invoke('attendant.unlock', { pin: '1234' });
    await scanner.scan(waiting.request.shortCode);
    const found = await socket.waitForState((state) => state.refund.phase === 'found');
    expect(found.refund).toMatchObject({ target: { id: waiting.request.id, paidAmount: 900 } });

    // The scanner goes away: reported, and the kiosk carries on.
    await pty.stop();
    const lost = await socket.waitForState(scannerStatus('reconnecting'));
    expect(lost.devices[0]?.lastError).toBeTruthy();
    expect(lost.sale.phase).toBe('idle');

    // Each routed read is logged by what it was, never by what it said.
    const routed = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry['msg'] === 'scan routed');
    expect(routed.map((entry) => entry['command'])).toEqual([
      'sale.submitBarcode',
      'refund.lookup',
    ]);
    expect(routed[0]).toMatchObject({ source: pty.a, length: 16 });
    expect(lines.filter((line) => line.includes(barcode))).toEqual([]);
  });
});
