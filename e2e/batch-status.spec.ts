import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startFakeModelServer, type FakeModelServer } from '../src/main/describe/testing/fake-model-server';
import { expectNoA11yViolations } from './support/accessibility';
import { startAltgenServe, type AltgenServe } from './support/altgen-serve';
import { buildDeck, buildLectureDecks, buildLegacyPpt, makeTestWorld, writeTruncatedCopy, type TestWorld } from './support/lecture-folder';
import { countOf, row } from './support/queue';
import { saveScreenshotsAtBothSizes } from './support/screen-sizes';
import { buildOutcomesDeck } from '../src/main/fixtures/outcome-decks';

/**
 * "The status must tell one truth" (issue 13), as it was found: in `altgen serve` with Chromium,
 * against the built-in processor and the Ollama-speaking stand-in server. A dry run speaks of
 * checking and estimates the run; a batch that waits for the model server is paused, says so
 * once, and can be told to try now; finished rows say what happened to every picture.
 */

let world: TestWorld;
let model: FakeModelServer | null = null;
let server: AltgenServe | null = null;

/** Emoji, which render as empty boxes where no emoji font is installed: the page uses SVG icons. */
const EMOJI = /[\u{1F300}-\u{1FAFF}\u{2600}-\u{27BF}\u{2B00}-\u{2BFF}\u{23E9}-\u{23FA}\u{FE0F}]/u;

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

async function writeModelConfig(url: string): Promise<void> {
  await world.writeConfig(['model:', `  base_url: ${JSON.stringify(url)}`, '  name: llava', ''].join('\n'));
}

async function openApp(page: Page): Promise<void> {
  server = await startAltgenServe({ configDir: world.configDir, dataDir: world.dataDir, cwd: world.root });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(server.url);
}

async function chooseLectures(page: Page, output: string): Promise<void> {
  await page.getByLabel('Folder or PowerPoint files').fill(world.lectures);
  await page.getByRole('button', { name: 'Find decks' }).click();
  await expect(page.getByTestId('discovery-preview')).toBeVisible();
  await page.getByLabel('Output folder').fill(path.join(world.root, output));
}

/** How many times `text` appears in the page's main region, as a person sees it. */
async function timesShown(page: Page, text: string): Promise<number> {
  const shown = await page.locator('main').innerText();
  return shown.split(text).length - 1;
}

test('a dry run speaks of checking, estimates the run, and fails nothing', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  model = await startFakeModelServer({ models: ['llava:latest'] });
  await writeModelConfig(model.url);
  await buildLectureDecks(world.lectures, ['anatomy.pptx']);
  await buildDeck(path.join(world.lectures, 'single.pptx'), { title: 'Single', slides: [{ title: 'One picture', pictures: [{ imageSize: 64 }] }] });
  await writeTruncatedCopy(path.join(world.lectures, 'anatomy.pptx'), path.join(world.lectures, 'damaged.pptx'), 0.5);
  await buildLegacyPpt(path.join(world.lectures, 'old-lecture.ppt'));
  await openApp(page);
  await chooseLectures(page, 'Accessible');

  await page.getByRole('button', { name: 'Dry run (check only)' }).click();
  await expect(page.getByTestId('batch-state')).toHaveText('Dry run finished', { timeout: 60_000 });
  // Its own words for every file, its own counters, its own progress.
  await expect(row(page, 'anatomy.pptx').getByRole('gridcell').first()).toHaveText('Ready');
  await expect(row(page, 'damaged.pptx').getByRole('gridcell').first()).toHaveText('Will fail');
  await expect(row(page, 'old-lecture.ppt').getByRole('gridcell').first()).toHaveText('Will be skipped');
  await expect(row(page, 'single.pptx')).toContainText('Ready: 1 picture, 1 to describe.');
  // The longest status ("Will be skipped") stays inside its cell, at both window sizes.
  for (const size of [{ width: 1280, height: 800 }, { width: 800, height: 600 }]) {
    await page.setViewportSize(size);
    const status = row(page, 'old-lecture.ppt').getByRole('gridcell').first();
    const [pill, cell] = await Promise.all([status.locator('.status').boundingBox(), status.boundingBox()]);
    expect((pill?.x ?? 0) + (pill?.width ?? 0), `the status fits its cell at ${size.width}×${size.height}`).toBeLessThanOrEqual((cell?.x ?? 0) + (cell?.width ?? 0));
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(page.getByText('4 of 4 files checked (100%)')).toBeVisible();
  await expect(countOf(page, 'Ready')).toHaveText('Ready 2');
  await expect(countOf(page, 'Will fail')).toHaveText('Will fail 1');
  await expect(countOf(page, 'Will be skipped')).toHaveText('Will be skipped 1');
  await expect(page.getByRole('list', { name: 'Files by status' })).not.toContainText(/Complete|Failed|Skipped/);
  // No "Failed files (1)" for a dry run, and no "(running)" once it is done.
  await expect(page.getByRole('navigation').getByRole('button', { name: 'Failed files', exact: true })).toBeVisible();
  await expect(page.getByRole('navigation').getByRole('button', { name: 'Current batch', exact: true })).toBeVisible();
  // The run's estimate: 2 + 1 pictures for the model, at the first guess until a run has timed this computer.
  const verdict = page.getByTestId('dry-run-verdict');
  await expect(verdict).toContainText(/Describing 3 pictures should take (less than a minute|about \d+ minutes?) \(a first guess/);
  await expect(verdict).toContainText('Model server: reachable, with llava.');
  expect(await page.locator('main').innerText()).not.toMatch(EMOJI);
  await expectNoA11yViolations(page, 'dry run');
  await saveScreenshotsAtBothSizes(page, testInfo, '01-dry-run');

  await page.getByRole('button', { name: 'Failed files', exact: true }).click();
  await expect(page.getByText('The open batch is a dry run: it processed nothing, so no file has failed.')).toBeVisible();
  await expectNoA11yViolations(page, 'failed files of a dry run');
  await saveScreenshotsAtBothSizes(page, testInfo, '02-failed-files-of-a-dry-run');

  // The model server goes away: the dry run says so once, and History does not call it fine.
  await model.stop();
  model = null;
  await page.getByRole('button', { name: 'New batch' }).click();
  await page.getByRole('button', { name: 'Dry run (check only)' }).click();
  await expect(page.getByTestId('batch-state')).toHaveText('Dry run finished', { timeout: 60_000 });
  await expect(verdict).toContainText('Decks are ready, but the model server needs attention.');
  const modelLine = (await verdict.getByRole('listitem').last().innerText()).replace(/^Model server: /, '');
  const diagnosis = modelLine.split(/(?<=\.) /)[0] ?? modelLine;
  expect(diagnosis.length).toBeGreaterThan(10);
  expect(await timesShown(page, diagnosis)).toBe(1);
  expect(modelLine).not.toContain('`');
  await expectNoA11yViolations(page, 'dry run with the model server down');
  await saveScreenshotsAtBothSizes(page, testInfo, '03-dry-run-model-down');

  await page.getByRole('button', { name: 'Batch history' }).click();
  const history = page.getByRole('table');
  await expect(history.getByRole('row')).toHaveCount(3);
  const newest = history.getByRole('row').nth(1);
  await expect(newest).toContainText('Checked, but the model server was not ready');
  await expect(history.getByRole('row').nth(2)).toContainText('Checked: 1 file cannot be processed');
  await expect(history).not.toContainText(/Checked$/m);
  await expectNoA11yViolations(page, 'history');
  await saveScreenshotsAtBothSizes(page, testInfo, '04-history');
});

test('a batch waiting for the model server is paused, says it once, and goes on when told to try now', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  // A model server that is not there yet: its address is known, nothing listens on it.
  const absent = await startFakeModelServer({ models: ['llava:latest'] });
  const port = absent.port;
  await absent.stop();
  await writeModelConfig(`http://127.0.0.1:${port}`);
  await buildLectureDecks(world.lectures, ['anatomy.pptx']);
  await buildOutcomesDeck(world.lectures);
  await openApp(page);
  await chooseLectures(page, 'Accessible');

  await page.getByRole('button', { name: 'Start processing' }).click();
  const state = page.getByTestId('batch-state');
  await expect(state).toHaveText(/^Paused — waiting for the model server \(until \d\d:\d\d\)$/, { timeout: 60_000 });
  await expect(page.getByRole('navigation').getByRole('button', { name: 'Current batch (paused)' })).toBeVisible();
  await expect(page.getByTestId('eta')).toHaveText('paused');
  // The model line follows the batch's own events: never "Reachable" above "not reachable".
  await expect(page.getByTestId('model-status')).toContainText('Not reachable');
  const pause = page.getByTestId('pause-reason');
  await expect(pause).toContainText('goes on by itself as soon as it answers');
  await expect(pause).not.toContainText('run the batch again');
  await expect(pause).not.toContainText('`');
  const diagnosis = await pause.locator('strong').innerText();
  expect(await timesShown(page, diagnosis)).toBe(1);
  await expect(page.getByRole('log', { name: 'Announcements' }).getByText(/paused, waiting for the model server/)).toHaveCount(1);
  expect(await page.locator('main').innerText()).not.toMatch(EMOJI);
  await expectNoA11yViolations(page, 'paused batch');
  await saveScreenshotsAtBothSizes(page, testInfo, '05-paused-for-the-model-server');

  // "Try now" while it is still down: the answer takes the focus.
  await pause.getByRole('button', { name: 'Try now' }).click();
  const answer = page.getByTestId('model-retry-answer');
  await expect(answer).toContainText('the model server still does not answer');
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('model-retry-answer');
  await saveScreenshotsAtBothSizes(page, testInfo, '06-try-now-still-down');

  // The server comes back at the same address: "Try now" goes on at once (unless the batch's own poll was quicker).
  model = await startFakeModelServer({ models: ['llava:latest'], port });
  const tryNow = pause.getByRole('button', { name: 'Try now' });
  if (await tryNow.isVisible()) {
    await tryNow.click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('batch-state-heading');
  }
  await expect(state).toHaveText('Finished', { timeout: 90_000 });
  await expect(page.getByRole('log', { name: 'Announcements' }).getByText(/the model server is back/)).toHaveCount(1);

  // Finished rows say what happened to the pictures, not a fraction that reads as a failure.
  await expect(row(page, 'anatomy.pptx')).toContainText('2 described · 1 already had alt text');
  await expect(row(page, 'anatomy.pptx').getByRole('gridcell').nth(1)).toHaveText('3');
  await expect(row(page, 'outcomes.pptx')).toContainText(
    '1 described · 1 already had alt text · 1 in slide layouts (left alone) · 1 linked picture (cannot be described)',
  );
  await expect(page.getByTestId('eta')).toHaveText('none, the batch is finished');
  await expectNoA11yViolations(page, 'finished batch');
  await saveScreenshotsAtBothSizes(page, testInfo, '07-finished-rows');
  // In a window 800 px wide every column fits: a row's buttons are in view without scrolling sideways.
  await page.setViewportSize({ width: 800, height: 600 });
  const grid = page.getByRole('grid', { name: 'Queue: one row per deck' });
  expect(await grid.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0);
  const review = row(page, 'anatomy.pptx').getByRole('button', { name: 'Review anatomy.pptx' });
  expect(await review.evaluate((button) => button.getBoundingClientRect().right <= window.innerWidth)).toBe(true);
});
