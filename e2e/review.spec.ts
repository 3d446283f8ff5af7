import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startFakeModelServer, type FakeModelServer } from '../src/main/describe/testing/fake-model-server';
import { expectNoSeriousA11yViolations } from './support/accessibility';
import { startAltgenServe, type AltgenServe } from './support/altgen-serve';
import { buildLectureDecks, makeTestWorld, type TestWorld } from './support/lecture-folder';
import { saveScreenshot } from './support/screenshots';

/**
 * Review and apply: the built-in processor describes the pictures through the fake Ollama
 * server, the review screen shows them, and an edited description is applied to the copy.
 */

let world: TestWorld;
let model: FakeModelServer;
let server: AltgenServe | null = null;

test.beforeEach(async () => {
  world = await makeTestWorld();
  model = await startFakeModelServer({ models: ['llava:latest'] });
  await buildLectureDecks(world.lectures, ['anatomy.pptx']);
  await world.writeConfig(['model:', `  base_url: ${JSON.stringify(model.url)}`, '  name: llava', ''].join('\n'));
});

test.afterEach(async () => {
  await server?.stop();
  server = null;
  await model?.stop();
  await world?.remove();
});

test('reviews a processed deck, edits a description and applies it to the copy', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  server = await startAltgenServe({ configDir: world.configDir, dataDir: world.dataDir, cwd: world.root });
  await page.goto(server.url);
  await page.getByLabel('Folder or PowerPoint files').fill(world.lectures);
  await page.getByRole('button', { name: 'Find decks' }).click();
  await expect(page.getByTestId('discovery-preview')).toContainText('1 deck will be processed');
  await page.getByLabel('Output folder').fill(path.join(world.root, 'Accessible'));
  await page.getByRole('button', { name: 'Start processing' }).click();
  await expect(page.getByTestId('batch-state')).toHaveText('Finished', { timeout: 60_000 });
  await expect(page.getByRole('row').filter({ hasText: 'anatomy.pptx' })).toContainText('✅ Complete');

  await page.getByRole('button', { name: 'Review anatomy.pptx' }).click();
  await expect(page.getByRole('heading', { name: 'Review: anatomy.pptx' })).toBeVisible();
  const pictures = page.getByRole('list', { name: 'Pictures' }).getByRole('listitem');
  await expect(pictures).toHaveCount(3);
  await expect(pictures.first()).toContainText('Test figure');
  await expect(page.getByTestId('review-output-path')).toContainText(path.join(world.root, 'Accessible'));
  await saveScreenshot(page, testInfo, '01-review');
  await expectNoSeriousA11yViolations(page, 'review');

  const edited = 'Cross-section of the heart with the four chambers labelled.';
  await pictures.first().getByRole('textbox').fill(edited);
  await expect(pictures.first()).toContainText('edited, not applied yet');
  await page.getByRole('button', { name: 'Apply 1 edited description' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Applied 1 edited description' })).toBeVisible({ timeout: 30_000 });
  await expect(pictures.first().getByRole('definition').nth(1)).toHaveText(edited);
  await saveScreenshot(page, testInfo, '02-review-applied');
});

test('shows offline drafts as drafts that need review, with no model server at all', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await model.stop();
  await world.writeConfig(['model:', '  provider: offline', '  base_url: http://127.0.0.1:9', ''].join('\n'));
  server = await startAltgenServe({ configDir: world.configDir, dataDir: world.dataDir, cwd: world.root });
  await page.goto(server.url);
  await page.getByLabel('Folder or PowerPoint files').fill(world.lectures);
  await page.getByRole('button', { name: 'Find decks' }).click();
  await page.getByLabel('Output folder').fill(path.join(world.root, 'Drafts'));
  await page.getByRole('button', { name: 'Start processing' }).click();
  await expect(page.getByTestId('batch-state')).toHaveText('Finished', { timeout: 60_000 });

  await page.getByRole('button', { name: 'Review anatomy.pptx' }).click();
  const pictures = page.getByRole('list', { name: 'Pictures' }).getByRole('listitem');
  await expect(pictures).toHaveCount(3);
  const drafted = pictures.filter({ hasText: 'Draft, not model output' });
  await expect(drafted.first()).toContainText('Offline draft: check it before use');
  await expect(drafted.first()).toContainText('Needs review');
  expect(await drafted.count()).toBeGreaterThan(0);
  await saveScreenshot(page, testInfo, '03-review-offline-drafts');
  await expectNoSeriousA11yViolations(page, 'review with drafts');
});
