import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import sharp from 'sharp';
import type PptxGenJS from 'pptxgenjs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AltgenConfig } from '../../shared/config-schema';
import { DescriptionCache } from '../describe/description-cache';
import { createProvider } from '../describe/create-provider';
import { createTextReader, type TextReader } from '../describe/ocr';
import type { FakeModelServer } from '../describe/testing/fake-model-server';
import { startFakeModelServer } from '../describe/testing/fake-model-server';
import { pptxgenjsDeck } from '../fixtures/graphic-decks';
import { LONG_DESCRIPTIONS_END, LONG_DESCRIPTIONS_HEADING } from '../pptx/notes-writer';
import { processorTestConfig } from './testing/processor-test-config';
import { withoutOwnNotes } from './describe-step';
import { processDeck } from './process-deck';

/**
 * The processor with issue 6's features on real decks: charts described from their data,
 * text read in pictures (as model context, and as offline drafts), long descriptions in the
 * speaker notes (idempotent), and the deck's language.
 */

let server: FakeModelServer;
let dir: string;
let textReader: TextReader;

beforeAll(async () => {
  server = await startFakeModelServer();
  textReader = createTextReader();
});
afterAll(async () => {
  await server.stop();
  await textReader.close();
});
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-issue6-'));
  server.script(() => undefined);
  server.requests.length = 0;
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function config(altText: Partial<AltgenConfig['alt_text']> = {}, model: Partial<AltgenConfig['model']> = {}): AltgenConfig {
  return processorTestConfig(server.url, altText, model);
}

async function run(input: string, cfg: AltgenConfig, name = 'out.pptx') {
  const output = path.join(dir, 'out', name);
  await fs.mkdir(path.dirname(output), { recursive: true });
  const { result, report } = await processDeck({
    input,
    output,
    config: cfg,
    provider: createProvider(cfg.model, {}),
    cache: new DescriptionCache({ dir: path.join(dir, 'cache'), enabled: true }),
    textReader,
  });
  return { output, result, report };
}

async function partText(file: string, name: string): Promise<string | null> {
  const zip = await JSZip.loadAsync(await fs.readFile(file));
  return (await zip.file(name)?.async('string')) ?? null;
}

/** A labelled line drawing, like a textbook diagram: black on white, four labels. */
async function labelledDiagram(labels: readonly string[]): Promise<string> {
  const text = labels.map((label, i) => `<text x="${i % 2 === 0 ? 20 : 520}" y="${80 + Math.floor(i / 2) * 240}" font-family="DejaVu Sans" font-size="34">${label}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="420"><rect width="800" height="420" fill="white"/><ellipse cx="400" cy="210" rx="90" ry="110" fill="none" stroke="black" stroke-width="4"/>${text}</svg>`;
  const png = await sharp(Buffer.from(svg)).png().toBuffer();
  return `image/png;base64,${png.toString('base64')}`;
}

async function deck(build: (pptx: PptxGenJS) => void | Promise<void>): Promise<string> {
  const file = path.join(dir, 'lecture.pptx');
  let pending: Promise<void> | void = undefined;
  const bytes = await pptxgenjsDeck((pptx) => {
    pending = build(pptx);
  });
  await pending;
  await fs.writeFile(file, bytes);
  return file;
}

const LABELS = ['Left atrium', 'Right atrium', 'Left ventricle', 'Right ventricle'];

describe('processDeck, charts and SmartArt', () => {
  it('writes a chart its alt text from its own data, without the model, and reports it as a chart', async () => {
    const input = await deck((pptx) => {
      const slide = pptx.addSlide();
      slide.addText('Mortality by age group', { x: 0.5, y: 0.2, w: 9, h: 0.6 });
      slide.addChart('bar', [{ name: 'Deaths per 1,000', labels: ['0–19', '20–59', '60–79', '80+'], values: [1, 4, 18, 31] }], {
        x: 1, y: 1, w: 8, h: 4, showTitle: true, title: 'Mortality by age group', barDir: 'col',
      });
    });
    const { output, report } = await run(input, config());
    const chart = report.pictures.find((p) => p.kind === 'chart');
    expect(chart).toMatchObject({ decision: 'described', model: null, reason: "Written from the chart's own data (no model)." });
    expect(chart?.after).toMatch(/^Column chart: Mortality by age group\b/);
    expect(chart?.after).toContain('80+');
    expect(server.chatRequests()).toHaveLength(0);
    const slideXml = await partText(output, 'ppt/slides/slide1.xml');
    expect(slideXml).toContain(`descr="${chart?.after}"`);
  });

  it('leaves a chart that already has real alt text alone, and describes none with describe_graphics off', async () => {
    const input = await deck((pptx) => {
      pptx.addSlide().addChart('pie', [{ name: 'Share', labels: ['A', 'B'], values: [30, 70] }], { x: 1, y: 1, w: 6, h: 4, altText: 'Pie chart of the share of A and B patients' });
    });
    const kept = await run(input, config());
    expect(kept.report.pictures.filter((p) => p.kind === 'chart').map((p) => p.decision)).toEqual(['preserved']);
    const off = await run(input, config({ describe_graphics: false }), 'off.pptx');
    expect(off.report.pictures.filter((p) => p.kind === 'chart')).toEqual([]);
  });
});

describe('processDeck, long descriptions in the speaker notes', () => {
  it('adds a notes block for a chart, creating the notes page, and a re-run on the output does not add a second', async () => {
    const input = await deck((pptx) => {
      pptx.addSlide().addChart('line', [{ name: 'Heart rate', labels: ['0 min', '5 min', '10 min'], values: [72, 110, 85] }], {
        x: 1, y: 1, w: 8, h: 4, showTitle: true, title: 'Heart rate during exercise',
      });
    });
    const cfg = config({ long_descriptions: 'notes' });
    const first = await run(input, cfg);
    const chart = first.report.pictures.find((p) => p.kind === 'chart');
    expect(chart?.long_description).toContain('Heart rate');
    const notesPart = (await partText(first.output, 'ppt/slides/_rels/slide1.xml.rels'))?.match(/Target="\.\.\/notesSlides\/(notesSlide\d+\.xml)"/)?.[1];
    expect(notesPart).toBeDefined();
    const notes = await partText(first.output, `ppt/notesSlides/${notesPart}`);
    expect(notes?.split(LONG_DESCRIPTIONS_HEADING)).toHaveLength(2);

    // The output, processed again with overwrite, gets its block replaced, not repeated.
    const second = await run(first.output, config({ long_descriptions: 'notes', policy: 'overwrite' }), 'again.pptx');
    const notesAgain = await partText(second.output, `ppt/notesSlides/${notesPart}`);
    expect(notesAgain?.split(LONG_DESCRIPTIONS_HEADING)).toHaveLength(2);
    expect(notesAgain).toBe(notes);
  });

  it('asks the model for a long description of a labelled diagram and writes it under the heading', async () => {
    const image = await labelledDiagram(LABELS);
    const input = await deck((pptx) => {
      const slide = pptx.addSlide();
      slide.addText('Chambers of the heart: a diagram', { x: 0.5, y: 0.2, w: 9, h: 0.6 });
      slide.addImage({ data: image, x: 1, y: 1, w: 8, h: 4.2 });
    });
    const { output, report } = await run(input, config({ long_descriptions: 'notes' }));
    const picture = report.pictures.find((p) => p.kind === 'picture');
    expect(picture?.decision).toBe('described');
    expect(picture?.long_description).toBeTruthy();
    expect(server.chatRequests()).toHaveLength(2);
    expect(server.chatRequests()[1]?.prompt).toContain('long description');
    const rels = await partText(output, 'ppt/slides/_rels/slide1.xml.rels');
    const notesPart = rels?.match(/Target="\.\.\/notesSlides\/(notesSlide\d+\.xml)"/)?.[1];
    const notes = await partText(output, `ppt/notesSlides/${notesPart}`);
    expect(notes).toContain(LONG_DESCRIPTIONS_HEADING);
    expect(notes).toContain(picture?.long_description?.slice(0, 40));

    // Described again from the output: the model is not shown its own block as speaker notes.
    // (A new length limit, so the short text is not taken from the cache.)
    await run(output, config({ long_descriptions: 'notes', policy: 'overwrite', char_limit: 120 }), 'again.pptx');
    expect(server.chatRequests().length).toBeGreaterThan(2);
    expect(server.chatRequests().at(-1)?.prompt).not.toContain('Speaker notes');
    for (const request of server.chatRequests()) expect(request.prompt).not.toContain('Image descriptions');
  });
});

describe('processDeck, text in pictures', () => {
  it('gives the labels it reads to the model as context', async () => {
    const image = await labelledDiagram(LABELS);
    const input = await deck((pptx) => {
      pptx.addSlide().addImage({ data: image, x: 1, y: 1, w: 8, h: 4.2 });
    });
    const { report } = await run(input, config());
    const prompt = server.chatRequests()[0]?.prompt ?? '';
    expect(prompt).toContain('Text in the picture');
    for (const label of LABELS) expect(prompt.toLowerCase()).toContain(label.toLowerCase());
    expect(report.pictures[0]?.text_in_image?.toLowerCase()).toContain('left ventricle');
  });

  it('with provider offline, writes drafts from the labels, marked as drafts needing review, without any server', async () => {
    const image = await labelledDiagram(LABELS);
    // A grey square: no text in it, and no slide title to draft from.
    const plain = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#808080' } }).png().toBuffer();
    const input = await deck((pptx) => {
      const slide = pptx.addSlide();
      slide.addText('Chambers of the heart', { x: 0.5, y: 0.2, w: 9, h: 0.6 });
      slide.addImage({ data: image, x: 1, y: 1, w: 8, h: 4.2 });
      pptx.addSlide().addImage({ data: `image/png;base64,${plain.toString('base64')}`, x: 1, y: 1, w: 2, h: 2 });
    });
    // No server at all: a closed port.
    const { output, report, result } = await run(input, config({}, { provider: 'offline', base_url: 'http://127.0.0.1:9' }));
    const [draft, nothing] = report.pictures;
    expect(draft).toMatchObject({ decision: 'drafted', draft: true, needs_review: true, model: 'offline' });
    for (const label of LABELS) expect(draft?.after?.toLowerCase()).toContain(label.toLowerCase());
    expect(nothing).toMatchObject({ decision: 'needs-review', draft: false, after: nothing?.before ?? null });
    expect(result).toMatchObject({ drafted: 1, needs_review: 1, model_calls: 0 });
    expect(report.model).toBe('offline');
    expect(server.requests).toHaveLength(0);
    const slideXml = await partText(output, 'ppt/slides/slide1.xml');
    expect(slideXml).toContain(`descr="${draft?.after}"`);
    const html = await fs.readFile(output.replace(/\.pptx$/, '.alt-review.html'), 'utf8');
    expect(html).toContain('Offline draft (check it)');
    expect(html).toContain('<strong class="flag">Draft</strong>');
  });
});

describe('processDeck, language', () => {
  it("asks in the deck's own language, and in the configured one when set", async () => {
    const image = await labelledDiagram(['Herz']);
    const input = await deck((pptx) => {
      const slide = pptx.addSlide();
      slide.addText('Die Anatomie des Herzens und der großen Gefäße', { x: 0.5, y: 0.2, w: 9, h: 0.6, lang: 'de-DE' });
      slide.addImage({ data: image, x: 1, y: 1, w: 4, h: 2 });
    });
    await run(input, config({ read_text_in_images: false }));
    expect(server.chatRequests()[0]?.prompt).toContain('in German');
    await run(input, config({ read_text_in_images: false, language: 'fr' }), 'fr.pptx');
    expect(server.chatRequests()[1]?.prompt).toContain('in French');
  });
});

describe('withoutOwnNotes', () => {
  it("drops the block an earlier run wrote, and keeps the author's notes around it", () => {
    expect(withoutOwnNotes(`Mention the murmur. ${LONG_DESCRIPTIONS_HEADING} Picture 2: A long text. ${LONG_DESCRIPTIONS_END} Ask questions.`)).toBe('Mention the murmur. Ask questions.');
    expect(withoutOwnNotes(`${LONG_DESCRIPTIONS_HEADING} Picture 2: A long text. ${LONG_DESCRIPTIONS_END}`)).toBeNull();
    expect(withoutOwnNotes('Only my notes.')).toBe('Only my notes.');
  });
});

describe('processDeck, language of the text it builds itself', () => {
  it('writes chart alt text in the deck language', async () => {
    const input = await deck((pptx) => {
      const slide = pptx.addSlide();
      slide.addText('Sterblichkeit nach Altersgruppe in Deutschland', { x: 0.5, y: 0.2, w: 9, h: 0.6, lang: 'de-DE' });
      slide.addChart('pie', [{ name: 'Todesursachen', labels: ['Herz-Kreislauf', 'Krebs'], values: [60, 40] }], { x: 1, y: 1, w: 6, h: 4, showTitle: true, title: 'Todesursachen' });
    });
    const { report } = await run(input, config());
    expect(report.pictures.find((p) => p.kind === 'chart')?.after).toBe('Kreisdiagramm: Todesursachen. Herz-Kreislauf 60\u00a0%, Krebs 40\u00a0%.');
  });
});
