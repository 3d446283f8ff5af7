import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startFakeModelServer, type FakeModelServer } from '../src/main/describe/testing/fake-model-server';
import { expectNoA11yViolations } from './support/accessibility';
import { startAltgenServe, type AltgenServe } from './support/altgen-serve';
import { buildDeck, buildLectureDecks, makeTestWorld, type TestWorld } from './support/lecture-folder';
import { saveScreenshotsAtBothSizes } from './support/screen-sizes';

/**
 * The Accessibility view (issue 16), in `altgen serve` with Chromium: after a dry run of a
 * folder it shows what the accessibility audit found, for the batch and per deck, computed by
 * the dry run's own reading of the decks.
 */

let world: TestWorld;
let server: AltgenServe | null = null;
let model: FakeModelServer | null = null;

test.beforeEach(async () => {
  world = await makeTestWorld();
});

test.afterEach(async () => {
  await server?.stop();
  server = null;
  await model?.stop();
  model = null;
  await world?.remove();
});

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true });

test('shows what a dry run found, for the batch and per deck', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  // anatomy: two pictures without alt text; cardiology: two slides with the same title; knee: nothing.
  await buildLectureDecks(world.lectures, ['anatomy.pptx']);
  await buildDeck(path.join(world.lectures, 'cardiology.pptx'), {
    title: 'Cardiology',
    slides: [
      { title: 'Cardiac cycle', pictures: [{ descr: 'Pressure curves of the left ventricle over one cardiac cycle' }] },
      { title: 'Cardiac cycle', pictures: [{ descr: 'Heart sounds aligned with the pressure curves' }] },
    ],
  });
  await buildDeck(path.join(world.lectures, 'knee.pptx'), { title: 'Knee', slides: [{ title: 'The knee', pictures: [{ descr: 'Sagittal MRI of the knee' }] }] });
  await world.writeConfig(['batch_processing:', '  dry_run_validates_ollama: false', ''].join('\n'));
  server = await startAltgenServe({ configDir: world.configDir, dataDir: world.dataDir, cwd: world.root });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(server.url);

  // Before any batch: it says how to get there.
  await nav(page, 'Accessibility').click();
  await expect(page.getByRole('heading', { name: 'Accessibility', level: 2 })).toBeVisible();
  await expect(page.getByText('No batch is open.')).toBeVisible();
  await expectNoA11yViolations(page, 'accessibility without a batch');

  await nav(page, 'New batch').click();
  await page.getByLabel('Folder or PowerPoint files').fill(world.lectures);
  await page.getByRole('button', { name: 'Find decks' }).click();
  await expect(page.getByTestId('discovery-preview')).toBeVisible();
  await page.getByLabel('Output folder').fill(path.join(world.root, 'Accessible'));
  await page.getByRole('button', { name: 'Dry run (check only)' }).click();
  await expect(page.getByTestId('batch-state')).toHaveText('Dry run finished', { timeout: 60_000 });

  await nav(page, 'Accessibility').click();
  const batch = page.getByRole('region', { name: 'This batch' });
  await expect(batch).toContainText('3 decks checked:');
  await expect(batch.getByRole('listitem')).toHaveText(['2 objects without alt text', '1 slide with a duplicate title']);
  await expect(batch).toContainText('1 deck without problems is not listed.');
  const table = page.getByRole('table', { name: 'Decks with problems, in queue order' });
  await expect(table.getByRole('row')).toHaveCount(3);
  await expect(table.getByRole('row', { name: /anatomy\.pptx/ })).toContainText('2 objects without alt text');
  await expect(table.getByRole('row', { name: /cardiology\.pptx/ })).toContainText('1 slide with a duplicate title');
  await expect(table).not.toContainText('knee.pptx');
  // A dry run fixes nothing: no "Fixed" column.
  await expect(table.getByRole('columnheader')).toHaveText(['Deck', 'Found']);
  await expect(page).toHaveURL(/\/accessibility$/);
  await expectNoA11yViolations(page, 'accessibility of a dry run');
  await saveScreenshotsAtBothSizes(page, testInfo, '01-accessibility-dry-run');
});

test('shows what a run fixed in the copies', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  model = await startFakeModelServer({ models: ['llava:latest'] });
  // Two pictures without alt text, which the run describes: found, and fixed in the copy.
  await buildLectureDecks(world.lectures, ['anatomy.pptx']);
  await world.writeConfig(['model:', `  base_url: ${JSON.stringify(model.url)}`, '  name: llava', 'alt_text:', '  read_text_in_images: false', ''].join('\n'));
  server = await startAltgenServe({ configDir: world.configDir, dataDir: world.dataDir, cwd: world.root });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(server.url);
  await page.getByLabel('Folder or PowerPoint files').fill(world.lectures);
  await page.getByRole('button', { name: 'Find decks' }).click();
  await expect(page.getByTestId('discovery-preview')).toBeVisible();
  await page.getByLabel('Output folder').fill(path.join(world.root, 'Accessible'));
  await page.getByRole('button', { name: 'Start processing' }).click();
  await expect(page.getByTestId('batch-state')).toHaveText('Finished', { timeout: 120_000 });

  await nav(page, 'Accessibility').click();
  const batch = page.getByRole('region', { name: 'This batch' });
  await expect(batch).toContainText('1 deck checked:');
  await expect(batch).toContainText('Fixed in the copies: 2 objects without alt text.');
  const table = page.getByRole('table', { name: 'Decks with problems, in queue order' });
  await expect(table.getByRole('columnheader')).toHaveText(['Deck', 'Found', 'Fixed in the copy']);
  await expect(table.getByRole('row', { name: /anatomy\.pptx/ })).toContainText('2 objects without alt text');
  await expect(table.getByRole('row', { name: /anatomy\.pptx/ }).getByRole('cell').last()).toHaveText('2 objects without alt text');
  await expectNoA11yViolations(page, 'accessibility of a run');
  await saveScreenshotsAtBothSizes(page, testInfo, '02-accessibility-run');
});
