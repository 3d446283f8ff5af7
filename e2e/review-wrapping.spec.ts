import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { reportPathsFor } from '../src/shared/alt-text-report';
import { DEFAULT_CONFIG, type AltgenConfig } from '../src/shared/config-schema';
import { DescriptionCache } from '../src/main/describe/description-cache';
import { createProvider } from '../src/main/describe/create-provider';
import { deckEntries, writeZip } from '../src/main/fixtures/deck-builder';
import { processDeck } from '../src/main/processor/process-deck';
import { startAltgenServe, type AltgenServe } from './support/altgen-serve';
import { makeTestWorld, type TestWorld } from './support/lecture-folder';
import { saveScreenshot } from './support/screenshots';

/**
 * Long unbroken text in the review page (`<deck>.alt-review.html`) and in the app's review
 * screen: a 300-character web address as alt text and as a linked picture's source, a deck
 * named with 150 characters and no space, and a copy written 300 characters deep. At a
 * laptop's and at a small window's size neither may scroll sideways, and the review page's
 * Decision column must stay on screen.
 */

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 800, height: 600 },
] as const;

function exactly(length: number, text: string): string {
  return text.repeat(Math.ceil(length / text.length)).slice(0, length);
}

const LONG_URL = `https://images.example.org/${exactly(300 - 'https://images.example.org/'.length - '.png'.length, 'cardiology_atlas_left_ventricle_hypertrophy_')}.png`;

const DECK_NAME = `${exactly(150, 'Cardiac_hypertrophy_echocardiography_and_histology_')}.pptx`;

/** A folder 4 × 80 characters below `root`. */
function deepFolderIn(root: string): string {
  return path.join(root, ...Array.from({ length: 4 }, (_, i) => exactly(80, `Fall 2026 Cardiology Block ${i + 1} Lecture Handouts and Recordings `)));
}

/** The deck: a web address as weak alt text, the same address in human alt text, and a picture linked to it. */
async function writeLongTextDeck(file: string): Promise<void> {
  const entries = deckEntries({
    title: 'Cardiac hypertrophy',
    slides: [
      {
        title: 'Left ventricular hypertrophy',
        pictures: [
          { name: 'Picture 2', descr: LONG_URL, imageSize: 64, imageSeed: 1 },
          { name: 'Picture 3', descr: `Micrograph of hypertrophied cardiac muscle, from ${LONG_URL}`, imageSize: 64, imageSeed: 2 },
          { name: 'Picture 4', imageSize: 64, imageSeed: 3 },
        ],
      },
    ],
  });
  // Picture 4 becomes a linked picture: its reason quotes the web address it points at.
  const rels = entries.get('ppt/slides/_rels/slide1.xml.rels');
  const slide = entries.get('ppt/slides/slide1.xml');
  if (typeof rels !== 'string' || typeof slide !== 'string') throw new Error('the fixture deck has no slide 1');
  entries.set('ppt/slides/_rels/slide1.xml.rels', rels.replace('Target="../media/image3.png"', `Target="${LONG_URL}" TargetMode="External"`));
  entries.set('ppt/slides/slide1.xml', slide.replace(/r:embed="(rId\d+)"(?![\s\S]*r:embed=)/, 'r:link="$1"'));
  await writeZip(file, entries);
}

let root: string;
let reviewPage: string;
let outputDeck: string;

test.beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'altgen-review-wrap-'));
  const deepFolder = deepFolderIn(root);
  outputDeck = path.join(deepFolder, 'Cardiac_hypertrophy_echocardiography_and_histology_lecture.pptx');
  expect(outputDeck.length).toBeGreaterThanOrEqual(300);
  await mkdir(deepFolder, { recursive: true });
  const input = path.join(root, DECK_NAME);
  await writeLongTextDeck(input);

  const config: AltgenConfig = {
    ...DEFAULT_CONFIG,
    model: { ...DEFAULT_CONFIG.model, provider: 'offline' },
    alt_text: { ...DEFAULT_CONFIG.alt_text, read_text_in_images: false },
  };
  const { report } = await processDeck({
    input,
    output: outputDeck,
    config,
    provider: createProvider(config.model, {}),
    cache: new DescriptionCache({ dir: path.join(root, 'cache'), enabled: false }),
  });
  expect(report.pictures.map((p) => p.decision)).toEqual([expect.any(String), 'preserved', 'skipped']);
  reviewPage = reportPathsFor(outputDeck).html;
});

test.afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; clientWidth: number }> {
  return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
}

for (const viewport of VIEWPORTS) {
  test(`the review page wraps long addresses and paths at ${viewport.width}×${viewport.height}`, async ({ page }, testInfo) => {
    await page.setViewportSize(viewport);
    await page.goto(pathToFileURL(reviewPage).href);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Cardiac_hypertrophy');
    await expect(page.locator('main')).toContainText(LONG_URL);
    await expect(page.locator('main')).toContainText(outputDeck);
    await saveScreenshot(page, testInfo, `review-page-${viewport.width}x${viewport.height}`);

    const { scrollWidth, clientWidth } = await horizontalOverflow(page);
    expect(scrollWidth, 'the page scrolls sideways').toBeLessThanOrEqual(clientWidth);
    // The picture tables end with the Decision column (the accessibility table, when there is one, with "What to do").
    const pictureTables = page.locator('table').filter({ hasNot: page.getByText('What the accessibility check found') });
    expect(await pictureTables.locator('tr > :last-child').count()).toBeGreaterThan(0);
    for (const cell of await pictureTables.locator('tr > :last-child').all()) {
      await expect(cell).toContainText(/Decision|Kept|Skipped|Needs review|Offline draft|Described/);
    }
    for (const cell of await page.locator('table tr > :last-child').all()) {
      const box = await cell.boundingBox();
      expect(box, 'a last cell is laid out').not.toBeNull();
      expect((box?.x ?? 0) + (box?.width ?? 0), 'the last column ends inside the window').toBeLessThanOrEqual(clientWidth);
    }
  });
}

test.describe('the review screen', () => {
  let world: TestWorld;
  let server: AltgenServe | null = null;

  test.beforeEach(async () => {
    world = await makeTestWorld();
    await writeLongTextDeck(path.join(world.lectures, 'hypertrophy.pptx'));
    await world.writeConfig(['model:', '  provider: offline', 'alt_text:', '  read_text_in_images: false', ''].join('\n'));
  });

  test.afterEach(async () => {
    await server?.stop();
    server = null;
    await world?.remove();
  });

  test('wraps long addresses and paths instead of scrolling sideways', async ({ page }, testInfo) => {
    test.setTimeout(120_000);
    server = await startAltgenServe({ configDir: world.configDir, dataDir: world.dataDir, cwd: world.root });
    await page.setViewportSize(VIEWPORTS[0]);
    await page.goto(server.url);
    await page.getByLabel('Folder or PowerPoint files').fill(world.lectures);
    await page.getByRole('button', { name: 'Find decks' }).click();
    await expect(page.getByTestId('discovery-preview')).toContainText('1 deck will be processed');
    await page.getByLabel('Output folder').fill(deepFolderIn(world.root));
    await page.getByRole('button', { name: 'Start processing' }).click();
    await expect(page.getByTestId('batch-state')).toHaveText('Finished', { timeout: 60_000 });
    await page.getByRole('button', { name: 'Review hypertrophy.pptx' }).click();
    await expect(page.getByRole('heading', { name: 'Review pictures' })).toBeVisible();
    await expect(page.getByRole('listbox', { name: 'Pictures' }).getByRole('option')).toHaveCount(3);
    await expect(page.getByTestId('review-before')).toHaveText(LONG_URL);

    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await saveScreenshot(page, testInfo, `review-screen-${viewport.width}x${viewport.height}`);
      const { scrollWidth, clientWidth } = await horizontalOverflow(page);
      expect(scrollWidth, `the review screen scrolls sideways at ${viewport.width}×${viewport.height}`).toBeLessThanOrEqual(clientWidth);
    }
  });
});
