import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { expectNoA11yViolations } from './support/accessibility';
import { startAltgenServe, type AltgenServe } from './support/altgen-serve';
import { buildLectureDecks, makeTestWorld, type TestWorld } from './support/lecture-folder';
import { SCREEN_SIZES, saveScreenshotsAtBothSizes } from './support/screen-sizes';

/**
 * Entering folders the way faculty do, in `altgen serve` with Chromium: paths with `~` and in
 * quotes, a name relative to where the server was started, a mistyped folder; the folder
 * dialog's path box, breadcrumbs, recent folders and where the focus goes; and a web host that
 * survives a restart with the same address, each view at its own URL, the token out of the
 * address bar.
 */

let world: TestWorld;
let servers: AltgenServe[] = [];

/** The server with HOME at the world's root, so `~` is a folder this test made. */
async function serve(args?: readonly string[]): Promise<AltgenServe> {
  const server = await startAltgenServe({ configDir: world.configDir, dataDir: world.dataDir, cwd: world.root, env: { HOME: world.root }, args });
  servers.push(server);
  return server;
}

test.beforeEach(async () => {
  world = await makeTestWorld();
  await buildLectureDecks(path.join(world.lectures, 'Fall 2026'), ['anatomy.pptx', 'physiology.pptx']);
  await mkdir(path.join(world.lectures, 'Empty term'));
});

test.afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  await world.remove();
});

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

const pathsField = (page: Page) => page.getByLabel('Folder or PowerPoint files');
const findDecks = (page: Page) => page.getByRole('button', { name: 'Find decks' });
const start = (page: Page) => page.getByRole('button', { name: 'Start processing' });
const preview = (page: Page) => page.getByTestId('discovery-preview');

test('paths as people type them: ~, quotes, a relative name; a mistyped folder is the field’s error and Start stays disabled', async ({ page }, testInfo) => {
  testInfo.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  const server = await serve();
  await page.goto(server.url);
  await expect(page.getByRole('heading', { name: 'New batch' })).toBeVisible();

  // In a browser the paths field comes first, and the page says up front that a drop cannot work.
  const field = pathsField(page);
  const dropNote = page.getByTestId('drop-zone');
  await expect(dropNote).toContainText('Dragging a folder onto this page does not work in a browser');
  expect(await field.evaluate((element, note) => Boolean(element.compareDocumentPosition(note as Node) & Node.DOCUMENT_POSITION_FOLLOWING), await dropNote.elementHandle())).toBe(true);
  await saveScreenshotsAtBothSizes(page, testInfo, '01-new-batch-web');
  await expectNoA11yViolations(page, 'new batch (web)');

  // A mistyped folder: a sentence at the field, the field marked invalid, no preview, Start disabled.
  await field.fill('~/Lectures/Fall 2062');
  await findDecks(page).click();
  const error = page.locator('#input-paths-error');
  await expect(error).toHaveText(`There is no folder or file at ${path.join(world.root, 'Lectures', 'Fall 2062')}: check the spelling, or choose Browse… to pick it.`);
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAttribute('aria-describedby', /input-paths-error/);
  await expect(preview(page)).toHaveCount(0);
  await expect(start(page)).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Dry run (check only)' })).toBeDisabled();
  await expect(page.getByText(/Bad request|paths\.0|absolute path/)).toHaveCount(0);
  await saveScreenshotsAtBothSizes(page, testInfo, '02-mistyped-folder');
  await expectNoA11yViolations(page, 'mistyped folder');

  // A folder with no decks: said at the field too, Start still disabled.
  await field.fill('~/Lectures/Empty term');
  await field.press('Enter');
  await expect(error).toContainText('No PowerPoint files');
  await expect(start(page)).toBeDisabled();

  // ~ and a path in quotes (Windows "Copy as path"), then a name relative to where altgen serve was started.
  for (const typed of ['~/Lectures/Fall 2026', `"${path.join(world.lectures, 'Fall 2026')}"`, `'${path.join(world.lectures, 'Fall 2026')}'`, 'Lectures/Fall 2026']) {
    await field.fill(typed);
    await field.press('Enter');
    await expect(preview(page), typed).toContainText('2 decks will be processed');
    await expect(field).not.toHaveAttribute('aria-invalid', 'true');
    await expect(error).toHaveCount(0);
  }
  await expect(preview(page).getByRole('heading')).toHaveText(`Found in ${path.join(world.lectures, 'Fall 2026')}`);
  await expect(start(page)).toBeEnabled();
  await saveScreenshotsAtBothSizes(page, testInfo, '03-found-with-tilde');
  await expectNoA11yViolations(page, 'preview');

  // The output folder takes ~ too; a relative one on its own is said at its field.
  const output = page.getByLabel('Output folder');
  await output.fill('~/Accessible copies');
  await page.getByRole('button', { name: 'Dry run (check only)' }).click();
  await expect(page.getByTestId('batch-state')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('.batch-header').getByText(path.join(world.root, 'Accessible copies'))).toBeVisible();
});

test('the folder dialog: path box, breadcrumbs, recent folders; the focus follows each move and the move is announced', async ({ page }, testInfo) => {
  testInfo.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  const server = await serve();
  await page.goto(server.url);
  // A folder used once is offered under Recent folders.
  await pathsField(page).fill('~/Lectures/Fall 2026');
  await findDecks(page).click();
  await expect(preview(page)).toContainText('2 decks will be processed');

  await page.getByRole('button', { name: 'Browse…' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Choose the folder of decks' });
  await expect(dialog).toBeVisible();
  const fallFolder = path.join(world.lectures, 'Fall 2026');
  await expect(dialog.getByTestId('browser-path')).toHaveText('Fall 2026');
  await expect(dialog.getByRole('list', { name: 'Recent folders' }).getByRole('button', { name: 'Fall 2026' })).toBeVisible();
  const crumbs = dialog.getByRole('navigation', { name: 'Folder path' });
  await expect(crumbs.getByRole('button', { name: 'Lectures' })).toBeVisible();
  await saveDialogScreenshots(page, testInfo, '04-folder-dialog');
  await expectNoA11yViolations(page, 'folder dialog');

  // Up one level: the new listing has the focus, and the move is said from inside the dialog.
  await dialog.getByRole('button', { name: 'Up one level' }).click();
  const listing = dialog.getByRole('list', { name: 'Contents of Lectures' });
  await expect(listing).toBeVisible();
  expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Contents of Lectures');
  await expect(dialog.getByTestId('browser-announcement')).toHaveText(`Now in ${world.lectures}: 2 folders, 0 decks.`);

  // Entering a folder from the keyboard: the same.
  await listing.getByRole('button', { name: 'Empty term' }).focus();
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('list', { name: 'Contents of Empty term' })).toBeFocused();
  await expect(dialog.getByTestId('browser-announcement')).toHaveText(`Now in ${path.join(world.lectures, 'Empty term')}: 0 folders, 0 decks.`);

  // A breadcrumb goes back up; the path box takes ~ and says a wrong path in the dialog.
  await crumbs.getByRole('button', { name: 'Lectures' }).click();
  await expect(dialog.getByRole('list', { name: 'Contents of Lectures' })).toBeFocused();
  const pathBox = dialog.getByLabel('Go to a folder');
  await pathBox.fill('~/Lectres');
  await pathBox.press('Enter');
  await expect(dialog.getByRole('alert')).toContainText(`This folder does not exist: ${path.join(world.root, 'Lectres')}`);
  await expect(pathBox).toHaveAttribute('aria-invalid', 'true');
  await saveDialogScreenshots(page, testInfo, '05-folder-dialog-wrong-path');
  await expectNoA11yViolations(page, 'folder dialog, wrong path');
  await pathBox.fill('~/Lectures/Fall 2026');
  await pathBox.press('Enter');
  await expect(dialog.getByRole('list', { name: 'Contents of Fall 2026' })).toBeFocused();
  await expect(dialog.getByText('anatomy.pptx')).toBeVisible();
  await dialog.getByRole('button', { name: 'Choose this folder' }).click();
  await expect(dialog).toBeHidden();
  await expect(pathsField(page)).toHaveValue(fallFolder);
  await expect(preview(page)).toContainText('2 decks will be processed');
});

test('altgen serve keeps its address across a restart; every view has its own URL; the token leaves the address bar', async ({ page }, testInfo) => {
  testInfo.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  const first = await serve([]);
  const printed = new URL(first.url);
  await page.goto(first.url);
  await expect(page.getByRole('heading', { name: 'New batch' })).toBeVisible();
  // The token was traded for a cookie: it is in neither the address bar nor the history.
  expect(page.url()).toBe(`${printed.origin}/`);
  const cookies = await page.context().cookies();
  expect(cookies).toEqual([expect.objectContaining({ name: `altgen_session_${printed.port}`, httpOnly: true, sameSite: 'Strict' })]);
  expect(await page.evaluate(() => document.cookie)).toBe('');

  // Each view at its own address; Back and reload work.
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  expect(page.url()).toBe(`${printed.origin}/settings`);
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Batch history' }).click();
  expect(page.url()).toBe(`${printed.origin}/history`);
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Settings');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();

  // Restart: same port, same token; the open tab reconnects by itself and a reload still works.
  await first.stop();
  await expect(page.getByRole('alert').filter({ hasText: 'AltGen cannot reach its engine' })).toBeVisible({ timeout: 15_000 });
  await saveScreenshotsAtBothSizes(page, testInfo, '06-server-stopped');
  await expectNoA11yViolations(page, 'server stopped');
  const second = await serve([]);
  expect(second.url).toBe(first.url);
  await expect(page.getByRole('alert').filter({ hasText: 'AltGen cannot reach its engine' })).toBeHidden({ timeout: 20_000 });
  await page.goto(`${printed.origin}/history`);
  await expect(page.getByRole('heading', { name: 'Batch history' })).toBeVisible();
  await saveScreenshotsAtBothSizes(page, testInfo, '07-history-after-restart');

  // The token is still required: a browser without the cookie is refused.
  const stranger = await page.context().browser()!.newContext();
  try {
    const answer = await (await stranger.newPage()).goto(`${printed.origin}/settings`);
    expect(answer?.status()).toBe(403);
  } finally {
    await stranger.close();
  }
});
