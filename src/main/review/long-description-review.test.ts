import { promises as fs } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import { manifestIn, Sandbox } from '../batch/testing/altgen-cli';
import { EXIT } from '../cli/exit-codes';
import type { FakeModelServer } from '../describe/testing/fake-model-server';
import { startFakeModelServer } from '../describe/testing/fake-model-server';
import { buildDeck } from '../fixtures/deck-builder';
import { BatchReview } from './batch-review';
import { applyReview, undoReviewApply } from './review-apply';

/**
 * A long description (`long_descriptions: notes`) is reviewed like the alt text: edited in the
 * batch review, written into the copy's speaker notes by Apply (the slide's own notes kept),
 * recorded in the report, and undone by Undo.
 */

const LIMITS = DEFAULT_CONFIG.limits;
let sandbox: Sandbox;
let model: FakeModelServer;
let out: string;

beforeAll(async () => {
  sandbox = await Sandbox.create('altgen-long-review-');
  model = await startFakeModelServer();
  const lectures = sandbox.path('Lectures');
  await fs.mkdir(lectures, { recursive: true });
  await buildDeck(path.join(lectures, 'fractures.pptx'), {
    title: 'Fractures',
    slides: [{ title: 'Wrist anatomy', notes: 'Show the dorsal tilt.', pictures: [{ name: 'X-ray', imageSize: 64, imageSeed: 1 }] }],
  });
  const config = await sandbox.writeConfig(
    ['model:', `  base_url: ${model.url}`, '  max_retries: 0', 'alt_text:', '  read_text_in_images: false', '  long_descriptions: notes', '  prompt_category: diagram', 'cache:', '  enabled: false', ''].join('\n'),
  );
  out = sandbox.path('Accessible');
  const run = await sandbox.run(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config], {}, 240_000);
  expect(run.code, run.stdout + run.stderr).toBe(EXIT.ok);
}, 300_000);

afterAll(async () => {
  await model.stop();
  await sandbox.remove();
});

async function notesOf(deck: string): Promise<string> {
  const zip = await JSZip.loadAsync(await fs.readFile(deck));
  const part = Object.keys(zip.files).find((name) => /^ppt\/notesSlides\/notesSlide\d+\.xml$/.test(name));
  return part ? ((await zip.file(part)?.async('string')) ?? '') : '';
}

it('edits a long description in the review, and Apply writes it into the notes of the copy, undone by Undo', async () => {
  const manifest = await manifestIn(out);
  expect(manifest).not.toBeNull();
  const review = new BatchReview(manifest ?? '', LIMITS);
  try {
    const { items } = await review.queue();
    const xray = items.find((item) => item.shape_name === 'X-ray');
    if (!xray) throw new Error('no X-ray in the queue');
    const detail = await review.detail(xray.deck, xray.key);
    // The run wrote a long description: the review shows it, ready to edit.
    expect(detail.long_description).toEqual(expect.any(String));
    const generated = detail.long_description ?? '';
    expect(generated.length).toBeGreaterThan(0);
    const copy = (await review.load()).decks[0]?.target.outputPath ?? '';
    const notesBefore = await notesOf(copy);
    expect(notesBefore).toContain('Show the dorsal tilt.');

    const edited = 'A posteroanterior radiograph of the wrist: the distal radius is broken 2 cm above the joint, its fragment tilted towards the back of the hand.';
    await review.act(xray.deck, xray.key, { type: 'edit-long', text: edited });
    expect((await review.detail(xray.deck, xray.key)).long_description).toBe(edited);

    const applied = await applyReview(review, LIMITS);
    expect(applied).toMatchObject({ decks: 1 });
    const notesAfter = await notesOf(copy);
    expect(notesAfter).toContain(edited);
    expect(notesAfter).toContain('Show the dorsal tilt.');
    const report = JSON.parse(await fs.readFile(copy.replace(/\.pptx$/, '.alt-text.json'), 'utf8')) as { pictures: { shape_name: string; long_description?: string | null }[] };
    expect(report.pictures.find((p) => p.shape_name === 'X-ray')?.long_description).toBe(edited);

    await undoReviewApply(new BatchReview(manifest ?? '', LIMITS));
    expect(await notesOf(copy)).toBe(notesBefore);
  } finally {
    review.close();
  }
});
