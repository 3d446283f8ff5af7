import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startFakeModelServer, type FakeModelServer } from '../src/main/describe/testing/fake-model-server';
import { expectNoSeriousA11yViolations } from './support/accessibility';
import { startAltgenServe, type AltgenServe } from './support/altgen-serve';
import { makeTestWorld, type TestWorld } from './support/lecture-folder';
import { LECTURES, prepareMainFlowBatch } from './support/main-flow-batch';
import { countOf, row } from './support/queue';
import { saveScreenshot } from './support/screenshots';

/**
 * The main flow against the real `altgen serve`, the real batch core and real decks: enter a
 * folder, preview, dry-run, start, watch the rows turn ✅/❌/⏭️, SIGKILL the server mid-batch,
 * start it again and resume, review the failed files, retry one, change a setting.
 * The processor is the scripted test processor, told per deck what to do (support/main-flow-batch.ts).
 * electron.spec.ts runs the same flow in the Electron app.
 */

let world: TestWorld;
let model: FakeModelServer;
const servers: AltgenServe[] = [];

test.beforeEach(async () => {
  world = await makeTestWorld();
  model = await startFakeModelServer({ models: ['llava:latest'] });
  await prepareMainFlowBatch(world, model.url);
});

test.afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  await model?.stop();
  await world?.remove();
});

async function serve(): Promise<AltgenServe> {
  const server = await startAltgenServe({
    configDir: world.configDir,
    dataDir: world.dataDir,
    cwd: world.root,
    env: { ALTGEN_TEST_MODE_FILE: world.modeFile },
  });
  servers.push(server);
  return server;
}

test('a folder of decks: preview, dry run, run, crash, resume, failed files, settings', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const first = await serve();
  await page.goto(first.url);
  await expect(page.getByRole('heading', { name: 'AltGen Desktop', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'New batch' })).toBeVisible();
  await saveScreenshot(page, testInfo, '01-start');
  await expectNoSeriousA11yViolations(page, 'new batch');

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
  await expectNoSeriousA11yViolations(page, 'folder browser');
  await browser.getByRole('button', { name: 'Cancel' }).click();
  await expect(browser).toBeHidden();

  // Enter the folder: the preview says what was found before anything runs.
  await page.getByLabel('Folder or PowerPoint files').fill(world.lectures);
  await page.getByRole('button', { name: 'Find decks' }).click();
  const preview = page.getByTestId('discovery-preview');
  await expect(preview).toContainText('8 decks will be processed');
  await expect(preview).toContainText('1 file will be skipped');
  await expect(preview.getByRole('row').filter({ hasText: 'old-lecture.ppt' })).toContainText('Will be skipped');
  await expect(page.getByLabel('Output folder')).not.toHaveValue('');
  const outputDir = path.join(world.root, 'Accessible');
  await page.getByLabel('Output folder').fill(outputDir);
  await saveScreenshot(page, testInfo, '03-preview');
  await expectNoSeriousA11yViolations(page, 'preview');

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
  await saveScreenshot(page, testInfo, '04-dry-run');
  await expectNoSeriousA11yViolations(page, 'dry run');

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
  await saveScreenshot(page, testInfo, '05-running');
  await expectNoSeriousA11yViolations(page, 'running batch');

  // Crash: SIGKILL the server in the middle of the batch.
  await expect(row(page, 'lecture-06.pptx')).toContainText('Pending');
  await first.kill();
  await saveScreenshot(page, testInfo, '06-server-killed');

  // Start it again: the unfinished batch is offered for Resume first thing.
  const second = await serve();
  await page.goto(second.url);
  const unfinished = page.getByTestId('unfinished-batches');
  await expect(unfinished).toContainText('An unfinished batch can be resumed');
  await saveScreenshot(page, testInfo, '07-resume-offered');
  await unfinished.getByRole('button', { name: /^Resume/ }).click();
  await expect(page.getByRole('heading', { name: 'Current batch' })).toBeVisible();
  await expect(page.getByTestId('batch-state')).toHaveText('Finished', { timeout: 60_000 });
  for (const name of LECTURES) await expect(row(page, name)).toContainText('✅ Complete');
  await expect(row(page, 'damaged.pptx')).toContainText('❌ Failed');
  await expect(countOf(page, 'Complete')).toContainText('Complete 6');
  await expect(countOf(page, 'Failed')).toContainText('Failed 2');
  await expect(countOf(page, 'Skipped')).toContainText('Skipped 1');
  await expect(progress).toHaveAttribute('aria-valuenow', '9');
  await expect(page.getByRole('log', { name: 'Announcements' })).toContainText('Batch finished');
  await saveScreenshot(page, testInfo, '08-finished');

  // Filter and sort the queue.
  await page.getByLabel('Filter by status').selectOption('failed');
  await expect(page.getByRole('grid')).toHaveAttribute('aria-rowcount', '3');
  await page.getByRole('columnheader', { name: 'File', exact: true }).getByRole('button').click();
  await expect(page.getByRole('columnheader', { name: 'File', exact: true })).toHaveAttribute('aria-sort', 'ascending');
  await saveScreenshot(page, testInfo, '09-filtered');
  await page.getByLabel('Filter by status').selectOption('all');

  // The failed files: the error in words, the folder, retry one.
  await page.getByRole('button', { name: /Failed files/ }).click();
  const failedList = page.getByRole('list', { name: 'Failed files' });
  const broken = failedList.getByRole('listitem').filter({ hasText: 'broken-upload.pptx' });
  await expect(broken).toContainText('scripted failure: could not process broken-upload.pptx');
  await expect(failedList.getByRole('listitem').filter({ hasText: 'damaged.pptx' })).toContainText('Damaged file');
  await broken.getByRole('button', { name: /^Show broken-upload.pptx in its folder/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'broken-upload.pptx' })).toBeVisible();
  await saveScreenshot(page, testInfo, '10-failed-files');
  await expectNoSeriousA11yViolations(page, 'failed files');

  await world.setModes({ '*': 'succeed', 'damaged.pptx': 'input-problem' });
  await broken.getByRole('button', { name: 'Retry broken-upload.pptx' }).click();
  await expect(page.getByTestId('batch-state')).toHaveText('Finished', { timeout: 30_000 });
  await expect(row(page, 'broken-upload.pptx')).toContainText('✅ Complete');
  await expect(countOf(page, 'Failed')).toContainText('Failed 1');

  // Batch history: the batch and the dry run, with Open.
  await page.getByRole('button', { name: 'Batch history' }).click();
  const history = page.getByRole('table');
  await expect(history.getByRole('row')).toHaveCount(3);
  await expect(history).toContainText('Dry run of');
  await saveScreenshot(page, testInfo, '11-history');
  await expectNoSeriousA11yViolations(page, 'batch history');

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
  await expectNoSeriousA11yViolations(page, 'settings');
});
