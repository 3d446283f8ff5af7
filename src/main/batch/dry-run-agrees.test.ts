import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportDecision, ReportPicture } from '../../shared/alt-text-report';
import type { AltgenConfig } from '../../shared/config-schema';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import { createProvider } from '../describe/create-provider';
import { DescriptionCache } from '../describe/description-cache';
import { startFakeModelServer, type FakeModelServer } from '../describe/testing/fake-model-server';
import { buildDeck, buildDocx, buildEncryptedDeck, buildLegacyPpt, buildZipBomb, deckEntries, tinyPng, writeTruncatedCopy, writeZip, type DeckSpec, type ZipEntries } from '../fixtures/deck-builder';
import { pptxgenjsDeck, smartArtDataXml, withEntry, withSmartArt } from '../fixtures/graphic-decks';
import { openDeck } from '../pptx/deck';
import { PackageError } from '../pptx/package-error';
import type { Decision } from '../processor/alt-text-decision';
import { applyReport } from '../processor/apply-edits';
import { planDeck } from '../processor/plan-deck';
import { processDeck } from '../processor/process-deck';
import { inspectDeck } from './inspect-deck';

/**
 * Issue 12, "done when": the dry run says exactly what the run does. For generated decks (every
 * kind of picture the processor knows, layouts, links, decorative flags, weak and human alt
 * text, charts, SmartArt and tables, empty ones too) and a sample of the real-world corpus
 * (ALTGEN_CORPUS_DIR, as in CI), under every `policy` × `include_layouts` ×
 * `describe_graphics`: the dry run's counts equal the run's report, and the plan's decision
 * for each picture is what the run did to it, picture by picture, in the report's order.
 *
 * The run is the real one (processDeck, the copy written, a loopback model that answers at
 * once). CPU budget on CI's two cores: 12 runs a deck; the generated decks take a few seconds,
 * the corpus sample (CORPUS_SAMPLE decks of at most CORPUS_MAX_BYTES, spread over the corpus)
 * about half a minute. (All 82 readable decks of the corpus agree too: CORPUS_SAMPLE = 1000
 * takes three minutes.)
 */

const CORPUS = process.env['ALTGEN_CORPUS_DIR'];
const CORPUS_SAMPLE = 16;
const CORPUS_MAX_BYTES = 4 * 1024 * 1024;

const POLICIES = ['preserve', 'overwrite', 'missing-only'] as const;
const SETTINGS = POLICIES.flatMap((policy) =>
  [false, true].flatMap((include_layouts) => [false, true].map((describe_graphics) => ({ policy, include_layouts, describe_graphics }))),
);

let server: FakeModelServer;
let dir: string;

beforeAll(async () => {
  server = await startFakeModelServer();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-dry-run-agrees-'));
});
afterAll(async () => {
  await server?.stop();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

function configFor(altText: Partial<AltgenConfig['alt_text']>): AltgenConfig {
  return {
    ...DEFAULT_CONFIG,
    model: { ...DEFAULT_CONFIG.model, base_url: server.url, max_retries: 0, timeout_seconds: 30 },
    // Reading text in pictures changes what the model is asked, never whether it is asked.
    alt_text: { ...DEFAULT_CONFIG.alt_text, read_text_in_images: false, ...altText },
  };
}

/** What the run did to a picture the plan decided so: `describe` is "asked the model". */
function runDecisionsFor(decision: Decision): readonly ReportDecision[] {
  switch (decision) {
    case 'describe':
      // The model's answer decides between these; a picture whose image does not decode is skipped by the decoder.
      return ['described', 'drafted', 'needs-review', 'skipped'];
    case 'preserve':
      return ['preserved'];
    case 'decorative':
      return ['decorative'];
    case 'mark-decorative':
      return ['marked-decorative'];
    case 'skip':
      return ['skipped'];
  }
}

interface Agreement {
  /** Pictures the plan gave the model whose image then did not decode (corpus decks only). */
  readonly undecodable: number;
}

/** Runs the dry run and the run on `file` under `config` and checks that they agree, picture by picture. */
async function expectAgreement(file: string, config: AltgenConfig, label: string, strict: boolean): Promise<Agreement> {
  const inspection = await inspectDeck(file, config);
  const deck = await openDeck(file, config.limits);
  let plan;
  try {
    plan = planDeck(deck, config.alt_text);
  } finally {
    await deck.close();
  }
  const output = path.join(dir, 'out', `${path.basename(file)}-${Math.random().toString(36).slice(2)}.pptx`);
  await fs.mkdir(path.dirname(output), { recursive: true });
  const { report } = await processDeck({
    input: file,
    output,
    config,
    provider: createProvider(config.model, {}),
    cache: new DescriptionCache({ dir: path.join(dir, 'cache'), enabled: true }),
    decodesAtOnce: 1,
  });
  await fs.rm(output, { force: true });

  const planned = [...plan.pictures, ...plan.graphics].map((item) => ({ key: item.item.key, decision: item.decision, reason: item.reason }));
  const ran = report.pictures.map((p: ReportPicture) => ({ key: p.key, decision: p.decision, reason: p.reason }));
  expect(ran.map((p) => p.key), `${label}: the same pictures, in the same order`).toEqual(planned.map((p) => p.key));
  let undecodable = 0;
  planned.forEach((item, index) => {
    const done = ran[index] as (typeof ran)[number];
    expect(runDecisionsFor(item.decision), `${label}: ${item.key} planned ${item.decision}, run ${done.decision} (${done.reason})`).toContain(done.decision);
    if (item.decision === 'skip') expect(done.reason, `${label}: ${item.key}`).toBe(item.reason);
    if (item.decision === 'describe' && done.decision === 'skipped') undecodable += 1;
  });
  if (strict) expect(undecodable, `${label}: every picture given to the model was described`).toBe(0);

  if (!inspection.ok) throw new Error(`${label}: the dry run refused what the run processed: ${inspection.message}`);
  const { counts } = report;
  expect(inspection.inspection.plan).toEqual(plan.counts);
  expect(
    {
      pictures: inspection.inspection.pictures,
      described: inspection.inspection.pictures_missing_alt,
      preserved: plan.counts.to_keep,
      decorative: plan.counts.decorative + plan.counts.to_mark_decorative,
      skipped: Object.values(plan.counts.skipped).reduce((sum, n) => sum + n, 0),
    },
    label,
  ).toEqual({
    pictures: counts.pictures,
    described: counts.described + counts.drafted + counts.needs_review + undecodable,
    preserved: counts.preserved,
    decorative: counts.decorative,
    skipped: counts.skipped - undecodable,
  });
  return { undecodable };
}

// ── generated decks ───────────────────────────────────────────────────────────────────────

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const SVG = 'http://schemas.microsoft.com/office/drawing/2016/SVG/main';

/** A `p:pic` whose picture is `blip` (an `a:blip` element), for hand-made cases. */
function pic(id: number, name: string, blip: string, descr?: string): string {
  return (
    `<p:pic><p:nvPicPr><p:cNvPr id="${id}" name="${name}"${descr === undefined ? '' : ` descr="${descr}"`}/><p:cNvPicPr/><p:nvPr/></p:nvPicPr>` +
    `<p:blipFill>${blip}<a:stretch><a:fillRect/></a:stretch></p:blipFill>` +
    `<p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2400000" cy="2400000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>`
  );
}

function addToPart(entries: ZipEntries, part: string, shapes: string, relationships: string): void {
  entries.set(part, String(entries.get(part)).replace('</p:spTree>', `${shapes}</p:spTree>`));
  const slash = part.lastIndexOf('/');
  const rels = `${part.slice(0, slash)}/_rels/${part.slice(slash + 1)}.rels`;
  entries.set(rels, String(entries.get(rels)).replace('</Relationships>', `${relationships}</Relationships>`));
}

/** Every kind of picture on four slides, a logo on all of them, pictures in a layout and the master, links and broken images. */
async function picturesDeck(): Promise<string> {
  const logo = { name: 'Logo', imageSeed: 7, imageSize: 64 } as const;
  const spec: DeckSpec = {
    title: 'Cardiology',
    slides: [
      {
        title: 'Cardiac anatomy',
        text: 'The four chambers of the heart',
        notes: 'Point at the valves.',
        pictures: [
          { imageSize: 64, imageSeed: 1 },
          { descr: 'Picture 3', imageSize: 64, imageSeed: 2 },
          { descr: 'IMG_2041.JPG', imageSize: 64, imageSeed: 3 },
          { descr: 'A labelled diagram of the four chambers of the heart', imageSize: 64, imageSeed: 4 },
          { decorative: true, imageSize: 64, imageSeed: 5 },
          { inGroup: true, imageSize: 64, imageSeed: 6 },
          { inGroup: true, descr: 'ok', imageSize: 64, imageSeed: 8 },
          { shape: 'filled-shape', imageSize: 64, imageSeed: 9 },
          { media: 'video', imageSize: 64, imageSeed: 10 },
          { imageSeed: 11 },
          logo,
        ],
      },
      { title: 'Auscultation', pictures: [logo, { media: 'audio', imageSeed: 12 }, { shape: 'filled-shape', descr: 'Stratified squamous epithelium', imageSize: 64, imageSeed: 13 }] },
      { title: 'Murmurs', pictures: [logo, { descr: 'Figure', imageSize: 64, imageSeed: 14 }] },
      { title: 'Summary', pictures: [logo] },
    ],
  };
  const entries = deckEntries(spec);
  entries.set('ppt/media/layout-logo.png', tinyPng(20, 64));
  entries.set('ppt/media/master-mark.png', tinyPng(21, 16));
  addToPart(entries, 'ppt/slideLayouts/slideLayout1.xml', pic(90, 'Layout logo', '<a:blip r:embed="rIdLayoutLogo"/>'), `<Relationship Id="rIdLayoutLogo" Type="${REL}/image" Target="../media/layout-logo.png"/>`);
  addToPart(entries, 'ppt/slideMasters/slideMaster1.xml', pic(91, 'Master mark', '<a:blip r:embed="rIdMark"/>', 'Hospital crest'), `<Relationship Id="rIdMark" Type="${REL}/image" Target="../media/master-mark.png"/>`);
  addToPart(
    entries,
    'ppt/slides/slide2.xml',
    pic(80, 'Linked', '<a:blip r:link="rIdLinked"/>') +
      pic(81, 'Gone', '<a:blip r:embed="rIdGone"/>') +
      pic(82, 'Empty', '<a:blip/>') +
      pic(83, 'Nowhere', '<a:blip r:embed="rIdNowhere"/>') +
      // An SVG picture whose PNG fallback and SVG are both missing: its image cannot be read.
      pic(84, 'Lost SVG', `<a:blip r:embed="rIdGone"><a:extLst><a:ext uri="{96DAC541-7B7A-43D3-8B79-37D633B846F1}"><asvg:svgBlip xmlns:asvg="${SVG}" r:embed="rIdGoneSvg"/></a:ext></a:extLst></a:blip>`),
    `<Relationship Id="rIdLinked" Type="${REL}/image" Target="https://example.org/heart.png" TargetMode="External"/>` +
      `<Relationship Id="rIdGone" Type="${REL}/image" Target="../media/missing.png"/>` +
      `<Relationship Id="rIdGoneSvg" Type="${REL}/image" Target="../media/missing.svg"/>`,
  );
  const file = path.join(dir, 'pictures.pptx');
  await writeZip(file, entries);
  return file;
}

const EMPTY_CHART =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart">' +
  '<c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:layout/><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/></c:barChart></c:plotArea></c:chart></c:chartSpace>';

/** Charts, tables and SmartArt, with data, empty, and with alt text of their own; and a picture. */
async function graphicsDeck(): Promise<string> {
  let deck = await pptxgenjsDeck((pptx) => {
    const first = pptx.addSlide();
    first.addText('Mortality by age group', { x: 0.5, y: 0.2, w: 9, h: 0.6 });
    first.addChart('bar', [{ name: 'Deaths', labels: ['0–39', '40–59', '60+'], values: [2, 9, 31] }], { x: 0.5, y: 1, w: 4, h: 3, showTitle: true, title: 'Mortality' });
    first.addTable([[{ text: 'Drug' }, { text: 'Dose' }], [{ text: 'Aspirin' }, { text: '75 mg' }]], { x: 5, y: 1, w: 4 });
    first.addTable([[{ text: '' }, { text: '' }]], { x: 5, y: 3, w: 4 });
    const second = pptx.addSlide();
    second.addChart('pie', [{ name: 'Share', labels: ['A', 'B'], values: [30, 70] }], { x: 0.5, y: 1, w: 4, h: 3, showTitle: true, title: 'Share', altText: 'Pie chart: two thirds of cases are type B' });
    second.addChart('line', [{ name: 'Cases', labels: ['1990', '2000'], values: [3, 5] }], { x: 5, y: 1, w: 4, h: 3 });
    second.addImage({ data: `image/png;base64,${tinyPng(30, 64).toString('base64')}`, x: 1, y: 4.5, w: 1, h: 1 });
  });
  // The line chart of slide 2 loses its data: nothing to describe.
  const zip = await JSZip.loadAsync(deck);
  const rels = (await zip.file('ppt/slides/_rels/slide2.xml.rels')?.async('string')) ?? '';
  const charts = [...rels.matchAll(/Target="[^"]*\/charts\/(chart\d+\.xml)"/g)].map((m) => m[1]);
  deck = await withEntry(deck, `ppt/charts/${charts.at(-1) ?? ''}`, EMPTY_CHART);
  deck = await withSmartArt(deck, { slide: 1, shapeId: 40, name: 'Diagram 39', dataXml: smartArtDataXml([{ text: 'Inflow' }, { text: 'Pump' }, { text: 'Outflow' }], { layout: 'cycle2', category: 'cycle' }), layoutXml: null });
  deck = await withSmartArt(deck, { slide: 2, shapeId: 41, name: 'Diagram 40', dataXml: smartArtDataXml([{ text: '' }], { layout: 'default', category: 'list' }), layoutXml: null });
  const file = path.join(dir, 'graphics.pptx');
  await fs.writeFile(file, deck);
  return file;
}

describe('the dry run agrees with the run, picture by picture', () => {
  it.each([
    ['every kind of picture, layouts, links and broken images', picturesDeck],
    ['charts, tables and SmartArt, full and empty', graphicsDeck],
  ])('%s, under every policy × include_layouts × describe_graphics', async (_name, build) => {
    const file = await build();
    for (const settings of SETTINGS) await expectAgreement(file, configFor(settings), `${path.basename(file)} ${JSON.stringify(settings)}`, true);
  }, 120_000);

  it('covers every decision and every reason to skip with the generated decks', async () => {
    const seen = new Set<string>();
    for (const file of [await picturesDeck(), await graphicsDeck()]) {
      for (const settings of [{}, { include_layouts: true, decorative: 'apply' as const }]) {
        const inspection = await inspectDeck(file, configFor(settings));
        if (!inspection.ok || !inspection.inspection.plan) throw new Error(`${file} was refused`);
        const { skipped, ...counts } = inspection.inspection.plan;
        for (const [name, count] of [...Object.entries(counts), ...Object.entries(skipped)]) if (count > 0) seen.add(name);
      }
    }
    expect([...seen].sort()).toEqual(
      ['decorative', 'graphics_to_describe', 'in-layout', 'linked', 'no-image', 'nothing-to-describe', 'pictures', 'to_describe', 'to_keep', 'to_mark_decorative', 'unreadable-image'].sort(),
    );
  });

  it('agrees with decorative: apply, weak_patterns and min_meaningful_alt_chars set', async () => {
    const file = await picturesDeck();
    const settings: Partial<AltgenConfig['alt_text']> = { decorative: 'apply', weak_patterns: ['^figure$'], min_meaningful_alt_chars: 3 };
    for (const policy of POLICIES) await expectAgreement(file, configFor({ ...settings, policy }), `decorative apply, ${policy}`, true);
    const inspection = await inspectDeck(file, configFor(settings));
    // What the settings change shows in the plan: the tiny picture and the logo are marked, "Figure" is described.
    expect(inspection.ok && inspection.inspection.plan?.to_mark_decorative).toBeGreaterThan(0);
  }, 120_000);

  it.skipIf(!CORPUS)('agrees on a sample of the real-world corpus (ALTGEN_CORPUS_DIR)', async () => {
    const files: string[] = [];
    for (const name of (await fs.readdir(CORPUS ?? '')).filter((f) => /\.(pptx|pptm)$/i.test(f)).sort()) {
      const file = path.join(CORPUS ?? '', name);
      if ((await fs.stat(file)).size <= CORPUS_MAX_BYTES) files.push(file);
    }
    // Every few decks, so that the sample spans the corpus's writers (PowerPoint, Google, LibreOffice, Strict).
    const step = Math.max(1, Math.floor(files.length / CORPUS_SAMPLE));
    const sample = files.filter((_, index) => index % step === 0).slice(0, CORPUS_SAMPLE);
    let agreed = 0;
    for (const file of sample) {
      const opened = await openDeck(file, DEFAULT_CONFIG.limits).catch((error: unknown) => error);
      if (opened instanceof PackageError) {
        // A refused deck: the dry run refuses it with the same code and sentence.
        const inspection = await inspectDeck(file, configFor({}));
        expect(inspection).toMatchObject({ ok: false, code: opened.code, message: opened.message });
        continue;
      }
      await (opened as Awaited<ReturnType<typeof openDeck>>).close();
      for (const settings of SETTINGS) await expectAgreement(file, configFor(settings), `${path.basename(file)} ${JSON.stringify(settings)}`, false);
      agreed += 1;
    }
    expect(agreed).toBeGreaterThan(CORPUS_SAMPLE / 2);
  }, 600_000);
});

describe('every reader of a deck refuses a bad one alike', () => {
  const BAD: readonly (readonly [string, (file: string) => Promise<void>])[] = [
    ['two roots in a slide', async (file) => {
      const entries = deckEntries({ slides: [{ pictures: [{}] }] });
      entries.set('ppt/slides/slide1.xml', `${String(entries.get('ppt/slides/slide1.xml'))}<p:sld/>`);
      await writeZip(file, entries);
    }],
    ['a DOCTYPE in the theme', async (file) => {
      const entries = deckEntries({ slides: [{}] });
      entries.set('ppt/theme/theme1.xml', String(entries.get('ppt/theme/theme1.xml')).replace('<a:theme', '<!DOCTYPE a:theme><a:theme'));
      await writeZip(file, entries);
    }],
    ['a deck cut short', async (file) => {
      const whole = `${file}.whole.pptx`;
      await buildDeck(whole, { slides: [{ pictures: [{}] }] });
      await writeTruncatedCopy(whole, file, 0.7);
    }],
    ['a password-protected deck', (file) => buildEncryptedDeck(file)],
    ['a legacy .ppt', buildLegacyPpt],
    ['a Word document', buildDocx],
    ['a zip bomb', (file) => buildZipBomb(file, DEFAULT_CONFIG.limits.compression_ratio_grace_bytes + 1024 * 1024)],
  ];

  it.each(BAD)('%s: the dry run, the processor and altgen apply give the same code and sentence', async (_name, build) => {
    const file = path.join(dir, `bad-${Math.random().toString(36).slice(2)}.pptx`);
    await build(file);
    const config = configFor({});
    const opened = await openDeck(file, config.limits).then(
      () => null,
      (error: unknown) => error,
    );
    expect(opened).toBeInstanceOf(PackageError);
    const { code, message } = opened as PackageError;
    const output = path.join(dir, 'refused', `${path.basename(file)}-copy.pptx`);
    const dryRun = await inspectDeck(file, config);
    const run = await processDeck({ input: file, output, config, provider: createProvider(config.model, {}), cache: new DescriptionCache({ dir: path.join(dir, 'cache'), enabled: false }) }).catch((error: unknown) => error);
    const report = { version: 1, deck: file, output, generated_at: '', model: null, prompt_version: null, policy: 'preserve', counts: {} as never, warnings: [], pictures: [] };
    const applied = await applyReport(file, report, output, config.limits).catch((error: unknown) => error);
    expect({ dryRun, run, applied }).toMatchObject({
      dryRun: { ok: false, code, message },
      run: { code, message },
      applied: { code, message },
    });
    expect(run).toBeInstanceOf(PackageError);
    expect(applied).toBeInstanceOf(PackageError);
  });
});
