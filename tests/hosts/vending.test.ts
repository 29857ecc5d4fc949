// The static-QR vending flow end to end, in this process: the browser host over a real embedded
// core, the vending adapter configured in the settings on a real socat PTY, and the VMC simulator
// on the PTY's other end. A consumer opens the machine's static URL, pays from the demo wallet,
// and picks an item; the books must show exactly the item's price taken, whatever happens.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VmcSimulator } from '../../hardware/simulators/vmc-simulator.ts';
import { startPtyPair, type PtyPair } from '../../hardware/testing/pty-pair.ts';
import type { KioskState, VendingScreenPhase } from '../../terminal/contract/state.ts';
import { DemoConsumer } from '../support/demo-consumer.ts';
import { connectKioskSocket, type KioskSocket } from '../support/kiosk-socket.ts';
import { startHostedKiosk, type HostedKiosk } from './hosted-kiosk.ts';
import { MAX_PRICE, startVmc, vendingAdapter } from './vending-machine.ts';

const vendingPhase = (wanted: VendingScreenPhase) => (state: KioskState) =>
  state.vending?.phase === wanted;

interface Machine {
  hosted: HostedKiosk;
  socket: KioskSocket;
  vmc: VmcSimulator;
  consumer: DemoConsumer;
}

describe('a vending machine on a PTY, sold from its static QR code', () => {
  const open: { close(): unknown }[] = [];
  let pty: PtyPair | undefined;
  afterEach(async () => {
    for (const each of open.splice(0).reverse()) await each.close();
    await pty?.stop();
    pty = undefined;
  });

  async function startMachine(preAuth: boolean, dataDir?: string): Promise<Machine> {
    pty ??= await startPtyPair();
    const vmc = await startVmc(pty.b);
    open.push(vmc);
    const hosted = await startHostedKiosk({
      settings: { devices: [vendingAdapter(pty.a, preAuth)] },
      ...(dataDir === undefined ? {} : { dataDir }),
    });
    open.push(hosted);
    const socket = await connectKioskSocket(hosted.host.pageUrl);
    open.push(socket);
    await socket.waitForState((state) => state.vending?.readerAvailable === true);
    const consumer = await DemoConsumer.signIn(hosted.stack.embeddedCoreUrl!, hosted.dataDir);
    return { hosted, socket, vmc, consumer };
  }

  /** Opens the static URL as a phone would; answers where it was sent. */
  async function visit({ hosted, socket }: Machine): Promise<Response> {
    const state = await socket.waitForState(vendingPhase('idle'));
    expect(state.vending?.staticUrl).toBe(`${hosted.host.publicUrl}/v/kiosk-1`);
    return fetch(state.vending!.staticUrl!, { redirect: 'manual' });
  }

  /** Pays the maximum price at the static URL and waits until the credit is on the machine. */
  async function payForCredit(machine: Machine): Promise<void> {
    const reply = await visit(machine);
    expect(reply.status).toBe(303);
    await machine.consumer.payUrl(reply.headers.get('location')!);
    await machine.socket.waitForState(vendingPhase('choosing'));
    expect(machine.vmc.fundsMinor).toBe(MAX_PRICE);
  }

  it('holds the maximum, vends, and takes exactly the price', async () => {
    const machine = await startMachine(true);
    const before = await machine.consumer.wallet();

    await payForCredit(machine);
    expect(await machine.consumer.wallet()).toEqual({
      balance: before.balance,
      available: before.available - MAX_PRICE,
    });
    // A second phone finds the machine busy.
    const busy = await fetch(`${machine.hosted.host.url}/v/kiosk-1`, { redirect: 'manual' });
    expect(busy.status).toBe(503);
    expect(await busy.text()).toContain('Someone is buying from this machine');

    machine.vmc.select(7, 180);
    const done = await machine.socket.waitForState(
      (state) => state.vending?.phase === 'done' && state.vending.outcome?.pending === false,
    );
    expect(done.vending).toMatchObject({
      vend: { item: 7, price: 180, result: 'succeeded' },
      outcome: { reason: 'vended', charged: 180, returned: 320, refused: false },
    });
    expect(machine.vmc.vends).toEqual([
      { item: 7, priceMinor: 180, approvedMinor: 180, result: 'success' },
    ]);
    expect(await machine.consumer.wallet()).toEqual({
      balance: before.balance - 180,
      available: before.available - 180,
    });
    await machine.socket.invoke('attendant.unlock', { pin: '1234' });
    const journal = await machine.socket.invoke('journal.list', {});
    expect(journal).toMatchObject({ ok: true });
    expect(journal.ok && journal.value).toContainEqual(
      expect.objectContaining({ flow: 'vending', amount: 180, outcome: 'paid' }),
    );
  });

  it('pays the maximum without a pre-auth and refunds the difference', async () => {
    const machine = await startMachine(false);
    const before = await machine.consumer.wallet();
    await payForCredit(machine);
    expect((await machine.consumer.wallet()).balance).toBe(before.balance - MAX_PRICE);

    machine.vmc.select(2, 350);
    await machine.socket.waitForState(
      (state) => state.vending?.phase === 'done' && state.vending.outcome?.pending === false,
    );
    expect(await machine.consumer.wallet()).toEqual({
      balance: before.balance - 350,
      available: before.available - 350,
    });
  });

  it('charges nothing when the vend fails', async () => {
    const machine = await startMachine(true);
    const before = await machine.consumer.wallet();
    await payForCredit(machine);

    machine.vmc.failNextVend();
    machine.vmc.select(4, 250);
    const done = await machine.socket.waitForState(
      (state) => state.vending?.phase === 'done' && state.vending.outcome?.pending === false,
    );
    expect(done.vending?.outcome).toMatchObject({
      reason: 'vendFailed',
      charged: 0,
      returned: 500,
    });
    expect(await machine.consumer.wallet()).toEqual(before);
  });

  it('gives everything back when the consumer cancels before choosing', async () => {
    const machine = await startMachine(true);
    const before = await machine.consumer.wallet();
    await payForCredit(machine);

    await machine.socket.invoke('vending.cancel', {});
    await machine.socket.waitForState(
      (state) => state.vending?.phase === 'done' && state.vending.outcome?.pending === false,
    );
    // The machine hears C,STOP through the PTY a moment after the kiosk sent it.
    await vi.waitFor(() => expect(machine.vmc.phase).toBe('enabled'));
    expect(await machine.consumer.wallet()).toEqual(before);
    await machine.socket.invoke('vending.dismiss', {});
    await machine.socket.waitForState(vendingPhase('idle'));
  });

  it('settles a session cut off mid-vend at the next start, charging nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-vending-test-'));
    open.push({ close: () => rmSync(dataDir, { recursive: true, force: true }) });
    const first = await startMachine(true, dataDir);
    const before = await first.consumer.wallet();
    await payForCredit(first);
    first.vmc.setVendMs(60_000);
    first.vmc.select(5, 300);
    await first.socket.waitForState(vendingPhase('vending'));

    // The kiosk stops while the machine is dispensing: the vend's result is never heard.
    for (const each of open.splice(1).reverse()) await each.close();

    const second = await startMachine(true, dataDir);
    const settled = await second.socket.waitForState(
      (state) => state.vending?.phase === 'done' && state.vending.outcome?.pending === false,
    );
    expect(settled.vending?.outcome).toMatchObject({ reason: 'restarted', charged: 0 });
    expect(await second.consumer.wallet()).toEqual(before);
  });
});
