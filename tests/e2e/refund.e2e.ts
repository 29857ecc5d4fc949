import { expect, test } from './support/kiosk-fixture.ts';

test('an attendant refunds part of a sale from the short code on its receipt', async ({
  kiosk,
}) => {
  await kiosk.startSale(1500, 'voucher');
  await kiosk.typeOnKeys('12345678');
  await kiosk.page.getByTestId('submit').click();
  await expect(kiosk.screen('paid')).toBeVisible();
  const shortCode = (await kiosk.page.getByTestId('short-code').textContent())!.trim();
  await kiosk.page.getByTestId('done').click();

  await kiosk.unlockAttendant();
  await kiosk.page.getByTestId('open-refund').click();
  await expect(kiosk.screen('refund')).toBeVisible();
  await kiosk.page.getByTestId('refund-code').fill(shortCode);
  await kiosk.page.getByTestId('lookup').click();
  await expect(kiosk.page.getByTestId('paid-amount')).toContainText('15.00');

  // The amount starts at everything refundable (15.00): delete it and key 5.00.
  for (let digit = 0; digit < 4; digit += 1) await kiosk.page.getByTestId('key-backspace').click();
  await kiosk.typeOnKeys('500');
  await expect(kiosk.page.getByTestId('amount-display')).toContainText('5.00');
  await kiosk.page.getByTestId('review-refund').click();
  await kiosk.page.getByTestId('confirm-refund').click();
  await expect(kiosk.page.getByTestId('refund-result')).toHaveAttribute('data-result', 'refunded');

  await kiosk.page.getByTestId('done').click();
  await kiosk.page.getByTestId('back-to-menu').click();
  await kiosk.page.getByTestId('open-journal').click();
  const row = kiosk.page.getByTestId('journal-row').first();
  await expect(row).toContainText(shortCode);
  await expect(row).toContainText('5.00');
});
