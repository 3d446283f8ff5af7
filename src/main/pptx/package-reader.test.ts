import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type LimitsConfig } from '../../shared/config-schema';
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
  writeZip,
  type ZipEntries,
} from '../fixtures/deck-builder';
import { encodeText, openPackage, PackageError, sniffContainer, type PackageReader } from './package-reader';

const LIMITS: LimitsConfig = DEFAULT_CONFIG.limits;
const SLIDE = 'ppt/slides/slide1.xml';
const XML_HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'package-reader-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function deck(edit?: (entries: ZipEntries) => void, slides = 2): Promise<string> {
  const file = path.join(dir, `deck-${Math.random().toString(36).slice(2)}.pptx`);
  const entries = deckEntries({ slides: Array.from({ length: slides }, () => ({ pictures: [{}] })) });
  edit?.(entries);
  await writeZip(file, entries);
  return file;
}

async function withReader<T>(file: string, use: (reader: PackageReader) => Promise<T>, limits = LIMITS): Promise<T> {
  const reader = await openPackage(file, limits);
  try {
    return await use(reader);
  } finally {
    await reader.close();
  }
}

async function problem(promise: Promise<unknown>): Promise<PackageError> {
  const error: unknown = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!(error instanceof PackageError)) throw new Error(`expected a PackageError, got ${String(error)}`);
  expect(error.message).not.toMatch(/\n/);
  return error;
}

function slideText(entries: ZipEntries): string {
  const xml = entries.get(SLIDE);
  if (typeof xml !== 'string') throw new Error('no slide 1');
  return xml;
}

describe('openPackage › entries', () => {
  it('lists every entry in central directory order with its sizes, method and offset', async () => {
    const entries = deckEntries({ slides: [{ pictures: [{}] }] });
    const file = path.join(dir, 'deck.pptx');
    await writeZip(file, entries);
    await withReader(file, async (reader) => {
      expect([...reader.entries.keys()]).toEqual([...entries.keys()]);
      const image = reader.entry('ppt/media/image1.png');
      const slide = reader.entry(SLIDE);
      expect(image).toMatchObject({ compressionMethod: 0, uncompressedSize: (entries.get('ppt/media/image1.png') as Buffer).length });
      expect(image?.compressedSize).toBe(image?.uncompressedSize);
      expect(slide?.compressionMethod).toBe(8);
      expect(slide?.uncompressedSize).toBe(Buffer.byteLength(slideText(entries)));
      expect(reader.entry('[Content_Types].xml')?.localHeaderOffset).toBe(0);
      expect(slide?.record.nameBytes.toString()).toBe(SLIDE);
    });
  });

  it('finds parts case-insensitively, as part names compare', async () => {
    await withReader(await deck(), async (reader) => {
      expect(reader.has('PPT/Slides/Slide1.XML')).toBe(true);
      expect(reader.entry('ppt/SLIDES/slide1.xml')?.name).toBe(SLIDE);
      expect(reader.has('ppt/slides/slide9.xml')).toBe(false);
    });
  });

  it('reads bytes, bounded by the caller', async () => {
    const entries = deckEntries({ slides: [{ pictures: [{}] }] });
    const file = path.join(dir, 'deck.pptx');
    await writeZip(file, entries);
    const png = entries.get('ppt/media/image1.png') as Buffer;
    await withReader(file, async (reader) => {
      expect((await reader.readBuffer('ppt/media/image1.png', png.length)).equals(png)).toBe(true);
      const refused = await problem(reader.readBuffer('ppt/media/image1.png', png.length - 1));
      expect(refused.code).toBe('EZIP_LIMITS');
      expect(refused.message).toMatch(/image1\.png inflates to/);
      expect((await problem(reader.readText('ppt/slides/slide9.xml'))).code).toBe('ECORRUPT');
    });
  });

  it('reads a multi-megabyte picture in one piece, with the checks a stream makes', async () => {
    // Incompressible, like a photo: the packed bytes hold the picture's bytes as they are.
    const photo = randomBytes(3 * 1024 * 1024);
    const file = await deck((entries) => entries.set('ppt/media/image1.png', photo));
    await withReader(file, async (reader) => {
      expect((await reader.readBuffer('ppt/media/image1.png', photo.length)).equals(photo)).toBe(true);
    });

    const damaged = path.join(dir, 'damaged.pptx');
    const bytes = await readFile(file);
    const at = bytes.indexOf(photo.subarray(2_000_000, 2_000_064));
    expect(at).toBeGreaterThan(0);
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    await writeFile(damaged, bytes);
    await withReader(damaged, async (reader) => {
      const error = await problem(reader.readBuffer('ppt/media/image1.png', photo.length));
      expect(error.code).toBe('ECORRUPT');
      expect(error.message).toMatch(/damaged/);
    });

    // Deflated (a TIFF, say): a part that inflates beyond its declared size is stopped there.
    const scan = Buffer.concat([randomBytes(1024 * 1024), Buffer.alloc(2 * 1024 * 1024, 7)]);
    const lying = await deck((entries) => entries.set('ppt/media/image2.tiff', scan));
    await withReader(lying, async (reader) => {
      expect((await reader.readBuffer('ppt/media/image2.tiff', scan.length)).equals(scan)).toBe(true);
    });
    await patchCentralDirectory(lying, 'ppt/media/image2.tiff', { uncompressedSize: scan.length - 1 });
    await withReader(lying, async (reader) => {
      const error = await problem(reader.readBuffer('ppt/media/image2.tiff', scan.length));
      expect(error.code).toBe('ECORRUPT');
      expect(error.message).toMatch(/beyond its declared size/);
    });
  });

  it('reads the head of a part without inflating the rest', async () => {
    const photo = randomBytes(2 * 1024 * 1024);
    const scan = Buffer.concat([randomBytes(100_000), Buffer.alloc(20 * 1024 * 1024, 7)]);
    const file = await deck((entries) => {
      entries.set('ppt/media/image1.png', photo);
      entries.set('ppt/media/image2.tiff', scan);
    });
    await withReader(file, async (reader) => {
      expect((await reader.readHead('ppt/media/image1.png', 65_536)).equals(photo.subarray(0, 65_536))).toBe(true);
      // Deflated, and far more compressible after the first 100 kB: still exactly the head.
      expect((await reader.readHead('ppt/media/image2.tiff', 150_000)).equals(scan.subarray(0, 150_000))).toBe(true);
      expect((await reader.readHead('ppt/media/image2.tiff', 65_536)).equals(scan.subarray(0, 65_536))).toBe(true);
      // A small part comes back whole, checked like readBuffer.
      const slide = await reader.readHead(SLIDE, 1024 * 1024);
      expect(slide.toString('utf8')).toBe(await reader.readText(SLIDE));
    });

    const entry = (await withReader(file, async (reader) => reader.entry('ppt/media/image2.tiff')))!;
    const damaged = path.join(dir, 'damaged.pptx');
    const bytes = await readFile(file);
    bytes.fill(0xff, entry.localHeaderOffset + 30 + entry.name.length, entry.localHeaderOffset + 30 + entry.name.length + 16);
    await writeFile(damaged, bytes);
    await withReader(damaged, async (reader) => {
      const error = await problem(reader.readHead('ppt/media/image2.tiff', 65_536));
      expect(error.code).toBe('ECORRUPT');
    });
  });

  it('closes its file, whatever was read', async () => {
    const file = await deck();
    const fds = async () => (existsSync('/proc/self/fd') ? (await readdir('/proc/self/fd')).length : 0);
    const before = await fds();
    for (let round = 0; round < 20; round += 1) {
      await withReader(file, async (reader) => {
        await reader.readText(SLIDE);
        for await (const chunk of reader.streamText('ppt/presentation.xml')) if (chunk) break;
      });
    }
    expect(await fds()).toBeLessThanOrEqual(before);
  });
});

describe('openPackage › limits', () => {
  it('refuses more entries than max_zip_entries', async () => {
    const file = path.join(dir, 'many.pptx');
    await buildDeckWithExtraEntries(file, 50);
    const error = await problem(openPackage(file, { ...LIMITS, max_zip_entries: 40 }));
    expect(error.code).toBe('EZIP_LIMITS');
    expect(error.message).toMatch(/the limit is 40/);
  });

  it('refuses a package over the total and the per-part inflated size', async () => {
    const file = await deck();
    expect((await problem(openPackage(file, { ...LIMITS, max_uncompressed_bytes: 10_000 }))).message).toMatch(/in total/);
    expect((await problem(openPackage(file, { ...LIMITS, max_entry_uncompressed_bytes: 1000 }))).message).toMatch(/limit per part/);
  });

  it('refuses a compression ratio beyond the limit before inflating anything', async () => {
    const file = path.join(dir, 'bomb.pptx');
    await buildZipBomb(file, 4 * 1024 * 1024);
    const error = await problem(openPackage(file, LIMITS));
    expect(error.code).toBe('EZIP_LIMITS');
    expect(error.message).toMatch(/padding\.bin inflates \d+:1/);
  });

  it('refuses duplicate part names, also when they differ only in case', async () => {
    const file = await deck((entries) => entries.set('PPT/SLIDES/SLIDE1.XML', slideText(entries)));
    const error = await problem(openPackage(file, LIMITS));
    expect(error.code).toBe('ECORRUPT');
    expect(error.message).toMatch(/appears twice/);
  });

  it('refuses overlapping entries', async () => {
    const file = await deck();
    await patchCentralDirectory(file, SLIDE, { localHeaderOffset: 0 });
    expect((await problem(openPackage(file, LIMITS))).message).toMatch(/overlap/);
  });

  it('refuses a package without ppt/presentation.xml', async () => {
    const file = path.join(dir, 'letter.pptx');
    await buildDocx(file);
    const error = await problem(openPackage(file, LIMITS));
    expect(error.code).toBe('ENOT_PRESENTATION');
    expect(error.message).toMatch(/Word document/);
  });

  it('stops a part that inflates beyond its declared size', async () => {
    const file = await deck();
    await patchCentralDirectory(file, SLIDE, { uncompressedSize: 100 });
    await withReader(file, async (reader) => {
      const error = await problem(reader.readText(SLIDE));
      expect(error.code).toBe('ECORRUPT');
      expect(error.message).toMatch(/beyond its declared size/);
    });
  });

  it('reports the container before anything else: missing, empty, not a zip, encrypted, legacy', async () => {
    const cases: [string, (file: string) => Promise<void>, string][] = [
      ['gone.pptx', async () => undefined, 'ENOT_FOUND'],
      ['empty.pptx', writeEmptyFile, 'EEMPTY'],
      ['notes.pptx', (file) => writeTextFile(file), 'ENOT_ZIP'],
      ['locked.pptx', (file) => buildEncryptedDeck(file), 'EENCRYPTED'],
      ['old.ppt', buildLegacyPpt, 'ELEGACY_FORMAT'],
    ];
    for (const [name, build, code] of cases) {
      const file = path.join(dir, name);
      await build(file);
      expect((await problem(sniffContainer(file))).code).toBe(code);
      expect((await problem(openPackage(file, LIMITS))).code).toBe(code);
    }
    await expect(sniffContainer(await deck())).resolves.toBeUndefined();
  });
});

describe('openPackage › text', () => {
  const utf16Cases: [string, (xml: string) => Buffer, { charset: string; bom: boolean }][] = [
    ['UTF-16LE with a BOM', (xml) => Buffer.from(`\uFEFF${xml}`, 'utf16le'), { charset: 'utf-16le', bom: true }],
    ['UTF-16BE with a BOM', (xml) => Buffer.from(`\uFEFF${xml}`, 'utf16le').swap16(), { charset: 'utf-16be', bom: true }],
    ['UTF-16LE without a BOM', (xml) => Buffer.from(xml, 'utf16le'), { charset: 'utf-16le', bom: false }],
    ['UTF-8 with a BOM', (xml) => Buffer.from(`\uFEFF${xml}`, 'utf8'), { charset: 'utf-8', bom: true }],
    ['UTF-8', (xml) => Buffer.from(xml, 'utf8'), { charset: 'utf-8', bom: false }],
  ];

  it.each(utf16Cases)('decodes %s and encodes an unedited part back to the same bytes', async (_name, encode, encoding) => {
    let original: Buffer = Buffer.alloc(0);
    let xml = '';
    const file = await deck((entries) => {
      xml = slideText(entries).replace('encoding="UTF-8"', 'encoding="UTF-16"').replace('Slide 1', 'Herz – Übersicht ❤ 𝛼');
      original = encode(xml);
      entries.set(SLIDE, original);
    });
    await withReader(file, async (reader) => {
      const part = await reader.readTextPart(SLIDE);
      expect(part.text).toBe(xml);
      expect(part.encoding).toEqual(encoding);
      expect(encodeText(part.text, part.encoding).equals(original)).toBe(true);
      expect(await reader.readText(SLIDE)).toBe(xml);
    });
  });

  it('streams a large part in chunks that join to the whole text', async () => {
    const big = `${XML_HEADER}<root>${'<a:t>ß €</a:t>'.repeat(40_000)}</root>`;
    const file = await deck((entries) => entries.set('ppt/big.xml', big));
    await withReader(file, async (reader) => {
      const chunks: string[] = [];
      for await (const chunk of reader.streamText('ppt/big.xml')) chunks.push(chunk);
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.join('')).toBe(big);
    });
  });

  it('refuses to read a part over 256 MB as one string', async () => {
    const file = await deck();
    await patchCentralDirectory(file, SLIDE, { uncompressedSize: 300 * 1024 * 1024 });
    await withReader(
      file,
      async (reader) => {
        const error = await problem(reader.readText(SLIDE));
        expect(error.code).toBe('EZIP_LIMITS');
        expect(error.message).toMatch(/slide1\.xml inflates to 300 MB/);
      },
      { ...LIMITS, max_compression_ratio: 1e9 },
    );
  });

  it('refuses bytes that are not valid text', async () => {
    const file = await deck((entries) => entries.set(SLIDE, Buffer.concat([Buffer.from(XML_HEADER), Buffer.from([0xc3, 0x28])])));
    await withReader(file, async (reader) => {
      const error = await problem(reader.readText(SLIDE));
      expect(error.code).toBe('ECORRUPT');
      expect(error.message).toMatch(/slide1\.xml is not valid UTF-8 text/);
    });
  });

  it('refuses a DOCTYPE with EUNSAFE_XML', async () => {
    const file = path.join(dir, 'doctype.pptx');
    await buildDeckWithDoctype(file);
    await withReader(file, async (reader) => {
      const error = await problem(reader.readText(SLIDE));
      expect(error.code).toBe('EUNSAFE_XML');
      expect(error.message).toMatch(/slide1\.xml declares a DOCTYPE/);
    });
  });

  it('refuses an ENTITY declaration, in any case, in UTF-16 too', async () => {
    const file = await deck((entries) => {
      const xml = slideText(entries).replace(XML_HEADER, `${XML_HEADER}<!entity x "y">`);
      entries.set(SLIDE, Buffer.from(`\uFEFF${xml}`, 'utf16le'));
    });
    await withReader(file, async (reader) => {
      expect((await problem(reader.readText(SLIDE))).code).toBe('EUNSAFE_XML');
    });
  });

  it('reads DOCTYPE as text inside comments and CDATA', async () => {
    const file = await deck((entries) => {
      const xml = slideText(entries).replace(
        XML_HEADER,
        `${XML_HEADER}<!-- a <!DOCTYPE in a comment --><![CDATA[<!DOCTYPE also text]]>`,
      );
      entries.set(SLIDE, xml);
    });
    await withReader(file, async (reader) => {
      expect(await reader.readText(SLIDE)).toContain('<!DOCTYPE also text');
    });
  });

  it('finds a DOCTYPE wherever the inflated chunks split it', async () => {
    for (let padding = 16_370; padding <= 16_392; padding += 1) {
      const file = await deck((entries) => {
        const comment = `<!--${'x'.repeat(padding - XML_HEADER.length - 7)}-->`;
        entries.set(SLIDE, slideText(entries).replace(XML_HEADER, `${XML_HEADER}${comment}<!DOCTYPE p:sld>`));
      }, 1);
      await withReader(file, async (reader) => {
        expect((await problem(reader.readText(SLIDE))).code).toBe('EUNSAFE_XML');
      });
    }
  });

  it('does not mistake a comment that ends across chunks for a declaration', async () => {
    for (let padding = 16_370; padding <= 16_392; padding += 1) {
      const file = await deck((entries) => {
        const comment = `<!--${'x'.repeat(padding - XML_HEADER.length - 7)}-->`;
        entries.set(SLIDE, slideText(entries).replace(XML_HEADER, `${XML_HEADER}${comment}<!-- <!DOCTYPE x> -->`));
      }, 1);
      await withReader(file, async (reader) => {
        expect(await reader.readText(SLIDE)).toContain('<!-- <!DOCTYPE x> -->');
      });
    }
  });
});
