import path from 'node:path';
import { expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { startFakeModelServer } from '../src/main/describe/testing/fake-model-server';
import { findElectronBinary, killAltgenDesktop, launchAltgenDesktop } from './support/electron-app';
import { makeTestWorld } from './support/lecture-folder';
import { LECTURES, prepareMainFlowBatch } from './support/main-flow-batch';
import { countOf, row } from './support/queue';
import { saveScreenshot } from './support/screenshots';

/**
 * The main flow of main-flow.spec.ts in the Electron app instead of `altgen serve` in a browser:
 * the same folder, processor and UI, with the preload's IPC bridge in place of the WebSocket.
 * Enter a folder, preview, dry-run, start, watch the rows turn ✅/❌/⏭️, SIGKILL the app
 * mid-batch, start it again and resume. The browser-only steps (drop without paths, the
 * in-app folder browser) and the steps after the resume stay in main-flow.spec.ts.
 * Skips where the Electron binary is not installed (its download needs the network).
 */

/** What the test started, undone in reverse order after it, whether it passed or failed. */
const cleanups: (() => Promise<void>)[] = [];

test.afterEach(async () => {
  for (const undo of cleanups.splice(0).reverse()) await undo();
});

/** The page must have no Node, only the preload's named bridge. */
async function expectLockedDown(window: Page): Promise<void> {
  expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
  const bridge = await window.evaluate(() => {
    const altgen = (globalThis as { altgen?: Record<string, unknown> }).altgen;
    return altgen ? { invoke: typeof altgen['invoke'], on: typeof altgen['on'] } : null;
  });
  expect(bridge).toEqual({ invoke: 'function', on: 'function' });
  expect(await window.evaluate(() => (globalThis as { altgenHost?: { kind?: unknown } }).altgenHost?.kind)).toBe('electron');
}

test('AltGen Desktop (Electron): preview, dry run, run, crash, resume', async () => {
  const electron = findElectronBinary();
  if (!electron.installed) {
    test.skip(true, electron.reason);
    return;
  }
  const binary = electron.path;
  test.setTimeout(240_000);
  const testInfo = test.info();
  const world = await makeTestWorld();
  cleanups.push(() => world.remove());
  const model = await startFakeModelServer({ models: ['llava:latest'] });
  cleanups.push(() => model.stop());
  await prepareMainFlowBatch(world, model.url);

  /** Starts the app on the world's folders; a relaunch finds what the killed one left behind. */
  async function launch(): Promise<{ app: ElectronApplication; page: Page }> {
    const app = await launchAltgenDesktop(binary, {
      configDir: world.configDir,
      dataDir: world.dataDir,
      profileDir: path.join(world.root, 'electron-profile'),
      cwd: world.root,
      env: { ALTGEN_TEST_MODE_FILE: world.modeFile },
    });
    // Ended with SIGKILL whatever happens: quitting mid-batch would wait on a question (close-guard.ts).
    cleanups.push(() => killAltgenDesktop(app));
    return { app, page: await app.firstWindow() };
  }

  const first = await launch();
  let page = first.page;
  await expect(page.getByRole('heading', { name: 'AltGen Desktop', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'New batch' })).toBeVisible();
  await expectLockedDown(page);
  await saveScreenshot(page, testInfo, '01-start');

  // Enter the folder: the preview says what was found before anything runs.
  await page.getByLabel('Folder or PowerPoint files').fill(world.lectures);
  await page.getByRole('button', { name: 'Find decks' }).click();
  const preview = page.getByTestId('discovery-preview');
  await expect(preview).toContainText('8 decks will be processed');
  await expect(preview).toContainText('1 file will be skipped');
  await expect(preview.getByRole('row').filter({ hasText: 'old-lecture.ppt' })).toContainText('Will be skipped');
  await expect(page.getByLabel('Output folder')).not.toHaveValue('');
  await page.getByLabel('Output folder').fill(path.join(world.root, 'Accessible'));
  await saveScreenshot(page, testInfo, '02-preview');

  // Dry run: a verdict per file and for the batch, with the model server check.
  await page.getByRole('button', { name: 'Dry run (check only)' }).click();
  await expect(page.getByTestId('batch-state')).toHaveText('Dry run finished', { timeout: 30_000 });
  const verdict = page.getByTestId('dry-run-verdict');
  await expect(verdict).toContainText('7 decks can be processed');
  await expect(verdict).toContainText(/\d+ pictures, \d+ of them need alt text/);
  await expect(verdict).toContainText('Model server: ✅ reachable');
  await expect(row(page, 'damaged.pptx')).toContainText('❌ Failed');
  await expect(row(page, 'damaged.pptx')).toContainText('Will fail');
  await expect(row(page, 'old-lecture.ppt')).toContainText('⏭️ Skipped');
  await expect(row(page, 'lecture-01.pptx')).toContainText(/Ready: 3 pictures, 2 need alt text/);
  await saveScreenshot(page, testInfo, '03-dry-run');

  // Start: rows turn ✅/❌/⏭️, the header counts and estimates.
  await page.getByRole('button', { name: 'Start processing these files' }).click();
  await expect(page.getByTestId('batch-state')).toHaveText('Running');
  await expect(page.getByRole('log', { name: 'Announcements' })).toContainText('Batch started');
  await expect(row(page, 'broken-upload.pptx')).toContainText('❌ Failed', { timeout: 30_000 });
  await expect(row(page, 'old-lecture.ppt')).toContainText('⏭️ Skipped');
  await expect(row(page, 'lecture-02.pptx')).toContainText('✅ Complete', { timeout: 30_000 });
  await expect(page.getByTestId('eta')).toHaveText(/about|almost/);
  await expect(countOf(page, 'Complete')).toContainText(/Complete\s+[2-6]/);
  const progress = page.getByRole('progressbar', { name: 'Batch progress' });
  expect(Number(await progress.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(3);
  await expect(progress).toHaveAttribute('aria-valuemax', '9');
  await saveScreenshot(page, testInfo, '04-running');

  // Crash: SIGKILL the app in the middle of the batch (closing it would ask first).
  await expect(row(page, 'lecture-06.pptx')).toContainText('Pending');
  await killAltgenDesktop(first.app);

  // Start it again: the unfinished batch is offered for Resume first thing.
  page = (await launch()).page;
  await expectLockedDown(page);
  const unfinished = page.getByTestId('unfinished-batches');
  await expect(unfinished).toContainText('An unfinished batch can be resumed');
  await saveScreenshot(page, testInfo, '05-resume-offered');
  await unfinished.getByRole('button', { name: /^Resume/ }).click();
  await expect(page.getByRole('heading', { name: 'Current batch' })).toBeVisible();
  await expect(page.getByTestId('batch-state')).toHaveText('Finished', { timeout: 60_000 });
  for (const name of LECTURES) await expect(row(page, name)).toContainText('✅ Complete');
  await expect(row(page, 'broken-upload.pptx')).toContainText('❌ Failed');
  await expect(row(page, 'damaged.pptx')).toContainText('❌ Failed');
  await expect(row(page, 'old-lecture.ppt')).toContainText('⏭️ Skipped');
  await expect(countOf(page, 'Complete')).toContainText('Complete 6');
  await expect(countOf(page, 'Failed')).toContainText('Failed 2');
  await expect(countOf(page, 'Skipped')).toContainText('Skipped 1');
  await expect(page.getByRole('progressbar', { name: 'Batch progress' })).toHaveAttribute('aria-valuenow', '9');
  await expect(page.getByRole('log', { name: 'Announcements' })).toContainText('Batch finished');
  await saveScreenshot(page, testInfo, '06-finished');
});
