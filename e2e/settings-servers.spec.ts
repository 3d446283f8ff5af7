import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { startFakeModelServer, type FakeModelServer } from '../src/main/describe/testing/fake-model-server';
import { expectNoA11yViolations } from './support/accessibility';
import { startAltgenServe, type AltgenServe } from './support/altgen-serve';
import { makeTestWorld, type TestWorld } from './support/lecture-folder';
import { SCREEN_SIZES, saveScreenshotsAtBothSizes } from './support/screen-sizes';

/**
 * Settings, several model servers, in `altgen serve` with Chromium: with none listed the screen
 * says the address above is used alone; servers are added, checked one by one (one answers, one
 * is stopped and says so), saved into config.yaml's `model.servers` with the rest, and are there
 * after a reload.
 */

let world: TestWorld;
let server: AltgenServe;
let lab: FakeModelServer;
let cloud: FakeModelServer;

const saved = () => readFile(path.join(world.configDir, 'config.yaml'), 'utf8');

test.beforeEach(async ({ page }) => {
  world = await makeTestWorld();
  lab = await startFakeModelServer({ models: ['llava:latest'] });
  cloud = await startFakeModelServer({ models: ['qwen2.5vl'] });
  await world.writeConfig(['# The lab’s settings', 'model:', '  base_url: http://127.0.0.1:9 # nothing listens here', '  name: llava', ''].join('\n'));
  server = await startAltgenServe({ configDir: world.configDir, dataDir: world.dataDir, cwd: world.root, env: { HOME: world.root, ALTGEN_LAB_KEY: 'sk-test-lab' } });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(server.url);
  await expect(page.getByRole('heading', { name: 'New batch' })).toBeVisible();
});

test.afterEach(async () => {
  await server.stop();
  await lab.stop();
  await cloud.stop();
  await world.remove();
});

async function openSettings(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 2 })).toBeVisible();
}

/** The servers' part of the screen at both sizes, where a full-page capture would make it small. */
async function saveServersScreenshots(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const part = page.getByRole('group', { name: 'Several model servers' });
  for (const size of SCREEN_SIZES) {
    await page.setViewportSize(size);
    await part.screenshot({ path: testInfo.outputPath(`${name}-servers-${size.width}x${size.height}.png`) });
  }
  await page.setViewportSize(SCREEN_SIZES[0]);
  await saveScreenshotsAtBothSizes(page, testInfo, name);
}

test('adds two model servers, checks each (one answers, one is stopped), saves them, and they are there after a reload', async ({ page }, testInfo) => {
  testInfo.setTimeout(120_000);
  await openSettings(page);
  const servers = page.getByRole('group', { name: 'Several model servers' });
  await expect(servers).toContainText('None listed: batches use the server address above alone.');
  await saveServersScreenshots(page, testInfo, '01-no-servers');
  await expectNoA11yViolations(page, 'settings, no model servers');

  await servers.getByRole('button', { name: 'Add a server' }).click();
  const first = servers.getByRole('group', { name: 'Server 1' });
  // The new server's address has the focus, to be typed at once.
  await expect(first.getByLabel('Address (URL)')).toBeFocused();
  await page.keyboard.type(lab.url);
  await servers.getByRole('button', { name: 'Add a server' }).click();
  const second = servers.getByRole('group', { name: 'Server 2' });
  await second.getByLabel('Address (URL)').fill(`${cloud.url}/v1`);
  await second.getByLabel('Kind').selectOption({ label: 'OpenAI-compatible server' });
  await second.getByLabel('Model (optional)').fill('qwen2.5vl');
  await second.getByLabel('Key variable (optional)').fill('ALTGEN_LAB_KEY');
  await expect(servers).toContainText('Batches use these 2 servers instead of the address above');

  // A key pasted where its variable's name goes is refused, under that field.
  await second.getByLabel('Key variable (optional)').fill('sk-proj-abc123');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(second.getByLabel('Key variable (optional)')).toHaveAttribute('aria-invalid', 'true');
  await expect(second).toContainText('Server 2: enter the name of the environment variable that holds the key (for example OPENAI_API_KEY), not the key itself.');
  expect(await saved()).not.toContain('servers');
  await second.getByLabel('Key variable (optional)').fill('ALTGEN_LAB_KEY');

  await cloud.stop();
  await first.getByRole('button', { name: 'Check server 1' }).click();
  await second.getByRole('button', { name: 'Check server 2' }).click();
  await expect(first.getByRole('status')).toHaveText('Reachable: llava is on this server.', { timeout: 30_000 });
  await expect(second.getByRole('status')).toContainText('Not reachable —', { timeout: 30_000 });
  await expect(second.getByRole('status')).toContainText(cloud.url);
  // Checked, not saved.
  expect(await saved()).not.toContain('servers');
  await saveServersScreenshots(page, testInfo, '02-servers-checked');
  await expectNoA11yViolations(page, 'settings, model servers checked');

  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
  const text = await saved();
  expect(text).toContain('# The lab’s settings');
  expect(text).toContain('# nothing listens here');
  expect(text).toContain(
    `servers: [{base_url: ${lab.url}, provider: ollama}, {base_url: ${cloud.url}/v1, provider: openai, name: qwen2.5vl, api_key_env: ALTGEN_LAB_KEY}]`,
  );

  await page.reload();
  await openSettings(page);
  await expect(first.getByLabel('Address (URL)')).toHaveValue(lab.url);
  await expect(first.getByLabel('Kind')).toHaveValue('ollama');
  await expect(second.getByLabel('Address (URL)')).toHaveValue(`${cloud.url}/v1`);
  await expect(second.getByLabel('Kind')).toHaveValue('openai');
  await expect(second.getByLabel('Model (optional)')).toHaveValue('qwen2.5vl');
  await expect(second.getByLabel('Key variable (optional)')).toHaveValue('ALTGEN_LAB_KEY');
  // The saved check is of the listed servers now, not of the address above.
  await expect(page.getByTestId('settings-model-check')).toContainText('Saved servers: the 2 listed servers', { timeout: 30_000 });
  await expect(page.getByTestId('settings-model-check')).toContainText('1 of 2 model servers cannot be used');
  await saveServersScreenshots(page, testInfo, '03-servers-after-reload');
  await expectNoA11yViolations(page, 'settings, model servers after reload');

  // Removing one moves the focus to "Add a server"; the list is saved only when it changed.
  await second.getByRole('button', { name: 'Remove server 2' }).click();
  await expect(servers.getByRole('button', { name: 'Add a server' })).toBeFocused();
  await expect(servers).toContainText('Batches use this server instead of the address above');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
  expect(await saved()).toContain(`servers: [{base_url: ${lab.url}, provider: ollama}]`);
});
