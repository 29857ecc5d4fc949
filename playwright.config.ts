import { defineConfig } from '@playwright/test';

// Every end-to-end test drives the browser host in Debian's Chromium: Playwright's own browser
// builds cannot be downloaded on these machines, and are never installed.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export default defineConfig({
  testDir: 'tests',
  testMatch: ['e2e/**/*.e2e.ts'],
  // Each test starts its own kiosk host and core; two at once is what two cores can carry.
  workers: 2,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env['CI'] ? [['list']] : [['list']],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env['KIOSK_CHROMIUM'] ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    },
    viewport: { width: 1920, height: 1080 },
    screenshot: 'only-on-failure',
    trace: 'off',
  },
});
