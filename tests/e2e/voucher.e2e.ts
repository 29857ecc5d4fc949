import { expect, test } from './support/kiosk-fixture.ts';

test('a good voucher code pays, and the receipt shows the voucher and the short code', async ({
  kiosk,
}) => {
  await kiosk.startSale(1250, 'voucher');
  await expect(kiosk.screen('voucher')).toBeVisible();
  await kiosk.typeOnKeys('12345678');
  await expect(kiosk.page.getByTestId('voucher-code')).toHaveValue('12345678');
  await kiosk.page.getByTestId('submit').click();
  await expect(kiosk.screen('paid')).toBeVisible();
  await expect(kiosk.page.getByTestId('paid-by')).toContainText('Voucher');
  await expect(kiosk.page.getByTestId('paid-by')).toContainText('12.50');
  await expect(kiosk.page.getByTestId('short-code')).toContainText(/CP-/);
});

for (const [what, code, cents, reason, words] of [
  ['an unknown code', '11112222', 1000, 'unknown-code', 'don’t recognise'],
  ['an expired voucher', '99990000', 1000, 'expired-code', 'expired'],
  ['a balance too small for the sale', '12345678', 2500, 'insufficient-balance', 'not enough'],
] as const) {
  test(`${what} is declined in plain words, and another code can be tried`, async ({ kiosk }) => {
    await kiosk.startSale(cents, 'voucher');
    await kiosk.typeOnKeys(code);
    await kiosk.page.getByTestId('submit').click();
    await expect(kiosk.screen('declined')).toBeVisible();
    const why = kiosk.page.getByTestId('decline-reason');
    await expect(why).toHaveAttribute('data-reason', reason);
    await expect(why).toContainText(words);
    await kiosk.page.getByTestId('retry').click();
    await expect(kiosk.screen('voucher')).toBeVisible();
  });
}

test('repeated wrong codes lock the code out with "too many tries"', async ({ kiosk }) => {
  await kiosk.startSale(1000, 'voucher');
  const why = kiosk.page.getByTestId('decline-reason');
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    await kiosk.typeOnKeys('55556666');
    await kiosk.page.getByTestId('submit').click();
    await expect(why).toHaveAttribute('data-reason', 'unknown-code');
    await kiosk.page.getByTestId('retry').click();
  }
  await kiosk.typeOnKeys('55556666');
  await kiosk.page.getByTestId('submit').click();
  await expect(why).toHaveAttribute('data-reason', 'too-many-tries');
  await expect(why).toContainText('Too many wrong codes');
});
