// The simulated devices `npm start` offers on a machine with none: the kiosk uses the simulated
// scanner while its settings list no devices, and the simulated vending machine can be chosen in
// Settings like a real port; the far sides are played here as the host's console would.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import {
  SIMULATED_SCANNER,
  SIMULATED_VENDING_PATH,
  startSimulatedDevices,
  type SimulatedDevices,
} from '../../hosts/simulated-devices.ts';
import type { KioskState } from '../../terminal/contract/state.ts';
import { DemoConsumer } from '../support/demo-consumer.ts';
import { connectKioskSocket } from '../support/kiosk-socket.ts';
import { startHostedKiosk } from './hosted-kiosk.ts';
import { closeAfterEach } from '../support/close-after-each.ts';

describe('simulated devices', () => {
  const open = closeAfterEach();

  async function start() {
    const simulated: SimulatedDevices = await startSimulatedDevices(pino({ level: 'silent' }));
    open(simulated);
    const hosted = await startHostedKiosk({ simulated });
    open(hosted);
    const socket = await connectKioskSocket(hosted.host.pageUrl);
    open(socket);
    const consumer = await DemoConsumer.signIn(hosted.stack.embeddedCoreUrl!, hosted.dataDir);
    return { simulated, hosted, socket, consumer };
  }

  it('stand in for a scanner while none is configured, without storing it as configured', async () => {
    const { simulated, hosted, socket, consumer } = await start();
    await socket.waitForState((state) => state.devices[0]?.status === 'connected');
    expect((await socket.waitForState(() => true)).devices).toEqual([
      expect.objectContaining({ id: SIMULATED_SCANNER.id, name: 'Simulated scanner' }),
    ]);

    await socket.invoke('sale.start', { amount: 450, method: 'barcode' });
    await socket.waitForState((state) => state.sale.phase === 'awaitingBarcode');
    await simulated.scanner.scan(await consumer.patronBarcode());
    await socket.waitForState((state) => state.sale.phase === 'awaitingPayment');
    await consumer.payRequest(await consumer.promptedRequestId());
    await socket.waitForState((state) => state.sale.phase === 'paid');

    // The merchant's name is stored after the first sale; the simulator is not stored with it.
    const stored = JSON.parse(readFileSync(join(hosted.dataDir, 'settings.json'), 'utf8'));
    expect(stored.devices).toEqual([]);
  });

  it('offer a vending machine an attendant can choose in Settings and sell from', async () => {
    const { simulated, socket, consumer } = await start();
    await socket.invoke('attendant.unlock', { pin: '1234' });
    const attached = await socket.invoke('devices.discover', {});
    expect(attached.ok && attached.value.serialPorts).toContainEqual(
      expect.objectContaining({ path: SIMULATED_VENDING_PATH }),
    );
    const updated = await socket.invoke('settings.update', {
      devices: [
        {
          id: 'vmc',
          name: 'Vending machine',
          driver: 'qibixx',
          match: { path: SIMULATED_VENDING_PATH },
          vending: { maxCredit: 400 },
        },
      ],
    });
    expect(updated.ok).toBe(true);
    const ready = (state: KioskState) => state.vending?.readerAvailable === true;
    const state = await socket.waitForState(ready);

    const reply = await fetch(state.vending!.staticUrl!, { redirect: 'manual' });
    expect({ status: reply.status, body: await reply.text() }).toMatchObject({ status: 303 });
    await consumer.payUrl(reply.headers.get('location')!);
    await socket.waitForState((next) => next.vending?.phase === 'choosing');
    simulated.vmc.select(4, 150);
    const done = await socket.waitForState(
      (next) => next.vending?.phase === 'done' && next.vending.outcome?.pending === false,
    );
    expect(done.vending?.outcome).toMatchObject({ reason: 'vended', charged: 150, returned: 250 });
  });
});
