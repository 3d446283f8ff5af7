import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, type Page, type TestInfo } from '@playwright/test';
import { startFakeModelServer } from '../../src/main/describe/testing/fake-model-server';
import { expectNoSeriousA11yViolations } from './accessibility';
import { makeTestWorld, type TestWorld } from './lecture-folder';
import { LECTURES, prepareMainFlowBatch } from './main-flow-batch';
import { countOf, row } from './queue';
import { saveScreenshot } from './screenshots';

/**
 * The main flow, written once and run by two hosts: `altgen serve` in Chromium
 * (main-flow.spec.ts) and the Electron app (electron.spec.ts), against the real batch core and
 * real decks. Enter a folder, preview, dry-run, start, watch the rows turn complete/failed/skipped, kill the
 * host mid-batch, start it again and resume, filter and sort, look at the failed files and
 * retry one, see the history, change a setting. The processor is the scripted test processor,
 * told per deck what to do (main-flow-batch.ts).
 */

/**
 * Where the app runs. `browser`: the page of `altgen serve`, which has no native folder picker,
 * is given no paths by a drop and cannot open the file manager, so it says so in the page; the
 * page outlives its server. `electron`: the desktop app, whose native dialogs and file manager a
 * test cannot drive.
 */
export interface Host {
  readonly kind: 'browser' | 'electron';
  /**
   * Starts the app on the world's folders and gives its page once it shows, with the host's own
   * checks made; started again after `kill`, it finds what the killed one left behind.
   */
  start(): Promise<Page>;
  /** Kills the running app without any chance to clean up, as a crash or power cut would. */
  kill(): Promise<void>;
  /** Ends whatever this host still runs, whether the flow passed or failed. */
  stop(): Promise<void>;
}

/**
 * Scans the screen for WCAG problems. axe's scan opens a second page in the browser context,
 * which Playwright's Electron support cannot; the renderer is the same in both hosts, so the
 * browser host scans it.
 */
async function expectAccessible(host: Host, page: Page, screen: string): Promise<void> {
  if (host.kind === 'browser') await expectNoSeriousA11yViolations(page, screen);
}

/** Runs the main flow on the host `open` makes for a fresh world, then removes everything it started. */
export async function runMainFlow(open: (world: TestWorld) => Host, testInfo: TestInfo): Promise<void> {
  testInfo.setTimeout(240_000);
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const world = await makeTestWorld();
    cleanups.push(() => world.remove());
    const model = await startFakeModelServer({ models: ['llava:latest'] });
    cleanups.push(() => model.stop());
    await prepareMainFlowBatch(world, model.url);
    const host = open(world);
    cleanups.push(() => host.stop());
    await mainFlow(host, world, testInfo);
  } finally {
    for (const undo of cleanups.reverse()) await undo();
  }
}

async function mainFlow(host: Host, world: TestWorld, testInfo: TestInfo): Promise<void> {
  let page = await host.start();
  await expect(page.getByRole('heading', { name: 'AltGen Desktop', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'New batch' })).toBeVisible();
  await saveScreenshot(page, testInfo, '01-start');
  await expectAccessible(host, page, 'new batch');

  if (host.kind === 'browser') {
    // A drop in a browser gives no paths: the page says to type or browse instead.
    const dropped = await page.evaluateHandle(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['not a deck'], 'lecture.pptx'));
      return transfer;
    });
    await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer: dropped });
    await expect(page.getByTestId('drop-zone')).toContainText('This browser does not tell AltGen where dropped files are');

    // The in-app folder browser (the web host has no native picker).
    await page.getByRole('button', { name: 'Browse…' }).first().click();
    const browser = page.getByRole('dialog', { name: 'Choose the folder of decks' });
    await expect(browser).toBeVisible();
    await expect(browser.getByTestId('browser-path')).not.toHaveText('…');
    await saveScreenshot(page, testInfo, '02-folder-browser');
    await expectAccessible(host, page, 'folder browser');
    await browser.getByRole('button', { name: 'Cancel' }).click();
    await expect(browser).toBeHidden();
  }

  // Enter the folder: the preview says what was found before anything runs.
  await page.getByLabel('Folder or PowerPoint files').fill(world.lectures);
  await page.getByRole('button', { name: 'Find decks' }).click();
  const preview = page.getByTestId('discovery-preview');
  await expect(preview).toContainText('8 decks will be processed');
  await expect(preview).toContainText('1 file will be skipped');
  await expect(preview.getByRole('row').filter({ hasText: 'old-lecture.ppt' })).toContainText('Will be skipped');
  await expect(page.getByLabel('Output folder')).not.toHaveValue('');
  await page.getByLabel('Output folder').fill(path.join(world.root, 'Accessible'));
  await saveScreenshot(page, testInfo, '03-preview');
  await expectAccessible(host, page, 'preview');

  // Dry run: a verdict per file and for the batch, with the model server check.
  await page.getByRole('button', { name: 'Dry run (check only)' }).click();
  await expect(page.getByTestId('batch-state')).toHaveText('Dry run finished', { timeout: 30_000 });
  const verdict = page.getByTestId('dry-run-verdict');
  await expect(verdict).toContainText('7 decks can be processed');
  await expect(verdict).toContainText(/\d+ pictures, \d+ to describe/);
  await expect(verdict).toContainText('Model server: reachable');
  await expect(row(page, 'damaged.pptx')).toContainText('Will fail');
  await expect(row(page, 'old-lecture.ppt')).toContainText('Will be skipped');
  await expect(row(page, 'lecture-01.pptx')).toContainText(/Ready: 3 pictures, 2 to describe/);
  await saveScreenshot(page, testInfo, '04-dry-run');
  await expectAccessible(host, page, 'dry run');

  // Start: the run takes the decks the dry run found ready (the damaged and the legacy file stay
  // out until fixed and checked again); rows turn complete/failed, the header counts and estimates.
  await page.getByRole('button', { name: 'Start processing these files' }).click();
  await expect(page.getByTestId('batch-state')).toHaveText('Running');
  await expect(page.getByRole('log', { name: 'Announcements' })).toContainText('Batch started');
  await expect(page.getByRole('grid')).toHaveAttribute('aria-rowcount', '8');
  await expect(row(page, 'broken-upload.pptx')).toContainText('Failed', { timeout: 30_000 });
  await expect(row(page, 'old-lecture.ppt')).toHaveCount(0);
  await expect(row(page, 'lecture-02.pptx')).toContainText('Complete', { timeout: 30_000 });
  await expect(page.getByTestId('eta')).toHaveText(/about|almost/);
  await expect(countOf(page, 'Complete')).toContainText(/Complete\s+[2-6]/);
  const running = page.getByRole('progressbar', { name: 'Batch progress' });
  expect(Number(await running.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(3);
  await expect(running).toHaveAttribute('aria-valuemax', '7');
  await saveScreenshot(page, testInfo, '05-running');
  await expectAccessible(host, page, 'running batch');

  // Crash: kill the host in the middle of the batch (closing the desktop app would ask first).
  await expect(row(page, 'lecture-06.pptx')).toContainText('Pending');
  await host.kill();
  // The browser's page outlives its server.
  if (host.kind === 'browser') await saveScreenshot(page, testInfo, '06-server-killed');

  // Start it again: the unfinished batch is offered for Resume first thing.
  page = await host.start();
  const unfinished = page.getByTestId('unfinished-batches');
  await expect(unfinished).toContainText('An unfinished batch can be resumed');
  await saveScreenshot(page, testInfo, '07-resume-offered');
  await unfinished.getByRole('button', { name: /^Resume/ }).click();
  await expect(page.getByRole('heading', { name: 'Current batch' })).toBeVisible();
  await expect(page.getByTestId('batch-state')).toHaveText('Finished', { timeout: 60_000 });
  for (const name of LECTURES) await expect(row(page, name)).toContainText('Complete');
  await expect(row(page, 'broken-upload.pptx')).toContainText('Failed');
  await expect(countOf(page, 'Complete')).toContainText('Complete 6');
  await expect(countOf(page, 'Failed')).toContainText('Failed 1');
  await expect(countOf(page, 'Skipped')).toContainText('Skipped 0');
  await expect(page.getByRole('progressbar', { name: 'Batch progress' })).toHaveAttribute('aria-valuenow', '7');
  await expect(page.getByRole('log', { name: 'Announcements' })).toContainText('Batch finished');
  await saveScreenshot(page, testInfo, '08-finished');

  // Filter and sort the queue.
  await page.getByLabel('Filter by status').selectOption('failed');
  await expect(page.getByRole('grid')).toHaveAttribute('aria-rowcount', '2');
  await page.getByRole('columnheader', { name: 'File', exact: true }).getByRole('button').click();
  await expect(page.getByRole('columnheader', { name: 'File', exact: true })).toHaveAttribute('aria-sort', 'ascending');
  await saveScreenshot(page, testInfo, '09-filtered');
  await page.getByLabel('Filter by status').selectOption('all');

  // The failed files: the error in words, the folder, retry one.
  await page.getByRole('button', { name: /Failed files/ }).click();
  const failedList = page.getByRole('list', { name: 'Failed files' });
  const broken = failedList.getByRole('listitem').filter({ hasText: 'broken-upload.pptx' });
  await expect(broken).toContainText('scripted failure: could not process broken-upload.pptx');
  const reveal = broken.getByRole('button', { name: /^Show broken-upload.pptx in its folder/ });
  if (host.kind === 'browser') {
    // The page cannot open the file manager: it says where the file is instead.
    await reveal.click();
    await expect(page.getByRole('status').filter({ hasText: 'broken-upload.pptx' })).toBeVisible();
  } else {
    // The desktop app opens the file manager, which is not for a test to open.
    await expect(reveal).toBeVisible();
  }
  await saveScreenshot(page, testInfo, '10-failed-files');
  await expectAccessible(host, page, 'failed files');

  await world.setModes({ '*': 'succeed' });
  await broken.getByRole('button', { name: 'Retry broken-upload.pptx' }).click();
  await expect(page.getByTestId('batch-state')).toHaveText('Finished', { timeout: 30_000 });
  await expect(row(page, 'broken-upload.pptx')).toContainText('Complete');
  await expect(countOf(page, 'Failed')).toContainText('Failed 0');

  // Batch history: the batch and the dry run, with Open.
  await page.getByRole('button', { name: 'Batch history' }).click();
  const history = page.getByRole('table');
  await expect(history.getByRole('row')).toHaveCount(3);
  await expect(history).toContainText('Dry run of');
  await saveScreenshot(page, testInfo, '11-history');
  await expectAccessible(host, page, 'batch history');

  // Settings: a bad value is refused next to its field; a good one is saved to config.yaml.
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Character limit').fill('5');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('The character limit must be a whole number from 40 to 1000.')).toBeVisible();
  await expect(page.getByLabel('Character limit')).toHaveAttribute('aria-invalid', 'true');
  await saveScreenshot(page, testInfo, '12-settings-invalid');
  await page.getByLabel('Character limit').fill('150');
  await page.getByLabel('Model', { exact: true }).fill('llava:13b');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
  const saved = await readFile(path.join(world.configDir, 'config.yaml'), 'utf8');
  expect(saved).toContain('llava:13b');
  expect(saved).toMatch(/char_limit: 150/);
  await saveScreenshot(page, testInfo, '13-settings-saved');
  await expectAccessible(host, page, 'settings');
}
