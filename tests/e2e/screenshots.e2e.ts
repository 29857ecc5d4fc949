// Walks the kiosk through every screen in portrait and landscape, asserts each one is showing,
// and writes what it looks like to docs/screenshots/<screen>-<orientation>.png (indexed in
// docs/screenshots/README.md). Nothing is masked or frozen: a countdown shows whatever it shows.
import { decodeQrFrom } from './support/qr.ts';
import { ORIENTATIONS, shooterFor } from './support/screenshots.ts';
import { expect, test } from './support/kiosk-fixture.ts';

// Four tests, each with its own host, two mostly waiting for expiry: spread them over the workers.
test.describe.configure({ mode: 'parallel' });

for (const orientation of ORIENTATIONS) {
  test(`screenshots of every screen, ${orientation}`, async ({ kiosk, consumer }) => {
    const { page } = kiosk;
    const byId = (id: string) => page.getByTestId(id);
    const shoot = await shooterFor(page, orientation);

    await shoot('idle');

    // Dynamic QR: amount keyed, method chosen, the code on screen, paid from the wallet.
    await byId('start').click();
    await kiosk.typeOnKeys('1250');
    await expect(byId('amount-display')).toContainText('12.50');
    await shoot('amount');
    await byId('next').click();
    await shoot('method');
    await byId('method-qr').click();
    await expect(byId('qr-code')).toBeVisible();
    await expect(byId('countdown')).toBeVisible();
    await shoot('qr');
    await consumer.payUrl(await decodeQrFrom(byId('qr-code')));
    await expect(byId('paid-by')).toContainText('Centrapay NZD wallet');
    await shoot('paid');
    const paidShortCode = (await byId('short-code').textContent())!.trim();
    await byId('done').click();

    // Voucher: a few digits typed, then an unknown code declined, and the sale cancelled.
    await kiosk.startSale(1000, 'voucher');
    await kiosk.typeOnKeys('1111');
    await expect(byId('voucher-code')).toHaveValue('1111');
    await shoot('voucher');
    await kiosk.typeOnKeys('2222');
    await byId('submit').click();
    await expect(byId('decline-reason')).toHaveAttribute('data-reason', 'unknown-code');
    await shoot('declined');
    await byId('cancel').click();
    await expect(byId('cancel-reason')).toBeVisible();
    await shoot('cancelled');
    await byId('done').click();

    // Barcode: part of a number typed by hand, then the wallet's code; the wallet is prompted.
    await kiosk.startSale(700, 'barcode');
    await kiosk.typeOnKeys('40001234');
    await expect(byId('barcode-input')).toHaveValue('40001234');
    await shoot('barcode');
    await byId('barcode-input').fill(await consumer.patronBarcode());
    await byId('submit').click();
    // "Checking your payment" (redeeming a voucher) lasts a few milliseconds against the
    // embedded core and cannot be caught reliably; waiting for the wallet to approve can.
    await expect(byId('processing-message')).toContainText('wallet');
    await shoot('processing');
    await consumer.payRequest(await consumer.promptedRequestId());
    await expect(byId('screen-paid')).toBeVisible();
    await byId('done').click();

    // The attendant: PIN pad with digits typed, the menu, and each page behind it.
    await byId('attendant-button').click();
    await kiosk.typeOnKeys('12');
    await expect(byId('pin-input')).toHaveValue('12');
    await shoot('pin');
    await kiosk.typeOnKeys('34');
    await byId('unlock').click();
    await shoot('attendant');

    await byId('open-refund').click();
    await byId('refund-code').fill(paidShortCode);
    await byId('lookup').click();
    await expect(byId('paid-amount')).toContainText('12.50');
    await shoot('refund');
    await byId('cancel').click();
    await byId('back-to-menu').click();

    await byId('open-journal').click();
    await expect(byId('journal-row')).toHaveCount(3);
    await shoot('journal');
    await byId('back-to-menu').click();

    await byId('open-settings').click();
    await expect(byId('setting-terminalId')).toHaveValue('kiosk-1');
    await shoot('settings');
    await byId('back-to-menu').click();

    await byId('open-devices').click();
    await shoot('devices');
  });
}

test.describe('with requests that expire after 10 s', () => {
  test.use({ hostOptions: { settings: { expirySeconds: 10 } } });

  for (const orientation of ORIENTATIONS) {
    test(`screenshot of the expired screen, ${orientation}`, async ({ kiosk }) => {
      const shoot = await shooterFor(kiosk.page, orientation);
      await kiosk.startSale(900, 'qr');
      await expect(kiosk.page.getByTestId('countdown')).toBeVisible();
      // The kiosk gives up 5–10 s after the request's expiry.
      await expect(kiosk.screen('expired')).toBeVisible({ timeout: 30_000 });
      await shoot('expired');
    });
  }
});
