import { decodeQrFrom } from './support/qr.ts';
import { expect, test } from './support/kiosk-fixture.ts';

test.use({ hostOptions: { settings: { expirySeconds: 10 } } });

test('an unpaid QR code shows Expired, and never before expiresAt + 5 s', async ({
  kiosk,
  host,
}) => {
  await kiosk.startSale(600, 'qr');
  const id = new URL(await decodeQrFrom(kiosk.page.getByTestId('qr-code'))).pathname
    .split('/')
    .pop();
  const response = await fetch(`${host.coreUrl}/api/payment-requests/${id}`, {
    headers: { 'x-api-key': 'demo-terminal-key' },
  });
  const expiresAt = Date.parse(((await response.json()) as { expiresAt: string }).expiresAt);

  // Past expiresAt the core already says expired; the kiosk still waits for a late payment.
  await kiosk.page.waitForTimeout(Math.max(0, expiresAt + 4_000 - Date.now()));
  await expect(kiosk.screen('expired')).toBeHidden();

  await expect(kiosk.screen('expired')).toBeVisible({ timeout: 15_000 });
  expect(Date.now()).toBeGreaterThanOrEqual(expiresAt + 5_000);
  // The spec's upper bound is expiresAt + 10 s; 3 s more allow for the screen and this poll.
  expect(Date.now()).toBeLessThan(expiresAt + 13_000);
  await kiosk.page.getByTestId('done').click();
  await expect(kiosk.screen('idle')).toBeVisible();
});
