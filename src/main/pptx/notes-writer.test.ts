import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import { findSoffice } from '../describe/image-prep';
import { deckEntries, writeZip, type DeckSpec, type ZipEntries } from '../fixtures/deck-builder';
import { asStrict, pptxgenjsEntries, utf16Part, withoutNotes } from '../fixtures/notes-decks';
import {
  LONG_DESCRIPTIONS_END,
  LONG_DESCRIPTIONS_HEADING,
  planLongDescriptions,
  writeLongDescriptions,
  type NotesPlan,
  type SlideLongDescriptions,
} from './notes-writer';
import { openPackage, type PackageReader } from './package-reader';
import { parseRelationships, relatedPart, relsPartFor } from './relationships';
import { slideInfo } from './slide-text';
import { parseXml } from './xml-tree';
import { rewritePackage } from './zip-rewriter';

const SLIDE1 = 'ppt/slides/slide1.xml';
const SLIDE2 = 'ppt/slides/slide2.xml';
const NOTES1 = 'ppt/notesSlides/notesSlide1.xml';
const CONTENT_TYPES = '[Content_Types].xml';
const CHART = { label: 'Picture 3', text: 'A bar chart of resting heart rate by age group: it falls from 120 in infants to 70 in adults.' };
const DIAGRAM = { label: 'Diagram 1', text: 'The four chambers & valves, blood flowing <left to right>.' };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'notes-writer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// ── helpers ───────────────────────────────────────────────────────────────────────────────

let fileCount = 0;
async function deckFile(entries: ZipEntries | DeckSpec, name = `deck${(fileCount += 1)}.pptx`): Promise<string> {
  const file = path.join(dir, name);
  await writeZip(file, entries instanceof Map ? entries : deckEntries(entries));
  return file;
}

async function withReader<T>(file: string, use: (reader: PackageReader) => Promise<T>): Promise<T> {
  const reader = await openPackage(file, DEFAULT_CONFIG.limits);
  try {
    return await use(reader);
  } finally {
    await reader.close();
  }
}

function plan(file: string, slides: readonly SlideLongDescriptions[]): Promise<NotesPlan> {
  return withReader(file, (reader) => planLongDescriptions(reader, slides, { language: 'en-US' }));
}

/** Plans and writes the copy; returns its path. */
async function apply(file: string, slides: readonly SlideLongDescriptions[]): Promise<string> {
  const planned = await plan(file, slides);
  expect(planned.warnings).toEqual([]);
  const output = path.join(dir, `out${(fileCount += 1)}.pptx`);
  await withReader(file, (reader) => rewritePackage(reader, output, { replacements: planned.replacements, additions: planned.additions }));
  return output;
}

function text(bytes: Buffer | undefined): string {
  if (!bytes) throw new Error('no such part in the plan');
  return bytes.toString('utf8');
}

async function partText(file: string, name: string): Promise<string> {
  return withReader(file, (reader) => reader.readText(name));
}

/** The slide's notes as `slideInfo` reads them (one line per paragraph), null without a notes page. */
async function notesOf(file: string, slidePart: string): Promise<string | null> {
  return withReader(file, async (reader) => {
    const rels = parseRelationships(await reader.readText(relsPartFor(slidePart)), slidePart);
    const notesPart = relatedPart(rels, 'notesSlide');
    if (notesPart === null) return null;
    const info = slideInfo(await reader.readText(slidePart), { number: 1, part: slidePart, notesPart, notesXml: await reader.readText(notesPart) });
    return info.notes;
  });
}

function block(...lines: string[]): string {
  return [LONG_DESCRIPTIONS_HEADING, ...lines, LONG_DESCRIPTIONS_END].join('\n');
}

const WITH_NOTES: DeckSpec = {
  slides: [
    { title: 'Heart rate', pictures: [{ name: 'Picture 3' }], notes: 'Start with the resting rate.' },
    { title: 'Anatomy', pictures: [{ name: 'Diagram 1' }] },
  ],
};

// ── existing notes ────────────────────────────────────────────────────────────────────────

describe('planLongDescriptions, on a slide with notes', () => {
  it('appends the block after the notes and changes no other byte', async () => {
    const file = await deckFile(WITH_NOTES);
    const before = await partText(file, NOTES1);
    const planned = await plan(file, [{ slidePart: SLIDE1, descriptions: [CHART] }]);

    expect([...planned.replacements.keys()]).toEqual([NOTES1]);
    expect(planned.additions.size).toBe(0);
    const after = text(planned.replacements.get(NOTES1));
    const at = before.indexOf('</p:txBody>', before.indexOf('Start with the resting rate.'));
    const inserted = after.slice(at, after.length - (before.length - at));
    expect(after.slice(0, at)).toBe(before.slice(0, at));
    expect(after.slice(at + inserted.length)).toBe(before.slice(at));
    expect(inserted).toBe(
      '<a:p><a:r><a:rPr lang="en-US" b="1"/><a:t>Image descriptions (AltGen)</a:t></a:r></a:p>' +
        '<a:p><a:r><a:rPr lang="en-US" b="1"/><a:t>Picture 3:</a:t></a:r><a:r><a:rPr lang="en-US"/><a:t> A bar chart of resting heart rate by age group: it falls from 120 in infants to 70 in adults.</a:t></a:r></a:p>' +
        '<a:p><a:r><a:rPr lang="en-US"/><a:t>— end of image descriptions —</a:t></a:r></a:p>',
    );
  });

  it('replaces its block on a re-run, removes it when there is nothing to say, and plans nothing the second time', async () => {
    const file = await deckFile(WITH_NOTES);
    const original = await partText(file, NOTES1);
    const first = await apply(file, [{ slidePart: SLIDE1, descriptions: [CHART] }]);
    expect(await notesOf(first, SLIDE1)).toBe(`Start with the resting rate.\n${block(`Picture 3: ${CHART.text}`)}`);

    const again = await plan(first, [{ slidePart: SLIDE1, descriptions: [CHART] }]);
    expect([again.replacements.size, again.additions.size, again.warnings]).toEqual([0, 0, []]);

    const second = await apply(first, [{ slidePart: SLIDE1, descriptions: [DIAGRAM, { label: '', text: 'Unlabelled.' }] }]);
    expect(await notesOf(second, SLIDE1)).toBe(`Start with the resting rate.\n${block(`Diagram 1: ${DIAGRAM.text}`, 'Unlabelled.')}`);

    const third = await apply(second, [{ slidePart: SLIDE1, descriptions: [] }]);
    expect(await partText(third, NOTES1)).toBe(original);
  });

  it('keeps notes a person wrote after the block and drops a second copy of it', async () => {
    const file = await deckFile(WITH_NOTES);
    const ours = text((await plan(file, [{ slidePart: SLIDE1, descriptions: [CHART] }])).replacements.get(NOTES1));
    const paragraphs = /<a:p><a:r><a:rPr lang="en-US" b="1"\/><a:t>Image descriptions[^]*end of image descriptions —<\/a:t><\/a:r><\/a:p>/.exec(ours)?.[0] ?? '';
    const edited = ours.replace(paragraphs, `${paragraphs}<a:p><a:r><a:t>Ask about athletes.</a:t></a:r></a:p>${paragraphs}`);

    const rewritten = writeLongDescriptions(edited, [DIAGRAM], { language: 'en-US' });
    const expected = writeLongDescriptions(
      ours.replace(paragraphs, `${paragraphs}<a:p><a:r><a:t>Ask about athletes.</a:t></a:r></a:p>`),
      [DIAGRAM],
      { language: 'en-US' },
    );
    expect(rewritten).toBe(expected);
    expect(rewritten.indexOf('Ask about athletes.')).toBeGreaterThan(rewritten.indexOf(LONG_DESCRIPTIONS_END));
    expect(rewritten.match(/Image descriptions \(AltGen\)/g)).toHaveLength(1);
  });

  it('recognises its block after an editor split and restyled the runs', async () => {
    const file = await deckFile(WITH_NOTES);
    const ours = text((await plan(file, [{ slidePart: SLIDE1, descriptions: [CHART] }])).replacements.get(NOTES1));
    const restyled = ours
      .replace('<a:t>Image descriptions (AltGen)</a:t>', '<a:t>Image  descriptions</a:t></a:r><a:r><a:rPr lang="de-DE" err="1"/><a:t> (AltGen) </a:t>')
      .replace('<a:p><a:r><a:rPr lang="en-US"/><a:t>— end', '<a:p><a:pPr algn="r"/><a:r><a:rPr lang="en-US" i="1"/><a:t>— end');
    expect(writeLongDescriptions(restyled, [], {})).toBe(await partText(file, NOTES1));
  });

  it('leaves the notes alone and warns when the block was cut apart', async () => {
    const file = await deckFile(WITH_NOTES);
    const ours = text((await plan(file, [{ slidePart: SLIDE1, descriptions: [CHART] }])).replacements.get(NOTES1));
    const entries = deckEntries(WITH_NOTES);
    entries.set(NOTES1, ours.replace(/<a:p><a:r><a:rPr lang="en-US"\/><a:t>— end of image descriptions —<\/a:t><\/a:r><\/a:p>/, ''));
    const damaged = await deckFile(entries);

    const planned = await withReader(damaged, (reader) =>
      planLongDescriptions(reader, [
        { slidePart: SLIDE1, slideNumber: 1, descriptions: [DIAGRAM] },
        { slidePart: SLIDE2, slideNumber: 2, descriptions: [DIAGRAM] },
      ]),
    );
    expect(planned.warnings).toHaveLength(1);
    expect(planned.warnings[0]).toMatch(/^Slide 1: the long image descriptions were not written to the speaker notes \(.*without the other/);
    expect(planned.replacements.has(NOTES1)).toBe(false);
    expect(planned.additions.has('ppt/notesSlides/notesSlide2.xml')).toBe(true);
  });

  it('escapes text, keeps line breaks and drops characters XML cannot carry', () => {
    const notes = deckEntries(WITH_NOTES).get(NOTES1) as string;
    const xml = writeLongDescriptions(notes, [{ label: 'A & B <1>', text: 'First line\u0007\r\n\r\n  second   line ' }], {});
    expect(() => parseXml(xml)).not.toThrow();
    expect(xml).toContain(
      '<a:p><a:r><a:rPr b="1"/><a:t>A &amp; B &lt;1&gt;:</a:t></a:r><a:r><a:rPr/><a:t> First line</a:t></a:r><a:br><a:rPr/></a:br><a:r><a:rPr/><a:t>second line</a:t></a:r></a:p>',
    );
    expect(slideInfo(deckEntries(WITH_NOTES).get(SLIDE1) as string, { number: 1, part: SLIDE1, notesXml: xml }).notes).toBe(
      `Start with the resting rate.\n${block('A & B <1>: First line second line')}`,
    );
  });

  it('keeps a UTF-16 notes part in UTF-16 with its byte order mark', async () => {
    const entries = deckEntries(WITH_NOTES);
    entries.set(NOTES1, utf16Part(entries.get(NOTES1) as string));
    const file = await deckFile(entries);
    const planned = await plan(file, [{ slidePart: SLIDE1, descriptions: [CHART] }]);
    const bytes = planned.replacements.get(NOTES1) as Buffer;
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(bytes.toString('utf16le')).toContain(`<a:t> ${CHART.text}</a:t>`);
    const output = await apply(file, [{ slidePart: SLIDE1, descriptions: [CHART] }]);
    expect(await notesOf(output, SLIDE1)).toBe(`Start with the resting rate.\n${block(`Picture 3: ${CHART.text}`)}`);
  });

  it('adds a body placeholder to a notes page that has none', async () => {
    const entries = deckEntries(WITH_NOTES);
    const notes = entries.get(NOTES1) as string;
    const withoutBody = notes.replace(/<p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes Placeholder 2"\/>.*?<\/p:sp>/, '');
    expect(withoutBody).not.toBe(notes);
    entries.set(NOTES1, withoutBody);
    const output = await apply(await deckFile(entries), [{ slidePart: SLIDE1, descriptions: [CHART] }]);
    const written = await partText(output, NOTES1);
    expect(written).toContain('<p:cNvPr id="3" name="Notes Placeholder 2"/>');
    expect(written).toContain('<p:ph type="body" idx="1"/>');
    expect(await notesOf(output, SLIDE1)).toBe(block(`Picture 3: ${CHART.text}`));
  });
});

// ── new notes pages ───────────────────────────────────────────────────────────────────────

describe('planLongDescriptions, on a slide without notes', () => {
  it('creates its notes page on the deck’s notes master, with relationships and content type', async () => {
    const file = await deckFile(WITH_NOTES);
    const planned = await plan(file, [
      { slidePart: SLIDE1, descriptions: [] },
      { slidePart: SLIDE2, descriptions: [DIAGRAM] },
    ]);
    const notes = 'ppt/notesSlides/notesSlide2.xml';
    expect([...planned.additions.keys()].sort()).toEqual(['ppt/notesSlides/_rels/notesSlide2.xml.rels', notes]);
    expect([...planned.replacements.keys()].sort()).toEqual([CONTENT_TYPES, 'ppt/slides/_rels/slide2.xml.rels']);

    const notesRels = parseRelationships(text(planned.additions.get('ppt/notesSlides/_rels/notesSlide2.xml.rels')), notes);
    expect(relatedPart(notesRels, 'notesMaster')).toBe('ppt/notesMasters/notesMaster1.xml');
    expect(relatedPart(notesRels, 'slide')).toBe(SLIDE2);
    const slideRels = text(planned.replacements.get('ppt/slides/_rels/slide2.xml.rels'));
    expect(relatedPart(parseRelationships(slideRels, SLIDE2), 'notesSlide')).toBe(notes);
    expect(slideRels).toContain('<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide" Target="../notesSlides/notesSlide2.xml"/></Relationships>');
    expect(text(planned.replacements.get(CONTENT_TYPES))).toBe(
      (await partText(file, CONTENT_TYPES)).replace(
        '</Types>',
        '<Override PartName="/ppt/notesSlides/notesSlide2.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.notesSlide+xml"/></Types>',
      ),
    );
    expect(() => parseXml(text(planned.additions.get(notes)))).not.toThrow();

    const output = await apply(file, [{ slidePart: SLIDE2, descriptions: [DIAGRAM] }]);
    expect(await notesOf(output, SLIDE2)).toBe(block(`Diagram 1: ${DIAGRAM.text}`));
    expect(await notesOf(output, SLIDE1)).toBe('Start with the resting rate.');
    const rerun = await plan(output, [{ slidePart: SLIDE2, descriptions: [DIAGRAM] }]);
    expect([rerun.replacements.size, rerun.additions.size]).toEqual([0, 0]);
  });

  it("adds the notes pages it creates to docProps/app.xml's count, changing only the number", async () => {
    const entries = deckEntries(WITH_NOTES);
    const app =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Slides>2</Slides><Notes>1</Notes><HiddenSlides>0</HiddenSlides></Properties>';
    entries.set('docProps/app.xml', app);
    const file = await deckFile(entries);
    const planned = await plan(file, [{ slidePart: SLIDE2, descriptions: [DIAGRAM] }]);
    expect(text(planned.replacements.get('docProps/app.xml'))).toBe(app.replace('<Notes>1</Notes>', '<Notes>2</Notes>'));
    // Writing into an existing notes page creates no page: the count stays.
    const existing = await plan(file, [{ slidePart: SLIDE1, descriptions: [CHART] }]);
    expect(existing.replacements.has('docProps/app.xml')).toBe(false);
  });

  it('warns instead of creating notes for a slide that is not in the file', async () => {
    const planned = await plan(await deckFile(WITH_NOTES), [{ slidePart: 'ppt/slides/slide9.xml', descriptions: [CHART] }]);
    expect(planned.warnings).toEqual(['ppt/slides/slide9.xml: the long image descriptions were not written to the speaker notes (the slide ppt/slides/slide9.xml is missing from the file).']);
    expect([planned.replacements.size, planned.additions.size]).toEqual([0, 0]);
  });

  it('plans nothing for a slide without notes and without descriptions', async () => {
    const planned = await plan(await deckFile(WITH_NOTES), [{ slidePart: SLIDE2, descriptions: [{ label: 'Picture 3', text: ' \n ' }] }]);
    expect([planned.replacements.size, planned.additions.size, planned.warnings]).toEqual([0, 0, []]);
  });

  it('creates a notes master with its own copy of the theme in a deck that has none', async () => {
    const spec: DeckSpec = { slides: [{ title: 'One', pictures: [{}] }, { title: 'Two', pictures: [{}] }] };
    const file = await deckFile(spec);
    const planned = await plan(file, [
      { slidePart: SLIDE1, descriptions: [CHART] },
      { slidePart: SLIDE2, descriptions: [DIAGRAM] },
    ]);
    expect([...planned.additions.keys()].sort()).toEqual([
      'ppt/notesMasters/_rels/notesMaster1.xml.rels',
      'ppt/notesMasters/notesMaster1.xml',
      'ppt/notesSlides/_rels/notesSlide1.xml.rels',
      'ppt/notesSlides/_rels/notesSlide2.xml.rels',
      'ppt/notesSlides/notesSlide1.xml',
      'ppt/notesSlides/notesSlide2.xml',
      'ppt/theme/theme2.xml',
    ]);
    expect([...planned.replacements.keys()].sort()).toEqual([
      CONTENT_TYPES,
      'ppt/_rels/presentation.xml.rels',
      'ppt/presentation.xml',
      'ppt/slides/_rels/slide1.xml.rels',
      'ppt/slides/_rels/slide2.xml.rels',
    ]);
    for (const bytes of [...planned.additions.values(), ...planned.replacements.values()]) expect(() => parseXml(text(bytes))).not.toThrow();

    expect(text(planned.additions.get('ppt/theme/theme2.xml'))).toBe(await partText(file, 'ppt/theme/theme1.xml'));
    const masterRels = parseRelationships(text(planned.additions.get('ppt/notesMasters/_rels/notesMaster1.xml.rels')), 'ppt/notesMasters/notesMaster1.xml');
    expect(relatedPart(masterRels, 'theme')).toBe('ppt/theme/theme2.xml');
    const presentation = text(planned.replacements.get('ppt/presentation.xml'));
    expect(presentation).toBe(
      (await partText(file, 'ppt/presentation.xml')).replace(
        '</p:sldMasterIdLst>',
        '</p:sldMasterIdLst><p:notesMasterIdLst><p:notesMasterId r:id="rId12"/></p:notesMasterIdLst>',
      ),
    );
    const presentationRels = parseRelationships(text(planned.replacements.get('ppt/_rels/presentation.xml.rels')), 'ppt/presentation.xml');
    expect(presentationRels.get('rId12')?.target).toBe('ppt/notesMasters/notesMaster1.xml');
    const contentTypes = text(planned.replacements.get(CONTENT_TYPES));
    for (const [part, type] of [
      ['/ppt/theme/theme2.xml', 'theme+xml'],
      ['/ppt/notesMasters/notesMaster1.xml', 'presentationml.notesMaster+xml'],
      ['/ppt/notesSlides/notesSlide1.xml', 'presentationml.notesSlide+xml'],
      ['/ppt/notesSlides/notesSlide2.xml', 'presentationml.notesSlide+xml'],
    ]) {
      expect(contentTypes).toContain(`<Override PartName="${part}" ContentType="application/vnd.openxmlformats-officedocument.${type}"/>`);
    }

    const output = path.join(dir, 'with-master.pptx');
    await withReader(file, (reader) => rewritePackage(reader, output, planned));
    expect(await notesOf(output, SLIDE1)).toBe(block(`Picture 3: ${CHART.text}`));
    expect(await notesOf(output, SLIDE2)).toBe(block(`Diagram 1: ${DIAGRAM.text}`));
    const rerun = await plan(output, [
      { slidePart: SLIDE1, descriptions: [] },
      { slidePart: SLIDE2, descriptions: [DIAGRAM] },
    ]);
    expect([...rerun.replacements.keys()]).toEqual([NOTES1]);
    expect(rerun.additions.size).toBe(0);
    // The block was the whole text body, which needs a paragraph: an empty one is left.
    expect(text(rerun.replacements.get(NOTES1))).toContain('<p:txBody><a:bodyPr/><a:lstStyle/><a:p/></p:txBody>');
  });

  it('copies the theme’s own relationships with it', async () => {
    const entries = deckEntries({ slides: [{ pictures: [{}] }] });
    const themeRels =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="../media/image1.png"/></Relationships>';
    entries.set('ppt/theme/_rels/theme1.xml.rels', themeRels);
    const planned = await plan(await deckFile(entries), [{ slidePart: SLIDE1, descriptions: [CHART] }]);
    expect(text(planned.additions.get('ppt/theme/_rels/theme2.xml.rels'))).toBe(themeRels);
  });

  it('plans nothing half-way when a notes master cannot be made', async () => {
    const entries = deckEntries({ slides: [{ pictures: [{}] }] });
    entries.delete(CONTENT_TYPES);
    const planned = await plan(await deckFile(entries), [{ slidePart: SLIDE1, slideNumber: 1, descriptions: [CHART] }]);
    expect(planned.warnings).toEqual(['Slide 1: the long image descriptions were not written to the speaker notes (the package has no [Content_Types].xml).']);
    expect([planned.replacements.size, planned.additions.size]).toEqual([0, 0]);
  });

  it('warns for each slide that needs a notes master when the deck has no theme to base one on', async () => {
    const entries = deckEntries({ slides: [{ pictures: [{}] }, { pictures: [{}] }] });
    for (const name of ['ppt/_rels/presentation.xml.rels', 'ppt/slideMasters/_rels/slideMaster1.xml.rels']) {
      entries.set(name, (entries.get(name) as string).replace(/<Relationship [^>]*\/theme"[^>]*\/>/, ''));
    }
    const planned = await withReader(await deckFile(entries), (reader) =>
      planLongDescriptions(reader, [
        { slidePart: SLIDE1, descriptions: [CHART] },
        { slidePart: SLIDE2, descriptions: [DIAGRAM] },
      ]),
    );
    expect(planned.warnings).toEqual([
      `${SLIDE1}: the long image descriptions were not written to the speaker notes (the deck has no notes master and no theme to base one on).`,
      `${SLIDE2}: the long image descriptions were not written to the speaker notes (the deck has no notes master and no theme to base one on).`,
    ]);
    expect([planned.replacements.size, planned.additions.size]).toEqual([0, 0]);
  });
});

// ── namespaces ────────────────────────────────────────────────────────────────────────────

describe('writeLongDescriptions', () => {
  const notes = (root: string, body: string) =>
    `<?xml version="1.0"?>\n${root}<p:cSld><p:spTree><p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes"/><p:cNvSpPr/><p:nvPr><p:ph type="body" idx="1"/></p:nvPr></p:nvSpPr>` +
    `<p:spPr/>${body}</p:sp></p:spTree></p:cSld></p:notes>`;

  it('names DrawingML elements with the prefix the part binds to it', () => {
    const xml = notes(
      '<p:notes xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:d="http://schemas.openxmlformats.org/drawingml/2006/main">',
      '<p:txBody><d:bodyPr/><d:p><d:r><d:t>Mine</d:t></d:r></d:p></p:txBody>',
    );
    const written = writeLongDescriptions(xml, [CHART]);
    expect(written).toContain(`<d:p><d:r><d:t>Mine</d:t></d:r></d:p><d:p><d:r><d:rPr b="1"/><d:t>${LONG_DESCRIPTIONS_HEADING}</d:t>`);
    expect(writeLongDescriptions(written, [])).toBe(xml);
  });

  it('declares DrawingML on its paragraphs where nothing binds it, in the part’s flavour', () => {
    const xml = notes('<p:notes xmlns:p="http://purl.oclc.org/ooxml/presentationml/main">', '<p:txBody><bodyPr xmlns="http://purl.oclc.org/ooxml/drawingml/main"/></p:txBody>');
    const written = writeLongDescriptions(xml, [CHART]);
    expect(written).toContain(`<a:p xmlns:a="http://purl.oclc.org/ooxml/drawingml/main"><a:r><a:rPr b="1"/><a:t>${LONG_DESCRIPTIONS_HEADING}</a:t>`);
    expect(slideInfo(deckEntries(WITH_NOTES).get(SLIDE1) as string, { number: 1, part: SLIDE1, notesXml: written }).notes).toBe(
      block(`Picture 3: ${CHART.text}`),
    );
  });

  it('marks description paragraphs right to left in Arabic and Hebrew, and a re-run still finds and removes the block', () => {
    const xml = notes('<p:notes xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">', '<p:txBody><a:bodyPr/><a:p><a:r><a:t>ملاحظات</a:t></a:r></a:p></p:txBody>');
    const arabic = { label: 'صورة 3', text: 'مخطط شريطي لمعدل ضربات القلب.' };
    for (const language of ['ar-EG', 'he-IL', 'iw']) {
      const written = writeLongDescriptions(xml, [arabic], { language });
      expect(written).toContain(`<a:p><a:pPr algn="r" rtl="1"/><a:r><a:rPr lang="${language}" b="1"/><a:t>صورة 3:</a:t>`);
      expect(written).toContain(`<a:p><a:r><a:rPr lang="${language}" b="1"/><a:t>${LONG_DESCRIPTIONS_HEADING}</a:t>`);
      expect(writeLongDescriptions(written, [], { language })).toBe(xml);
    }
    expect(writeLongDescriptions(xml, [arabic], { language: 'en-US' })).not.toContain('rtl="1"');
    expect(writeLongDescriptions(xml, [arabic])).not.toContain('rtl="1"');
  });

  it('gives a body placeholder without text a text body', () => {
    const xml = notes('<p:notes xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">', '');
    const written = writeLongDescriptions(xml, [CHART]);
    expect(written).toContain(
      '<p:spPr/><p:txBody xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr b="1"/>',
    );
    expect(() => parseXml(written)).not.toThrow();
  });
});

describe('planLongDescriptions, on an ISO-Strict deck', () => {
  it('writes the new notes page, master and relationships in Strict vocabulary', async () => {
    const file = await deckFile(asStrict(deckEntries({ slides: [{ pictures: [{}] }] })));
    const planned = await plan(file, [{ slidePart: SLIDE1, descriptions: [CHART] }]);
    expect(text(planned.additions.get(NOTES1))).toContain('<p:notes xmlns:a="http://purl.oclc.org/ooxml/drawingml/main" xmlns:r="http://purl.oclc.org/ooxml/officeDocument/relationships" xmlns:p="http://purl.oclc.org/ooxml/presentationml/main">');
    expect(text(planned.additions.get('ppt/notesMasters/notesMaster1.xml'))).toContain('xmlns:p="http://purl.oclc.org/ooxml/presentationml/main"');
    expect(text(planned.additions.get('ppt/notesSlides/_rels/notesSlide1.xml.rels'))).toContain('Type="http://purl.oclc.org/ooxml/officeDocument/relationships/notesMaster"');
    expect(text(planned.replacements.get('ppt/slides/_rels/slide1.xml.rels'))).toContain('Type="http://purl.oclc.org/ooxml/officeDocument/relationships/notesSlide"');
    const output = path.join(dir, 'strict.pptx');
    await withReader(file, (reader) => rewritePackage(reader, output, planned));
    expect(await notesOf(output, SLIDE1)).toBe(block(`Picture 3: ${CHART.text}`));
  });
});

// ── pptxgenjs decks and LibreOffice ───────────────────────────────────────────────────────

describe('planLongDescriptions, on decks pptxgenjs writes', () => {
  it('writes into its notes pages, empty or not, and into a copy without any notes', async () => {
    const slides = [{ title: 'With notes', notes: 'Mention the outliers.', picture: true }, { title: 'Without notes', picture: true }];
    const entries = await pptxgenjsEntries(slides);
    const descriptions = [
      { slidePart: SLIDE1, descriptions: [CHART] },
      { slidePart: SLIDE2, descriptions: [DIAGRAM] },
    ];

    const withNotes = await apply(await deckFile(entries), descriptions);
    expect(await notesOf(withNotes, SLIDE1)).toBe(`Mention the outliers.\n${block(`Picture 3: ${CHART.text}`)}`);
    expect(await notesOf(withNotes, SLIDE2)).toBe(block(`Diagram 1: ${DIAGRAM.text}`));

    const bare = await deckFile(withoutNotes(entries));
    expect(await notesOf(bare, SLIDE1)).toBeNull();
    const created = await apply(bare, descriptions);
    expect(await notesOf(created, SLIDE1)).toBe(block(`Picture 3: ${CHART.text}`));
    expect(await notesOf(created, SLIDE2)).toBe(block(`Diagram 1: ${DIAGRAM.text}`));
    const presentation = await partText(created, 'ppt/presentation.xml');
    expect(presentation).toMatch(/<\/p:sldMasterIdLst><p:notesMasterIdLst><p:notesMasterId r:id="rId\d+"\/><\/p:notesMasterIdLst><p:sldIdLst>/);
  });
});

const soffice = await findSoffice();

describe.skipIf(soffice === null)('LibreOffice', () => {
  it('opens every written deck: converts it to PDF and reads the notes', async () => {
    const descriptions = [
      { slidePart: SLIDE1, descriptions: [CHART] },
      { slidePart: SLIDE2, descriptions: [DIAGRAM] },
    ];
    const pptxgenjs = await pptxgenjsEntries([{ title: 'With notes', notes: 'Mention the outliers.', picture: true }, { title: 'Without notes', picture: true }]);
    const inputs = [
      await deckFile(WITH_NOTES, 'builder-notes.pptx'),
      await deckFile({ slides: [{ pictures: [{}] }, { pictures: [{}] }] }, 'builder-bare.pptx'),
      await deckFile(pptxgenjs, 'pptxgenjs-notes.pptx'),
      await deckFile(withoutNotes(pptxgenjs), 'pptxgenjs-bare.pptx'),
    ];
    const outDir = path.join(dir, 'written');
    await mkdir(outDir);
    const outputs: string[] = [];
    for (const input of inputs) {
      const planned = await plan(input, descriptions);
      const output = path.join(outDir, path.basename(input));
      await withReader(input, (reader) => rewritePackage(reader, output, planned));
      outputs.push(output);
    }
    const run = (format: string, to: string) =>
      promisify(execFile)(
        soffice as string,
        [`-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--headless', '--convert-to', format, '--outdir', to, ...outputs],
        { timeout: 120_000 },
      );
    await run('pdf', path.join(dir, 'pdf'));
    await run('fodp', path.join(dir, 'fodp'));
    for (const output of outputs) {
      const name = path.basename(output, '.pptx');
      expect((await stat(path.join(dir, 'pdf', `${name}.pdf`))).size, name).toBeGreaterThan(1000);
      const flat = await readFile(path.join(dir, 'fodp', `${name}.fodp`), 'utf8');
      const notes = [...flat.matchAll(/<presentation:notes\b[^]*?<\/presentation:notes>/g)].map((match) => match[0].replace(/<[^>]+>/g, ' '));
      expect(notes.some((page) => page.includes('Image descriptions (AltGen)') && page.includes('Picture 3:')), name).toBe(true);
      expect(notes.some((page) => page.includes('Diagram 1:') && page.includes('blood flowing &lt;left to right&gt;')), name).toBe(true);
    }
    expect((await readdir(path.join(dir, 'pdf'))).length).toBe(outputs.length);
  }, 180_000);
});
