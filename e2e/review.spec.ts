import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startFakeModelServer, type FakeModelServer } from '../src/main/describe/testing/fake-model-server';
import { expectNoSeriousA11yViolations } from './support/accessibility';
import { startAltgenServe, type AltgenServe } from './support/altgen-serve';
import { buildLectureDecks, makeTestWorld, type TestWorld } from './support/lecture-folder';
import { saveScreenshot } from './support/screenshots';

/**
 * Review and apply, with the mouse: the built-in processor describes the pictures through the
 * fake Ollama server, the batch review shows them, and an edited description is applied to the
 * copy. (The keyboard-only review of a whole batch is review-batch.spec.ts.)
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
  await expect(page.getByRole('row').filter({ hasText: 'anatomy.pptx' })).toContainText('Complete');

  await page.getByRole('button', { name: 'Review anatomy.pptx' }).click();
  await expect(page.getByRole('heading', { name: 'Review pictures' })).toBeVisible();
  const pictures = page.getByRole('listbox', { name: 'Pictures' }).getByRole('option');
  await expect(pictures).toHaveCount(3);
  const pane = page.getByTestId('review-pane');
  await expect(pane).toContainText('anatomy.pptx — Slide 1');
  const altText = page.getByLabel('Alt text to write');
  await expect(altText).toHaveValue(/^Test figure/);
  await saveScreenshot(page, testInfo, '01-review');
  await expectNoSeriousA11yViolations(page, 'review');

  const edited = 'Cross-section of the heart with the four chambers labelled.';
  await altText.fill(edited);
  await page.getByRole('button', { name: 'Save alt text' }).click();
  await expect(page.getByTestId('review-badges')).toContainText('Not applied yet');
  await page.getByRole('button', { name: 'Apply 1 change to the copies' }).click();
  await expect(page.getByTestId('review-message')).toContainText('Applied the review to 1 deck: 1 picture changed.', { timeout: 30_000 });
  await expect(page.getByTestId('review-written')).toHaveText(edited);
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
  await expect(page.getByRole('listbox', { name: 'Pictures' }).getByRole('option')).toHaveCount(3);
  await page.getByLabel('Show', { exact: true }).selectOption('drafted');
  const drafted = page.getByRole('listbox', { name: 'Pictures' }).getByRole('option');
  expect(await drafted.count()).toBeGreaterThan(0);
  await expect(drafted.first()).toContainText('needs review');
  await expect(page.getByTestId('review-badges')).toContainText('Offline draft: check it before use');
  await expect(page.getByTestId('review-badges')).toContainText('Needs review');
  await saveScreenshot(page, testInfo, '03-review-offline-drafts');
  await expectNoSeriousA11yViolations(page, 'review with drafts');
});
