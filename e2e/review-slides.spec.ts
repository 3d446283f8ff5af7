import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import JSZip from 'jszip';
import { handDeckEntries, paragraph, picture, run, shape, slide, solid } from '../src/main/audit/testing/audit-decks';
import { startFakeModelServer, type FakeModelServer } from '../src/main/describe/testing/fake-model-server';
import { writeZip } from '../src/main/fixtures/deck-builder';
import { expectNoA11yViolations } from './support/accessibility';
import { startAltgenServe, type AltgenServe } from './support/altgen-serve';
import { makeTestWorld, type TestWorld } from './support/lecture-folder';
import { saveScreenshotsAtBothSizes } from './support/screen-sizes';

/**
 * The review's slide items (issue 16) in the app, with the keyboard only: a batch processed by
 * `altgen serve` through the stand-in model server, whose deck has a slide without a title, a
 * slide read in the wrong order and a faint text; the Slides filter shows them with their
 * suggestions, the title suggestion is accepted, the contrast marked checked, and Apply writes
 * the title placeholder into the copy.
 */

let world: TestWorld;
let model: FakeModelServer;
let server: AltgenServe | null = null;

const TOP = { x: 838_200, y: 300_000, cx: 8_000_000, cy: 800_000 };
const UPPER = { x: 838_200, y: 1_500_000, cx: 8_000_000, cy: 1_000_000 };
const LOWER = { x: 838_200, y: 4_000_000, cx: 8_000_000, cy: 1_000_000 };
const BOTTOM = { x: 838_200, y: 5_200_000, cx: 1_000_000, cy: 1_000_000 };

test.beforeEach(async () => {
  world = await makeTestWorld();
  model = await startFakeModelServer({ models: ['llava:latest'] });
  // Slide 1: no title (its first text box reads 'Cardiac cycle') and a picture under the text;
  // slide 2: the lower box is read first; slide 3: grey text on white.
  const one =
    shape({ id: 2, name: 'TextBox 1', box: UPPER, paragraphs: [paragraph(run('Cardiac cycle', 'lang="en-US" sz="3200"'))] }) +
    shape({ id: 3, name: 'TextBox 2', box: LOWER, paragraphs: [paragraph(run('Systole and diastole', 'lang="en-US" sz="2400"'))] }) +
    picture(4, 'Heart diagram', BOTTOM);
  const two =
    shape({ id: 2, name: 'Title 1', placeholder: 'type="title"', box: TOP, paragraphs: [paragraph(run('Heart sounds', 'lang="en-US"'))] }) +
    shape({ id: 3, name: 'Lower text', box: LOWER, paragraphs: [paragraph(run('S2: the valves close', 'lang="en-US" sz="2400"'))] }) +
    shape({ id: 4, name: 'Upper text', box: UPPER, paragraphs: [paragraph(run('S1: the AV valves close', 'lang="en-US" sz="2400"'))] });
  const three =
    shape({ id: 2, name: 'Title 1', placeholder: 'type="title"', box: TOP, paragraphs: [paragraph(run('Murmurs', 'lang="en-US"'))] }) +
    shape({ id: 3, name: 'Faint note', box: UPPER, paragraphs: [paragraph(run('Listen at the apex', 'lang="en-US" sz="2400"', solid('BBBBBB')))] });
  await writeZip(path.join(world.lectures, 'heart.pptx'), handDeckEntries([{ xml: slide(one) }, { xml: slide(two) }, { xml: slide(three) }]));
  await world.writeConfig(
    ['model:', `  base_url: ${JSON.stringify(model.url)}`, '  name: llava', 'alt_text:', '  read_text_in_images: false', 'cache:', '  enabled: false', ''].join('\n'),
  );
});

test.afterEach(async () => {
  await server?.stop();
  server = null;
  await model?.stop();
  await world?.remove();
});

/** Presses Tab (or Shift+Tab) until `target` has the focus: the way a keyboard user gets there. */
async function tabTo(page: Page, target: Locator, backwards = false): Promise<void> {
  for (let presses = 0; presses < 60; presses += 1) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

function pane(page: Page): Locator {
  return page.getByTestId('review-slide-pane');
}

async function expectSlideItem(page: Page, name: string): Promise<void> {
  await expect(pane(page).getByRole('heading', { level: 3 })).toHaveText(`heart.pptx — ${name}`);
}

test('decides the slide items of a batch with the keyboard and applies the accepted title', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const output = path.join(world.root, 'Accessible');
  await page.setViewportSize({ width: 1280, height: 800 });
  server = await startAltgenServe({ configDir: world.configDir, dataDir: world.dataDir, cwd: world.root });
  await page.goto(server.url);
  await page.getByLabel('Folder or PowerPoint files').fill(world.lectures);
  await page.getByRole('button', { name: 'Find decks' }).click();
  await expect(page.getByTestId('discovery-preview')).toContainText('1 deck will be processed');
  await page.getByLabel('Output folder').fill(output);
  await page.getByRole('button', { name: 'Start processing' }).click();
  await expect(page.getByTestId('batch-state')).toHaveText('Finished', { timeout: 90_000 });

  // From here on, the keyboard only.
  await tabTo(page, page.getByRole('button', { name: 'Review the pictures' }));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('review-pane')).toBeFocused();
  // One picture and three slide items.
  await expect(page.getByTestId('review-progress')).toHaveText('0 of 4 reviewed');

  // The Slides filter.
  const show = page.getByLabel('Show', { exact: true });
  await tabTo(page, show, true);
  await page.keyboard.press('End');
  await expect(show).toHaveValue('slides');
  await expect(page.getByText('3 slide items shown')).toBeVisible();
  await tabTo(page, page.getByRole('listbox', { name: 'Slide items' }));
  await expectSlideItem(page, 'Slide 1: No title');
  await expect(page.getByTestId('review-slide-suggestion')).toHaveText("The first text box reads 'Cardiac cycle': use it as the title?");
  await expect(pane(page).getByRole('button', { name: /^Accept the suggestion/ })).toHaveAttribute('aria-keyshortcuts', 'A');
  const shortcuts = page.getByRole('region', { name: 'Keyboard shortcuts' });
  await expect(shortcuts).toContainText('Accept the suggestion (Apply writes it into the copy)');
  await expect(shortcuts).toContainText('To fix in PowerPoint by hand');
  await saveScreenshotsAtBothSizes(page, testInfo, '01-slides-missing-title');
  await expectNoA11yViolations(page, 'review, slide items');

  // Accept the title: the focus stays on the item, which counts as reviewed.
  await page.keyboard.press('a');
  await expect(pane(page)).toBeFocused();
  await expect(page.getByTestId('review-slide-badges')).toContainText('Decided: accepted, not applied');
  await expect(page.getByTestId('review-progress')).toHaveText('1 of 4 reviewed');
  await expectSlideItem(page, 'Slide 1: No title');

  // The reading order names the shapes in their visual order.
  await page.keyboard.press('n');
  await expectSlideItem(page, 'Slide 2: Reading order');
  await expect(pane(page)).toBeFocused();
  await expect(pane(page).getByRole('listitem')).toHaveText(['Title 1', 'Upper text', 'Lower text']);
  await saveScreenshotsAtBothSizes(page, testInfo, '02-slides-reading-order');

  // The contrast gives its colours and ratio; it has nothing to accept: checked.
  await page.keyboard.press('n');
  await expectSlideItem(page, 'Slide 3: Low contrast in Faint note');
  await expect(page.getByTestId('review-slide-message')).toContainText(/\d+(\.\d+)?:1/);
  await expect(pane(page).getByRole('button', { name: /^Accept/ })).toHaveCount(0);
  await saveScreenshotsAtBothSizes(page, testInfo, '03-slides-low-contrast');
  await expectNoA11yViolations(page, 'review, slide item without a fix');
  await page.keyboard.press('c');
  await expect(page.getByTestId('review-slide-badges')).toContainText('Decided: checked');
  await expect(page.getByTestId('review-progress')).toHaveText('2 of 4 reviewed');
  await expect(pane(page)).toBeFocused();

  // Apply writes the accepted title into the copy.
  const apply = page.getByRole('button', { name: 'Apply 1 change to the copies' });
  await tabTo(page, apply, true);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('review-message')).toContainText('1 slide fix written');
  await expect(page.getByRole('option', { name: /Slide 1: No title/ })).toContainText('accepted, in the copy');
  await saveScreenshotsAtBothSizes(page, testInfo, '04-slides-applied');
  await expectNoA11yViolations(page, 'review, slide items applied');

  const copy = await JSZip.loadAsync(await readFile(path.join(output, 'heart.pptx')));
  const slideOne = (await copy.file('ppt/slides/slide1.xml')?.async('string')) ?? '';
  expect(slideOne).toContain('<p:cNvPr id="2" name="TextBox 1"/><p:cNvSpPr/><p:nvPr><p:ph type="title"/></p:nvPr>');
});
