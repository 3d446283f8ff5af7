import { spawnSync } from 'node:child_process';
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
import { chartEmf, vectorPictureDeckEntries } from '../fixtures/vector-decks';
import { sniffContainer } from './container-sniffer';
import { PackageError } from './package-error';
import { openPackage, refuseDeclarations, type PackageReader } from './package-reader';
import { encodeText } from './part-text';

const LIMITS: LimitsConfig = DEFAULT_CONFIG.limits;
/** A zip bomb's part must inflate past the grace size to be held to the ratio. */
const PAST_RATIO_GRACE = LIMITS.compression_ratio_grace_bytes + 1024 * 1024;
const SLIDE = 'ppt/slides/slide1.xml';
const XML_HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
/** Parts larger than this are streamed rather than read whole. */
const WHOLE_READ_BYTES = 1024 * 1024;

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

  it('closes its file, whatever was read', async (ctx) => {
    if (!existsSync('/proc/self/fd')) ctx.skip('no /proc/self/fd here to count open files');
    const file = await deck();
    const fds = async () => (await readdir('/proc/self/fd')).length;
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

describe.skipIf(process.platform === 'win32')('openPackage › files that are not regular', () => {
  it('refuses a named pipe at once, without waiting for a writer, and a folder', async () => {
    const fifo = path.join(dir, 'swapped.pptx');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // With a plain open this would wait for a writer for ever; the test's own timeout catches that.
    await expect(openPackage(fifo, LIMITS)).rejects.toMatchObject({ code: 'EUNREADABLE', message: 'Cannot read it: it is not a regular file.' });
    await expect(sniffContainer(fifo)).rejects.toMatchObject({ code: 'EUNREADABLE' });
    await expect(openPackage(dir, LIMITS)).rejects.toMatchObject({ code: 'EUNREADABLE', message: 'Cannot read it: it is a folder, not a file.' });
  }, 20_000);
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
    await buildZipBomb(file, PAST_RATIO_GRACE);
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

  it.each(utf16Cases)('reads %s whole after the declaration check as it reads it first, every time', async (_name, encode, encoding) => {
    // The declaration check keeps small parts decoded for the whole read that follows (the
    // dry run's CPU time); what comes back must not depend on whether it ran.
    let xml = '';
    const file = await deck((entries) => {
      xml = slideText(entries).replace('encoding="UTF-8"', 'encoding="UTF-16"').replace('Slide 1', 'Herz – Übersicht ❤ 𝛼');
      entries.set(SLIDE, encode(xml));
    });
    await withReader(file, async (reader) => {
      await refuseDeclarations(reader);
      for (let read = 0; read < 2; read += 1) {
        const part = await reader.readTextPart(SLIDE);
        expect(part.text).toBe(xml);
        expect(part.encoding).toEqual(encoding);
      }
      const streamed: string[] = [];
      for await (const chunk of reader.streamText(SLIDE)) streamed.push(chunk);
      expect(streamed.join('')).toBe(xml);
    });
  });

  it('refuses bytes that are not valid text in the declaration check with the sentence of a whole read', async () => {
    const file = await deck((entries) => entries.set(SLIDE, Buffer.concat([Buffer.from(XML_HEADER), Buffer.from([0xc3, 0x28])])));
    await withReader(file, async (reader) => {
      const whole = await problem(reader.readText(SLIDE));
      const checked = await problem(refuseDeclarations(reader));
      expect([checked.code, checked.message]).toEqual([whole.code, whole.message]);
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

// ── issue 11: decks wrongly refused ─────────────────────────────────────────────────────────

const hasPython = spawnSync('python3', ['-c', 'import zipfile']).status === 0;
const PYTHON_MISSING = "python3 is not installed: the verdict was not compared with Python's zipfile";

/** What Python's zipfile makes of a file: its comment, or the error it stops with. */
function pythonOpens(file: string): { ok: true; comment: string } | { ok: false } {
  const script = 'import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1]) as z:\n  assert z.testzip() is None\n  sys.stdout.write(z.comment.hex())';
  const result = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' });
  return result.status === 0 ? { ok: true, comment: Buffer.from(result.stdout, 'hex').toString('latin1') } : { ok: false };
}

/** The zip's bytes with `comment` as its archive comment, the length field stating `stated` bytes. */
function withComment(zip: Buffer, comment: string, stated = comment.length): Buffer {
  const record = Buffer.from(zip.subarray(zip.length - 22));
  expect(record.readUInt32LE(0)).toBe(0x06054b50);
  record.writeUInt16LE(stated, 20);
  return Buffer.concat([zip.subarray(0, zip.length - 22), record, Buffer.from(comment, 'latin1')]);
}

async function readEverything(reader: PackageReader): Promise<void> {
  for (const entry of reader.entries.values()) await reader.readBuffer(entry.name, entry.uncompressedSize);
}

describe('openPackage › the end of the archive (issue 11)', () => {
  const COMMENT = 'Saved by PowerPoint for Mac';
  const intact: [string, (zip: Buffer) => Buffer, string][] = [
    ['one stray byte after the end record', (zip) => Buffer.concat([zip, Buffer.from([0x0a])]), ''],
    ['several stray bytes after the end record', (zip) => Buffer.concat([zip, Buffer.from('\r\n\0appended by a download tool\0\0\0')]), ''],
    ['a comment length that states more bytes than the file holds', (zip) => withComment(zip, COMMENT, COMMENT.length + 40), COMMENT],
    ['a comment length that states fewer bytes than follow it', (zip) => withComment(zip, COMMENT, 5), COMMENT.slice(0, 5)],
  ];

  for (const [name, damage, comment] of intact) {
    it(`reads a deck with ${name}, as Python's zipfile and Office do`, async (ctx) => {
      const file = await deck();
      await writeFile(file, damage(await readFile(file)));
      await withReader(file, async (reader) => {
        expect(reader.comment.toString('latin1')).toBe(comment);
        expect(await reader.readText(SLIDE)).toContain('<p:sld');
        await readEverything(reader);
      });
      if (!hasPython) ctx.skip(PYTHON_MISSING);
      expect(pythonOpens(file)).toEqual({ ok: true, comment });
    });
  }

  it('still refuses a truly truncated deck as damaged, as Python does', async (ctx) => {
    const file = await deck();
    const zip = await readFile(file);
    const directory = zip.readUInt32LE(zip.length - 6);
    const cuts = [zip.length - 1, zip.length - 21, directory + 30, Math.floor(zip.length / 2)];
    for (const cut of cuts) {
      const truncated = path.join(dir, `cut-${cut}.pptx`);
      await writeFile(truncated, zip.subarray(0, cut));
      const error = await problem(openPackage(truncated, LIMITS));
      expect(error.code, `cut at ${cut}`).toBe('ECORRUPT');
      expect(error.message).toMatch(/incomplete/);
    }
    if (!hasPython) ctx.skip(PYTHON_MISSING);
    for (const cut of cuts) expect(pythonOpens(path.join(dir, `cut-${cut}.pptx`)), `cut at ${cut}`).toEqual({ ok: false });
  });

  it('keeps the search for the end record bounded: 64 KiB of bytes after it is one too many', async () => {
    const file = await deck();
    const zip = await readFile(file);
    await writeFile(file, Buffer.concat([zip, Buffer.alloc(0xffff - 21, 0x20)]));
    await withReader(file, async (reader) => expect(reader.has(SLIDE)).toBe(true));
    await writeFile(file, Buffer.concat([zip, Buffer.alloc(0xffff + 1, 0x20)]));
    expect((await problem(openPackage(file, LIMITS))).code).toBe('ECORRUPT');
  });

  it('passes over an end-record signature that is only text in the comment', async () => {
    const file = await deck();
    const comment = `made with PK\x05\x06 in the comment${'.'.repeat(30)}`;
    await writeFile(file, withComment(await readFile(file), comment));
    await withReader(file, async (reader) => {
      expect(reader.comment.toString('latin1')).toBe(comment);
      await readEverything(reader);
    });
  });
});

describe('openPackage › compression ratio grace (issue 11)', () => {
  it('reads a vector picture that compresses beyond 667:1 under the default limits', async () => {
    const file = path.join(dir, 'vector.pptx');
    await writeZip(file, vectorPictureDeckEntries(chartEmf(4 * 1024 * 1024)));
    await withReader(file, async (reader) => {
      const emf = reader.entry('ppt/media/image1.emf');
      if (!emf) throw new Error('no EMF part');
      expect(emf.uncompressedSize).toBeGreaterThan(4_000_000);
      expect(emf.uncompressedSize / emf.compressedSize).toBeGreaterThan(667);
      expect((await reader.readBuffer(emf.name, emf.uncompressedSize)).subarray(40, 44).toString('latin1')).toBe(' EMF');
    });
  });

  it('holds a part to max_compression_ratio once it inflates past compression_ratio_grace_bytes', async () => {
    const file = path.join(dir, 'vector.pptx');
    const emf = chartEmf(4 * 1024 * 1024);
    await writeZip(file, vectorPictureDeckEntries(emf));
    const error = await problem(openPackage(file, { ...LIMITS, compression_ratio_grace_bytes: emf.length - 1 }));
    expect(error.code).toBe('EZIP_LIMITS');
    expect(error.message).toMatch(/image1\.emf inflates \d+:1, the limit is 200:1/);
    await withReader(file, async () => undefined, { ...LIMITS, compression_ratio_grace_bytes: emf.length });
    // The size limits hold within the grace.
    const tooLarge = await problem(openPackage(file, { ...LIMITS, max_entry_uncompressed_bytes: emf.length - 1 }));
    expect(tooLarge.message).toMatch(/limit per part/);
  });
});

describe('refuseDeclarations (issue 11)', () => {
  it('refuses a DOCTYPE in [Content_Types].xml, which only some settings read', async () => {
    const file = await deck((entries) => {
      const types = entries.get('[Content_Types].xml') as string;
      entries.set('[Content_Types].xml', types.replace(XML_HEADER, `${XML_HEADER}<!DOCTYPE Types [<!ENTITY x "y">]>`));
    });
    await withReader(file, async (reader) => {
      const error = await problem(refuseDeclarations(reader));
      expect(error.code).toBe('EUNSAFE_XML');
      expect(error.message).toMatch(/\[Content_Types\]\.xml declares a DOCTYPE/);
    });
  });

  it('reads only up to the root element of each part, and lets a clean deck through', async () => {
    const file = await deck((entries) => {
      // Past the root a DOCTYPE declares nothing (parsers refuse it as malformed), and is not
      // read: this part is streamed, and only its first chunk is needed.
      const padding = '<!-- padding -->'.repeat(200_000);
      entries.set('docProps/custom.xml', `${XML_HEADER}<?pi x?><!-- <!DOCTYPE y> --><Properties/>${padding}<!DOCTYPE late>`);
    });
    await withReader(file, async (reader) => {
      await refuseDeclarations(reader);
      const huge = reader.entry('docProps/custom.xml');
      expect(huge?.uncompressedSize).toBeGreaterThan(WHOLE_READ_BYTES);
    });
  });

  it('finds a DOCTYPE in any XML part wherever the chunks split it', async () => {
    for (let padding = 16_370; padding <= 16_392; padding += 3) {
      const file = await deck((entries) => {
        const comment = `<!--${'x'.repeat(padding - XML_HEADER.length - 7)}-->`;
        entries.set('ppt/theme/theme1.xml', (entries.get('ppt/theme/theme1.xml') as string).replace(XML_HEADER, `${XML_HEADER}${comment}<!DOCTYPE a:theme>`));
      }, 1);
      await withReader(file, async (reader) => {
        expect((await problem(refuseDeclarations(reader))).message).toMatch(/theme1\.xml declares a DOCTYPE/);
      });
    }
  });
});
