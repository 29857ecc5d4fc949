// Screenshots for docs/screenshots/: each screen in portrait and landscape, shot only once the
// screen is asserted to be showing with no error on it.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, type Page } from '@playwright/test';

const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

export const VIEWPORTS = {
  portrait: { width: 1080, height: 1920 },
  landscape: { width: 1920, height: 1080 },
} as const;

export type Orientation = keyof typeof VIEWPORTS;

export const ORIENTATIONS = Object.keys(VIEWPORTS) as Orientation[];

/** Sizes the page for one orientation and returns `shoot(screen)` for it. */
export async function shooterFor(page: Page, orientation: Orientation) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.setViewportSize(VIEWPORTS[orientation]);
  /**
   * Fails unless `screen-<name>` is showing, then saves the viewport as it is, as
   * `<file>-<orientation>.png` (a screen shown in two states needs two names).
   */
  return async function shoot(name: string, file = name): Promise<void> {
    await expect(page.getByTestId(`screen-${name}`)).toBeVisible();
    await expect(page.getByTestId('command-error')).toHaveCount(0);
    await page.screenshot({ path: `${SCREENSHOTS}${file}-${orientation}.png` });
  };
}
