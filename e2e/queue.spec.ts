import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectNoA11yViolations } from './support/accessibility';
import { startAltgenServe, type AltgenServe } from './support/altgen-serve';
import { buildLectureDecks, makeTestWorld, SCRIPTED_PROCESSOR, writeTruncatedCopy, type TestWorld } from './support/lecture-folder';
import { row } from './support/queue';
import { saveScreenshotsAtBothSizes } from './support/screen-sizes';

/**
 * "The queue people know from HandBrake" (issue 13), in `altgen serve` with Chromium against the
 * real batch core: leave decks out in the preview, pause and continue, move a deck to the front,
 * skip and remove decks, put one back, check again a file a dry run refused once it is fixed,
 * read a deck's log, "When done: notify" through the browser's Notification API, and History's
 * names and clean-up. The processor is the scripted test processor, slow enough to act on the
 * queue while it runs.
 */

let world: TestWorld;
let server: AltgenServe | null = null;

const LECTURES = ['lecture-01.pptx', 'lecture-02.pptx', 'lecture-03.pptx', 'lecture-04.pptx', 'lecture-05.pptx', 'lecture-06.pptx'];

test.beforeEach(async () => {
  world = await makeTestWorld();
});

test.afterEach(async () => {
  await server?.stop();
  server = null;
  await world?.remove();
});

/** The scripted processor, every deck taking `delayMs`, one at a time. */
async function useSlowProcessor(delayMs: number, modes: Record<string, unknown> = {}): Promise<void> {
  await world.setModes({ '*': ['slow', '--delay-ms', String(delayMs)], ...modes });
  await world.writeConfig(
    [
      'processor:',
      `  command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(SCRIPTED_PROCESSOR)}, "by-file", "{input}", "{output}"]`,
      'batch_processing:',
      '  default_max_workers: 1',
      '  stop_on_error_threshold: 1',
      '  dry_run_validates_ollama: false',
      '',
    ].join('\n'),
  );
}

async function openApp(page: Page): Promise<void> {
  server = await startAltgenServe({ configDir: world.configDir, dataDir: world.dataDir, cwd: world.root, env: { ALTGEN_TEST_MODE_FILE: world.modeFile } });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(server.url);
}

async function chooseFolder(page: Page, folder: string, output: string): Promise<void> {
  await page.getByLabel('Folder or PowerPoint files').fill(folder);
  await page.getByRole('button', { name: 'Find decks' }).click();
  await expect(page.getByTestId('discovery-preview')).toBeVisible();
  await page.getByLabel('Output folder').fill(output);
}

/** The deck's dialog: its log and queue actions, opened from its name in the list. */
async function openDeck(page: Page, name: string) {
  await row(page, name).getByRole('button', { name, exact: true }).click();
  const dialog = page.getByRole('dialog', { name });
  await expect(dialog).toBeVisible();
  return dialog;
}

async function activeElementText(page: Page): Promise<string> {
  return page.evaluate(() => `${document.activeElement?.tagName ?? ''} ${document.activeElement?.textContent?.trim() ?? ''}`);
}

test('the queue: leave decks out, pause, move to the front, skip, remove, put back, and each deck\'s log', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await buildLectureDecks(world.lectures, LECTURES);
  // lecture-02 reports its pictures and a warning, as the built-in processor does, for its log.
  await useSlowProcessor(1500, { 'lecture-02.pptx': 'pictures' });
  await openApp(page);
  await chooseFolder(page, world.lectures, path.join(world.root, 'Accessible'));

  // The preview: a deck left out is not in the batch.
  const preview = page.getByTestId('discovery-preview');
  await expect(preview).toContainText('6 decks will be processed');
  await preview.getByRole('button', { name: 'Leave out lecture-06.pptx' }).click();
  await expect(preview).toContainText('5 decks will be processed');
  await expect(preview).toContainText('1 deck left out by you');
  await expect(preview.getByRole('button', { name: 'Include lecture-06.pptx' })).toBeVisible();
  await saveScreenshotsAtBothSizes(page, testInfo, '01-preview-left-out');
  await expectNoA11yViolations(page, 'preview with a deck left out');

  await page.getByRole('button', { name: 'Start processing' }).click();
  await expect(page.getByTestId('batch-state')).toHaveText('Running');
  await expect(page.getByRole('rowheader', { name: 'lecture-06.pptx' })).toHaveCount(0);
  await expect(row(page, 'lecture-01.pptx')).toContainText('Processing', { timeout: 30_000 });

  // Pause: the running deck finishes, no other starts; the focus goes to the batch's state.
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(page.getByTestId('batch-state')).toHaveText(/^Paused/);
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('batch-state');
  await expect(page.getByText('Paused at your request: no deck and no picture starts until you choose Continue.')).toBeVisible();
  await expect(row(page, 'lecture-01.pptx')).toContainText('Complete', { timeout: 30_000 });
  await saveScreenshotsAtBothSizes(page, testInfo, '02-paused');
  await expectNoA11yViolations(page, 'paused batch');
  await expect(row(page, 'lecture-02.pptx')).toContainText('Pending');

  // Move lecture-05 to the front; the focus goes to what it did.
  let dialog = await openDeck(page, 'lecture-05.pptx');
  await dialog.getByRole('button', { name: 'Move to the front' }).click();
  await expect(dialog.getByRole('status')).toHaveText('lecture-05.pptx: Moved to the front: it starts next.');
  await expect.poll(() => activeElementText(page)).toBe('P lecture-05.pptx: Moved to the front: it starts next.');
  await expect(dialog.getByRole('list')).toContainText('Moved to the front of the queue at your request.');
  await saveScreenshotsAtBothSizes(page, testInfo, '03-deck-moved-to-front');
  await expectNoA11yViolations(page, 'deck dialog');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('queue-next')).toHaveText('Next: lecture-05.pptx (moved to the front).');

  dialog = await openDeck(page, 'lecture-03.pptx');
  await dialog.getByRole('button', { name: 'Skip for now' }).click();
  await expect(dialog.getByRole('status')).toHaveText('lecture-03.pptx: Skipped for now: resuming the batch takes it up again.');
  await page.keyboard.press('Escape');
  dialog = await openDeck(page, 'lecture-04.pptx');
  await dialog.getByRole('button', { name: 'Remove from the batch' }).click();
  await expect(dialog.getByRole('status')).toHaveText('lecture-04.pptx: Removed from the batch: choose Put back to process it after all.');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(row(page, 'lecture-03.pptx')).toContainText('Skipped at your request');
  await expect(row(page, 'lecture-04.pptx')).toContainText('Removed');

  // Continue: lecture-05 goes first, then the rest in their order.
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await expect(row(page, 'lecture-05.pptx')).toContainText('Processing', { timeout: 30_000 });
  await expect(row(page, 'lecture-02.pptx')).toContainText('Pending');
  await saveScreenshotsAtBothSizes(page, testInfo, '04-continued');
  await expect(page.getByTestId('batch-state')).toHaveText('Finished', { timeout: 60_000 });
  await expect(row(page, 'lecture-02.pptx')).toContainText('Complete');

  // A complete deck's log: its run and how it ended, saved with the batch.
  dialog = await openDeck(page, 'lecture-01.pptx');
  const log = dialog.getByRole('list', { name: 'Log' });
  await expect(log.getByRole('listitem').first()).toContainText('Started');
  await expect(log.getByRole('listitem').last()).toContainText(/Done in \d+s/);
  await expect(dialog).toContainText(/Saved with the batch in .*\.altgen.logs.batch_.*0\.jsonl/);
  await dialog.getByRole('button', { name: 'Close' }).click();
  // The focus is back on the deck's name in the list.
  await expect.poll(() => activeElementText(page)).toBe('BUTTON lecture-01.pptx');

  // Each picture's decision and the model's time, and the deck's warnings.
  dialog = await openDeck(page, 'lecture-02.pptx');
  const pictures = dialog.getByRole('list', { name: 'Log' }).getByRole('listitem');
  await expect(pictures.filter({ hasText: 'Slide 1, Picture 1: described by the model (the model took 1.2 s, 1 request)' })).toContainText('No alt text: described by the model.');
  await expect(pictures.filter({ hasText: 'Slide 1, Picture 2: kept its alt text' })).toHaveCount(1);
  await expect(pictures.filter({ hasText: 'Warning: scripted warning: the deck was signed' })).toHaveCount(1);
  await saveScreenshotsAtBothSizes(page, testInfo, '05-deck-log');
  await expectNoA11yViolations(page, 'deck log');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // Put the removed deck back: it is pending again, and Resume takes it up.
  dialog = await openDeck(page, 'lecture-04.pptx');
  await dialog.getByRole('button', { name: 'Put back in the queue' }).click();
  await expect(dialog.getByRole('status')).toHaveText('lecture-04.pptx: Put back in the queue.');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(row(page, 'lecture-04.pptx')).toContainText('Pending');
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await expect(page.getByTestId('batch-state')).toHaveText('Finished', { timeout: 60_000 });
  await expect(row(page, 'lecture-04.pptx')).toContainText('Complete');
  await expect(row(page, 'lecture-03.pptx')).toContainText('Complete');
  await saveScreenshotsAtBothSizes(page, testInfo, '06-put-back-and-resumed');
  await expectNoA11yViolations(page, 'finished batch');
});

test('a dry run: a file it refused is checked again once fixed, and then the run takes it up', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await buildLectureDecks(world.lectures, ['lecture-01.pptx', 'lecture-02.pptx', 'lecture-03.pptx']);
  await writeTruncatedCopy(path.join(world.lectures, 'lecture-01.pptx'), path.join(world.lectures, 'damaged.pptx'), 0.5);
  await useSlowProcessor(200);
  await openApp(page);
  await chooseFolder(page, world.lectures, path.join(world.root, 'Accessible'));
  await page.getByRole('button', { name: 'Dry run (check only)' }).click();
  await expect(page.getByTestId('batch-state')).toHaveText('Dry run finished', { timeout: 60_000 });
  await expect(row(page, 'damaged.pptx')).toContainText('Will fail');
  await expect(page.getByText('Choose a file’s name in the list to check it again once you have fixed it')).toBeVisible();

  // Fixed: a whole copy of the deck saved over the damaged one.
  await copyFile(path.join(world.lectures, 'lecture-02.pptx'), path.join(world.lectures, 'damaged.pptx'));
  let dialog = await openDeck(page, 'damaged.pptx');
  await expect(dialog).toContainText('A dry run keeps no log');
  await dialog.getByRole('button', { name: 'Check again' }).click();
  await expect(dialog.getByRole('status')).toHaveText('damaged.pptx: Checked again; its verdict is above.', { timeout: 60_000 });
  await expect(page.getByTestId('batch-state')).toHaveText('Dry run finished', { timeout: 60_000 });
  await expect(dialog).toContainText('Ready');
  await saveScreenshotsAtBothSizes(page, testInfo, '01-dry-run-checked-again');
  await expectNoA11yViolations(page, 'a file checked again');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(row(page, 'damaged.pptx')).toContainText('Ready');

  // A ready deck has nothing to check again.
  dialog = await openDeck(page, 'lecture-03.pptx');
  await expect(dialog.getByRole('button', { name: 'Check again' })).toHaveCount(0);
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Start processing these files' }).click();
  await expect(page.getByTestId('batch-state')).toHaveText('Finished', { timeout: 60_000 });
  await expect(row(page, 'damaged.pptx')).toContainText('Complete');
  await expect(page.getByRole('rowheader')).toHaveCount(4);
});

test('When done: notify, through the browser\'s Notification API, and said in the page', async ({ page, context }, testInfo) => {
  test.setTimeout(120_000);
  await buildLectureDecks(world.lectures, ['lecture-01.pptx', 'lecture-02.pptx']);
  await useSlowProcessor(800);
  // The notifications the page shows, recorded (a headless browser shows none on a screen).
  await page.addInitScript(() => {
    const shown: { title: string; body: string }[] = [];
    (window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown;
    const Real = window.Notification;
    class Recorded extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push({ title, body: options?.body ?? '' });
      }
    }
    Object.defineProperty(window, 'Notification', { value: Recorded });
  });
  await openApp(page);
  await context.grantPermissions(['notifications'], { origin: new URL(page.url()).origin });
  await chooseFolder(page, world.lectures, path.join(world.root, 'Accessible'));
  await page.getByRole('button', { name: 'Start processing' }).click();
  await expect(page.getByTestId('batch-state')).toHaveText('Running');
  const whenDone = page.getByLabel('When done');
  await expect(whenDone.getByRole('option')).toHaveText(['Do nothing', 'Notify me']);
  await whenDone.selectOption('notify');
  await saveScreenshotsAtBothSizes(page, testInfo, '01-when-done-notify');
  await expectNoA11yViolations(page, 'when done');
  await expect(page.getByTestId('batch-state')).toHaveText('Finished', { timeout: 60_000 });
  await expect.poll(() => page.evaluate(() => (window as unknown as { shownNotifications: unknown[] }).shownNotifications)).toEqual([{ title: 'Batch finished', body: '2 decks done.' }]);
  await expect(page.getByRole('status').filter({ hasText: 'Batch finished. 2 decks done.' })).toBeVisible();
  await saveScreenshotsAtBothSizes(page, testInfo, '02-notified');
});

test('History: batches named by their folder, with folder, time and counts, and a clean-up by the cleanup rules', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const cardiology = path.join(world.root, 'Fall 2026', 'Cardiology');
  const neurology = path.join(world.root, 'Fall 2026', 'Neurology');
  await buildLectureDecks(cardiology, ['heart.pptx', 'valves.pptx']);
  await buildLectureDecks(neurology, ['brain.pptx']);
  await useSlowProcessor(200);
  await openApp(page);
  await chooseFolder(page, cardiology, path.join(world.root, 'Cardiology (accessible)'));
  await page.getByRole('button', { name: 'Start processing' }).click();
  await expect(page.getByTestId('batch-state')).toHaveText('Finished', { timeout: 60_000 });
  await page.getByRole('navigation').getByRole('button', { name: /^New batch/ }).click();
  await chooseFolder(page, neurology, path.join(world.root, 'Neurology (accessible)'));
  await page.getByRole('button', { name: 'Start processing' }).click();
  await expect(page.getByTestId('batch-state')).toHaveText('Finished', { timeout: 60_000 });

  // The Cardiology batch finished long ago.
  const cardiologyOut = path.join(world.root, 'Cardiology (accessible)');
  const manifest = path.join(cardiologyOut, (await readdir(cardiologyOut)).find((name) => name.endsWith('_manifest.json'))!);
  const stored = JSON.parse(await readFile(manifest, 'utf8')) as Record<string, unknown>;
  await writeFile(manifest, JSON.stringify({ ...stored, start_time: '2025-09-01T09:00:00.000+02:00', end_time: '2025-09-01T09:05:00.000+02:00' }));

  await page.getByRole('navigation').getByRole('button', { name: /^Batch history/ }).click();
  const history = page.getByRole('table');
  const cardiologyRow = history.getByRole('row').filter({ hasText: 'Fall 2026 – Cardiology' });
  await expect(cardiologyRow).toContainText(cardiology);
  await expect(cardiologyRow).toContainText('2 of 2 files done');
  await expect(history.getByRole('row').filter({ hasText: 'Fall 2026 – Neurology' })).toContainText(/ran \d+s/);
  await saveScreenshotsAtBothSizes(page, testInfo, '01-history-named');
  await expectNoA11yViolations(page, 'history');

  await page.getByRole('button', { name: 'Find batches to clean up' }).click();
  const result = page.getByTestId('cleanup-result');
  await expect(result).toContainText('1 finished batch older than 30 days can be removed');
  await expect(result).toContainText('Fall 2026 – Cardiology');
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('cleanup-result');
  await saveScreenshotsAtBothSizes(page, testInfo, '02-cleanup-preview');
  await expectNoA11yViolations(page, 'clean-up preview');
  await page.getByRole('button', { name: 'Remove them' }).click();
  await expect(result).toHaveText('Removed 1 batch.');
  await expect(history.getByRole('row').filter({ hasText: 'Fall 2026 – Cardiology' })).toHaveCount(0);
  await expect(history.getByRole('row').filter({ hasText: 'Fall 2026 – Neurology' })).toHaveCount(1);
  // The copies stay.
  expect((await readdir(cardiologyOut)).filter((name) => name.endsWith('.pptx')).sort()).toEqual(['heart.pptx', 'valves.pptx']);
  await saveScreenshotsAtBothSizes(page, testInfo, '03-cleaned-up');
  await expectNoA11yViolations(page, 'cleaned up');
});
