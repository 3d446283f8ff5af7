import type { Page, TestInfo } from '@playwright/test';

/** Saves a full-page screenshot of the current state as a test artifact (`NN-name.png`). */
export async function saveScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}
