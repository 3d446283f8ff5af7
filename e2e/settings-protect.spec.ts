import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { startFakeModelServer, type FakeModelServer } from '../src/main/describe/testing/fake-model-server';
import { expectNoA11yViolations } from './support/accessibility';
import { startAltgenServe, type AltgenServe } from './support/altgen-serve';
import { SCRIPTED_PROCESSOR, buildLectureDecks, makeTestWorld, type TestWorld } from './support/lecture-folder';
import { SCREEN_SIZES, saveScreenshotsAtBothSizes } from './support/screen-sizes';

/**
 * Settings that protect people, in `altgen serve` with Chromium: the policy that replaces alt
 * text people wrote says so, is confirmed on save and is shown where batches are started and
 * watched; the threshold has one meaning ("Did you mean 50 %?"); "Check this address" checks
 * what is typed and offers the server's models; the settings that used to exist only in
 * config.yaml are on the screen, the cache can be cleared.
 */

let world: TestWorld;
let server: AltgenServe;
let model: FakeModelServer;

const configFile = () => path.join(world.configDir, 'config.yaml');
const saved = () => readFile(configFile(), 'utf8');

test.beforeEach(async ({ page }) => {
  world = await makeTestWorld();
  model = await startFakeModelServer({ models: ['llava:latest', 'qwen2.5vl:7b'] });
  await buildLectureDecks(world.lectures, ['anatomy.pptx']);
  await world.setModes({ '*': 'succeed' });
  await world.writeConfig(
    [
      'processor:',
      `  command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(SCRIPTED_PROCESSOR)}, "by-file", "{input}", "{output}"]`,
      'model:',
      // Nothing listens here: the saved address is not the one "Check this address" is asked about.
      '  base_url: http://127.0.0.1:9',
      '  name: llava',
      'batch_processing:',
      '  dry_run_validates_ollama: false',
      '',
    ].join('\n'),
  );
  server = await startAltgenServe({
    configDir: world.configDir,
    dataDir: world.dataDir,
    cwd: world.root,
    env: { ALTGEN_TEST_MODE_FILE: world.modeFile, HOME: world.root },
  });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(server.url);
  await expect(page.getByRole('heading', { name: 'New batch' })).toBeVisible();
});

test.afterEach(async () => {
  await server.stop();
  await model.stop();
  await world.remove();
});

async function openSettings(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 2 })).toBeVisible();
}

/**
 * A modal dialog's state at both sizes, as the window shows it: a full-page capture stretches
 * the page and draws the dialog (in the top layer) only where the window was.
 */
async function saveDialogScreenshots(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const before = page.viewportSize();
  for (const size of SCREEN_SIZES) {
    await page.setViewportSize(size);
    await page.screenshot({ path: testInfo.outputPath(`${name}-${size.width}x${size.height}.png`) });
  }
  if (before) await page.setViewportSize(before);
}

const saveButton = (page: Page) => page.getByRole('button', { name: 'Save settings' });
const savedMessage = (page: Page) => page.getByRole('status').filter({ hasText: 'Settings saved.' });

test('the policy that replaces alt text people wrote says so, is confirmed on save, and is shown where batches start and run', async ({ page }, testInfo) => {
  testInfo.setTimeout(120_000);
  await openSettings(page);
  await saveScreenshotsAtBothSizes(page, testInfo, '01-settings');
  await expectNoA11yViolations(page, 'settings');

  const policy = page.getByLabel('Which pictures to describe');
  await expect(policy.getByRole('option', { name: /replacing alt text people wrote/ })).toHaveCount(1);
  await policy.selectOption('overwrite');
  await expect(page.getByText('This replaces alt text that people wrote. You will be asked to confirm when you save.')).toBeVisible();

  // Save asks first; the safe answer has the focus, and saves nothing.
  await saveButton(page).click();
  const confirm = page.getByRole('dialog', { name: 'Replace alt text that people wrote?' });
  await expect(confirm).toBeVisible();
  await expect(confirm.getByRole('button', { name: 'Keep people’s alt text (do not save)' })).toBeFocused();
  await saveDialogScreenshots(page, testInfo, '02-overwrite-confirmation');
  await expectNoA11yViolations(page, 'overwrite confirmation');
  await confirm.getByRole('button', { name: 'Keep people’s alt text (do not save)' }).click();
  await expect(confirm).toBeHidden();
  expect(await saved()).not.toContain('overwrite');

  await saveButton(page).click();
  await confirm.getByRole('button', { name: 'Replace it and save' }).click();
  await expect(savedMessage(page)).toBeVisible();
  // The focus moves to the answer, not to <body>.
  expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Settings saved.');
  expect(await saved()).toMatch(/policy: overwrite/);

  // Shown where a batch is started, in the dry run's verdict, and in the batch's header.
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'New batch' }).click();
  const activePolicy = page.getByTestId('active-policy');
  await expect(activePolicy).toContainText('Alt text policy: replaces all alt text, also what people wrote');
  await page.getByLabel('Folder or PowerPoint files').fill(world.lectures);
  await page.getByRole('button', { name: 'Find decks' }).click();
  await page.getByLabel('Output folder').fill(path.join(world.root, 'Accessible'));
  await saveScreenshotsAtBothSizes(page, testInfo, '03-new-batch-overwrite-policy');
  await expectNoA11yViolations(page, 'new batch, overwrite policy');
  await page.getByRole('button', { name: 'Dry run (check only)' }).click();
  const verdict = page.getByTestId('dry-run-verdict');
  await expect(verdict).toBeVisible({ timeout: 30_000 });
  await expect(verdict.getByTestId('active-policy')).toContainText('replaces all alt text, also what people wrote');
  await expect(page.getByRole('button', { name: 'Start processing these files' })).toBeEnabled({ timeout: 30_000 });
  await saveScreenshotsAtBothSizes(page, testInfo, '04-dry-run-overwrite-policy');
  await expectNoA11yViolations(page, 'dry run, overwrite policy');
  await page.getByRole('button', { name: 'Start processing these files' }).click();
  await expect(page.locator('.batch-header').getByTestId('active-policy')).toContainText('replaces all alt text, also what people wrote', { timeout: 30_000 });
  await saveScreenshotsAtBothSizes(page, testInfo, '05-batch-overwrite-policy');
});

test('the threshold means one thing: a value below 1 asks "Did you mean 50 %?"', async ({ page }, testInfo) => {
  await openSettings(page);
  const threshold = page.getByLabel('Error threshold (percent)');
  await threshold.fill('0.5');
  const question = page.getByRole('group', { name: /Did you mean 50 %\?/ });
  await expect(question).toContainText('0.5 here means 0.5 % (the batch would stop at its first failed file). Did you mean 50 %?');
  await saveButton(page).click();
  await expect(page.getByText('Did you mean 50 %? Choose below, then save again.')).toBeVisible();
  await expect(threshold).toHaveAttribute('aria-invalid', 'true');
  expect(await saved()).not.toContain('stop_on_error_threshold');
  await saveScreenshotsAtBothSizes(page, testInfo, '06-threshold-question');
  await expectNoA11yViolations(page, 'threshold question');

  await question.getByRole('button', { name: 'Use 50 %' }).click();
  await expect(threshold).toHaveValue('50');
  await expect(question).toBeHidden();
  await saveButton(page).click();
  await expect(savedMessage(page)).toBeVisible();
  expect(await saved()).toMatch(/stop_on_error_threshold: 0\.5\b/);
});

test('"Check this address" checks the typed address and offers the server’s models; the file-only settings are on the screen', async ({ page }, testInfo) => {
  await openSettings(page);
  await page.getByLabel('Server address (URL)').fill(model.url);
  await page.getByRole('button', { name: 'Check this address' }).click();
  const check = page.getByTestId('settings-model-check');
  await expect(check).toContainText(`This address: llava at ${model.url} — Reachable`);
  await expect(page.getByText('On this server: llava:latest, qwen2.5vl:7b.')).toBeVisible();
  await expect(page.locator('#server-model-names option')).toHaveCount(2);
  // Checked, not saved.
  expect(await saved()).toContain('base_url: http://127.0.0.1:9');
  await page.getByLabel('Model', { exact: true }).fill('bakllava');
  await page.getByRole('button', { name: 'Check this address' }).click();
  await expect(check).toContainText('Model not installed');
  await expect(check).toContainText('ollama pull bakllava');
  await saveScreenshotsAtBothSizes(page, testInfo, '07-model-check-typed');
  await expectNoA11yViolations(page, 'model check');
  await page.getByLabel('Model', { exact: true }).fill('qwen2.5vl:7b');

  await page.getByLabel('Course').fill('Year 1 anatomy');
  await page.getByLabel('Language of the alt text').fill('de');
  await page.getByLabel('Long descriptions').selectOption('notes');
  await page.getByLabel('Read the text in pictures').uncheck();
  await page.getByLabel('Also describe pictures in slide layouts and masters').check();
  await page.getByLabel('Wait for the model server (minutes)').fill('10');
  await page.getByLabel('Remember descriptions').uncheck();
  await saveButton(page).click();
  await expect(savedMessage(page)).toBeVisible();
  const text = await saved();
  for (const line of [
    `base_url: ${model.url}`,
    'name: qwen2.5vl:7b',
    'course: Year 1 anatomy',
    'language: de',
    'long_descriptions: notes',
    'read_text_in_images: false',
    'include_layouts: true',
    'model_wait_minutes: 10',
    'enabled: false',
  ]) {
    expect(text).toContain(line);
  }

  // Forget the remembered descriptions: only the cache's own files go.
  const cache = path.join(world.dataDir, 'cache', 'ab');
  await mkdir(cache, { recursive: true });
  for (const digit of ['0', '1']) await writeFile(path.join(cache, `${'ab'.padEnd(64, digit)}.json`), '{}');
  await page.getByRole('button', { name: 'Clear remembered descriptions' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Removed 2 remembered descriptions from' })).toBeVisible();
  await saveScreenshotsAtBothSizes(page, testInfo, '08-settings-saved-cache-cleared');
  await expectNoA11yViolations(page, 'settings saved, cache cleared');
});
