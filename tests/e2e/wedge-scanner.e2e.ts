// A keyboard-wedge scanner is a keyboard that types fast: the page tells its reads from typing by
// keystroke timing (spec: UI tests type wedge scans at 5-20 ms per key, people at >= 120 ms).
import { expect, test } from './support/kiosk-fixture.ts';

test('a patron code typed at scanner speed pays the sale and never lands in the field', async ({
  host,
  kiosk,
  consumer,
}) => {
  await kiosk.startSale(700, 'barcode');
  await expect(kiosk.screen('barcode')).toBeVisible();
  // Someone has started typing in the manual entry field: a scan typed into it would spoil both
  // and be refused on screen, so the sale moving on shows the scan went round the field.
  const input = kiosk.page.getByTestId('barcode-input');
  await input.focus();
  await kiosk.page.keyboard.type('12', { delay: 150 });
  await expect(input).toHaveValue('12');

  await kiosk.page.keyboard.type(await consumer.patronBarcode(), { delay: 10 });
  await kiosk.page.keyboard.press('Enter', { delay: 10 });

  await expect(kiosk.page.getByTestId('processing-message')).toContainText('wallet');
  expect(host.log()).toMatch(/"source":"wedge".*"msg":"scan routed"/);
  await consumer.payRequest(await consumer.promptedRequestId());
  await expect(kiosk.screen('paid')).toBeVisible();
  await expect(kiosk.page.getByTestId('paid-by')).toContainText('Centrapay NZD wallet');
});

test('a patron code typed at a person’s speed goes into the field and is submitted with Enter', async ({
  kiosk,
  consumer,
}) => {
  await kiosk.startSale(700, 'barcode');
  await expect(kiosk.screen('barcode')).toBeVisible();
  const input = kiosk.page.getByTestId('barcode-input');
  await input.focus();
  const barcode = await consumer.patronBarcode();

  await kiosk.page.keyboard.type(barcode.slice(0, 8), { delay: 150 });
  await expect(input).toHaveValue(barcode.slice(0, 8));
  await kiosk.page.keyboard.type(barcode.slice(8, -1), { delay: 150 });
  // Enter 60 ms after the last digit, while that digit is still held back as a scan's first key
  // could be: it must reach the field before the form submits.
  await kiosk.page.keyboard.press(barcode.slice(-1), { delay: 60 });
  await kiosk.page.keyboard.press('Enter');

  await expect(kiosk.page.getByTestId('processing-message')).toContainText('wallet');
  await consumer.payRequest(await consumer.promptedRequestId());
  await expect(kiosk.screen('paid')).toBeVisible();
});
