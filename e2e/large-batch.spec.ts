import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startAltgenServe, type AltgenServe } from './support/altgen-serve';
import { makeTestWorld, type TestWorld } from './support/lecture-folder';
import { saveScreenshot } from './support/screenshots';

/**
 * 10,000 files in one batch: the table stays virtualised (a few dozen rows in the page), keeps
 * up with 20,000 events, and every row stays reachable from the keyboard. The files are text
 * files named .pptx, which the dry run rejects at once, so the test measures the UI, not decks.
 */
const FILES = 10_000;

let world: TestWorld;
let server: AltgenServe | null = null;

test.beforeEach(async () => {
  world = await makeTestWorld();
  await world.writeConfig('batch_processing:\n  dry_run_validates_ollama: false\n');
  for (let i = 0; i < FILES; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, FILES - i) }, (_, j) =>
        writeFile(path.join(world.lectures, `notes-${String(i + j + 1).padStart(5, '0')}.pptx`), 'Lecture notes, not slides.\n'),
      ),
    );
  }
});

test.afterEach(async () => {
  await server?.stop();
  server = null;
  await world?.remove();
});

test('a dry run of 10,000 files stays smooth and every row stays reachable', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  server = await startAltgenServe({ configDir: world.configDir, dataDir: world.dataDir, cwd: world.root });
  await page.goto(server.url);
  await page.getByLabel('Folder or PowerPoint files').fill(world.lectures);
  await page.getByRole('button', { name: 'Find decks' }).click();
  await expect(page.getByTestId('discovery-preview')).toContainText(`${FILES} decks will be processed`, { timeout: 60_000 });
  expect(await page.getByTestId('discovery-preview').getByRole('row').count()).toBeLessThan(80);
  await page.getByLabel('Output folder').fill(path.join(world.root, 'Accessible'));
  await page.getByRole('button', { name: 'Dry run (check only)' }).click();

  const grid = page.getByRole('grid', { name: /Dry run/ });
  await expect(grid).toHaveAttribute('aria-rowcount', String(FILES + 1));
  await expect(page.getByTestId('batch-state')).toHaveText('Dry run finished', { timeout: 180_000 });
  await expect(page.getByRole('list', { name: 'Files by status' })).toContainText(`Will fail ${FILES}`);
  const rendered = await grid.getByRole('row').count();
  expect(rendered).toBeLessThan(80);

  // The keyboard reaches the last row; the grid scrolls there and says where it is.
  await grid.getByRole('gridcell').first().focus();
  const started = Date.now();
  await page.keyboard.press('Control+End');
  const last = grid.getByRole('row', { name: /notes-10000\.pptx/ });
  await expect(last).toHaveAttribute('aria-rowindex', String(FILES + 1));
  await expect(page.locator(':focus')).toHaveAttribute('role', 'gridcell');
  // Reported, not asserted: CI's cores may be busy (docs/benchmarks.md has the figure).
  testInfo.annotations.push({ type: 'Control+End to the last of 10,000 rows (ms)', description: String(Date.now() - started) });
  await page.keyboard.press('Control+Home');
  await expect(grid.getByRole('row', { name: /notes-00001\.pptx/ })).toHaveAttribute('aria-rowindex', '2');

  // Sorting and filtering 10,000 rows.
  await page.getByLabel('Sort by').selectOption('name');
  await page.getByLabel('Order').selectOption('descending');
  await expect(grid.getByRole('row').nth(1)).toContainText('notes-10000.pptx');
  await saveScreenshot(page, testInfo, '01-ten-thousand-rows');
});
