// An attendant sets up a barcode scanner in Settings on a kiosk that has none, and the next
// customer's scanned patron code pays a barcode sale: no restart between the two. The scanner is
// the far end of a real socat PTY; PTYs are never listed, so its path is typed.
import { ScannerSimulator } from '../../hardware/simulators/scanner-simulator.ts';
import { startPtyPair, type PtyPair } from '../../hardware/testing/pty-pair.ts';
import { SerialTransport } from '../../hardware/transport/serial-transport.ts';
import { expect, test as base } from './support/kiosk-fixture.ts';

// Playwright reads a fixture's dependencies from its first parameter, which must be a
// destructuring pattern even when there are none.
/* eslint-disable no-empty-pattern */
const test = base.extend<{ pty: PtyPair }>({
  pty: async ({}, use) => {
    const pty = await startPtyPair();
    await use(pty);
    await pty.stop();
  },
});
/* eslint-enable no-empty-pattern */

test('a scanner added in Settings reads the patron code of the next barcode sale', async ({
  kiosk,
  consumer,
  pty,
}) => {
  const { page } = kiosk;
  const byId = (id: string) => page.getByTestId(id);

  await kiosk.unlockAttendant();
  await byId('open-settings').click();
  await expect(byId('configured-devices-empty')).toBeVisible();
  await byId('discover-devices').click();
  await expect(byId('add-device')).not.toContainText('Press Refresh');
  await byId('device-kind-serial-scanner').click();
  await byId('device-path').fill(pty.a);
  await byId('device-name').fill('Front scanner');
  await byId('add-device-button').click();
  await expect(byId('configured-device')).toContainText('Front scanner');
  await expect(byId('configured-device')).toContainText(pty.a);
  await byId('save-devices').click();
  await expect(byId('devices-notice')).toHaveText('Saved. The devices are in use now.');
  await expect(byId('command-error')).toHaveCount(0);

  await byId('back-to-menu').click();
  await byId('open-devices').click();
  await expect(byId('device-row')).toHaveAttribute('data-status', 'connected');
  await byId('back-to-menu').click();
  await byId('lock').click();

  const far = new SerialTransport({ path: pty.b });
  await far.open();
  try {
    const scanner = new ScannerSimulator({ transport: far, suffix: '\r\n' });
    await kiosk.startSale(650, 'barcode');
    await expect(kiosk.screen('barcode')).toBeVisible();
    await scanner.scan(await consumer.patronBarcode());
    await expect(byId('processing-message')).toContainText('wallet');
    await consumer.payRequest(await consumer.promptedRequestId());
    await expect(kiosk.screen('paid')).toBeVisible();
  } finally {
    await far.close();
  }
});
