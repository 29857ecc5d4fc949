// An unattended kiosk beside a vending machine, as consumers meet it: the kiosk host process with
// its embedded core, the vending adapter on a real socat PTY with the VMC simulator at the other
// end, and Debian's Chromium showing the kiosk's screen. The consumer's phone reads the static QR
// code from the screen, pays, and picks an item on the machine; the books must show exactly the
// item's price taken, nothing when the vend fails, and nothing twice across a crash.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { ScannerSimulator } from '../../hardware/simulators/scanner-simulator.ts';
import { VmcSimulator } from '../../hardware/simulators/vmc-simulator.ts';
import { startPtyPair, type PtyPair } from '../../hardware/testing/pty-pair.ts';
import { SerialTransport } from '../../hardware/transport/serial-transport.ts';
import type { DeviceConfig } from '../../terminal/devices/device-config.ts';
import { DemoConsumer } from '../support/demo-consumer.ts';
import { startHost, type RunningHost } from '../support/kiosk-process.ts';
import { decodeQrFrom } from './support/qr.ts';
import { ORIENTATIONS, shooterFor } from './support/screenshots.ts';

const MAX_PRICE = 500;

/** A kiosk host process beside the machine, its page open, and the demo consumer's phone. */
interface VendingKiosk {
  host: RunningHost;
  consumer: DemoConsumer;
}

interface VendingFixtures {
  /** A PTY pair that outlives one host process, so a test can restart the kiosk. */
  pty: PtyPair;
  /** Likewise the kiosk's data directory. */
  dataDir: string;
  /** The machine's controller, at the far end of the PTY. */
  vmc: VmcSimulator;
  /** Starts a kiosk host on the PTY and data directory and opens its page; stopped at the end. */
  startKiosk: () => Promise<VendingKiosk>;
}

// Playwright reads a fixture's dependencies from its first parameter, which must be a
// destructuring pattern even when there are none.
/* eslint-disable no-empty-pattern */
const test = base.extend<VendingFixtures>({
  pty: async ({}, use) => {
    const pty = await startPtyPair();
    await use(pty);
    await pty.stop();
  },
  dataDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-e2e-vending-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
  vmc: async ({ pty }, use) => {
    const vmc = new VmcSimulator({ transport: new SerialTransport({ path: pty.b }) });
    await vmc.open();
    await use(vmc);
    await vmc.close();
  },
  startKiosk: async ({ page, pty, dataDir, vmc }, use) => {
    void vmc; // the machine is there before the kiosk opens its port
    const hosts: RunningHost[] = [];
    await use(async () => {
      const host = await startHost({ dataDir, settings: { devices: [vendingAdapter(pty.a)] } });
      hosts.push(host);
      await page.goto(host.pageUrl);
      // The embedded core comes up on a new port at each start.
      return { host, consumer: await DemoConsumer.signIn(host.coreUrl, dataDir) };
    });
    for (const host of hosts) await host.stop();
  },
});
/* eslint-enable no-empty-pattern */

test.describe.configure({ mode: 'parallel' });

function vendingAdapter(path: string): DeviceConfig {
  return {
    id: 'vmc',
    name: 'Vending machine',
    driver: 'qibixx',
    match: { path },
    vending: { maxCredit: MAX_PRICE, preAuth: true },
  };
}

/** Scans the static QR code off the screen and follows it, as the consumer's phone would. */
async function openStaticQr(page: Page): Promise<string> {
  await expect(page.getByTestId('screen-vending-idle')).toBeVisible();
  const staticUrl = await decodeQrFrom(page.getByTestId('vending-qr'));
  expect(staticUrl).toMatch(/\/v\/kiosk-1$/);
  const reply = await fetch(staticUrl, { redirect: 'manual' });
  expect(reply.status).toBe(303);
  return reply.headers.get('location')!;
}

async function payForCredit(page: Page, consumer: DemoConsumer, vmc: VmcSimulator) {
  const payUrl = await openStaticQr(page);
  await expect(page.getByTestId('screen-vending-awaitingPayment')).toBeVisible();
  await consumer.payUrl(payUrl);
  await expect(page.getByTestId('screen-vending-choosing')).toBeVisible();
  await expect(page.getByTestId('vending-credit')).toContainText('5.00');
  expect(vmc.fundsMinor).toBe(MAX_PRICE);
}

test('a consumer pays at the static QR code, picks an item, and is charged exactly its price', async ({
  page,
  vmc,
  startKiosk,
}) => {
  const { consumer } = await startKiosk();
  const before = await consumer.wallet();

  await payForCredit(page, consumer, vmc);
  vmc.select(12, 180);
  await expect(page.getByTestId('screen-vending-done')).toBeVisible();
  await expect(page.getByTestId('vending-charged')).toContainText('1.80');
  await expect(page.getByTestId('vending-returned')).toContainText('3.20');
  await expect
    .poll(() => consumer.wallet())
    .toEqual({ balance: before.balance - 180, available: before.available - 180 });

  await page.getByTestId('vending-done').click();
  await expect(page.getByTestId('screen-vending-idle')).toBeVisible();
});

test('a vend that fails charges nothing', async ({ page, vmc, startKiosk }) => {
  const { consumer } = await startKiosk();
  const before = await consumer.wallet();

  await payForCredit(page, consumer, vmc);
  vmc.failNextVend();
  vmc.select(3, 250);
  await expect(page.getByTestId('screen-vending-done')).toBeVisible();
  await expect(page.getByTestId('vending-charged')).toHaveCount(0);
  await expect(page.getByTestId('screen-vending-done')).toContainText('Nothing was charged');
  await expect.poll(() => consumer.wallet()).toEqual(before);
});

test('a kiosk killed mid-vend settles the session when it starts again, charging nothing twice', async ({
  page,
  vmc,
  startKiosk,
}) => {
  const first = await startKiosk();
  const before = await first.consumer.wallet();

  await payForCredit(page, first.consumer, vmc);
  vmc.setVendMs(60_000);
  vmc.select(8, 300);
  await expect(page.getByTestId('screen-vending-vending')).toBeVisible();

  // Power cut while the machine dispensed: the vend's result never reached the kiosk.
  await first.host.crash();
  const { consumer } = await startKiosk();
  await expect(page.getByTestId('screen-vending-done')).toBeVisible();
  await expect(page.getByTestId('screen-vending-done')).toContainText('Nothing was charged');
  await expect.poll(() => consumer.wallet()).toEqual(before);

  // Back in service: the next consumer buys as usual, and only their item is charged.
  await page.getByTestId('vending-done').click();
  await payForCredit(page, consumer, vmc);
  vmc.setVendMs(100);
  vmc.select(8, 300);
  await expect(page.getByTestId('vending-charged')).toContainText('3.00');
  await expect
    .poll(() => consumer.wallet())
    .toEqual({ balance: before.balance - 300, available: before.available - 300 });
});

test('a patron code read by the serial scanner completes a barcode payment', async ({
  page,
  pty,
  dataDir,
}) => {
  const scannerPort: DeviceConfig = {
    id: 'front',
    name: 'Front scanner',
    driver: 'serial-scanner',
    match: { path: pty.a },
  };
  const host = await startHost({ dataDir, settings: { devices: [scannerPort] } });
  const far = new SerialTransport({ path: pty.b });
  try {
    await far.open();
    const scanner = new ScannerSimulator({ transport: far, suffix: '\r\n' });
    await page.goto(host.pageUrl);
    const consumer = await DemoConsumer.signIn(host.coreUrl, dataDir);

    await page.getByTestId('start').click();
    for (const digit of '650') await page.getByTestId(`key-${digit}`).click();
    await page.getByTestId('next').click();
    await page.getByTestId('method-barcode').click();
    await expect(page.getByTestId('screen-barcode')).toBeVisible();

    await scanner.scan(await consumer.patronBarcode());
    await expect(page.getByTestId('processing-message')).toContainText('wallet');
    await consumer.payRequest(await consumer.promptedRequestId());
    await expect(page.getByTestId('screen-paid')).toBeVisible();
  } finally {
    await host.stop();
    await far.close();
  }
});

for (const orientation of ORIENTATIONS) {
  test(`screenshots of the vending screens, ${orientation}`, async ({ page, vmc, startKiosk }) => {
    const shoot = await shooterFor(page, orientation);
    const { consumer } = await startKiosk();

    const payUrl = await openStaticQr(page);
    await shoot('vending-awaitingPayment');
    await consumer.payUrl(payUrl);
    await shoot('vending-choosing');
    // Dispensing takes a few seconds here: long enough to be seen, short enough to wait for.
    vmc.setVendMs(4_000);
    vmc.select(12, 180);
    await shoot('vending-vending');
    await expect(page.getByTestId('vending-charged')).toContainText('1.80');
    await shoot('vending-done');
    await page.getByTestId('vending-done').click();
    await shoot('vending-idle');

    // The machine switches its reader off: nobody is sent to pay.
    vmc.resetVmc(false);
    await shoot('vending-out-of-service');
    vmc.resetVmc(true);
    await expect(page.getByTestId('screen-vending-idle')).toBeVisible();

    await page.getByTestId('attendant-button').click();
    for (const digit of '1234') await page.getByTestId(`key-${digit}`).click();
    await page.getByTestId('unlock').click();
    await page.getByTestId('open-devices').click();
    await expect(page.getByTestId('screen-devices')).toContainText('Vending machine');
    await shoot('devices', 'devices-vending');
  });
}
