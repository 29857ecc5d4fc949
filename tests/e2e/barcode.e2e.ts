import { expect, test } from './support/kiosk-fixture.ts';

test('a patron code typed by hand prompts the wallet it belongs to, which pays', async ({
  kiosk,
  consumer,
}) => {
  await kiosk.startSale(700, 'barcode');
  await expect(kiosk.screen('barcode')).toBeVisible();
  const input = kiosk.page.getByTestId('barcode-input');

  // A mistyped number is caught on screen; nothing reaches the payment API.
  await input.fill('1234567812345678');
  await kiosk.page.getByTestId('submit').click();
  await expect(kiosk.page.getByTestId('barcode-error')).toBeVisible();
  await expect(kiosk.screen('barcode')).toBeVisible();

  await input.fill(await consumer.patronBarcode());
  await kiosk.page.getByTestId('submit').click();
  await expect(kiosk.page.getByTestId('processing-message')).toContainText('wallet');
  await consumer.payRequest(await consumer.promptedRequestId());
  await expect(kiosk.screen('paid')).toBeVisible();
  await expect(kiosk.page.getByTestId('paid-by')).toContainText('Centrapay NZD wallet');
});
