import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import sharp from 'sharp';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AltTextReport } from '../../shared/alt-text-report';
import type { AltgenConfig } from '../../shared/config-schema';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import { DescriptionCache } from '../describe/description-cache';
import { createProvider } from '../describe/create-provider';
import type { FakeModelServer } from '../describe/testing/fake-model-server';
import { startFakeModelServer } from '../describe/testing/fake-model-server';
import type { DeckSpec } from '../fixtures/deck-builder';
import { buildDeck, deckEntries, writeZip } from '../fixtures/deck-builder';
import { applyReport, readReport } from './apply-edits';
import { processorTestConfig } from './testing/processor-test-config';
import { processDeck } from './process-deck';

let server: FakeModelServer;
let dir: string;

beforeAll(async () => {
  server = await startFakeModelServer();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-process-'));
  server.script(() => undefined);
  server.requests.length = 0;
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function config(altText: Partial<AltgenConfig['alt_text']> = {}, model: Partial<AltgenConfig['model']> = {}): AltgenConfig {
  return processorTestConfig(server.url, altText, model);
}

async function run(spec: DeckSpec, options: { config?: AltgenConfig; cacheDir?: string; name?: string } = {}) {
  const input = path.join(dir, options.name ?? 'lecture.pptx');
  await buildDeck(input, spec);
  return processFile(input, options);
}

async function processFile(input: string, options: { config?: AltgenConfig; cacheDir?: string } = {}) {
  const output = path.join(dir, 'out', path.basename(input));
  await fs.mkdir(path.dirname(output), { recursive: true });
  const cfg = options.config ?? config();
  const { result, report } = await processDeck({
    input,
    output,
    config: cfg,
    provider: createProvider(cfg.model, {}),
    cache: new DescriptionCache({ dir: options.cacheDir ?? path.join(dir, 'cache'), enabled: true }),
  });
  return { input, output, result, report };
}

async function parts(file: string): Promise<Map<string, Buffer>> {
  const zip = await JSZip.loadAsync(await fs.readFile(file));
  const out = new Map<string, Buffer>();
  for (const [name, entry] of Object.entries(zip.files)) if (!entry.dir) out.set(name, await entry.async('nodebuffer'));
  return out;
}

const ANATOMY: DeckSpec = {
  title: 'Cardiac anatomy',
  slides: [
    {
      title: 'The heart, anterior view',
      text: 'Chambers and great vessels',
      pictures: [
        { name: 'Picture 2', imageSize: 64 },
        { name: 'Picture 3', descr: 'Picture 3', imageSize: 64 },
        { name: 'Picture 4', descr: 'Anterior view of the heart with the coronary arteries labelled', imageSize: 64 },
      ],
    },
    { title: 'Valves', pictures: [{ name: 'Picture 5', inGroup: true, imageSize: 64 }, { name: 'Picture 6', inGroup: true, decorative: true, imageSize: 64 }] },
  ],
};

describe('processDeck', () => {
  it('describes missing and weak alt text, keeps human and decorative pictures, and changes nothing else', async () => {
    const { input, output, result, report } = await run(ANATOMY);
    expect(result).toMatchObject({ type: 'result', pictures: 5, described: 3, preserved: 1, decorative: 1, needs_review: 0, model_calls: 3 });
    const byName = Object.fromEntries(report.pictures.map((p) => [p.shape_name, p]));
    expect(byName['Picture 2']).toMatchObject({ decision: 'described', before: null, slide: 1 });
    expect(byName['Picture 3']).toMatchObject({ decision: 'described', before: 'Picture 3' });
    expect(byName['Picture 4']).toMatchObject({ decision: 'preserved', title: null, after: 'Anterior view of the heart with the coronary arteries labelled' });
    expect(byName['Picture 5']).toMatchObject({ decision: 'described', in_group: true, slide: 2 });
    expect(byName['Picture 6']).toMatchObject({ decision: 'decorative' });
    expect(byName['Picture 2']?.after).toMatch(/^Test figure [0-9a-f]{12} with labelled structures\.$/);

    const before = await parts(input);
    const after = await parts(output);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [name, bytes] of before) {
      if (name === 'ppt/slides/slide1.xml' || name === 'ppt/slides/slide2.xml') continue;
      expect(after.get(name)?.equals(bytes), name).toBe(true);
    }
    const slide1 = after.get('ppt/slides/slide1.xml')!.toString('utf8');
    expect(slide1).toContain(`descr="${byName['Picture 2']?.after}"`);
    expect(slide1).toContain('descr="Anterior view of the heart with the coronary arteries labelled"');
    expect(slide1).not.toContain('descr="Picture 3"');
    // Outside the edited attributes, the slide is unchanged.
    const original1 = before.get('ppt/slides/slide1.xml')!.toString('utf8');
    expect(slide1.replace(/ descr="[^"]*"/g, '')).toBe(original1.replace(/ descr="[^"]*"/g, ''));
  });

  it('gives the model the slide context, one request per picture', async () => {
    await run(ANATOMY);
    const chats = server.chatRequests();
    expect(chats).toHaveLength(3);
    expect(chats[0]?.prompt).toContain('The heart, anterior view');
    expect(chats[0]?.prompt).toContain('Cardiac anatomy');
    expect(chats.every((c) => c.images.length === 1)).toBe(true);
  });

  it('costs one model call for a logo on every slide, and none when the deck is run again', async () => {
    const logoDeck: DeckSpec = {
      slides: [1, 2, 3, 4, 5].map((n) => ({ title: `Slide ${n}`, pictures: [{ name: `Logo ${n}`, imageSeed: 99, imageSize: 64 }] })),
    };
    const cacheDir = path.join(dir, 'shared-cache');
    const first = await run(logoDeck, { cacheDir });
    expect(first.result).toMatchObject({ described: 5, model_calls: 1, cache_hits: 4 });
    expect(first.report.pictures.every((p) => p.suggested_decorative?.includes('5 of 5 slides'))).toBe(true);
    const second = await run(logoDeck, { cacheDir, name: 'again.pptx' });
    expect(second.result).toMatchObject({ described: 5, model_calls: 0, cache_hits: 5 });
  });

  it('marks likely decorative pictures when decorative: apply, writing the Office flag and no description', async () => {
    const logoDeck: DeckSpec = { slides: [1, 2, 3].map((n) => ({ pictures: [{ name: `Logo ${n}`, imageSeed: 7, imageSize: 64 }, { name: `Bullet ${n}`, imageSize: 16, imageSeed: 100 + n }] })) };
    const { output, result } = await run(logoDeck, { config: config({ decorative: 'apply' }) });
    expect(result).toMatchObject({ described: 0, decorative: 6, model_calls: 0 });
    const slide = (await parts(output)).get('ppt/slides/slide2.xml')!.toString('utf8');
    expect(slide.match(/<adec:decorative [^>]*val="1"\/>/g)).toHaveLength(2);
    expect(slide).toContain('uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}"');
  });

  it('does not mark the only content photo of a short deck decorative, though it is on every slide', async () => {
    const entries = deckEntries({ slides: [1, 2, 3].map((n) => ({ title: `Case ${n}`, pictures: [{ name: `Photo ${n}`, imageSeed: 5, imageSize: 64 }] })) });
    // Shown large, as a photo people are meant to look at: 8 × 5 inches on a 13.3 × 7.5 inch slide.
    for (const n of [1, 2, 3]) {
      const part = `ppt/slides/slide${n}.xml`;
      entries.set(part, String(entries.get(part)).replace(/<a:ext cx="\d+" cy="\d+"\/>/g, '<a:ext cx="7315200" cy="4572000"/>'));
    }
    const input = path.join(dir, 'case.pptx');
    await writeZip(input, entries);
    const { result, report } = await processFile(input, { config: config({ decorative: 'apply' }) });
    expect(result).toMatchObject({ described: 3, decorative: 0 });
    expect(report.pictures.every((p) => p.suggested_decorative === null || p.suggested_decorative === undefined)).toBe(true);
  });

  it('never writes a refusal: the picture needs review and keeps its old alt text', async () => {
    server.script(() => ({ refusal: true }));
    const { output, result, report } = await run({ slides: [{ pictures: [{ name: 'Picture 2', imageSize: 64 }] }] });
    expect(result).toMatchObject({ described: 0, needs_review: 1 });
    expect(report.pictures[0]).toMatchObject({ decision: 'needs-review', needs_review: true, after: null });
    expect((await parts(output)).get('ppt/slides/slide1.xml')!.toString('utf8')).not.toContain('descr=');
  });

  it('turns a server error on one picture into needs review, and garbage too', async () => {
    let n = 0;
    server.script(() => (n++ === 0 ? { status: 500 } : { garbage: true }));
    const { result } = await run({ slides: [{ pictures: [{ imageSize: 64, imageSeed: 1 }, { imageSize: 64, imageSeed: 2 }] }] });
    expect(result).toMatchObject({ described: 0, needs_review: 2 });
  });

  it('stops without any output when the model server is unreachable, so the batch can pause', async () => {
    const down = await startFakeModelServer();
    const url = down.url;
    await down.stop();
    await expect(run(ANATOMY, { config: config({}, { base_url: url }) })).rejects.toMatchObject({ code: 'EMODEL_UNAVAILABLE' });
    await expect(fs.access(path.join(dir, 'out', 'lecture.pptx'))).rejects.toThrow();
  });

  it('stops with the pull command when the model is missing', async () => {
    await expect(run(ANATOMY, { config: config({}, { name: 'llava-phi3' }) })).rejects.toMatchObject({
      code: 'EMODEL_MISSING',
      message: expect.stringContaining('ollama pull llava-phi3'),
    });
  });

  it('reports the sha256 of every picture, and skips a picture whose image is damaged past its header', async () => {
    const entries = deckEntries({
      slides: [
        { pictures: [{ name: 'Picture 2', imageSeed: 1, imageSize: 64 }] },
        { pictures: [{ name: 'Kept', descr: 'Sagittal MRI of the knee showing a torn anterior cruciate ligament', imageSeed: 2, imageSize: 64 }] },
        { pictures: [{ name: 'Flagged', decorative: true, imageSeed: 3, imageSize: 64 }] },
        { pictures: [{ name: 'Picture 5', imageSeed: 4, imageSize: 64 }] },
      ],
    });
    // A photo far larger than the header the facts are read from, damaged near its end.
    const photo = await sharp({ create: { width: 900, height: 700, channels: 3, background: '#804020', noise: { type: 'gaussian', mean: 128, sigma: 50 } } })
      .jpeg({ quality: 95 })
      .toBuffer();
    expect(photo.length).toBeGreaterThan(400_000);
    const mediaOf = (slide: number) => `ppt/media/image${slide}.png`;
    expect([1, 2, 3, 4].every((n) => entries.has(mediaOf(n)))).toBe(true);
    entries.set(mediaOf(4), photo);
    const input = path.join(dir, 'damaged.pptx');
    await writeZip(input, entries);
    const bytes = await fs.readFile(input);
    const at = bytes.indexOf(photo.subarray(photo.length - 5000, photo.length - 4936));
    expect(at).toBeGreaterThan(0);
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    await fs.writeFile(input, bytes);

    const { output, result, report } = await processFile(input);
    expect(result).toMatchObject({ pictures: 4, described: 1, preserved: 1, decorative: 1, skipped: 1 });
    const sha256 = (part: string) => createHash('sha256').update(entries.get(part) as Buffer).digest('hex');
    const byName = Object.fromEntries(report.pictures.map((p) => [p.shape_name, p]));
    expect(byName['Picture 2']).toMatchObject({ decision: 'described', image_hash: sha256(mediaOf(1)) });
    expect(byName['Kept']).toMatchObject({ decision: 'preserved', image_hash: sha256(mediaOf(2)) });
    expect(byName['Kept']?.thumbnail).toMatch(/^data:image\/png;base64,/);
    expect(byName['Flagged']).toMatchObject({ decision: 'decorative', image_hash: sha256(mediaOf(3)), thumbnail: null });
    expect(byName['Picture 5']).toMatchObject({ decision: 'skipped', image_hash: null, size_px: { width: 900, height: 700 } });
    expect(byName['Picture 5']?.reason).toMatch(/^The image ppt\/media\/image4\.png could not be read \(.*damaged/);
    expect(server.chatRequests()).toHaveLength(1);
    // The copy is written; the damaged part is carried over as it was.
    expect(JSON.parse(await fs.readFile(output.replace(/\.pptx$/, '.alt-text.json'), 'utf8')).counts.skipped).toBe(1);
  });

  it('writes the JSON and HTML reports beside the output', async () => {
    const { output } = await run(ANATOMY);
    const json = JSON.parse(await fs.readFile(output.replace(/\.pptx$/, '.alt-text.json'), 'utf8')) as AltTextReport;
    expect(json.pictures).toHaveLength(5);
    expect(json.pictures[0]?.thumbnail).toMatch(/^data:image\/(png|jpeg);base64,/);
    const html = await fs.readFile(output.replace(/\.pptx$/, '.alt-review.html'), 'utf8');
    expect(html).toContain('<h1>Alt text review: lecture.pptx</h1>');
    expect(html).toContain('Anterior view of the heart with the coronary arteries labelled');
    expect(html).not.toMatch(/<script/i);
  });

  it('applies a reviewed report back to the deck (the review loop)', async () => {
    const { input, output } = await run(ANATOMY);
    const reportFile = output.replace(/\.pptx$/, '.alt-text.json');
    const report = JSON.parse(await fs.readFile(reportFile, 'utf8')) as AltTextReport;
    const edited = { ...report, pictures: report.pictures.map((p) => (p.shape_name === 'Picture 2' ? { ...p, after: 'Heart & great vessels, anterior view' } : p)) };
    await fs.writeFile(reportFile, JSON.stringify(edited));
    const applied = path.join(dir, 'reviewed.pptx');
    const result = await applyReport(output, await readReport(reportFile), applied, DEFAULT_CONFIG.limits);
    expect(result.changed).toBe(1);
    const slide = (await parts(applied)).get('ppt/slides/slide1.xml')!.toString('utf8');
    expect(slide).toContain('descr="Heart &amp; great vessels, anterior view"');
    // From the original deck, every edited text is applied.
    const fromOriginal = await applyReport(input, await readReport(reportFile), path.join(dir, 'from-original.pptx'), DEFAULT_CONFIG.limits);
    expect(fromOriginal.changed).toBe(3);
  });
});
