import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AltgenConfig } from '../../shared/config-schema';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import { auditFile, cell, handDeckEntries, paragraph, picture, run, shape, slide, table } from '../audit/testing/audit-decks';
import { DescriptionCache } from '../describe/description-cache';
import { findSoffice } from '../describe/image-prep';
import { writeZip } from '../fixtures/deck-builder';
import { openDeck } from '../pptx/deck';
import { accessibilityStep } from './accessibility-step';
import { processDeck } from './process-deck';
import { writeDeck } from './write-deck';

/**
 * The accessibility audit's safe fixes in the copy (`accessibility.set_language`,
 * `accessibility.mark_table_headers`): made through the same byte-minimal rewrite as alt text,
 * so every other zip entry is byte-identical and the edited parts differ only at the edited tags;
 * the copy audits clean of what was fixed, and LibreOffice opens it.
 */

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-fixes-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const GERMAN = 'Die Herzinsuffizienz ist eine Erkrankung, bei der das Herz nicht mehr genug Blut durch den Körper pumpen kann.';
const BOX = { x: 838_200, y: 1_825_625, cx: 8_000_000, cy: 1_500_000 };

/** Slide 1: German marked English, a run with no language and one without properties; slide 2: two tables without a header row. */
function fixtureSlides(): [string, string] {
  const german = shape({
    id: 2,
    name: 'TextBox 1',
    box: BOX,
    paragraphs: [paragraph(run(GERMAN, 'lang="en-US" sz="2400" dirty="0"')), paragraph(run('Vorlast', 'sz="2400"'), '<a:r><a:t> und Nachlast</a:t></a:r>')],
  });
  const title = shape({ id: 3, name: 'Title 1', placeholder: 'type="title"', paragraphs: [paragraph(run('Herzinsuffizienz', 'lang="de-DE"'))] });
  const tables =
    shape({ id: 2, name: 'Title 1', placeholder: 'type="title"', paragraphs: [paragraph(run('Diuretika', 'lang="de-DE"'))] }) +
    table(3, 'Doses', BOX, [[cell('Wirkstoff', '', '', 'lang="de-DE"'), cell('Dosis', '', '', 'lang="de-DE"')], [cell('Furosemid', '', '', 'lang="de-DE"'), cell('40 mg', '', '', 'lang="de-DE"')]], '<a:tblPr bandRow="1"/>') +
    table(4, 'Bare', { ...BOX, y: 4_000_000 }, [[cell('Klasse', '', '', 'lang="de-DE"'), cell('Beispiel', '', '', 'lang="de-DE"')]], '') +
    table(5, 'Gappy', { ...BOX, y: 5_500_000 }, [[cell('Klasse', '', '', 'lang="de-DE"'), cell('')], [cell('Schleife', '', '', 'lang="de-DE"'), cell('Furosemid', '', '', 'lang="de-DE"')]], '');
  return [slide(title + german + picture(4, 'Picture 3', { x: 0, y: 5_000_000, cx: 1_000_000, cy: 1_000_000 })), slide(tables)];
}

async function fixtureDeck(name: string): Promise<string> {
  const [first, second] = fixtureSlides();
  const file = path.join(dir, name);
  await writeZip(file, handDeckEntries([{ xml: first }, { xml: second }]));
  return file;
}

function configWith(accessibility: Partial<AltgenConfig['accessibility']>): AltgenConfig {
  return { ...DEFAULT_CONFIG, accessibility: { ...DEFAULT_CONFIG.accessibility, ...accessibility } };
}

async function rawEntries(file: string): Promise<Map<string, Buffer>> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
  try {
    const entries = new Map<string, Buffer>();
    for await (const entry of zip.eachEntry()) {
      const chunks: Buffer[] = [];
      for await (const chunk of (await zip.openReadStreamPromise(entry, { decodeFileData: false })) as AsyncIterable<Buffer>) chunks.push(chunk);
      entries.set(entry.fileName, Buffer.concat(chunks));
    }
    return entries;
  } finally {
    zip.close();
  }
}

async function partText(file: string, part: string): Promise<string> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName !== part) continue;
      const chunks: Buffer[] = [];
      for await (const chunk of (await zip.openReadStreamPromise(entry)) as AsyncIterable<Buffer>) chunks.push(chunk);
      return Buffer.concat(chunks).toString('utf8');
    }
    throw new Error(`${part} is not in ${file}`);
  } finally {
    zip.close();
  }
}

/** Writes the copy with the fixes alone (no alt text), as the processor's write step does. */
async function writeFixed(input: string, output: string, config: AltgenConfig) {
  const deck = await openDeck(input, config.limits);
  try {
    const step = await accessibilityStep(deck, config);
    await writeDeck(deck, { edits: new Map(), longDescriptions: null, language: deck.language, fixes: step.fixes }, output);
    return step;
  } finally {
    await deck.close();
  }
}

describe('the accessibility fixes', () => {
  it('change nothing when they are off (the default)', async () => {
    const input = await fixtureDeck('off.pptx');
    const output = path.join(dir, 'off-copy.pptx');
    const step = await writeFixed(input, output, DEFAULT_CONFIG);
    expect(step.fixes.size).toBe(0);
    expect(await rawEntries(output)).toEqual(await rawEntries(input));
  });

  it('mark languages and header rows byte-minimally, leaving every other entry byte-identical', async () => {
    const input = await fixtureDeck('fix.pptx');
    const output = path.join(dir, 'fix-copy.pptx');
    await writeFixed(input, output, configWith({ set_language: 'auto', mark_table_headers: true }));

    const before = await rawEntries(input);
    const after = await rawEntries(output);
    expect([...after.keys()]).toEqual([...before.keys()]);
    const changed = [...before.keys()].filter((name) => !before.get(name)!.equals(after.get(name)!));
    // The fixture builder's presentation.xml has no default text style: nothing to mark there.
    expect(changed).toEqual(['ppt/slides/slide1.xml', 'ppt/slides/slide2.xml']);

    // The deck is marked de-DE (its title): German marked en-US becomes de-DE, text with no language gets it too.
    const [first, second] = fixtureSlides();
    expect(await partText(output, 'ppt/slides/slide1.xml')).toBe(
      first
        .replace(`<a:rPr lang="en-US" sz="2400" dirty="0"/><a:t>Die`, `<a:rPr lang="de-DE" sz="2400" dirty="0"/><a:t>Die`)
        .replace('<a:rPr sz="2400"/><a:t>Vorlast', '<a:rPr sz="2400" lang="de-DE"/><a:t>Vorlast')
        .replace('<a:r><a:t> und Nachlast', '<a:r><a:rPr lang="de-DE"/><a:t> und Nachlast'),
    );
    // Doses and Bare get a header row; Gappy's first row has an empty cell, so it is left for a person.
    expect(await partText(output, 'ppt/slides/slide2.xml')).toBe(
      second.replace('<a:tblPr bandRow="1"/>', '<a:tblPr bandRow="1" firstRow="1"/>').replace(
        /(name="Bare".*?<a:tbl>)/,
        '$1<a:tblPr firstRow="1"/>',
      ),
    );
  });

  it('leave the copy without the findings they fix, and the rest as they were', async () => {
    const input = await fixtureDeck('reaudit.pptx');
    const output = path.join(dir, 'reaudit-copy.pptx');
    await writeFixed(input, output, configWith({ set_language: 'auto', mark_table_headers: true }));
    const checks = ['language-mismatch', 'language-not-set', 'table-no-header'];
    const summary = (audit: Awaited<ReturnType<typeof auditFile>>) => audit.findings.filter((f) => checks.includes(f.check)).map((f) => [f.check, f.slide, f.shape_name]);
    expect(summary(await auditFile(input))).toEqual([
      ['language-not-set', null, null],
      ['language-mismatch', 1, null],
      ['table-no-header', 2, 'Doses'],
      ['table-no-header', 2, 'Bare'],
      ['table-no-header', 2, 'Gappy'],
    ]);
    expect(summary(await auditFile(output))).toEqual([['table-no-header', 2, 'Gappy']]);
  });

  it("set a configured tag on text written in it and on the presentation's default text style", async () => {
    const [first] = fixtureSlides();
    const entries = handDeckEntries([{ xml: first }]);
    const presentation = entries.get('ppt/presentation.xml') as string;
    entries.set(
      'ppt/presentation.xml',
      presentation.replace('</p:presentation>', '<p:defaultTextStyle><a:defPPr><a:defRPr lang="en-US"/></a:defPPr><a:lvl1pPr><a:defRPr sz="1800"/></a:lvl1pPr></p:defaultTextStyle></p:presentation>'),
    );
    const input = path.join(dir, 'tag.pptx');
    await writeZip(input, entries);
    const output = path.join(dir, 'tag-copy.pptx');
    await writeFixed(input, output, configWith({ set_language: 'de-AT' }));
    expect(await partText(output, 'ppt/presentation.xml')).toContain('<p:defaultTextStyle><a:defPPr><a:defRPr lang="de-AT"/></a:defPPr><a:lvl1pPr><a:defRPr sz="1800" lang="de-AT"/></a:lvl1pPr></p:defaultTextStyle>');
    const text = await partText(output, 'ppt/slides/slide1.xml');
    expect(text).toContain('<a:rPr lang="de-AT" sz="2400" dirty="0"/><a:t>Die');
    expect(text).toContain('<a:rPr sz="2400" lang="de-AT"/><a:t>Vorlast');
    // The title was already marked German (de-DE): written in German and marked so, it is left alone.
    expect(text).toContain('<a:rPr lang="de-DE"/><a:t>Herzinsuffizienz');
  });

  it('are reported by the run: fixed findings marked in the report, and counted in the result', async () => {
    const input = await fixtureDeck('run.pptx');
    const output = path.join(dir, 'run-out', 'run.pptx');
    await fs.mkdir(path.dirname(output), { recursive: true });
    const config = configWith({ set_language: 'auto', mark_table_headers: true });
    const { report, result } = await processDeck({
      input,
      output,
      config: { ...config, alt_text: { ...config.alt_text, read_text_in_images: false } },
      provider: null,
      cache: new DescriptionCache({ dir: path.join(dir, 'cache'), enabled: false }),
    });
    const accessibility = report.accessibility!;
    expect(accessibility.findings.filter((f) => f.fixed).map((f) => [f.check, f.slide, f.shape_name])).toEqual([
      ['language-not-set', null, null],
      ['missing-alt-text', 1, 'Picture 3'],
      ['language-mismatch', 1, null],
      ['table-no-header', 2, 'Doses'],
      ['table-no-header', 2, 'Bare'],
    ]);
    expect(result.audit).toMatchObject({ 'missing-alt-text': 1, 'table-no-header': 3, 'language-mismatch': 1, 'language-not-set': 2 });
    expect(result.audit_fixed).toEqual({ 'missing-alt-text': 1, 'table-no-header': 2, 'language-mismatch': 1, 'language-not-set': 2 });
    const saved = JSON.parse(await fs.readFile(output.replace(/\.pptx$/, '.alt-text.json'), 'utf8'));
    expect(saved.accessibility.fixed).toEqual(accessibility.fixed);
    expect(await fs.readFile(output.replace(/\.pptx$/, '.alt-review.html'), 'utf8')).toContain("<td>The table &#39;Gappy&#39; has no header row.");
  });

  it('leave a copy LibreOffice converts to PDF', async (ctx) => {
    const soffice = await findSoffice();
    if (!soffice) {
      ctx.skip('LibreOffice (soffice) is not installed');
      return;
    }
    const input = await fixtureDeck('libreoffice.pptx');
    const output = path.join(dir, 'lo', 'fixed.pptx');
    await fs.mkdir(path.dirname(output), { recursive: true });
    await writeFixed(input, output, configWith({ set_language: 'auto', mark_table_headers: true }));
    const pdfDir = path.join(dir, 'lo-pdf');
    const converted = spawnSync(soffice, [`-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', pdfDir, output], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(converted.error).toBeUndefined();
    const pdf = await fs.readFile(path.join(pdfDir, 'fixed.pdf'));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  }, 320_000);
});
