// A keyboard-wedge read, as the screen sends it once it has recognised one, through the browser
// host to a real kiosk: it moves a barcode sale on exactly as a serial scanner's read does.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
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

describe('scanner.wedgeRead', () => {
  const open = closeAfterEach();

  it('pays a barcode sale with a patron code, as a serial scan would', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const hosted = await startHostedKiosk({ logger });
    open(hosted);
    const socket = await connectKioskSocket(hosted.host.pageUrl);
    open(socket);
    const consumer = await DemoConsumer.signIn(hosted.stack.embeddedCoreUrl!, hosted.dataDir);

    await socket.invoke('sale.start', { amount: 900, method: 'barcode' });
    await socket.waitForState(salePhase('awaitingBarcode'));
    const barcode = await consumer.patronBarcode();
    expect(await socket.invoke('scanner.wedgeRead', { data: barcode })).toEqual({
      ok: true,
      value: undefined,
    });
    const waiting = (await socket.waitForState(salePhase('awaitingPayment')))
      .sale as Phase<'awaitingPayment'>;
    expect(await consumer.promptedRequestId()).toBe(waiting.request.id);
    await consumer.payRequest(waiting.request.id);
    await socket.waitForState(salePhase('paid'));

    // With nothing waiting for a scan, a read is logged and dropped, not refused.
    await socket.invoke('sale.dismiss', {});
    await socket.waitForState(salePhase('idle'));
    expect(await socket.invoke('scanner.wedgeRead', { data: barcode })).toMatchObject({
      ok: true,
    });

    const scans = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry['msg'] === 'scan routed' || entry['msg'] === 'scan ignored');
    expect(scans).toEqual([
      expect.objectContaining({
        msg: 'scan routed',
        source: 'wedge',
        command: 'sale.submitBarcode',
        length: 16,
      }),
      expect.objectContaining({ msg: 'scan ignored', source: 'wedge', reason: 'nothing-waiting' }),
    ]);
    expect(lines.filter((line) => line.includes(barcode))).toEqual([]);
  });
});
