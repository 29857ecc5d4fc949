// The Electron end-to-end test: `npx playwright test -c tests/electron/playwright.config.ts`.
// It launches the built app (dist/electron, dist/renderer) with node_modules/electron's binary,
// and skips, saying so, where that binary is not installed.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '*.e2e.ts',
  // One Electron app at a time: each starts an embedded core as well.
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: '../../test-results/electron',
});
