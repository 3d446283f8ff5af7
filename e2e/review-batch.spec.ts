import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import JSZip from 'jszip';
import { startFakeModelServer, type FakeModelServer } from '../src/main/describe/testing/fake-model-server';
import { expectNoA11yViolations } from './support/accessibility';
import { startAltgenServe, type AltgenServe } from './support/altgen-serve';
import { buildDeck, makeTestWorld, type TestWorld } from './support/lecture-folder';
import { saveScreenshotsAtBothSizes } from './support/screen-sizes';

/**
 * The batch review as issue 14 asks for it: a 3-deck batch processed by the built-in processor
 * through the Ollama-speaking stand-in server, then reviewed with the keyboard only (accept,
 * edit a person's text after the question, mark decorative, regenerate with a hint, revert,
 * next across decks, apply all, undo, apply again), `altgen serve` killed with SIGKILL in the
 * middle and started again with the review all there, and the written copies checked in
 * their XML: exactly the reviewed `descr` values and decorative flags, every other entry
 * byte-identical to the copies the run wrote.
 */

let world: TestWorld;
let model: FakeModelServer;
let server: AltgenServe | null = null;

const DECKS = ['1 fractures.pptx', '2 joints.pptx', '3 heart.pptx'];

test.beforeEach(async () => {
  world = await makeTestWorld();
  model = await startFakeModelServer({ models: ['llava:latest'] });
  await buildDeck(path.join(world.lectures, DECKS[0]!), {
    title: 'Fractures',
    slides: [
      { title: 'Distal radius', text: 'Colles fracture: dorsal angulation', notes: 'Ask where the fracture line runs.', pictures: [{ name: 'X-ray', imageSize: 96, imageSeed: 1 }] },
      { title: 'Drawing', pictures: [{ name: 'Sketch', descr: 'Hand-drawn sketch of the wrist bones', imageSize: 96, imageSeed: 2 }] },
    ],
  });
  await buildDeck(path.join(world.lectures, DECKS[1]!), {
    title: 'Joints',
    slides: [{ title: 'Knee', pictures: [{ name: 'MRI', imageSize: 96, imageSeed: 3 }, { name: 'Callus', imageSize: 96, imageSeed: 4 }] }],
  });
  await buildDeck(path.join(world.lectures, DECKS[2]!), { title: 'Heart', slides: [{ title: 'Chambers', pictures: [{ name: 'Heart', imageSize: 96, imageSeed: 5 }] }] });
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

async function start(): Promise<AltgenServe> {
  server = await startAltgenServe({ configDir: world.configDir, dataDir: world.dataDir, cwd: world.root });
  return server;
}

/** Presses Tab (or Shift+Tab) until `target` has the focus: the way a keyboard user gets there. */
async function tabTo(page: Page, target: Locator, backwards = false): Promise<void> {
  for (let presses = 0; presses < 60; presses += 1) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

function pane(page: Page): Locator {
  return page.getByTestId('review-pane');
}

async function expectPicture(page: Page, deck: string, shape: string): Promise<void> {
  await expect(pane(page).getByRole('heading', { level: 3 }).first()).toHaveText(new RegExp(`^${deck} — Slide \\d+: ${shape}`));
  // The focus stays on the picture being reviewed.
  await expect(pane(page)).toBeFocused();
}

type Entries = Map<string, Buffer>;

async function entriesOf(file: string): Promise<Entries> {
  const zip = await JSZip.loadAsync(await readFile(file));
  const entries: Entries = new Map();
  for (const name of Object.keys(zip.files).sort()) {
    const entry = zip.file(name);
    if (entry) entries.set(name, await entry.async('nodebuffer'));
  }
  return entries;
}

function cNvPr(xml: string, name: string): string {
  return new RegExp(`<p:cNvPr [^>]*name="${name}"[^>]*?(/>|>.*?</p:cNvPr>)`).exec(xml)?.[0] ?? '';
}

const FLAG =
  '<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}"><adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/></a:ext></a:extLst>';

test('reviews a 3-deck batch with the keyboard only, survives SIGKILL of altgen serve, and applies exactly the reviewed decisions', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  const output = path.join(world.root, 'Accessible');
  await page.setViewportSize({ width: 1280, height: 800 });
  let serve = await start();
  await page.goto(serve.url);
  // The batch too is started with the keyboard only: from the folder to the review, no mouse.
  await tabTo(page, page.getByLabel('Folder or PowerPoint files'));
  await page.keyboard.type(world.lectures);
  await tabTo(page, page.getByRole('button', { name: 'Find decks' }));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('discovery-preview')).toContainText('3 decks will be processed');
  await tabTo(page, page.getByLabel('Output folder'));
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(output);
  await tabTo(page, page.getByRole('button', { name: 'Start processing' }));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('batch-state')).toHaveText('Finished', { timeout: 90_000 });
  await expect(page.getByTestId('batch-review-status')).toContainText('Review: 0 of 5 pictures reviewed. 3 decks still have pictures to review');
  const written = new Map<string, Entries>();
  for (const deck of DECKS) written.set(deck, await entriesOf(path.join(output, deck)));
  const generated = async (deck: string, shape: string) => /descr="([^"]*)"/.exec(cNvPr((await entriesOf(path.join(output, deck))).get('ppt/slides/slide1.xml')?.toString('utf8') ?? '', shape))?.[1] ?? '';
  const xrayText = await generated(DECKS[0]!, 'X-ray');
  const heartText = await generated(DECKS[2]!, 'Heart');
  expect(xrayText).toMatch(/^Test figure [0-9a-f]{12} /);

  // From here on, the keyboard only.
  await tabTo(page, page.getByRole('button', { name: 'Review the pictures' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Review pictures' })).toBeVisible();
  await expect(page.getByTestId('review-progress')).toHaveText('0 of 5 reviewed');
  await expectPicture(page, DECKS[0]!, 'X-ray');
  await expect(pane(page)).toContainText('Slide 1: Distal radius');
  await expect(pane(page)).toContainText('Ask where the fracture line runs.');
  await expect(page.getByText('N', { exact: true }).first()).toBeVisible();
  await saveScreenshotsAtBothSizes(page, testInfo, '01-review-first-picture');
  await expectNoA11yViolations(page, 'review');

  // Accept.
  await page.keyboard.press('a');
  await expect(page.getByTestId('review-badges')).toContainText('Reviewed');
  await expect(page.getByTestId('review-progress')).toHaveText('1 of 5 reviewed');

  // Next: alt text a person wrote; editing it asks first.
  await page.keyboard.press('n');
  await expectPicture(page, DECKS[0]!, 'Sketch');
  await page.keyboard.press('e');
  const question = page.getByRole('dialog', { name: 'Edit alt text a person wrote?' });
  await expect(question).toBeVisible();
  await saveScreenshotsAtBothSizes(page, testInfo, '02-review-asks-before-editing');
  await expectNoA11yViolations(page, 'review, question before editing');
  await page.keyboard.press('Enter');
  const altText = page.getByLabel('Alt text to write');
  await expect(altText).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('Hand-drawn sketch of the eight carpal bones of the wrist');
  await expect(page.getByText(/^\d+ of 125 characters\.$/)).toBeVisible();
  await page.keyboard.press('Control+Enter');
  await expect(pane(page)).toBeFocused();
  await expect(page.getByTestId('review-badges')).toContainText('Edited');

  // Next, across decks: mark decorative.
  await page.keyboard.press('n');
  await expectPicture(page, DECKS[1]!, 'MRI');
  await page.keyboard.press('d');
  await expect(page.getByTestId('review-badges')).toContainText('Decorative');
  await expect(page.getByTestId('review-progress')).toHaveText('3 of 5 reviewed');
  await saveScreenshotsAtBothSizes(page, testInfo, '03-review-marked-decorative');

  // A crash mid-review: SIGKILL, then start again; every decision is there.
  await serve.kill();
  serve = await start();
  await page.goto(serve.url);
  await tabTo(page, page.getByRole('button', { name: 'Batch history' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('table')).toContainText('Review: 3 of 5 pictures reviewed; 2 decks still to review');
  await tabTo(page, page.getByRole('button', { name: /^Open / }).first());
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByRole('button', { name: 'Review the pictures' }));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('review-progress')).toHaveText('3 of 5 reviewed');
  await expectPicture(page, DECKS[1]!, 'Callus');
  await page.keyboard.press('p');
  await expectPicture(page, DECKS[1]!, 'MRI');
  await expect(page.getByTestId('review-badges')).toContainText('Decorative');
  await page.keyboard.press('p');
  await expectPicture(page, DECKS[0]!, 'Sketch');
  await expect(page.getByLabel('Alt text to write')).toHaveValue('Hand-drawn sketch of the eight carpal bones of the wrist');
  await saveScreenshotsAtBothSizes(page, testInfo, '04-review-after-sigkill');

  // Regenerate with a hint.
  await page.keyboard.press('u');
  await expectPicture(page, DECKS[1]!, 'Callus');
  await page.keyboard.press('g');
  await expect(page.getByLabel('Hint for the model (optional)')).toBeFocused();
  await page.keyboard.type('name the fracture line');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('review-message')).toContainText('The model described the picture again: Revised figure', { timeout: 30_000 });
  await expect(pane(page)).toBeFocused();
  const revised = await page.getByLabel('Alt text to write').inputValue();
  expect(revised).toMatch(/^Revised figure [0-9a-f]{12}: name the fracture line\.$/);
  await page.keyboard.press('a');
  await expect(page.getByTestId('review-badges')).toContainText('Reviewed');
  await saveScreenshotsAtBothSizes(page, testInfo, '05-review-regenerated');

  // Next: edit, then revert to AltGen's text; enlarge and close.
  await page.keyboard.press('n');
  await expectPicture(page, DECKS[2]!, 'Heart');
  await page.keyboard.press('e');
  await expect(page.getByLabel('Alt text to write')).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('A heart');
  await page.keyboard.press('Control+Enter');
  await expect(pane(page)).toBeFocused();
  await page.keyboard.press('r');
  await expect(page.getByLabel('Alt text to write')).toHaveValue(heartText);
  await page.keyboard.press('z');
  const zoom = page.getByRole('dialog', { name: /The picture at full size \(96 × 96 pixels\)/ });
  await expect(zoom).toBeVisible();
  await page.keyboard.press('+');
  await expect(zoom.getByRole('heading')).toContainText('150 %');
  await saveScreenshotsAtBothSizes(page, testInfo, '06-review-enlarged');
  await expectNoA11yViolations(page, 'review, picture enlarged');
  await page.keyboard.press('Escape');
  await expect(pane(page)).toBeFocused();
  await expect(page.getByTestId('review-progress')).toHaveText('5 of 5 reviewed');

  // Apply all, one action for the three decks.
  const apply = page.getByRole('button', { name: /^Apply 3 changes to the copies$/ });
  await tabTo(page, apply, true);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('review-message')).toContainText('Applied the review to 3 decks: 3 pictures changed.', { timeout: 30_000 });
  await saveScreenshotsAtBothSizes(page, testInfo, '07-review-applied');
  await expectNoA11yViolations(page, 'review, applied');

  const expected: Record<string, Record<string, Record<string, string>>> = {
    [DECKS[0]!]: { 'ppt/slides/slide1.xml': { 'X-ray': `descr="${xrayText}"` }, 'ppt/slides/slide2.xml': { Sketch: 'descr="Hand-drawn sketch of the eight carpal bones of the wrist"' } },
    [DECKS[1]!]: { 'ppt/slides/slide1.xml': { MRI: `descr="">${FLAG}</p:cNvPr>`, Callus: `descr="${revised}"` } },
    [DECKS[2]!]: { 'ppt/slides/slide1.xml': { Heart: `descr="${heartText}"` } },
  };
  const checkCopies = async () => {
    for (const deck of DECKS) {
      const before = written.get(deck) ?? new Map();
      const after = await entriesOf(path.join(output, deck));
      expect([...after.keys()], deck).toEqual([...before.keys()]);
      const changedParts = [...before.keys()].filter((name) => !before.get(name)?.equals(after.get(name) ?? Buffer.alloc(0)));
      const parts = expected[deck] ?? {};
      for (const name of changedParts) expect(Object.keys(parts), `${deck}: ${name} changed`).toContain(name);
      for (const [part, shapes] of Object.entries(parts)) {
        const xml = after.get(part)?.toString('utf8') ?? '';
        for (const [shape, attribute] of Object.entries(shapes)) expect(cNvPr(xml, shape), `${deck} ${shape}`).toContain(attribute);
        // Outside the reviewed tags, the part is as the run wrote it.
        const strip = (text: string) => Object.keys(shapes).reduce((rest, shape) => rest.replace(cNvPr(rest, shape), ''), text);
        expect(strip(xml), `${deck}: ${part} outside the reviewed shapes`).toBe(strip(before.get(part)?.toString('utf8') ?? ''));
      }
    }
  };
  await checkCopies();

  // Undo puts the previous copies back; Apply writes the review again.
  await tabTo(page, page.getByRole('button', { name: /^Undo the last apply/ }));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('review-message')).toContainText('Undone: the previous copies of 3 decks are back.');
  for (const deck of DECKS) expect([...(await entriesOf(path.join(output, deck))).values()]).toEqual([...(written.get(deck) ?? new Map()).values()]);
  await tabTo(page, page.getByRole('button', { name: /^Apply 3 changes to the copies$/ }), true);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('review-message')).toContainText('Applied the review to 3 decks', { timeout: 30_000 });
  await checkCopies();

  // Export for sign-off.
  await tabTo(page, page.getByRole('button', { name: 'Export for sign-off (Word)' }));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('review-message')).toContainText('Exported the review as a Word document');
  expect((await readdir(output)).filter((name) => /^review_.*\.docx$/.test(name))).toHaveLength(1);
});
