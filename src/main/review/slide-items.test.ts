import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import { auditFile, handDeckEntries, paragraph, run, shape, slide, solid } from '../audit/testing/audit-decks';
import { manifestIn, Sandbox } from '../batch/testing/altgen-cli';
import { EXIT } from '../cli/exit-codes';
import { findSoffice } from '../describe/image-prep';
import type { FakeModelServer } from '../describe/testing/fake-model-server';
import { startFakeModelServer } from '../describe/testing/fake-model-server';
import { writeZip } from '../fixtures/deck-builder';
import { BatchReview } from './batch-review';
import { courseCsv, courseReport } from './course-report';
import { applyReview, undoReviewApply } from './review-apply';

/**
 * The review's slide items on a real batch (`altgen batch` from the sources, the fake model
 * server): the audit's missing title, reading order and low contrast are queued with their
 * suggestions; decisions are saved with the batch's review; Apply writes the accepted title
 * and reading order into the copy byte-minimally, Undo takes them back, and the course report
 * says what a person accepted and left.
 */

const TOP = { x: 838_200, y: 300_000, cx: 8_000_000, cy: 800_000 };
const UPPER = { x: 838_200, y: 1_500_000, cx: 8_000_000, cy: 1_000_000 };
const LOWER = { x: 838_200, y: 4_000_000, cx: 8_000_000, cy: 1_000_000 };

/** Slide 1: no title, its first text box reads 'Cardiac cycle'; slide 2: the lower box is read first; slide 3: grey on white. */
function slides(): string[] {
  const one =
    shape({ id: 2, name: 'TextBox 1', box: UPPER, paragraphs: [paragraph(run('Cardiac cycle', 'lang="en-US" sz="3200"'))] }) +
    shape({ id: 3, name: 'TextBox 2', box: LOWER, paragraphs: [paragraph(run('Systole and diastole', 'lang="en-US" sz="2400"'))] });
  const two =
    shape({ id: 2, name: 'Title 1', placeholder: 'type="title"', box: TOP, paragraphs: [paragraph(run('Heart sounds', 'lang="en-US"'))] }) +
    shape({ id: 3, name: 'Lower text', box: LOWER, paragraphs: [paragraph(run('S2: the valves close', 'lang="en-US" sz="2400"'))] }) +
    shape({ id: 4, name: 'Upper text', box: UPPER, paragraphs: [paragraph(run('S1: the AV valves close', 'lang="en-US" sz="2400"'))] });
  const three =
    shape({ id: 2, name: 'Title 1', placeholder: 'type="title"', box: TOP, paragraphs: [paragraph(run('Murmurs', 'lang="en-US"'))] }) +
    shape({ id: 3, name: 'Faint note', box: UPPER, paragraphs: [paragraph(run('Listen at the apex', 'lang="en-US" sz="2400"', solid('BBBBBB')))] });
  return [slide(one), slide(two), slide(three)];
}

async function entriesOf(file: string): Promise<Map<string, Buffer>> {
  const zip = await JSZip.loadAsync(await fs.readFile(file));
  const entries = new Map<string, Buffer>();
  for (const [name, entry] of Object.entries(zip.files)) if (!entry.dir) entries.set(name, await entry.async('nodebuffer'));
  return entries;
}

let sandbox: Sandbox;
let model: FakeModelServer;
let out: string;
let manifest: string;
let copy: string;

beforeAll(async () => {
  sandbox = await Sandbox.create('altgen-slide-items-');
  model = await startFakeModelServer();
  const lectures = sandbox.path('Lectures');
  await fs.mkdir(lectures, { recursive: true });
  await writeZip(path.join(lectures, 'heart.pptx'), handDeckEntries(slides().map((xml) => ({ xml }))));
  const config = await sandbox.writeConfig(['model:', `  base_url: ${model.url}`, '  max_retries: 0', 'cache:', '  enabled: false', ''].join('\n'));
  out = sandbox.path('out');
  const result = await sandbox.run(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config], {}, 240_000);
  expect(result.code, result.stdout + result.stderr).toBe(EXIT.ok);
  manifest = (await manifestIn(out)) ?? '';
  copy = path.join(out, 'heart.pptx');
}, 300_000);

afterAll(async () => {
  await model.stop();
  await sandbox.remove();
});

describe("the review's slide items", () => {
  it('queues the missing title, the reading order and the low contrast with their suggestions', async () => {
    const review = new BatchReview(manifest, DEFAULT_CONFIG.limits);
    const { items, reviewed, pending } = await review.slideQueue();
    expect(items.map((item) => [item.slide, item.check, item.shape_name, item.decisions, item.decision, item.applied])).toEqual([
      [1, 'missing-slide-title', null, ['accept', 'leave', 'to-fix'], null, false],
      [2, 'reading-order', null, ['accept', 'leave', 'to-fix'], null, false],
      [3, 'low-contrast', 'Faint note', ['checked', 'to-fix'], null, false],
    ]);
    expect(items[0]?.suggestion).toEqual({ text: "The first text box reads 'Cardiac cycle': use it as the title?", value: 'Cardiac cycle' });
    expect(items[1]?.suggestion?.value).toEqual(['Title 1', 'Upper text', 'Lower text']);
    expect(items[2]?.message).toMatch(/#BBBBBB.*#FFFFFF|2\.\d\d:1/i);
    expect([reviewed, pending]).toEqual([0, 0]);
    // A picture's key is not a slide item, and contrast has nothing to accept.
    await expect(review.decideSlide(items[2]?.deck ?? '', items[2]?.key ?? '', 'accept')).rejects.toMatchObject({ code: 'EREVIEW_REFUSED' });
    await expect(review.decideSlide(items[2]?.deck ?? '', 'ppt/slides/slide3.xml#2', 'checked')).rejects.toMatchObject({ code: 'EUNKNOWN_PICTURE' });
  }, 60_000);

  it('saves decisions with the review, applies the accepted fixes byte-minimally, and undoes them', async () => {
    const review = new BatchReview(manifest, DEFAULT_CONFIG.limits);
    const [title, order, contrast] = (await review.slideQueue()).items;
    expect(await review.decideSlide(title?.deck ?? '', title?.key ?? '', 'accept')).toMatchObject({ decision: 'accept', pending: true, applied: false });
    await review.decideSlide(order?.deck ?? '', order?.key ?? '', 'leave');
    await review.decideSlide(order?.deck ?? '', order?.key ?? '', 'accept');
    await review.decideSlide(contrast?.deck ?? '', contrast?.key ?? '', 'checked');

    // Reopened (a new process would read the same journal): the decisions are there.
    const reopened = new BatchReview(manifest, DEFAULT_CONFIG.limits);
    const queued = await reopened.slideQueue();
    expect(queued.items.map((item) => [item.decision, item.pending, item.reviewed_at !== null])).toEqual([
      ['accept', true, true],
      ['accept', true, true],
      ['checked', false, true],
    ]);
    expect([queued.reviewed, queued.pending]).toEqual([3, 2]);

    const before = await entriesOf(copy);
    const beforeBytes = await fs.readFile(copy);
    await applyReview(reopened, DEFAULT_CONFIG.limits);
    const after = await entriesOf(copy);
    expect([...after.keys()]).toEqual([...before.keys()]);
    const changed = [...after.keys()].filter((name) => !after.get(name)?.equals(before.get(name) ?? Buffer.alloc(0)));
    expect(changed).toEqual(['ppt/slides/slide1.xml', 'ppt/slides/slide2.xml']);

    // Slide 1: only the text box's empty nvPr became a title placeholder.
    const one = [before.get('ppt/slides/slide1.xml')?.toString('utf8') ?? '', after.get('ppt/slides/slide1.xml')?.toString('utf8') ?? ''] as const;
    const firstBox = '<p:cNvPr id="2" name="TextBox 1"/><p:cNvSpPr/><p:nvPr/>';
    expect(one[0]).toContain(firstBox);
    expect(one[1]).toBe(one[0].replace(firstBox, '<p:cNvPr id="2" name="TextBox 1"/><p:cNvSpPr/><p:nvPr><p:ph type="title"/></p:nvPr>'));
    // Slide 2: the two text boxes traded places in the tree, byte for byte.
    const two = [before.get('ppt/slides/slide2.xml')?.toString('utf8') ?? '', after.get('ppt/slides/slide2.xml')?.toString('utf8') ?? ''] as const;
    const lower = /<p:sp><p:nvSpPr><p:cNvPr id="3" name="Lower text"\/>.*?<\/p:sp>/.exec(two[0])?.[0] ?? '';
    const upper = /<p:sp><p:nvSpPr><p:cNvPr id="4" name="Upper text"\/>.*?<\/p:sp>/.exec(two[0])?.[0] ?? '';
    expect(lower).not.toBe('');
    expect(two[1]).toBe(two[0].replace(lower + upper, upper + lower));

    // The copy now passes both checks, and the review knows the fixes are in it.
    const audit = await auditFile(copy);
    expect(audit.findings.map((f) => f.check)).not.toContain('missing-slide-title');
    expect(audit.findings.map((f) => f.check)).not.toContain('reading-order');
    const applied = await reopened.slideQueue();
    expect(applied.items.map((item) => [item.applied, item.pending])).toEqual([
      [true, false],
      [true, false],
      [false, false],
    ]);
    // Applying again has nothing left to write.
    expect((await applyReview(reopened, DEFAULT_CONFIG.limits)).decks).toBe(0);

    const csv = courseCsv(await courseReport(reopened));
    expect(csv).toMatch(/heart\.pptx,1,,missing-slide-title,.*,Suggestion accepted by a person; fixed in the copy,true,,accept,20\d\d-/);
    expect(csv).toMatch(/heart\.pptx,3,Faint note,low-contrast,.*,Checked by a person,false,,checked,20\d\d-/);

    await undoReviewApply(reopened);
    expect((await fs.readFile(copy)).equals(beforeBytes)).toBe(true);
    expect((await reopened.slideQueue()).items.map((item) => item.pending)).toEqual([true, true, false]);

    // Left as is: recorded, nothing to apply, and the course report says so.
    await reopened.decideSlide(title?.deck ?? '', title?.key ?? '', 'leave');
    await reopened.decideSlide(order?.deck ?? '', order?.key ?? '', 'to-fix');
    expect((await applyReview(reopened, DEFAULT_CONFIG.limits)).decks).toBe(0);
    const left = courseCsv(await courseReport(reopened));
    expect(left).toMatch(/heart\.pptx,1,,missing-slide-title,.*,Left as is by a person,false,,leave,20\d\d-/);
    expect(left).toMatch(/heart\.pptx,2,,reading-order,.*,To fix in PowerPoint \(a person marked it\),false,,to-fix,20\d\d-/);
  }, 120_000);

  it('leaves a copy LibreOffice opens after the slide fixes', async (ctx) => {
    const soffice = await findSoffice();
    if (!soffice) {
      ctx.skip('LibreOffice (soffice) is not installed');
      return;
    }
    const review = new BatchReview(manifest, DEFAULT_CONFIG.limits);
    for (const item of (await review.slideQueue()).items) {
      if (item.decisions.includes('accept')) await review.decideSlide(item.deck, item.key, 'accept');
    }
    await applyReview(review, DEFAULT_CONFIG.limits);
    const slideOne = (await entriesOf(copy)).get('ppt/slides/slide1.xml')?.toString('utf8') ?? '';
    expect(slideOne).toContain('<p:ph type="title"/>');
    const pdfDir = sandbox.path('pdf');
    const converted = spawnSync(soffice, [`-env:UserInstallation=file://${sandbox.path('lo-profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', pdfDir, copy], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(converted.error).toBeUndefined();
    const pdf = await fs.readFile(path.join(pdfDir, 'heart.pdf'));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  }, 320_000);
});
