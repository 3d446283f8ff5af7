import type { Page, TestInfo } from '@playwright/test';
import { saveScreenshot } from './screenshots';

/** The window sizes every state is looked at in: a laptop, and a small or zoomed window. */
export const SCREEN_SIZES = [
  { width: 1280, height: 800 },
  { width: 800, height: 600 },
] as const;

/**
 * Saves a full-page screenshot of the current state at each size (`NN-name-1280x800.png`,
 * `NN-name-800x600.png`), then puts the window back to the size it had.
 */
export async function saveScreenshotsAtBothSizes(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const before = page.viewportSize();
  for (const size of SCREEN_SIZES) {
    await page.setViewportSize(size);
    await saveScreenshot(page, testInfo, `${name}-${size.width}x${size.height}`);
  }
  if (before) await page.setViewportSize(before);
}
