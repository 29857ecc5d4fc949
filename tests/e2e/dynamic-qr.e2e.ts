import { decodeQrFrom } from './support/qr.ts';
import { expect, test } from './support/kiosk-fixture.ts';

test('dynamic QR: the consumer scans the code on screen, pays, and the kiosk shows Paid', async ({
  kiosk,
  consumer,
}) => {
  await kiosk.startSale(1250, 'qr');
  await expect(kiosk.screen('qr')).toBeVisible();
  await expect(kiosk.page.getByTestId('amount-display')).toContainText('12.50');
  await expect(kiosk.page.getByTestId('countdown')).toBeVisible();

  const url = await decodeQrFrom(kiosk.page.getByTestId('qr-code'));
  expect(url).toMatch(/\/pay\/[A-Za-z0-9_-]+$/);
  await consumer.payUrl(url);

  await expect(kiosk.screen('paid')).toBeVisible();
  await expect(kiosk.page.getByTestId('paid-by')).toContainText('Centrapay NZD wallet');
  await expect(kiosk.page.getByTestId('short-code')).toContainText(/CP-/);
});

test('a page reload in the middle of a payment comes back to the same QR code', async ({
  kiosk,
  consumer,
}) => {
  await kiosk.startSale(800, 'qr');
  const before = await decodeQrFrom(kiosk.page.getByTestId('qr-code'));
  await kiosk.page.reload();
  await expect(kiosk.screen('qr')).toBeVisible();
  expect(await decodeQrFrom(kiosk.page.getByTestId('qr-code'))).toBe(before);
  await consumer.payUrl(before);
  await expect(kiosk.screen('paid')).toBeVisible();
});

test('cancel on the QR screen voids the payment request at once', async ({ kiosk, host }) => {
  await kiosk.startSale(500, 'qr');
  const url = await decodeQrFrom(kiosk.page.getByTestId('qr-code'));
  await kiosk.page.getByTestId('cancel').click();
  await expect(kiosk.screen('cancelled')).toBeVisible();
  const id = new URL(url).pathname.split('/').pop();
  const response = await fetch(`${host.coreUrl}/api/payment-requests/${id}`, {
    headers: { 'x-api-key': 'demo-terminal-key' },
  });
  expect(((await response.json()) as { status: string }).status).toBe('cancelled');
});
