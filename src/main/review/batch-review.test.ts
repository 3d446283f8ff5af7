import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import type { ReviewItem } from '../../shared/review-types';
import { manifestIn, Sandbox, treeDigest } from '../batch/testing/altgen-cli';
import { EXIT } from '../cli/exit-codes';
import { createProvider } from '../describe/create-provider';
import type { FakeModelServer } from '../describe/testing/fake-model-server';
import { startFakeModelServer } from '../describe/testing/fake-model-server';
import { buildDeck } from '../fixtures/deck-builder';
import { openPackage } from '../pptx/package-reader';
import { BatchReview } from './batch-review';
import { applyReview, undoReviewApply } from './review-apply';
import { csvOf, exportReview, exportRows } from './review-export';
import { journalPathOf } from './review-journal';

/**
 * A batch's review end to end: a real batch (`altgen batch`, the built-in processor, the
 * Ollama-speaking fake model server), then the review's actions, a regenerate with a hint,
 * apply and undo for the whole batch, and the exports, on the real copies.
 */

const LIMITS = DEFAULT_CONFIG.limits;
let sandbox: Sandbox;
let model: FakeModelServer;
let config: string;
let pristine: string;
let out: string;
let manifest: string;

beforeAll(async () => {
  sandbox = await Sandbox.create('altgen-batch-review-');
  model = await startFakeModelServer();
  const lectures = sandbox.path('Lectures');
  await fs.mkdir(lectures, { recursive: true });
  await buildDeck(path.join(lectures, 'fractures.pptx'), {
    title: 'Fractures',
    slides: [
      { title: 'Distal radius', text: 'Colles fracture', notes: 'Show the dorsal tilt.', pictures: [{ name: 'X-ray', imageSize: 64, imageSeed: 1 }, { name: 'Sketch', descr: 'Hand-drawn sketch of the wrist', imageSize: 64, imageSeed: 2 }] },
      { title: 'Healing', pictures: [{ name: 'Callus', imageSize: 64, imageSeed: 3 }] },
    ],
  });
  await buildDeck(path.join(lectures, 'joints.pptx'), { title: 'Joints', slides: [{ title: 'Knee', pictures: [{ name: 'MRI', imageSize: 64, imageSeed: 4 }, { name: 'Logo', decorative: true, imageSeed: 5 }] }] });
  config = await sandbox.writeConfig(['model:', `  base_url: ${model.url}`, '  max_retries: 0', 'alt_text:', '  read_text_in_images: false', 'cache:', '  enabled: false', ''].join('\n'));
  pristine = sandbox.path('pristine');
  const run = await sandbox.run(['batch', '--input-dir', lectures, '--output-dir', pristine, '--config', config], {}, 240_000);
  expect(run.code, run.stdout + run.stderr).toBe(EXIT.ok);
}, 300_000);

afterAll(async () => {
  await model.stop();
  await sandbox.remove();
});

beforeEach(async () => {
  // Each test reviews its own copy of the processed batch.
  out = sandbox.path(`out-${Math.random().toString(16).slice(2)}`);
  await fs.cp(pristine, out, { recursive: true });
  const batchManifest = await manifestIn(out);
  expect(batchManifest).not.toBeNull();
  manifest = batchManifest ?? '';
  // The manifest names the copies where they were made: point it at this copy of the folder.
  const text = await fs.readFile(manifest, 'utf8');
  await fs.writeFile(manifest, text.split(pristine).join(out));
});

/** soffice, when LibreOffice with its Writer (which opens .docx) is installed; else what is missing. */
async function libreOfficeWriter(): Promise<string | { readonly missing: string }> {
  const soffice = ['/usr/bin/soffice', '/usr/local/bin/soffice'].find((candidate) => spawnSync(candidate, ['--version']).status === 0);
  if (!soffice) return { missing: 'LibreOffice (soffice) is not installed' };
  const program = path.dirname(await fs.realpath(soffice));
  const names = await fs.readdir(program).catch(() => [] as string[]);
  return names.includes('libswlo.so') ? soffice : { missing: `LibreOffice Writer is not installed (no libswlo.so in ${program}; Debian: libreoffice-writer-nogui)` };
}

/** How many of this process's open files are named `name` in the output folder of the test. */
async function openDescriptorsOf(name: string): Promise<number> {
  const fds = await fs.readdir('/proc/self/fd');
  const targets = await Promise.all(fds.map((fd) => fs.readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets.filter((target) => target.startsWith(out) && path.basename(target) === name).length;
}

function find(items: readonly ReviewItem[], shape: string): ReviewItem {
  const item = items.find((candidate) => candidate.shape_name === shape);
  if (!item) throw new Error(`no picture ${shape} in the queue`);
  return item;
}

async function slideXml(deck: string, part = 'ppt/slides/slide1.xml'): Promise<string> {
  return (await (await JSZip.loadAsync(await fs.readFile(deck))).file(part)?.async('string')) ?? '';
}

function cNvPr(xml: string, name: string): string {
  return new RegExp(`<p:cNvPr [^>]*name="${name}"[^>]*?(/>|>.*?</p:cNvPr>)`).exec(xml)?.[0] ?? '';
}

async function entriesOf(file: string): Promise<Map<string, Buffer>> {
  const reader = await openPackage(file, LIMITS);
  try {
    const all = new Map<string, Buffer>();
    for (const name of reader.entries.keys()) all.set(name, await reader.readBuffer(name, 1024 ** 3));
    return all;
  } finally {
    await reader.close();
  }
}

describe('the review of a batch', () => {
  it('queues every picture of every complete deck, across decks, with filters and progress', async () => {
    const { items, summary } = await new BatchReview(manifest, LIMITS).queue();
    expect(items.map((item) => [path.basename(item.deck), item.shape_name, item.decision])).toEqual([
      ['fractures.pptx', 'X-ray', 'described'],
      ['fractures.pptx', 'Sketch', 'preserved'],
      ['fractures.pptx', 'Callus', 'described'],
      ['joints.pptx', 'MRI', 'described'],
      ['joints.pptx', 'Logo', 'decorative'],
    ]);
    expect(find(items, 'X-ray').filters).toEqual(['all', 'needs-review', 'described']);
    expect(find(items, 'Sketch').filters).toEqual(['all', 'preserved']);
    expect(find(items, 'Logo').filters).toEqual(['all', 'decorative']);
    expect(summary).toMatchObject({ pictures: 5, reviewed: 0, needs_review: 3, pending: 0, undo: null });
    expect(summary.decks.map((deck) => [deck.deck_name, deck.needs_review])).toEqual([
      ['fractures.pptx', 2],
      ['joints.pptx', 1],
    ]);
  });

  it('saves every action as it happens and shows it all again after a restart, a torn last line included', async () => {
    const review = new BatchReview(manifest, LIMITS);
    const { items } = await review.queue();
    const xray = find(items, 'X-ray');
    const accepted = await review.act(xray.deck, xray.key, { type: 'accept' });
    expect(accepted.item).toMatchObject({ needs_review: false, edited: false, pending: false });
    expect(accepted.item.reviewed_at).not.toBeNull();
    expect(accepted.summary).toMatchObject({ reviewed: 1, needs_review: 2 });
    const callus = find(items, 'Callus');
    expect((await review.act(callus.deck, callus.key, { type: 'edit', alt: '  Callus forming\n around the break ' })).item).toMatchObject({ alt: 'Callus forming around the break', edited: true, pending: true, needs_review: false });
    const mri = find(items, 'MRI');
    expect((await review.act(mri.deck, mri.key, { type: 'decorative', decorative: true })).item).toMatchObject({ decorative: true, pending: true });
    await expect(review.act(mri.deck, mri.key, { type: 'edit', alt: 'x' })).rejects.toMatchObject({ code: 'EREVIEW_REFUSED' });
    const logo = find(items, 'Logo');
    await review.act(logo.deck, logo.key, { type: 'decorative', decorative: false });
    await review.act(logo.deck, logo.key, { type: 'edit', alt: 'University crest' });

    // A crash in the middle of writing the next line.
    await fs.appendFile(journalPathOf(manifest), '{"v":1,"at":"2026-01-0');
    const again = await new BatchReview(manifest, LIMITS).queue();
    expect(again.items.map((item) => [item.shape_name, item.reviewed_at !== null, item.alt, item.decorative, item.pending])).toEqual([
      ['X-ray', true, xray.alt, false, false],
      ['Sketch', false, 'Hand-drawn sketch of the wrist', false, false],
      ['Callus', true, 'Callus forming around the break', false, true],
      ['MRI', true, mri.alt, true, true],
      ['Logo', true, 'University crest', false, true],
    ]);
    // The line after a torn one is whole.
    const restarted = new BatchReview(manifest, LIMITS);
    await restarted.act(xray.deck, xray.key, { type: 'revert', to: 'original' });
    expect(find((await new BatchReview(manifest, LIMITS).queue()).items, 'X-ray')).toMatchObject({ alt: null, pending: true });
  });

  it('reverts to the text before AltGen or to the generated one, and says when there is none', async () => {
    const review = new BatchReview(manifest, LIMITS);
    const { items } = await review.queue();
    const xray = find(items, 'X-ray');
    await review.act(xray.deck, xray.key, { type: 'edit', alt: 'Something else' });
    expect((await review.act(xray.deck, xray.key, { type: 'revert', to: 'generated' })).item).toMatchObject({ alt: xray.alt, edited: false, pending: false });
    const sketch = find(items, 'Sketch');
    await expect(review.act(sketch.deck, sketch.key, { type: 'revert', to: 'generated' })).rejects.toMatchObject({ code: 'EREVIEW_REFUSED' });
    const detail = await review.detail(sketch.deck, sketch.key);
    expect(detail).toMatchObject({ human_alt: true, before: 'Hand-drawn sketch of the wrist', generated: null, slide: { number: 1, title: 'Distal radius', text: 'Colles fracture', notes: 'Show the dorsal tilt.' } });
    expect(detail.position).toMatchObject({ slide_cx: 12_192_000, slide_cy: 6_858_000 });
    const image = await review.image(sketch.deck, sketch.key);
    expect(image).toMatchObject({ width: 64, height: 64, data_url: expect.stringMatching(/^data:image\/png;base64,/) });
    // The copy stays open for the next image of the deck until the review is closed.
    expect(await openDescriptorsOf(sketch.deck.replace(/^.*[\\/]/, ''))).toBeGreaterThan(0);
    review.close();
    await expect.poll(() => openDescriptorsOf(sketch.deck.replace(/^.*[\\/]/, ''))).toBe(0);
  });

  it("regenerates one picture through the model, with the reviewer's hint, never from the cache", async () => {
    const review = new BatchReview(manifest, LIMITS);
    const { items } = await review.queue();
    const xray = find(items, 'X-ray');
    await review.act(xray.deck, xray.key, { type: 'accept' });
    const provider = createProvider({ ...DEFAULT_CONFIG.model, base_url: model.url, max_retries: 0 }, {});
    const settings = { ...DEFAULT_CONFIG.alt_text, read_text_in_images: false };
    const asked = model.chatRequests().length;
    const hinted = await review.regenerate(xray.deck, xray.key, 'name the fracture line', settings, LIMITS, provider);
    expect(hinted.item.alt).toMatch(/^Revised figure [0-9a-f]{12}: name the fracture line\.$/);
    expect(hinted.item).toMatchObject({ regenerated: true, needs_review: true, reviewed_at: null, pending: true });
    const request = model.chatRequests().at(-1);
    expect(request?.prompt).toContain('The person reviewing this alt text asks: name the fracture line');
    expect(request?.prompt).toContain('Slide title: Distal radius');
    const plain = await review.regenerate(xray.deck, xray.key, null, settings, LIMITS, provider);
    expect(plain.item.alt).toBe(xray.alt);
    expect(model.chatRequests().length).toBe(asked + 2);
    expect((await review.detail(xray.deck, xray.key)).generated).toBe(xray.alt);
  });

  it('applies every deck in one action, only the reviewed attributes changing, and undo puts the previous copies back', async () => {
    const review = new BatchReview(manifest, LIMITS);
    const { items } = await review.queue();
    const decks = [...new Set(items.map((item) => item.deck))];
    const copies = (await review.load()).decks.map((deck) => deck.target.outputPath);
    const before = await Promise.all(copies.map(entriesOf));
    const folderBefore = await treeDigest(out);

    const xray = find(items, 'X-ray');
    await review.act(xray.deck, xray.key, { type: 'edit', alt: 'Radiograph: Colles fracture of the distal radius' });
    const callus = find(items, 'Callus');
    await review.act(callus.deck, callus.key, { type: 'accept' });
    const mri = find(items, 'MRI');
    await review.act(mri.deck, mri.key, { type: 'decorative', decorative: true });

    const applied = await applyReview(review, LIMITS);
    expect(applied).toMatchObject({ decks: 2, changed: 2, summary: { pending: 0, undo: { decks: 2 } } });
    expect(decks).toHaveLength(2);

    const fractures = copies[0] ?? '';
    const joints = copies[1] ?? '';
    expect(cNvPr(await slideXml(fractures), 'X-ray')).toContain('descr="Radiograph: Colles fracture of the distal radius"');
    expect(cNvPr(await slideXml(joints), 'MRI')).toMatch(/descr=""><a:extLst><a:ext uri="\{C183D7F6-B498-43B3-948B-1728B52AA6E4\}"><adec:decorative xmlns:adec="http:\/\/schemas.microsoft.com\/office\/drawing\/2017\/decorative" val="1"\/><\/a:ext><\/a:extLst><\/p:cNvPr>/);
    for (const [n, copy] of copies.entries()) {
      const after = await entriesOf(copy);
      const old = before[n] ?? new Map<string, Buffer>();
      expect([...after.keys()]).toEqual([...old.keys()]);
      const differing = [...old.keys()].filter((name) => !old.get(name)?.equals(after.get(name) ?? Buffer.alloc(0)));
      expect(differing).toEqual(['ppt/slides/slide1.xml']);
    }
    const report = JSON.parse(await fs.readFile(fractures.replace(/\.pptx$/, '.alt-text.json'), 'utf8')) as { pictures: { shape_name: string; decision: string; needs_review: boolean; generated?: string; reviewed_at?: string }[] };
    expect(report.pictures.find((p) => p.shape_name === 'X-ray')).toMatchObject({ decision: 'edited', needs_review: false, generated: xray.alt });
    expect(report.pictures.find((p) => p.shape_name === 'Callus')).toMatchObject({ decision: 'described', needs_review: false, reviewed_at: expect.any(String) });

    // Nothing more to apply: the copies hold the review.
    expect(await applyReview(new BatchReview(manifest, LIMITS), LIMITS)).toMatchObject({ decks: 0, summary: { undo: { decks: 2 } } });

    const undone = await undoReviewApply(new BatchReview(manifest, LIMITS));
    expect(undone).toMatchObject({ decks: 2, summary: { pending: 2, undo: null } });
    const folderAfter = await treeDigest(out);
    // The copies and reports as they were; AltGen's own folder now holds the review's journal.
    for (const [name, digest] of Object.entries(folderBefore)) if (!name.startsWith('.altgen')) expect(folderAfter[name], name).toBe(digest);
    await expect(undoReviewApply(new BatchReview(manifest, LIMITS))).rejects.toMatchObject({ code: 'EREVIEW_REFUSED' });
  });

  it('exports the review as CSV, one row per picture, and as a Word document LibreOffice opens', async (ctx) => {
    const review = new BatchReview(manifest, LIMITS);
    const { items } = await review.queue();
    const xray = find(items, 'X-ray');
    await review.act(xray.deck, xray.key, { type: 'edit', alt: '=HYPERLINK("x") radiograph, "quoted"' });
    const { rows } = await exportRows(review);
    const csv = csvOf(rows).trimEnd().split('\r\n');
    expect(csv).toHaveLength(1 + items.length);
    expect(csv[0]).toBe('deck,slide,shape,kind,before,generated,after,decorative,decision,reviewed,reviewed_at,needs_review,applied');
    expect(csv[1]).toContain(`"'=HYPERLINK(""x"") radiograph, ""quoted"""`);
    expect(csv[1]).toMatch(/,true,[^,]+,false,false$/);

    const docx = await exportReview(review, 'docx');
    expect(path.dirname(docx)).toBe(out);
    const document = (await (await JSZip.loadAsync(await fs.readFile(docx))).file('word/document.xml')?.async('string')) ?? '';
    for (const text of ['fractures.pptx', 'joints.pptx', 'Slide 2', 'Hand-drawn sketch of the wrist', 'edited by a person; not applied yet', 'Not reviewed: needs review', '(decorative: no alt text)']) {
      expect(document, text).toContain(text);
    }
    expect((document.match(/<pic:pic /g) ?? []).length).toBe(4);

    const writer = await libreOfficeWriter();
    if (typeof writer !== 'string') {
      ctx.skip(`${writer.missing}: the Word export was not converted to PDF`);
      return;
    }
    const soffice = writer;
    const pdfDir = sandbox.path('pdf');
    const converted = spawnSync(soffice, [`-env:UserInstallation=file://${sandbox.path('lo-profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', pdfDir, docx], { encoding: 'utf8', timeout: 240_000 });
    expect(converted.status, converted.stderr).toBe(0);
    const pdf = await fs.readFile(path.join(pdfDir, path.basename(docx).replace(/\.docx$/, '.pdf')));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  }, 300_000);

  it('applies and exports from the command line', async () => {
    const review = new BatchReview(manifest, LIMITS);
    const { items, batchId } = await review.queue();
    const callus = find(items, 'Callus');
    await review.act(callus.deck, callus.key, { type: 'edit', alt: 'Callus around the healing fracture' });
    const applied = await sandbox.run(['apply', '--output-dir', out, '--config', config]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(EXIT.ok);
    expect(applied.stdout).toContain(`Applied the review of batch ${batchId} to 1 deck(s): 1 picture(s) changed.`);
    expect(cNvPr(await slideXml((await review.load()).decks[0]?.target.outputPath ?? '', 'ppt/slides/slide2.xml'), 'Callus')).toContain('descr="Callus around the healing fracture"');
    const again = await sandbox.run(['apply', '--output-dir', out, '--batch-id', batchId, '--config', config]);
    expect(again.stdout).toContain('Nothing to apply');

    const exported = await sandbox.run(['review', 'export', '--output-dir', out, '--format', 'csv', '--config', config]);
    expect(exported.code, exported.stdout + exported.stderr).toBe(EXIT.ok);
    const csv = await fs.readFile(path.join(out, `review_${batchId}.csv`), 'utf8');
    expect(csv.trimEnd().split('\r\n')).toHaveLength(1 + items.length);

    const wrong = await sandbox.run(['review', 'export', '--output-dir', out, '--format', 'pdf']);
    expect(wrong.code).toBe(EXIT.usage);
    const unknown = await sandbox.run(['apply', '--output-dir', out, '--batch-id', '20200101_000000_00000000', '--config', config]);
    expect(unknown.code).toBe(EXIT.batchNotFound);
    const both = await sandbox.run(['apply', 'a.pptx', '--output-dir', out]);
    expect(both.code).toBe(EXIT.usage);
  });
});
