import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startFakeModelServer, type FakeModelServer } from '../src/main/describe/testing/fake-model-server';
import { expectNoA11yViolations } from './support/accessibility';
import { startAltgenServe, type AltgenServe } from './support/altgen-serve';
import { SCRIPTED_PROCESSOR, buildLectureDecks, makeTestWorld, type TestWorld } from './support/lecture-folder';
import { row } from './support/queue';
import { saveScreenshotsAtBothSizes } from './support/screen-sizes';

/**
 * "Keep the user's place" (issue 13), and the running batch's header, as they were found: a
 * batch run from the keyboard alone, in `altgen serve` with Chromium. After every action the
 * focus is on its result, never on <body>; buttons busy with their action stay focusable
 * (aria-disabled); the header names the file being worked on, the table follows it at 800×600
 * until the user scrolls, the tab's title carries the progress, elapsed time is the batch's
 * across a resume, progress can be announced at 25/50/75 %, and the icons are SVG beside words,
 * visible in forced colours. The processor is the scripted test processor, slow enough to watch.
 */

const DECKS = Array.from({ length: 16 }, (_, i) => `lecture-${String(i + 1).padStart(2, '0')}.pptx`);

let world: TestWorld;
let model: FakeModelServer;
let server: AltgenServe | null = null;

test.beforeEach(async () => {
  world = await makeTestWorld();
  model = await startFakeModelServer({ models: ['llava:latest'] });
  await buildLectureDecks(world.lectures, DECKS);
  await world.setModes({ '*': ['slow', '--delay-ms', '1500'] });
  await world.writeConfig(
    [
      'processor:',
      `  command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(SCRIPTED_PROCESSOR)}, "by-file", "{input}", "{output}"]`,
      'model:',
      `  base_url: ${JSON.stringify(model.url)}`,
      '  name: llava',
      '',
    ].join('\n'),
  );
});

test.afterEach(async () => {
  await server?.stop();
  server = null;
  await model?.stop();
  await world?.remove();
});

/** The element that has the focus, as a short description: never the page's <body>. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return 'body';
    return element.id || element.getAttribute('data-testid') || `${element.tagName.toLowerCase()}:${element.textContent?.trim().slice(0, 40) ?? ''}`;
  });
}

/** Presses a control from the keyboard: focus it, then Enter (no mouse anywhere). */
async function press(control: Locator): Promise<void> {
  await control.focus();
  await control.page().keyboard.press('Enter');
}

function seconds(elapsed: string): number {
  const match = /^(?:(\d+)m )?(\d+)s$/.exec(elapsed.trim());
  if (!match) throw new Error(`Not an elapsed time: ${elapsed}`);
  return Number(match[1] ?? 0) * 60 + Number(match[2]);
}

test('a batch run from the keyboard keeps the user’s place and says where it is', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  server = await startAltgenServe({ configDir: world.configDir, dataDir: world.dataDir, cwd: world.root, env: { ALTGEN_TEST_MODE_FILE: world.modeFile } });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(server.url);

  const field = page.getByLabel('Folder or PowerPoint files');
  await field.focus();
  await page.keyboard.type(world.lectures);
  await press(page.getByRole('button', { name: 'Find decks' }));
  await expect(page.getByTestId('discovery-preview')).toContainText('16 decks will be processed');
  const output = page.getByLabel('Output folder');
  await output.focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(path.join(world.root, 'Accessible'));

  // A dry run, then "Start processing these files": the button is gone, the focus is on the batch's state.
  await press(page.getByRole('button', { name: 'Dry run (check only)' }));
  const state = page.getByTestId('batch-state');
  await expect(state).toHaveText('Dry run finished', { timeout: 60_000 });
  // The screen changed: its heading or the batch's state has the focus.
  await expect.poll(() => focused(page)).toMatch(/^(batch-state-heading|h2:Dry run)$/);
  // Progress at 25, 50 and 75 %, when asked for.
  const milestones = page.getByLabel('Announce progress at 25, 50 and 75 %');
  await milestones.focus();
  await page.keyboard.press('Space');
  await expect(milestones).toBeChecked();
  await press(page.getByRole('button', { name: 'Start processing these files' }));
  await expect(state).toHaveText('Running', { timeout: 30_000 });
  await expect.poll(() => focused(page)).toBe('batch-state-heading');

  // The file being worked on is named, and the tab's title carries the progress.
  const now = page.getByTestId('now-line');
  await expect(now).toHaveText(/^Now: lecture-\d\d\.pptx — (starting|picture \d of 5|writing the copy)$/);
  await expect.poll(() => page.title()).toMatch(/^\d+% \(\d+ of 16\) done — AltGen Desktop$/);
  // The file's name is its row's header; the table says how to move in it.
  await expect(page.getByRole('rowheader', { name: 'lecture-01.pptx', exact: true })).toBeVisible();
  await expect(page.getByText('the arrow keys move from cell to cell')).toBeVisible();
  await expectNoA11yViolations(page, 'running batch');
  await saveScreenshotsAtBothSizes(page, testInfo, '01-running');

  // At 800×600 the table follows the file being processed, past the rows first in view.
  await page.setViewportSize({ width: 800, height: 600 });
  const grid = page.getByRole('grid', { name: 'Queue: one row per deck' });
  await grid.scrollIntoViewIfNeeded();
  await expect(row(page, 'lecture-11.pptx')).toContainText('Processing', { timeout: 60_000 });
  await expect(row(page, 'lecture-11.pptx')).toBeInViewport();
  // Ten of sixteen done: a quarter and a half have been announced.
  const log = page.getByRole('log', { name: 'Announcements' });
  await expect(log).toContainText('Batch 25% done: 4 of 16 files.');
  await expect(log).toContainText('Batch 50% done: 8 of 16 files.');
  await saveScreenshotsAtBothSizes(page, testInfo, '02-following-the-active-row');
  // Resizing the window (1280×800 and back, as the screenshots just did) is not the user scrolling away.
  await expect(page.locator('.queue-grid [role="row"]').filter({ hasText: 'Processing' })).toBeInViewport();
  // The user scrolls the table themselves: it stays where they put it, and offers the way back.
  await page.getByRole('rowheader', { name: 'lecture-11.pptx', exact: true }).hover();
  await page.mouse.wheel(0, -2000);
  const body = page.locator('.queue-grid .grid-body');
  await expect.poll(() => body.evaluate((element) => element.scrollTop)).toBe(0);
  await expect(row(page, 'lecture-13.pptx')).toContainText('Processing', { timeout: 60_000 });
  expect(await body.evaluate((element) => element.scrollTop)).toBe(0);
  const back = page.getByRole('button', { name: 'Show the file being processed' });
  await expect(back).toBeVisible();
  await press(back);
  await expect(page.locator('.queue-grid [role="row"]').filter({ hasText: 'Processing' })).toBeInViewport();
  // The button went away: the focus is on the row it brought back, not on <body>.
  await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[role="row"]')?.textContent ?? 'body')).toMatch(/lecture-1\d\.pptx/);
  await page.setViewportSize({ width: 1280, height: 800 });

  // "Stop after current files": busy, it stays focusable (aria-disabled); the focus goes to the state it caused.
  await press(page.getByRole('button', { name: 'Stop after current files' }));
  await expect.poll(() => focused(page)).toBe('batch-state-heading');
  // (Once the running file is done the batch has stopped and the button is gone: then there is nothing to look at.)
  const stopping = await page
    .getByRole('button', { name: 'Stopping…' })
    .evaluate((button) => ({ ariaDisabled: button.getAttribute('aria-disabled'), disabled: button.hasAttribute('disabled') }), undefined, { timeout: 1000 })
    .catch(() => null);
  if (stopping) expect(stopping).toEqual({ ariaDisabled: 'true', disabled: false });
  await expect(state).toHaveText('Stopped', { timeout: 30_000 });
  await expect(page.getByTestId('stop-reason')).toHaveText('Stopped at your request after the running files finished.');
  await expect(log.getByText('Stopped at your request after the running files finished.')).toHaveCount(1);
  const beforeResume = seconds(await page.getByTestId('elapsed').innerText());
  expect(beforeResume).toBeGreaterThan(0);
  await expectNoA11yViolations(page, 'stopped batch');
  await saveScreenshotsAtBothSizes(page, testInfo, '03-stopped');

  // Resume: the batch's elapsed time goes on from its total, not from 0.
  await press(page.getByRole('button', { name: 'Resume' }));
  await expect(state).toHaveText('Running', { timeout: 30_000 });
  await expect.poll(() => focused(page)).toBe('batch-state-heading');
  expect(seconds(await page.getByTestId('elapsed').innerText())).toBeGreaterThanOrEqual(beforeResume);
  await expect(state).toHaveText('Finished', { timeout: 120_000 });
  await expect.poll(() => page.title()).toBe('Finished — AltGen Desktop');
  await expect(log).toContainText('Batch 75% done: 12 of 16 files.');

  // SVG icons beside words, no emoji; in forced colours the progress bar still shows its fill.
  await expect(page.getByRole('list', { name: 'Files by status' }).locator('svg')).toHaveCount(5);
  expect(await page.locator('main').innerText()).not.toMatch(/[\u{1F300}-\u{1FAFF}\u{2600}-\u{27BF}\u{FE0F}]/u);
  await page.emulateMedia({ forcedColors: 'active' });
  const colours = await page.evaluate(() => {
    const fill = document.querySelector('.progress-fill');
    const track = document.querySelector('.progress-track');
    return fill && track ? [getComputedStyle(fill).backgroundColor, getComputedStyle(track).backgroundColor] : null;
  });
  expect(colours).not.toBeNull();
  expect(colours?.[0]).not.toBe(colours?.[1]);
  await expectNoA11yViolations(page, 'finished batch in forced colours');
  await saveScreenshotsAtBothSizes(page, testInfo, '04-finished-forced-colours');
  await page.emulateMedia({ forcedColors: 'none' });
  await expectNoA11yViolations(page, 'finished batch');
  await saveScreenshotsAtBothSizes(page, testInfo, '05-finished');
});
