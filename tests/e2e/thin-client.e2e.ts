import { expect, test } from './support/kiosk-fixture.ts';

// 127.0.0.2 is a loopback address this machine answers on; it stands in for the LAN address a
// thin client would use.
test.use({ hostOptions: { thinClients: '127.0.0.2' } });

test('a thin client on another address pairs with the code on the kiosk console', async ({
  host,
  page,
}) => {
  const [, address, code] = /^(\S+) \(pairing code (\d{6})\)$/.exec(host.thinClientsLine!)!;
  await page.goto(address!);
  await expect(page.getByTestId('screen-pairing')).toBeVisible();

  const wrongCode = code === '000000' ? '000001' : '000000';
  await page.getByTestId('pairing-code').fill(wrongCode);
  await page.getByTestId('pair').click();
  await expect(page.getByTestId('pairing-error')).toBeVisible();

  await page.getByTestId('pairing-code').fill(code!);
  await page.getByTestId('pair').click();
  await expect(page.getByTestId('screen-idle')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('screen-idle')).toBeVisible();
});
