import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import type PptxGenJS from 'pptxgenjs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AltgenConfig } from '../../shared/config-schema';
import { DescriptionCache } from '../describe/description-cache';
import { createProvider } from '../describe/create-provider';
import type { FakeModelServer } from '../describe/testing/fake-model-server';
import { startFakeModelServer } from '../describe/testing/fake-model-server';
import type { DeckSpec } from '../fixtures/deck-builder';
import { deckEntries, tinyPng, writeZip } from '../fixtures/deck-builder';
import { pptxgenjsDeck, smartArtDataXml, withEntry, withSmartArt } from '../fixtures/graphic-decks';
import { processorTestConfig } from './testing/processor-test-config';
import { processDeck } from './process-deck';

/**
 * What the processor writes for shapes filled with pictures, videos and sounds, empty charts,
 * SmartArt and tables, and charts on right-to-left slides: real decks, the real processor, a
 * loopback model server.
 */

let server: FakeModelServer;
let dir: string;

beforeAll(async () => {
  server = await startFakeModelServer();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-graphics-'));
  server.script(() => undefined);
  server.requests.length = 0;
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function config(altText: Partial<AltgenConfig['alt_text']> = {}): AltgenConfig {
  return processorTestConfig(server.url, { read_text_in_images: false, ...altText });
}

async function run(input: string, cfg: AltgenConfig = config(), name = 'out.pptx') {
  const output = path.join(dir, 'out', name);
  await fs.mkdir(path.dirname(output), { recursive: true });
  const { result, report } = await processDeck({
    input,
    output,
    config: cfg,
    provider: createProvider(cfg.model, {}),
    cache: new DescriptionCache({ dir: path.join(dir, 'cache'), enabled: true }),
  });
  return { output, result, report };
}

async function partText(file: string, name: string): Promise<string> {
  const zip = await JSZip.loadAsync(await fs.readFile(file));
  const text = await zip.file(name)?.async('string');
  if (text === undefined) throw new Error(`${file} has no part ${name}`);
  return text;
}

/** The start tag of the `p:cNvPr` with this id. */
function cNvPr(xml: string, id: string): string {
  return new RegExp(`<p:cNvPr id="${id}"[^>]*>`).exec(xml)?.[0] ?? '';
}

async function specDeck(spec: DeckSpec, change?: (entries: Map<string, string | Buffer>) => void): Promise<string> {
  const file = path.join(dir, 'lecture.pptx');
  const entries = deckEntries(spec);
  change?.(entries);
  await writeZip(file, entries);
  return file;
}

async function pptxgenjsFile(build: (pptx: PptxGenJS) => void, change?: (deck: Buffer) => Promise<Buffer>): Promise<string> {
  const file = path.join(dir, 'lecture.pptx');
  const deck = await pptxgenjsDeck(build);
  await fs.writeFile(file, change ? await change(deck) : deck);
  return file;
}

describe('processDeck, shapes filled with a picture', () => {
  const FILLED: DeckSpec = {
    title: 'Histology',
    slides: [
      {
        title: 'Epithelium',
        pictures: [
          { name: 'object 2', shape: 'filled-shape', imageSize: 64, imageSeed: 1 },
          { name: 'object 3', shape: 'filled-shape', imageSize: 64, imageSeed: 2, descr: 'Stratified squamous epithelium of the oesophagus, H&E stain' },
          { name: 'object 4', shape: 'filled-shape', imageSize: 64, imageSeed: 3, decorative: true },
        ],
      },
    ],
  };

  it("lists and describes them, writing the alt text on the shape's own p:cNvPr, and follows the same policies as pictures", async () => {
    const input = await specDeck(FILLED);
    const { output, report, result } = await run(input);
    expect(report.pictures.map((p) => [p.shape_name, p.kind, p.decision])).toEqual([
      ['object 2', 'shape', 'described'],
      ['object 3', 'shape', 'preserved'],
      ['object 4', 'shape', 'decorative'],
    ]);
    expect(result).toMatchObject({ pictures: 3, described: 1, preserved: 1, decorative: 1 });
    expect(server.chatRequests()).toHaveLength(1);
    const described = report.pictures[0];
    expect(described?.image_part).toMatch(/^ppt\/media\/image\d+\.png$/);
    expect(described?.thumbnail).toMatch(/^data:image\//);
    const slide = await partText(output, 'ppt/slides/slide1.xml');
    expect(cNvPr(slide, described?.shape_id ?? '')).toContain(`descr="${described?.after}"`);
    // The alt text is on the shape, inside its p:sp.
    expect(slide).toMatch(new RegExp(`<p:sp><p:nvSpPr><p:cNvPr id="${described?.shape_id}"[^>]*descr=`));
    const html = await fs.readFile(output.replace(/\.pptx$/, '.alt-review.html'), 'utf8');
    expect(html).toContain('(shape filled with a picture)');
  });

  it('marks a tiny filled shape decorative with decorative: apply, on the shape itself', async () => {
    const input = await specDeck({ slides: [{ title: 'Bullets', pictures: [{ name: 'object 2', shape: 'filled-shape', imageSize: 16 }] }] });
    const { output, report } = await run(input, config({ decorative: 'apply' }));
    expect(report.pictures.map((p) => [p.kind, p.decision])).toEqual([['shape', 'marked-decorative']]);
    const slide = await partText(output, 'ppt/slides/slide1.xml');
    expect(slide).toMatch(/<p:sp><p:nvSpPr><p:cNvPr id="3" name="object 2"><a:extLst><a:ext uri="\{C183D7F6-B498-43B3-948B-1728B52AA6E4\}"><adec:decorative [^>]*val="1"\/>/);
    expect(server.chatRequests()).toHaveLength(0);
  });

  it('lists a filled shape of a slide layout and leaves it alone unless include_layouts', async () => {
    const logo =
      '<p:sp><p:nvSpPr><p:cNvPr id="90" name="Logo"/><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>' +
      '<p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2400000" cy="2400000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>' +
      '<a:blipFill><a:blip r:embed="rIdLogo"/><a:stretch><a:fillRect/></a:stretch></a:blipFill></p:spPr></p:sp>';
    const input = await specDeck({ slides: [{ title: 'One' }] }, (entries) => {
      const layout = 'ppt/slideLayouts/slideLayout1.xml';
      const rels = 'ppt/slideLayouts/_rels/slideLayout1.xml.rels';
      entries.set(layout, String(entries.get(layout)).replace('</p:spTree>', `${logo}</p:spTree>`));
      entries.set(
        rels,
        String(entries.get(rels)).replace(
          '</Relationships>',
          '<Relationship Id="rIdLogo" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="../media/logo.png"/></Relationships>',
        ),
      );
      entries.set('ppt/media/logo.png', tinyPng(7, 64));
    });
    const left = await run(input);
    expect(left.report.pictures.map((p) => [p.part, p.kind, p.decision])).toEqual([['ppt/slideLayouts/slideLayout1.xml', 'shape', 'skipped']]);
    expect(left.report.pictures[0]?.reason).toMatch(/include_layouts/);
    const included = await run(input, config({ include_layouts: true }), 'included.pptx');
    expect(included.report.pictures.map((p) => p.decision)).toEqual(['described']);
    expect(cNvPr(await partText(included.output, 'ppt/slideLayouts/slideLayout1.xml'), '90')).toContain(`descr="${included.report.pictures[0]?.after}"`);
  });
});

describe('processDeck, videos and sounds', () => {
  it("describes a video's poster frame and a sound's icon, writing alt text on the p:pic, reported as media", async () => {
    const input = await specDeck({
      slides: [
        {
          title: 'Auscultation',
          pictures: [
            { name: 'Murmur recording', media: 'audio', imageSize: 64, imageSeed: 4 },
            { name: 'Echocardiogram', media: 'video', imageSize: 64, imageSeed: 5 },
            { name: 'Picture 4', imageSize: 64, imageSeed: 6 },
          ],
        },
      ],
    });
    const { output, report } = await run(input);
    expect(report.pictures.map((p) => [p.shape_name, p.kind, p.decision])).toEqual([
      ['Murmur recording', 'media', 'described'],
      ['Echocardiogram', 'media', 'described'],
      ['Picture 4', 'picture', 'described'],
    ]);
    const slide = await partText(output, 'ppt/slides/slide1.xml');
    for (const picture of report.pictures) expect(cNvPr(slide, picture.shape_id)).toContain(`descr="${picture.after}"`);
    const html = await fs.readFile(output.replace(/\.pptx$/, '.alt-review.html'), 'utf8');
    expect(html).toContain('(video or sound)');
  });
});

describe('processDeck, charts, SmartArt and tables with nothing to describe', () => {
  const EMPTY_CHART =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart">' +
    '<c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:layout/><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/></c:barChart></c:plotArea></c:chart></c:chartSpace>';

  it('lists them with the reason, in the JSON report and on the review page, and the counts add up', async () => {
    let chartPart = '';
    const input = await pptxgenjsFile(
      (pptx) => {
        const slide = pptx.addSlide();
        slide.addChart('bar', [{ name: 'Cases', labels: ['A', 'B'], values: [1, 2] }], { x: 0.5, y: 0.5, w: 4, h: 3 });
        slide.addTable([[{ text: '' }, { text: '' }], [{ text: '' }, { text: '' }]], { x: 5, y: 0.5, w: 4 });
        pptx.addSlide().addChart('pie', [{ name: 'Share', labels: ['A', 'B'], values: [30, 70] }], { x: 1, y: 1, w: 4, h: 3, showTitle: true, title: 'Share' });
      },
      async (deck) => {
        const zip = await JSZip.loadAsync(deck);
        const rels = (await zip.file('ppt/slides/_rels/slide1.xml.rels')?.async('string')) ?? '';
        chartPart = `ppt/charts/${/Target="[^"]*\/charts\/(chart\d+\.xml)"/.exec(rels)?.[1] ?? ''}`;
        const emptied = await withEntry(deck, chartPart, EMPTY_CHART);
        return withSmartArt(emptied, {
          slide: 2,
          shapeId: 40,
          name: 'Diagram 39',
          dataXml: smartArtDataXml([{ text: '' }, { text: '' }], { layout: 'default', category: 'list' }),
          layoutXml: null,
        });
      },
    );
    const { output, report, result } = await run(input);
    const graphics = report.pictures.map((p) => [p.slide, p.kind, p.decision, p.reason]);
    expect(graphics).toEqual([
      [1, 'chart', 'skipped', 'Nothing to describe: the chart has no title, axis titles or data AltGen can read.'],
      [1, 'table', 'skipped', 'Nothing to describe: every cell of the table is empty.'],
      [2, 'chart', 'described', "Written from the chart's own data (no model)."],
      [2, 'smartart', 'skipped', 'Nothing to describe: the SmartArt graphic has no text.'],
    ]);
    expect(result).toMatchObject({ pictures: 4, described: 1, skipped: 3, preserved: 0, decorative: 0, needs_review: 0 });
    for (const empty of report.pictures.filter((p) => p.decision === 'skipped')) expect(empty).toMatchObject({ after: empty.before, needs_review: false });
    const html = await fs.readFile(output.replace(/\.pptx$/, '.alt-review.html'), 'utf8');
    expect(html).toContain('4 pictures: 1 described, 0 kept, 0 decorative, 3 skipped, 0 need review.');
    expect(html).toContain('Nothing to describe: every cell of the table is empty.');
    expect(html).toContain('Diagram 39');
    // Nothing was written into the empty ones (pptxgenjs gives every frame an empty descr).
    expect(await partText(output, 'ppt/slides/slide1.xml')).not.toMatch(/descr="[^"]/);
    expect(chartPart).toMatch(/^ppt\/charts\/chart\d+\.xml$/);
  });
});

describe('processDeck, charts on right-to-left slides', () => {
  it('writes the chart of an Arabic slide in Arabic, its text intact', async () => {
    const title = 'معدل الإصابة بالسل\u200f (لكل 100٬000)';
    const input = await pptxgenjsFile((pptx) => {
      const slide = pptx.addSlide();
      slide.addText('الإصابة بالسل في المنطقة بين عامي 1995 و2010', { x: 0.5, y: 0.2, w: 9, h: 0.6, lang: 'ar-SA', rtlMode: true });
      slide.addChart('line', [{ name: 'الحالات', labels: ['1995', '2000', '2005', '2010'], values: [31, 42, 40, 55] }], {
        x: 1, y: 1, w: 8, h: 4, showTitle: true, title,
      });
    });
    const { output, report } = await run(input);
    const chart = report.pictures.find((p) => p.kind === 'chart');
    expect(chart?.after).toBe(`مخطط خطي: ${title}. الفئات من 1995 إلى 2010؛ تذبذب من 1995 (31) إلى 2010 (55).`);
    const slide = await partText(output, 'ppt/slides/slide1.xml');
    expect(slide).toContain(`descr="${chart?.after}"`);
  });

  it('writes the chart of a Hebrew slide in Hebrew even when its text is marked English', async () => {
    const input = await pptxgenjsFile((pptx) => {
      const slide = pptx.addSlide();
      // pptxgenjs marks every run lang="en-US" unless told otherwise, as an English keyboard does.
      slide.addText('שיעור התמותה מאי ספיקת לב לפי קבוצת גיל', { x: 0.5, y: 0.2, w: 9, h: 0.6, rtlMode: true });
      slide.addChart('bar', [{ name: 'פטירות', labels: ['0–39', '40–59', '60–79', '80+'], values: [2, 5, 19, 34] }], {
        x: 1, y: 1, w: 8, h: 4, barDir: 'col', showTitle: true, title: 'תמותה',
      });
    });
    const { report } = await run(input);
    expect(report.pictures.find((p) => p.kind === 'chart')?.after).toBe('תרשים עמודות: תמותה. קטגוריות מ־0–39 עד 80+; עלייה מ־0–39 (2) עד 80+ (34).');
  });
});
