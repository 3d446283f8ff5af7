import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type AltgenConfig, type LimitsConfig } from '../../shared/config-schema';
import {
  buildDeckWithDoctype,
  buildDeckWithExtraEntries,
  buildDocx,
  buildEncryptedDeck,
  buildLegacyPpt,
  buildZipBomb,
  deckEntries,
  patchCentralDirectory,
  writeEmptyFile,
  writeTextFile,
  writeTruncatedCopy,
  writeZip,
  type DeckSpec,
  type ZipEntries,
} from '../fixtures/deck-builder';
import { chartEmf, vectorPictureDeckEntries } from '../fixtures/vector-decks';
import { inspectDeck, type InspectionOutcome } from './inspect-deck';

const LIMITS: LimitsConfig = DEFAULT_CONFIG.limits;
const CONFIG: AltgenConfig = DEFAULT_CONFIG;
const withLimits = (limits: LimitsConfig): AltgenConfig => ({ ...DEFAULT_CONFIG, limits });
const withAltText = (altText: Partial<AltgenConfig['alt_text']>): AltgenConfig => ({ ...DEFAULT_CONFIG, alt_text: { ...DEFAULT_CONFIG.alt_text, ...altText } });
/** A zip bomb's part must inflate past the grace size to be held to the ratio. */
const PAST_RATIO_GRACE = LIMITS.compression_ratio_grace_bytes + 1024 * 1024;
const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../examples/lecture');
const MC = 'http://schemas.openxmlformats.org/markup-compatibility/2006';
const P14 = 'http://schemas.microsoft.com/office/powerpoint/2010/main';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'inspect-deck-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function deck(spec: DeckSpec, edit?: (entries: ZipEntries) => void): Promise<string> {
  const file = path.join(dir, `deck-${Math.random().toString(36).slice(2)}.pptx`);
  const entries = deckEntries(spec);
  edit?.(entries);
  await writeZip(file, entries);
  return file;
}

function slideXml(entries: ZipEntries, n = 1): string {
  const xml = entries.get(`ppt/slides/slide${n}.xml`);
  if (typeof xml !== 'string') throw new Error(`no slide ${n}`);
  return xml;
}

function expectProblem(outcome: InspectionOutcome, code: string, status: 'failed' | 'skipped' = 'failed'): string {
  if (outcome.ok) throw new Error(`expected ${code}, got ${JSON.stringify(outcome.inspection)}`);
  expect({ code: outcome.code, status: outcome.status }).toEqual({ code, status });
  expect(outcome.message).not.toMatch(/\n/);
  return outcome.message;
}

function expectCounts(outcome: InspectionOutcome) {
  if (!outcome.ok) throw new Error(`expected a clean inspection, got ${outcome.code}: ${outcome.message}`);
  const { slides, pictures, pictures_missing_alt } = outcome.inspection;
  return expect({ slides, pictures, missing: pictures_missing_alt });
}

const PICTURES: DeckSpec = {
  slides: [
    { title: 'Title only', notes: 'notes' },
    {
      pictures: [
        { descr: 'A labelled heart' },
        {},
        { descr: '   ' },
        { decorative: true },
        { inGroup: true, descr: 'In a group' },
        { inGroup: true },
      ],
    },
    { pictures: [{ descr: 'Picture 3' }] },
  ],
};

describe('inspectDeck › counts', () => {
  it('counts slides, pictures (also in groups) and the pictures the run will describe', async () => {
    const outcome = await inspectDeck(await deck(PICTURES), CONFIG);
    // described: {}, the blank descr, the grouped one without descr, and "Picture 3" (weak); kept: the two human texts
    expectCounts(outcome).toEqual({ slides: 3, pictures: 7, missing: 4 });
    expect(outcome.ok && outcome.inspection.plan).toEqual({
      pictures: 7,
      to_describe: 4,
      graphics_to_describe: 0,
      to_keep: 2,
      decorative: 1,
      to_mark_decorative: 0,
      skipped: { 'in-layout': 0, linked: 0, 'no-image': 0, 'unreadable-image': 0, 'nothing-to-describe': 0 },
    });
  });

  it('reports the entry count and the inflated size of the package', async () => {
    const entries = deckEntries(PICTURES);
    const file = await deck(PICTURES);
    const outcome = await inspectDeck(file, CONFIG);
    const bytes = [...entries.values()].reduce((sum, data) => sum + Buffer.byteLength(data), 0);
    expect(outcome.ok && outcome.inspection.entries).toBe(entries.size);
    expect(outcome.ok && outcome.inspection.uncompressed_bytes).toBe(bytes);
  });

  it('counts what the run describes under each policy and with the weak-text settings', async () => {
    const file = await deck(PICTURES);
    expectCounts(await inspectDeck(file, withAltText({ policy: 'missing-only' }))).toEqual({ slides: 3, pictures: 7, missing: 3 });
    expectCounts(await inspectDeck(file, withAltText({ policy: 'overwrite' }))).toEqual({ slides: 3, pictures: 7, missing: 6 });
    expectCounts(await inspectDeck(file, withAltText({ weak_patterns: ['^in a group$'] }))).toEqual({ slides: 3, pictures: 7, missing: 5 });
    expectCounts(await inspectDeck(file, withAltText({ min_meaningful_alt_chars: 11 }))).toEqual({ slides: 3, pictures: 7, missing: 5 });
  });

  it('counts tiny pictures to be marked decorative with decorative: apply, and not as to describe', async () => {
    // The builder's pictures are 16 px: tiny, unless told otherwise.
    const file = await deck({ slides: [{ pictures: [{}, { imageSize: 64 }, { descr: 'A labelled diagram of the heart' }] }] });
    const outcome = await inspectDeck(file, withAltText({ decorative: 'apply' }));
    expectCounts(outcome).toEqual({ slides: 1, pictures: 3, missing: 1 });
    expect(outcome.ok && outcome.inspection.plan).toMatchObject({ to_describe: 1, to_mark_decorative: 1, to_keep: 1 });
  });

  it('inspects a deck without slides', async () => {
    expectCounts(await inspectDeck(await deck({ slides: [] }), CONFIG)).toEqual({ slides: 0, pictures: 0, missing: 0 });
  });

  it('counts shapes filled with a picture as the processor does, and no other shapes', async () => {
    const file = await deck(
      {
        slides: [
          {
            title: 'Histology',
            text: 'A text box is not a picture',
            pictures: [{ shape: 'filled-shape' }, { shape: 'filled-shape', descr: 'Stratified squamous epithelium' }, { shape: 'filled-shape', decorative: true }, {}],
          },
        ],
      },
      (entries) => {
        // A shape whose picture fill names no image shows none.
        const empty = '<p:sp><p:nvSpPr><p:cNvPr id="90" name="Empty fill"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr><a:blipFill><a:blip/></a:blipFill></p:spPr></p:sp>';
        entries.set('ppt/slides/slide1.xml', slideXml(entries).replace('</p:spTree>', `${empty}</p:spTree>`));
      },
    );
    expectCounts(await inspectDeck(file, CONFIG)).toEqual({ slides: 1, pictures: 4, missing: 2 });
  });

  it('counts a picture inside mc:AlternateContent once (the Choice, not the Fallback)', async () => {
    const file = await deck({ slides: [{ pictures: [{}] }] }, (entries) => {
      const xml = slideXml(entries);
      const pic = /<p:pic>.*<\/p:pic>/.exec(xml)?.[0] ?? '';
      const described = pic.replace('name="Picture 2"', 'name="Picture 2" descr="A described fallback"');
      const wrapped = `<mc:AlternateContent xmlns:mc="${MC}" xmlns:p14="${P14}"><mc:Choice Requires="p14">${pic}</mc:Choice><mc:Fallback>${described}</mc:Fallback></mc:AlternateContent>`;
      entries.set('ppt/slides/slide1.xml', xml.replace(pic, wrapped));
    });
    expectCounts(await inspectDeck(file, CONFIG)).toEqual({ slides: 1, pictures: 1, missing: 1 });
  });

  it('matches elements by local name: ISO Strict namespaces and unusual prefixes', async () => {
    const file = await deck({ slides: [{ pictures: [{ descr: 'Described' }, {}] }] }, (entries) => {
      for (const [name, data] of entries) {
        if (typeof data !== 'string' || !/^ppt\/(presentation|slides\/slide\d+)\.xml$/.test(name)) continue;
        const strict = data
          .replace(/<(\/?)p:/g, '<$1pml:')
          .replace(/xmlns:p="[^"]+"/, 'xmlns:pml="http://purl.oclc.org/ooxml/presentationml/main"')
          .replace(/\br:(id|embed)=/g, 'rel:$1=')
          .replace(/xmlns:r="[^"]+"/, 'xmlns:rel="http://purl.oclc.org/ooxml/officeDocument/relationships"');
        entries.set(name, strict);
      }
    });
    expect(slideXml(deckEntries({ slides: [{}] }))).toContain('<p:');
    expectCounts(await inspectDeck(file, CONFIG)).toEqual({ slides: 1, pictures: 2, missing: 1 });
  });

  it('does not count the slide list that PowerPoint sections repeat in an extension', async () => {
    const file = await deck({ slides: [{}, {}] }, (entries) => {
      const xml = entries.get('ppt/presentation.xml') as string;
      const sections =
        '<p:extLst><p:ext uri="{521415D9-36F7-43E2-AB2F-B90AF26B5E84}"><p14:sectionLst xmlns:p14="http://schemas.microsoft.com/office/powerpoint/2010/main">' +
        '<p14:section name="Default" id="{0A1B2C3D-0000-0000-0000-000000000000}"><p14:sldIdLst><p14:sldId id="256"/><p14:sldId id="257"/></p14:sldIdLst></p14:section>' +
        '</p14:sectionLst></p:ext></p:extLst>';
      entries.set('ppt/presentation.xml', xml.replace('</p:presentation>', `${sections}</p:presentation>`));
    });
    expectCounts(await inspectDeck(file, CONFIG)).toEqual({ slides: 2, pictures: 0, missing: 0 });
  });

  it('finds slide parts through the relationships, whatever they are called', async () => {
    const file = await deck({ slides: [{ pictures: [{}, {}] }] }, (entries) => {
      const slide = slideXml(entries);
      entries.delete('ppt/slides/slide1.xml');
      entries.set('ppt/lectures/Intro Slide.xml', slide.replace(/\.\.\/media\//g, '../media/'));
      const rels = entries.get('ppt/_rels/presentation.xml.rels') as string;
      entries.set('ppt/_rels/presentation.xml.rels', rels.replace('slides/slide1.xml', '/ppt/lectures/Intro Slide.xml'));
      entries.set('ppt/lectures/_rels/Intro Slide.xml.rels', entries.get('ppt/slides/_rels/slide1.xml.rels') as string);
      entries.delete('ppt/slides/_rels/slide1.xml.rels');
    });
    expectCounts(await inspectDeck(file, CONFIG)).toEqual({ slides: 1, pictures: 2, missing: 2 });
  });

  it('ignores pictures in XML comments and decodes entities in descr', async () => {
    const file = await deck({ slides: [{ pictures: [{}] }] }, (entries) => {
      const xml = slideXml(entries)
        .replace('<p:pic>', '<!-- <p:pic><p:nvPicPr><p:cNvPr id="99" name="x"/></p:nvPicPr></p:pic> --><p:pic>')
        .replace('name="Picture 2"', 'name="Picture 2" descr="&#x20;&#10;&#32;"');
      entries.set('ppt/slides/slide1.xml', xml);
    });
    expectCounts(await inspectDeck(file, CONFIG)).toEqual({ slides: 1, pictures: 1, missing: 1 });
  });

  it('reads UTF-16 parts', async () => {
    const file = await deck({ slides: [{ pictures: [{ descr: 'Described' }, {}] }] }, (entries) => {
      const xml = slideXml(entries).replace('encoding="UTF-8"', 'encoding="UTF-16"');
      entries.set('ppt/slides/slide1.xml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]));
    });
    expectCounts(await inspectDeck(file, CONFIG)).toEqual({ slides: 1, pictures: 2, missing: 1 });
  });

  it('counts exactly in a large slide whose tags straddle read chunks', async () => {
    const pictures = Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? { descr: `Figure ${i}` } : {}));
    const outcome = await inspectDeck(await deck({ slides: [{ pictures }] }), CONFIG);
    expectCounts(outcome).toEqual({ slides: 1, pictures: 3000, missing: 2000 });
  });
});

describe('inspectDeck › the file', () => {
  it('fails a missing file with ENOT_FOUND', async () => {
    expectProblem(await inspectDeck(path.join(dir, 'gone.pptx'), CONFIG), 'ENOT_FOUND');
  });

  it('fails a folder with EUNREADABLE', async () => {
    await mkdir(path.join(dir, 'folder.pptx'));
    expect(expectProblem(await inspectDeck(path.join(dir, 'folder.pptx'), CONFIG), 'EUNREADABLE')).toMatch(/folder/);
  });

  it.skipIf(process.getuid?.() === 0)('fails a file without read permission with EUNREADABLE (skipped as root)', async () => {
    const file = await deck({ slides: [{}] });
    await chmod(file, 0o000);
    expect(expectProblem(await inspectDeck(file, CONFIG), 'EUNREADABLE')).toMatch(/permission/);
  });

  it('fails a zero-byte file with EEMPTY', async () => {
    await writeEmptyFile(path.join(dir, 'empty.pptx'));
    expectProblem(await inspectDeck(path.join(dir, 'empty.pptx'), CONFIG), 'EEMPTY');
  });

  it('fails a text file named .pptx with ENOT_ZIP and says it looks like text', async () => {
    await writeTextFile(path.join(dir, 'notes.pptx'));
    const message = expectProblem(await inspectDeck(path.join(dir, 'notes.pptx'), CONFIG), 'ENOT_ZIP');
    expect(message).toMatch(/not a ZIP package \(looks like text\)/);
  });

  it('says what other non-zip files look like', async () => {
    const cases: [string, Buffer, RegExp][] = [
      ['doc.pptx', Buffer.from('%PDF-1.7\n%âãÏÓ\n'), /PDF/],
      ['page.pptx', Buffer.from('<!DOCTYPE html><html><body>Sign in</body></html>'), /web page/],
      ['noise.pptx', Buffer.from([0x00, 0x01, 0x02, 0xfe, 0x80, 0x00]), /binary/],
    ];
    for (const [name, bytes, pattern] of cases) {
      await writeFile(path.join(dir, name), bytes);
      expect(expectProblem(await inspectDeck(path.join(dir, name), CONFIG), 'ENOT_ZIP')).toMatch(pattern);
    }
  });

  it('fails a password-protected deck with EENCRYPTED and tells how to remove the password', async () => {
    await buildEncryptedDeck(path.join(dir, 'locked.pptx'));
    const message = expectProblem(await inspectDeck(path.join(dir, 'locked.pptx'), CONFIG), 'EENCRYPTED');
    expect(message).toMatch(/password.*File › Info › Protect Presentation/i);
  });

  it('finds EncryptedPackage in a directory far beyond the head of the file', async () => {
    const file = path.join(dir, 'big-locked.pptx');
    await buildEncryptedDeck(file, 3 * 1024 * 1024);
    const head = (await readFile(file)).subarray(0, 1024 * 1024);
    expect(head.includes(Buffer.from('EncryptedPackage', 'utf16le'))).toBe(false);
    expectProblem(await inspectDeck(file, CONFIG), 'EENCRYPTED');
  });

  it('skips a legacy .ppt with ELEGACY_FORMAT and the Save As advice', async () => {
    await buildLegacyPpt(path.join(dir, 'old.ppt'));
    const message = expectProblem(await inspectDeck(path.join(dir, 'old.ppt'), CONFIG), 'ELEGACY_FORMAT', 'skipped');
    expect(message).toMatch(/Save As › PowerPoint Presentation \(\.pptx\)/);
  });

  it('fails a truncated deck with ECORRUPT in words', async () => {
    const whole = await deck(PICTURES);
    for (const fraction of [0.3, 0.9, 0.999]) {
      const cut = path.join(dir, `cut-${fraction}.pptx`);
      await writeTruncatedCopy(whole, cut, fraction);
      expect(expectProblem(await inspectDeck(cut, CONFIG), 'ECORRUPT')).toMatch(/incomplete|broken/);
    }
  });
});

describe('inspectDeck › the package', () => {
  it('fails a Word document renamed .pptx with ENOT_PRESENTATION', async () => {
    await buildDocx(path.join(dir, 'letter.pptx'));
    const message = expectProblem(await inspectDeck(path.join(dir, 'letter.pptx'), CONFIG), 'ENOT_PRESENTATION');
    expect(message).toMatch(/ppt\/presentation\.xml.*Word/);
  });

  it('fails a zip bomb on its compression ratio before inflating it', async () => {
    await buildZipBomb(path.join(dir, 'bomb.pptx'), PAST_RATIO_GRACE);
    const message = expectProblem(await inspectDeck(path.join(dir, 'bomb.pptx'), CONFIG), 'EZIP_LIMITS');
    expect(message).toMatch(/padding\.bin inflates \d+:1, the limit is 200:1/);
  });

  it('allows the same ratio when the limit is raised', async () => {
    await buildZipBomb(path.join(dir, 'bomb.pptx'), PAST_RATIO_GRACE);
    const outcome = await inspectDeck(path.join(dir, 'bomb.pptx'), withLimits({ ...LIMITS, max_compression_ratio: 5000 }));
    expect(outcome.ok).toBe(true);
  });

  it('fails a package with more entries than max_zip_entries', async () => {
    await buildDeckWithExtraEntries(path.join(dir, 'many.pptx'), LIMITS.max_zip_entries);
    const message = expectProblem(await inspectDeck(path.join(dir, 'many.pptx'), CONFIG), 'EZIP_LIMITS');
    expect(message).toMatch(/10000/);
  });

  it('fails a package over the per-entry and the total inflated limits', async () => {
    const file = await deck(PICTURES);
    const total = expectProblem(await inspectDeck(file, withLimits({ ...LIMITS, max_uncompressed_bytes: 10_000 })), 'EZIP_LIMITS');
    expect(total).toMatch(/in total/);
    const perEntry = expectProblem(await inspectDeck(file, withLimits({ ...LIMITS, max_entry_uncompressed_bytes: 1000 })), 'EZIP_LIMITS');
    expect(perEntry).toMatch(/limit per part/);
  });

  it('fails duplicate entries (also differing only in case) with ECORRUPT', async () => {
    const file = await deck({ slides: [{}] }, (entries) => {
      entries.set('PPT/Slides/Slide1.xml', slideXml(entries));
    });
    expect(expectProblem(await inspectDeck(file, CONFIG), 'ECORRUPT')).toMatch(/twice/);
  });

  it('fails overlapping entries with ECORRUPT', async () => {
    const file = await deck({ slides: [{}] });
    await patchCentralDirectory(file, 'ppt/presentation.xml', { localHeaderOffset: 0 });
    expect(expectProblem(await inspectDeck(file, CONFIG), 'ECORRUPT')).toMatch(/overlap/);
  });

  it('fails an entry that inflates beyond its declared size', async () => {
    const file = await deck(PICTURES);
    await patchCentralDirectory(file, 'ppt/slides/slide2.xml', { uncompressedSize: 100 });
    expect(expectProblem(await inspectDeck(file, CONFIG), 'ECORRUPT')).toMatch(/beyond its declared size/);
  });

  it('fails an entry with an unsafe path with ECORRUPT', async () => {
    const file = await deck({ slides: [{}] }, (entries) => entries.set('ppt/zz/evil.txt', 'x'));
    const bytes = await readFile(file);
    const safe = Buffer.from('ppt/zz/evil.txt');
    const unsafe = Buffer.from('../../../evil.x');
    for (let at = bytes.indexOf(safe); at >= 0; at = bytes.indexOf(safe, at + 1)) unsafe.copy(bytes, at);
    await writeFile(file, bytes);
    expect(expectProblem(await inspectDeck(file, CONFIG), 'ECORRUPT')).toMatch(/unsafe name/);
  });

  it('leaves out a listed slide whose part is missing, as the run does', async () => {
    const file = await deck({ slides: [{ pictures: [{}] }, { pictures: [{}] }] }, (entries) => entries.delete('ppt/slides/slide2.xml'));
    expectCounts(await inspectDeck(file, CONFIG)).toEqual({ slides: 1, pictures: 1, missing: 1 });
  });

  it('fails a slide part that ends inside a tag, or has two roots, as the run does', async () => {
    const cut = await deck({ slides: [{}] }, (entries) => {
      entries.set('ppt/slides/slide1.xml', slideXml(entries).replace(/<\/p:sld>$/, '<p:extLst attr="unterminated'));
    });
    expect(expectProblem(await inspectDeck(cut, CONFIG), 'ECORRUPT')).toMatch(/^The deck is damaged: ppt\/slides\/slide1\.xml is not well-formed XML/);
    const twoRoots = await deck({ slides: [{}] }, (entries) => entries.set('ppt/slides/slide1.xml', `${slideXml(entries)}<p:sld/>`));
    expect(expectProblem(await inspectDeck(twoRoots, CONFIG), 'ECORRUPT')).toMatch(/slide1\.xml is not well-formed XML/);
  });
});

describe('inspectDeck › unsafe XML', () => {
  it('fails a slide with a DOCTYPE with EUNSAFE_XML', async () => {
    await buildDeckWithDoctype(path.join(dir, 'doctype.pptx'));
    const message = expectProblem(await inspectDeck(path.join(dir, 'doctype.pptx'), CONFIG), 'EUNSAFE_XML');
    expect(message).toMatch(/slide1\.xml/);
  });

  it('checks parts it does not count too: themes and relationships', async () => {
    for (const part of ['ppt/theme/theme1.xml', 'ppt/slides/_rels/slide1.xml.rels', '[Content_Types].xml']) {
      const file = path.join(dir, `${path.basename(part)}.pptx`);
      await buildDeckWithDoctype(file, part);
      expect(expectProblem(await inspectDeck(file, CONFIG), 'EUNSAFE_XML')).toContain(part);
    }
  });

  it('finds a DOCTYPE wherever the read chunks split it', async () => {
    for (let padding = 16_370; padding <= 16_392; padding += 1) {
      const file = await deck({ slides: [{}] }, (entries) => {
        const xml = slideXml(entries);
        const head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
        const comment = `<!--${'x'.repeat(padding - head.length - 7)}-->`;
        entries.set('ppt/slides/slide1.xml', xml.replace(head, `${head}${comment}<!DOCTYPE p:sld>`));
      });
      expectProblem(await inspectDeck(file, CONFIG), 'EUNSAFE_XML');
    }
  });
});

describe('inspectDeck › resources', () => {
  it.skipIf(!existsSync('/proc/self/fd'))('closes every file it opens, whatever the outcome', async () => {
    const files = [
      await deck(PICTURES),
      await deck({ slides: [{}, {}] }, (entries) => entries.delete('ppt/slides/slide2.xml')),
      path.join(dir, 'bomb.pptx'),
      path.join(dir, 'letter.pptx'),
      path.join(dir, 'doctype.pptx'),
      path.join(dir, 'locked.pptx'),
      path.join(dir, 'cut.pptx'),
      path.join(dir, 'notes.pptx'),
      path.join(dir, 'gone.pptx'),
    ];
    await buildZipBomb(files[2] ?? '', PAST_RATIO_GRACE);
    await buildDocx(files[3] ?? '');
    await buildDeckWithDoctype(files[4] ?? '');
    await buildEncryptedDeck(files[5] ?? '');
    await writeTruncatedCopy(files[0] ?? '', files[6] ?? '', 0.6);
    await writeTextFile(files[7] ?? '');

    const before = (await readdir('/proc/self/fd')).length;
    const codes = new Set<string>();
    for (let round = 0; round < 40; round += 1) {
      const outcomes = await Promise.all(files.map((file) => inspectDeck(file, CONFIG)));
      for (const outcome of outcomes) codes.add(outcome.ok ? 'ok' : outcome.code);
    }
    expect((await readdir('/proc/self/fd')).length).toBeLessThanOrEqual(before);
    expect([...codes].sort()).toEqual(
      ['ECORRUPT', 'EENCRYPTED', 'ENOT_FOUND', 'ENOT_PRESENTATION', 'ENOT_ZIP', 'EUNSAFE_XML', 'EZIP_LIMITS', 'ok'].sort(),
    );
  });
});

describe('inspectDeck › shipped examples', () => {
  const cases: [string, { slides: number; pictures: number; missing: number }][] = [
    ['01-cardiac-anatomy.pptx', { slides: 4, pictures: 5, missing: 3 }],
    ['02-renal-physiology.pptx', { slides: 3, pictures: 4, missing: 2 }],
    ['imaging/03-chest-xray-reading.pptx', { slides: 3, pictures: 4, missing: 2 }],
  ];
  it.each(cases)('inspects %s cleanly', async (name, expected) => {
    expectCounts(await inspectDeck(path.join(EXAMPLES, name), CONFIG)).toEqual(expected);
  });

  it('skips the legacy example', async () => {
    expectProblem(await inspectDeck(path.join(EXAMPLES, 'legacy/old-lecture.ppt'), CONFIG), 'ELEGACY_FORMAT', 'skipped');
  });
});

describe('inspectDeck › decks wrongly refused (issue 11)', () => {
  it('inspects a deck with a stray byte after its end record', async () => {
    const file = await deck(PICTURES);
    await writeFile(file, Buffer.concat([await readFile(file), Buffer.from([0x0a])]));
    expectCounts(await inspectDeck(file, CONFIG)).toEqual({ slides: 3, pictures: 7, missing: 4 });
  });

  it('inspects a deck whose vector picture compresses beyond 667:1 under the default limits', async () => {
    const file = path.join(dir, 'vector.pptx');
    await writeZip(file, vectorPictureDeckEntries(chartEmf(4 * 1024 * 1024)));
    expectCounts(await inspectDeck(file, CONFIG)).toEqual({ slides: 1, pictures: 1, missing: 1 });
  });

  it('fails a DOCTYPE in [Content_Types].xml with EUNSAFE_XML', async () => {
    const file = await deck(PICTURES, (entries) => {
      const types = entries.get('[Content_Types].xml') as string;
      entries.set('[Content_Types].xml', types.replace('<Types', '<!DOCTYPE Types [<!ENTITY lol "lol">]><Types'));
    });
    expect(expectProblem(await inspectDeck(file, CONFIG), 'EUNSAFE_XML')).toMatch(/\[Content_Types\]\.xml declares a DOCTYPE/);
  });

  it('inspects a PowerPoint 2007+ deck named .ppt, and still skips a real 97–2003 one', async () => {
    const renamed = path.join(dir, 'saved-as.ppt');
    await writeZip(renamed, deckEntries(PICTURES));
    expectCounts(await inspectDeck(renamed, CONFIG)).toEqual({ slides: 3, pictures: 7, missing: 4 });
    const legacy = path.join(dir, 'old.ppt');
    await buildLegacyPpt(legacy);
    expect(expectProblem(await inspectDeck(legacy, CONFIG), 'ELEGACY_FORMAT', 'skipped')).toMatch(/Save As/);
  });
});
