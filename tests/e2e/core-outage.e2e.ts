import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runKiosk, type RunningProcess } from '../support/kiosk-process.ts';
import { expect, test } from './support/kiosk-fixture.ts';

/** A port nothing listens on now, so the core can come back on the same address. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

const coreDir = mkdtempSync(join(tmpdir(), 'kiosk-remote-core-'));
const database = join(coreDir, 'core.db');
let port = 0;
let core: RunningProcess | null = null;

function startCore(): Promise<RunningProcess> {
  return runKiosk(['core', '--port', String(port), '--db', database], {}, ['core listening on ']);
}

test.beforeAll(async () => {
  port = await freePort();
  core = await startCore();
});
test.afterAll(async () => {
  await core?.stop();
  rmSync(coreDir, { recursive: true, force: true });
});
test.use({
  // Playwright reads a fixture's dependencies from its first parameter's pattern: none here.
  // eslint-disable-next-line no-empty-pattern
  hostOptions: async ({}, use) => {
    await use({ apiUrl: `http://127.0.0.1:${port}`, apiKey: 'demo-terminal-key' });
  },
});

test('the core stops mid-payment: the kiosk retries, then voids once it is back, and says so', async ({
  kiosk,
}) => {
  await kiosk.startSale(1000, 'voucher');
  await expect(kiosk.screen('voucher')).toBeVisible();

  // The payment API dies between the request's creation and the consumer's code.
  core!.child.kill('SIGKILL');
  await core!.stop();
  await kiosk.typeOnKeys('12345678');
  await kiosk.page.getByTestId('submit').click();

  await expect(kiosk.page.getByTestId('processing-message')).toContainText('not answering', {
    timeout: 30_000,
  });
  await expect(kiosk.page.getByTestId('api-unreachable')).toBeVisible();

  core = await startCore();
  await expect(kiosk.screen('cancelled')).toBeVisible({ timeout: 30_000 });
  const reason = kiosk.page.getByTestId('cancel-reason');
  await expect(reason).toHaveAttribute('data-reason', 'outcome-unknown');
  await expect(reason).toContainText('could not confirm the payment');
});
