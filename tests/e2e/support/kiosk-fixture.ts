// Playwright fixtures: each test gets its own kiosk host process (embedded core, fresh data
// directory) and a page opened on it; the host's log is attached only when the test fails.
import { writeFileSync } from 'node:fs';
import { test as base, expect, type Page } from '@playwright/test';
import type { PaymentMethod } from '../../../terminal/contract/commands.ts';
import { DemoConsumer } from '../../support/demo-consumer.ts';
import { startHost, type HostOptions, type RunningHost } from '../../support/kiosk-process.ts';

export interface KioskFixtures {
  /** Options for the host the `kiosk` fixture starts; tests override with `test.use`. */
  hostOptions: HostOptions;
  host: RunningHost;
  kiosk: KioskPage;
  consumer: DemoConsumer;
}

export const test = base.extend<KioskFixtures>({
  hostOptions: [{}, { option: true }],
  host: async ({ hostOptions }, use, testInfo) => {
    const host = await startHost(hostOptions);
    await use(host);
    if (testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach('kiosk host log', { body: host.log(), contentType: 'text/plain' });
      writeFileSync(testInfo.outputPath('kiosk-host.log'), host.log());
    }
    await host.stop();
  },
  kiosk: async ({ page, host }, use) => {
    await page.goto(host.pageUrl);
    await expect(page.getByTestId('screen-idle')).toBeVisible();
    await use(new KioskPage(page));
  },
  consumer: async ({ host }, use) => {
    await use(await DemoConsumer.signIn(host.coreUrl, host.dataDir));
  },
});

export { expect };

/** What an attendant and a consumer do with their fingers. */
export class KioskPage {
  constructor(readonly page: Page) {}

  screen(name: string) {
    return this.page.getByTestId(`screen-${name}`);
  }

  /** Keys an amount in cents on the attendant keypad and picks how the customer pays. */
  async startSale(cents: number, method: PaymentMethod): Promise<void> {
    await this.page.getByTestId('start').click();
    await expect(this.screen('amount')).toBeVisible();
    for (const digit of String(cents)) await this.page.getByTestId(`key-${digit}`).click();
    await this.page.getByTestId('next').click();
    await expect(this.screen('method')).toBeVisible();
    await this.page.getByTestId(`method-${method}`).click();
  }

  /** Types a code on an on-screen keyboard, key by key, as a finger would. */
  async typeOnKeys(code: string): Promise<void> {
    for (const key of code) await this.page.getByTestId(`key-${key}`).click();
  }

  async unlockAttendant(pin = '1234'): Promise<void> {
    await this.page.getByTestId('attendant-button').click();
    await expect(this.screen('pin')).toBeVisible();
    await this.page.getByTestId('pin-input').fill(pin);
    await this.page.getByRole('button', { name: 'Unlock' }).click();
    await expect(this.screen('attendant')).toBeVisible();
  }
}
