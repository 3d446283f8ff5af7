import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import JSZip from 'jszip';
import { afterEach, beforeEach, describe, expect, it, type TestContext } from 'vitest';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { DEFAULT_CONFIG, type LimitsConfig } from '../../shared/config-schema';
import { buildDeck, buildZipBomb, deckEntries, writeZip, type DeckSpec } from '../fixtures/deck-builder';
import { PackageError } from './package-error';
import { isSigned, openPackage } from './package-reader';
import { rewritePackage, type RewriteOptions, type RewritePlan } from './zip-rewriter';

const SLIDE = 'ppt/slides/slide1.xml';
const CONTENT_TYPES = '[Content_Types].xml';
const FIXED_MTIME = new Date(2024, 0, 1, 12, 0, 0);
const DECK: DeckSpec = {
  title: 'Cardiac anatomy',
  slides: [
    { title: 'The heart', text: 'Four chambers', pictures: [{}, { descr: 'A labelled heart' }], notes: 'Start here' },
    { title: 'Valves', pictures: [{ inGroup: true }, { inGroup: true }] },
  ],
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'zip-rewriter-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// ── helpers: an independent look at the archives ─────────────────────────────────────────

interface RawEntry {
  readonly name: string;
  readonly nameBytes: Buffer;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly flags: number;
  readonly modTime: number;
  readonly modDate: number;
  readonly extraFields: { id: number; data: Buffer }[];
  readonly comment: Buffer;
  readonly externalAttributes: number;
  readonly offset: number;
  /** The compressed bytes as stored. */
  readonly raw: Buffer;
  readonly content: Buffer;
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Every entry through plain yauzl, raw and inflated, in central directory order. */
async function readArchive(file: string): Promise<{ entries: RawEntry[]; comment: string }> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
  try {
    const entries: RawEntry[] = [];
    for await (const entry of zip.eachEntry()) {
      entries.push({
        name: entry.fileName,
        nameBytes: entry.fileNameRaw,
        method: entry.compressionMethod,
        crc32: entry.crc32,
        compressedSize: entry.compressedSize,
        uncompressedSize: entry.uncompressedSize,
        flags: entry.generalPurposeBitFlag,
        modTime: entry.lastModFileTime,
        modDate: entry.lastModFileDate,
        extraFields: entry.extraFields.filter((field) => field.id !== 0x0001),
        comment: entry.fileCommentRaw,
        externalAttributes: entry.externalFileAttributes,
        offset: entry.relativeOffsetOfLocalHeader,
        raw: await collect(await zip.openReadStreamPromise(entry, { decodeFileData: false })),
        content: await collect(await zip.openReadStreamPromise(entry)),
      });
    }
    return { entries, comment: zip.comment };
  } finally {
    zip.close();
  }
}

/** What must survive a raw copy: everything but the position and the ZIP64/descriptor bookkeeping. */
function copiedIdentity(entry: RawEntry) {
  const { offset: _offset, flags, ...rest } = entry;
  return { ...rest, flags: flags & ~0x0008 };
}

interface LocalHeader {
  readonly flags: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly name: string;
  readonly length: number;
}

async function readLocalHeader(file: string, offset: number): Promise<LocalHeader> {
  const bytes = await readFile(file);
  expect(bytes.readUInt32LE(offset)).toBe(0x04034b50);
  const nameLength = bytes.readUInt16LE(offset + 26);
  return {
    flags: bytes.readUInt16LE(offset + 6),
    crc32: bytes.readUInt32LE(offset + 14),
    compressedSize: bytes.readUInt32LE(offset + 18),
    uncompressedSize: bytes.readUInt32LE(offset + 22),
    name: bytes.toString('utf8', offset + 30, offset + 30 + nameLength),
    length: 30 + nameLength + bytes.readUInt16LE(offset + 28),
  };
}

const hasUnzip = spawnSync('unzip', ['-v']).status === 0;
const hasPython = spawnSync('python3', ['-c', 'import zipfile']).status === 0;
const hasSoffice = spawnSync('soffice', ['--version'], { timeout: 60_000 }).status === 0;

/**
 * Info-ZIP's test of every CRC and of local against central headers. Called last in a test:
 * where unzip is not installed, the test ends skipped, saying so, after its own checks.
 */
function expectUnzipAccepts(ctx: TestContext, file: string): void {
  if (!hasUnzip) ctx.skip('Info-ZIP `unzip` is not installed: the copy was not checked with it');
  const result = spawnSync('unzip', ['-tq', file], { encoding: 'utf8' });
  expect(`${result.stdout}${result.stderr}`).toMatch(/No errors detected/);
  expect(result.status).toBe(0);
}

/**
 * Python's zipfile: checks each local header's name against the central directory, and CRCs.
 * Called last in a test: where python3 is not installed, the test ends skipped, saying so.
 */
function expectPythonAccepts(ctx: TestContext, file: string): void {
  if (!hasPython) ctx.skip("python3 is not installed: the zip was not checked with Python's zipfile");
  const script = 'import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1]) as z:\n  assert z.testzip() is None\n  print(len(z.infolist()))';
  const result = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
}

async function expectJsZipAccepts(file: string, expected: ReadonlyMap<string, Buffer>): Promise<void> {
  const zip = await JSZip.loadAsync(await readFile(file), { checkCRC32: true });
  for (const [name, content] of expected) {
    const entry = zip.file(name);
    expect(entry, name).not.toBeNull();
    expect((await entry?.async('nodebuffer'))?.equals(content), name).toBe(true);
  }
}

/** The slide with `descr` on its first picture (shape names follow the builder's ids). */
function slideWithAltText(xml: string, descr: string): Buffer {
  const edited = xml.replace('name="Picture 3"/>', `name="Picture 3" descr="${descr}"/>`);
  if (edited === xml) throw new Error('no picture to describe');
  return Buffer.from(edited, 'utf8');
}

interface YazlEntry {
  readonly name: string;
  readonly data: Buffer;
  /** `stream` makes yazl use a data descriptor (bit 3), as streaming writers do. */
  readonly via?: 'buffer' | 'stream';
  readonly compressionLevel?: number;
  readonly zip64?: boolean;
  readonly fileComment?: string;
}

/** A zip written by yazl with its default extended-timestamp extra fields. */
async function writeYazl(file: string, entries: readonly YazlEntry[], end: { comment?: string; zip64?: boolean } = {}): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    const options = {
      mtime: FIXED_MTIME,
      compressionLevel: entry.compressionLevel ?? 6,
      forceZip64Format: entry.zip64 ?? false,
      ...(entry.fileComment ? { fileComment: entry.fileComment } : {}),
    };
    if (entry.via === 'stream') zip.addReadStream(Readable.from([entry.data]), entry.name, options);
    else zip.addBuffer(entry.data, entry.name, options);
  }
  zip.end({ comment: end.comment ?? '', forceZip64Format: end.zip64 ?? false });
  await pipeline(zip.outputStream, createWriteStream(file));
}

function deckAsYazl(spec: DeckSpec, each: (name: string) => Partial<YazlEntry> = () => ({})): YazlEntry[] {
  return [...deckEntries(spec)].map(([name, data]) => ({
    name,
    data: typeof data === 'string' ? Buffer.from(data, 'utf8') : data,
    ...each(name),
  }));
}

// ── the tests ─────────────────────────────────────────────────────────────────────────────

/** `rewritePackage` as the processor calls it: on the reader of the opened deck, which checked the entries. */
async function rewrite(input: string, output: string, plan: RewritePlan, options: RewriteOptions & { readonly limits?: LimitsConfig } = {}) {
  const reader = await openPackage(input, options.limits ?? DEFAULT_CONFIG.limits);
  try {
    return await rewritePackage(reader, output, plan, options.zip64 ? { zip64: options.zip64 } : {});
  } finally {
    await reader.close();
  }
}

describe('rewritePackage › raw copy', () => {
  it('copies every entry it does not replace byte for byte, without recompressing', async (ctx) => {
    // Level 1 deflate: recompressing at any other level would change the raw bytes.
    const input = path.join(dir, 'in.pptx');
    const entries = deckAsYazl(DECK, (name) => ({
      compressionLevel: /\.png$/.test(name) ? 0 : 1,
      ...(name === 'docProps/app.xml' ? { fileComment: 'kept as written' } : {}),
    }));
    await writeYazl(input, entries, { comment: 'Archive comment, kept' });
    const output = path.join(dir, 'out.pptx');
    const slide = entries.find((entry) => entry.name === SLIDE)?.data.toString('utf8') ?? '';
    const replacement = slideWithAltText(slide, 'Cross-section of the heart');

    const result = await rewrite(input, output, { replacements: new Map([[SLIDE, replacement]]) });

    const before = await readArchive(input);
    const after = await readArchive(output);
    expect(after.entries.map((entry) => entry.name)).toEqual(before.entries.map((entry) => entry.name));
    expect(after.comment).toBe('Archive comment, kept');
    for (const [index, original] of before.entries.entries()) {
      const copy = after.entries[index];
      if (!copy) throw new Error(`missing ${original.name}`);
      if (original.name === SLIDE) continue;
      expect(copiedIdentity(copy), original.name).toEqual(copiedIdentity(original));
    }
    expect(before.entries.some((entry) => entry.extraFields.length > 0)).toBe(true);
    expect(after.entries.find((entry) => entry.name === 'docProps/app.xml')?.comment.toString()).toBe('kept as written');

    const replaced = after.entries.find((entry) => entry.name === SLIDE);
    expect(replaced?.content.equals(replacement)).toBe(true);
    expect(replaced?.method).toBe(8);
    expect(result).toEqual({
      copiedEntries: entries.length - 1,
      replacedEntries: 1,
      addedEntries: 0,
      bytesWritten: (await readFile(output)).length,
    });
    await expectJsZipAccepts(output, new Map([[SLIDE, replacement]]));
    expectUnzipAccepts(ctx, output);
    expectPythonAccepts(ctx, output);
  });

  it('keeps stored (method 0) entries stored, and their bytes', async (ctx) => {
    const input = path.join(dir, 'stored.pptx');
    const entries = deckAsYazl(DECK, () => ({ compressionLevel: 0 }));
    await writeYazl(input, entries);
    const output = path.join(dir, 'out.pptx');
    const replacement = Buffer.from('<?xml version="1.0"?><p:sld xmlns:p="urn:x"/>');
    await rewrite(input, output, { replacements: new Map([[SLIDE, replacement]]) });

    const after = await readArchive(output);
    const before = await readArchive(input);
    expect(before.entries.every((entry) => entry.method === 0)).toBe(true);
    for (const entry of after.entries) {
      if (entry.name === SLIDE) {
        expect(entry.method).toBe(8);
        expect(entry.content.equals(replacement)).toBe(true);
      } else {
        expect(entry.method).toBe(0);
        expect(entry.raw.equals(before.entries.find((b) => b.name === entry.name)?.raw ?? Buffer.alloc(0))).toBe(true);
      }
    }
    expectUnzipAccepts(ctx, output);
  });

  it('writes the sizes into the local header when the input used data descriptors', async (ctx) => {
    const input = path.join(dir, 'streamed.pptx');
    const entries = deckAsYazl(DECK, () => ({ via: 'stream' }));
    await writeYazl(input, entries);
    const before = await readArchive(input);
    expect(before.entries.every((entry) => (entry.flags & 0x0008) !== 0)).toBe(true);
    const firstLocal = await readLocalHeader(input, 0);
    expect(firstLocal.compressedSize).toBe(0); // the descriptor holds them

    const output = path.join(dir, 'out.pptx');
    const replacement = Buffer.from('<p:sld xmlns:p="urn:x"/>');
    await rewrite(input, output, { replacements: new Map([[SLIDE, replacement]]) });

    const after = await readArchive(output);
    for (const [index, entry] of after.entries.entries()) {
      expect(entry.flags & 0x0008).toBe(0);
      const { length: _length, ...local } = await readLocalHeader(output, entry.offset);
      expect(local).toEqual({
        flags: entry.flags,
        crc32: entry.crc32,
        compressedSize: entry.compressedSize,
        uncompressedSize: entry.uncompressedSize,
        name: entry.name,
      });
      if (entry.name !== SLIDE) expect(copiedIdentity(entry)).toEqual(copiedIdentity(before.entries[index] as RawEntry));
    }
    // No descriptor bytes are left between entries: each starts where the previous one ends.
    for (let i = 1; i < after.entries.length; i += 1) {
      const previous = after.entries[i - 1] as RawEntry;
      const header = await readLocalHeader(output, previous.offset);
      expect((after.entries[i] as RawEntry).offset).toBe(previous.offset + header.length + previous.compressedSize);
    }
    await expectJsZipAccepts(output, new Map([[SLIDE, replacement]]));
    expectUnzipAccepts(ctx, output);
    expectPythonAccepts(ctx, output);
  });

  it('keeps [Content_Types].xml first and appends additions at the end', async (ctx) => {
    const input = path.join(dir, 'in.pptx');
    await buildDeck(input, DECK);
    const output = path.join(dir, 'out.pptx');
    const types = Buffer.from('<?xml version="1.0"?><Types xmlns="urn:ct"/>');
    const addition = Buffer.from('<?xml version="1.0"?><review>ok</review>');
    const result = await rewrite(input, output, {
      replacements: new Map([[CONTENT_TYPES, types]]),
      additions: new Map([
        ['customXml/altgen-review.xml', addition],
        ['customXml/Überblick.xml', addition],
      ]),
    });
    const after = await readArchive(output);
    const names = after.entries.map((entry) => entry.name);
    expect(names[0]).toBe(CONTENT_TYPES);
    expect(names.slice(-2)).toEqual(['customXml/altgen-review.xml', 'customXml/Überblick.xml']);
    expect(after.entries[0]?.content.equals(types)).toBe(true);
    expect(after.entries.at(-1)?.flags).toBe(0x0800);
    expect(after.entries.at(-1)?.content.equals(addition)).toBe(true);
    expect(result).toMatchObject({ replacedEntries: 1, addedEntries: 2 });
    await expectJsZipAccepts(output, new Map([['customXml/Überblick.xml', addition]]));
    expectUnzipAccepts(ctx, output);
  });

  it('matches replacements case-insensitively and keeps the original name bytes', async () => {
    const input = path.join(dir, 'in.pptx');
    await buildDeck(input, DECK);
    const output = path.join(dir, 'out.pptx');
    await rewrite(input, output, { replacements: new Map([['PPT/Slides/Slide1.xml', Buffer.from('<x/>')]]) });
    const after = await readArchive(output);
    expect(after.entries.find((entry) => entry.name === SLIDE)?.content.toString()).toBe('<x/>');
  });
});

describe('rewritePackage › ZIP64', () => {
  it('reads a ZIP64 input and writes a plain ZIP when no value needs ZIP64', async (ctx) => {
    const input = path.join(dir, 'zip64.pptx');
    await writeYazl(input, deckAsYazl(DECK, () => ({ zip64: true })), { zip64: true });
    const inputBytes = await readFile(input);
    expect(inputBytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x07]))).toBe(true); // a ZIP64 locator

    const output = path.join(dir, 'out.pptx');
    await rewrite(input, output, { replacements: new Map() });
    const outputBytes = await readFile(output);
    expect(outputBytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x07]))).toBe(false);
    const before = await readArchive(input);
    const after = await readArchive(output);
    expect(after.entries.map(copiedIdentity)).toEqual(before.entries.map(copiedIdentity));
    expect(after.entries.every((entry) => entry.extraFields.every((field) => field.id !== 0x0001))).toBe(true);
    expectUnzipAccepts(ctx, output);
    expectPythonAccepts(ctx, output);
  });

  it('writes ZIP64 local, central and end records when asked to', async (ctx) => {
    const input = path.join(dir, 'in.pptx');
    await buildDeck(input, DECK);
    const output = path.join(dir, 'out.pptx');
    const replacement = Buffer.from('<p:sld xmlns:p="urn:x"/>');
    await rewrite(input, output, { replacements: new Map([[SLIDE, replacement]]) }, { zip64: 'always' });

    const bytes = await readFile(output);
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true); // ZIP64 end record
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x07]))).toBe(true); // ZIP64 locator
    const local = await readLocalHeader(output, 0);
    expect(local.compressedSize).toBe(0xffffffff);

    const before = await readArchive(input);
    const after = await readArchive(output);
    for (const [index, entry] of after.entries.entries()) {
      if (entry.name !== SLIDE) expect(copiedIdentity(entry)).toEqual(copiedIdentity(before.entries[index] as RawEntry));
    }
    expect(after.entries.find((entry) => entry.name === SLIDE)?.content.equals(replacement)).toBe(true);
    await expectJsZipAccepts(output, new Map([[SLIDE, replacement]]));
    expectUnzipAccepts(ctx, output);
    expectPythonAccepts(ctx, output);
  });

  // yazl takes minutes over 65,535 entries; Python's zipfile writes them in a second.
  it('switches to ZIP64 by itself when the entry count needs it', async (ctx) => {
    if (!hasPython) ctx.skip('python3 is not installed: it writes the 65,545-entry input');
    const input = path.join(dir, 'many.pptx');
    const deck = path.join(dir, 'deck.pptx');
    await buildDeck(deck, { slides: [{}] });
    const extra = 0xffff + 10;
    const script =
      'import sys, zipfile\n' +
      'with zipfile.ZipFile(sys.argv[1]) as src, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_STORED) as out:\n' +
      '  for info in src.infolist(): out.writestr(info, src.read(info))\n' +
      '  for i in range(int(sys.argv[3])): out.writestr(f"ppt/extra/{i}.txt", bytes([i % 256]))\n';
    const built = spawnSync('python3', ['-c', script, deck, input, String(extra)], { encoding: 'utf8' });
    expect(built.stderr).toBe('');
    const inputBytes = await readFile(input);
    expect(inputBytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x07]))).toBe(true);
    const output = path.join(dir, 'out.pptx');
    const limits = { ...DEFAULT_CONFIG.limits, max_zip_entries: 100_000 };

    await rewrite(input, output, { replacements: new Map([[SLIDE, Buffer.from('<x/>')]]) }, { limits });

    const bytes = await readFile(output);
    const end = bytes.subarray(bytes.length - 22);
    expect(end.readUInt32LE(0)).toBe(0x06054b50);
    expect(end.readUInt16LE(10)).toBe(0xffff);
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x07]))).toBe(true);
    const reader = await openPackage(output, limits);
    try {
      expect(reader.entries.size).toBe(extra + (await readArchive(deck)).entries.length);
      expect((await reader.readBuffer('ppt/extra/300.txt', 1))[0]).toBe(300 % 256);
      expect(await reader.readText(SLIDE)).toBe('<x/>');
    } finally {
      await reader.close();
    }
  });
});

describe('rewritePackage › failures', () => {
  it('removes the partial output when the copy fails midway', async () => {
    const input = path.join(dir, 'in.pptx');
    await buildDeck(input, DECK);
    // Break the local header of the last entry: the central directory still reads fine.
    const before = await readArchive(input);
    const last = before.entries.at(-1) as RawEntry;
    const bytes = await readFile(input);
    bytes.writeUInt32LE(0xdeadbeef, last.offset);
    await writeFile(input, bytes);
    const output = path.join(dir, 'out.pptx');

    const error = await rewrite(input, output, { replacements: new Map() }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(PackageError);
    expect((error as PackageError).code).toBe('ECORRUPT');
    expect(existsSync(output)).toBe(false);
  });

  it('removes the partial output when the input ends inside an entry', async () => {
    const input = path.join(dir, 'in.pptx');
    await buildDeck(input, DECK);
    const before = await readArchive(input);
    const image = before.entries.find((entry) => entry.name.endsWith('.png')) as RawEntry;
    // Claim more compressed bytes than the file holds (and keep stored sizes consistent).
    const bytes = await readFile(input);
    const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    let at = bytes.readUInt32LE(eocd + 16);
    for (;;) {
      const nameLength = bytes.readUInt16LE(at + 28);
      if (bytes.toString('utf8', at + 46, at + 46 + nameLength) === image.name) break;
      at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    }
    bytes.writeUInt32LE(bytes.length, at + 20);
    bytes.writeUInt32LE(bytes.length, at + 24);
    await writeFile(input, bytes);
    const output = path.join(dir, 'out.pptx');
    const error = await rewrite(input, output, { replacements: new Map() }).catch((reason: unknown) => reason);
    expect((error as PackageError).code).toBe('ECORRUPT');
    expect(existsSync(output)).toBe(false);
  });

  it('refuses an input over the limits without creating the output', async () => {
    const input = path.join(dir, 'bomb.pptx');
    await buildZipBomb(input, DEFAULT_CONFIG.limits.compression_ratio_grace_bytes + 1024 * 1024);
    const output = path.join(dir, 'out.pptx');
    await expect(rewrite(input, output, { replacements: new Map() })).rejects.toMatchObject({ code: 'EZIP_LIMITS' });
    expect(existsSync(output)).toBe(false);
  });

  it('refuses to write over its input', async () => {
    const input = path.join(dir, 'in.pptx');
    await buildDeck(input, DECK);
    const original = await readFile(input);
    await expect(rewrite(input, input, { replacements: new Map() })).rejects.toMatchObject({ code: 'EOUTPUT' });
    expect((await readFile(input)).equals(original)).toBe(true);
  });

  it('rejects a plan that names a missing part or adds an existing one, writing nothing', async () => {
    const input = path.join(dir, 'in.pptx');
    await buildDeck(input, DECK);
    const output = path.join(dir, 'out.pptx');
    await expect(rewrite(input, output, { replacements: new Map([['ppt/slides/slide9.xml', Buffer.from('')]]) })).rejects.toThrow(
      /no part ppt\/slides\/slide9\.xml/,
    );
    await expect(
      rewrite(input, output, { replacements: new Map(), additions: new Map([['PPT/slides/slide1.xml', Buffer.from('')]]) }),
    ).rejects.toThrow(/exists/);
    await expect(rewrite(input, output, { replacements: new Map(), additions: new Map([['../evil.xml', Buffer.from('')]]) })).rejects.toThrow(
      /cannot add/,
    );
    expect(existsSync(output)).toBe(false);
  });

  it.skipIf(!existsSync('/proc/self/fd'))('closes every file it opens, whether it succeeds or fails', async () => {
    const good = path.join(dir, 'in.pptx');
    await buildDeck(good, DECK);
    const bad = path.join(dir, 'bad.pptx');
    const bytes = await readFile(good);
    bytes.writeUInt32LE(0xdeadbeef, (await readArchive(good)).entries.at(-1)?.offset ?? 0);
    await writeFile(bad, bytes);
    const before = (await readdir('/proc/self/fd')).length;
    for (let round = 0; round < 10; round += 1) {
      await rewrite(good, path.join(dir, `out-${round}.pptx`), { replacements: new Map() });
      await rewrite(bad, path.join(dir, `bad-${round}.pptx`), { replacements: new Map() }).catch(() => undefined);
    }
    expect((await readdir('/proc/self/fd')).length).toBeLessThanOrEqual(before);
  });

  it('reports an output it cannot write as EOUTPUT', async () => {
    const input = path.join(dir, 'in.pptx');
    await buildDeck(input, DECK);
    await mkdir(path.join(dir, 'taken.pptx'));
    await expect(rewrite(input, path.join(dir, 'taken.pptx'), { replacements: new Map() })).rejects.toMatchObject({ code: 'EOUTPUT' });
    expect((await readdir(path.join(dir, 'taken.pptx'))).length).toBe(0);
  });
});

describe('isSigned', () => {
  async function signedCheck(edit: (entries: Map<string, string | Buffer>) => void): Promise<boolean> {
    const file = path.join(dir, `deck-${Math.random().toString(36).slice(2)}.pptx`);
    const entries = deckEntries(DECK);
    edit(entries);
    await writeZip(file, entries);
    const reader = await openPackage(file, DEFAULT_CONFIG.limits);
    try {
      return await isSigned(reader);
    } finally {
      await reader.close();
    }
  }

  it('is false for an unsigned deck', async () => {
    expect(await signedCheck(() => undefined)).toBe(false);
  });

  it('finds _xmlsignatures parts', async () => {
    expect(await signedCheck((entries) => entries.set('_xmlsignatures/sig1.xml', '<Signature/>'))).toBe(true);
  });

  it('finds a digital-signature origin relationship from the package root', async () => {
    const origin =
      '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/origin" Target="_xmlsignatures/origin.sigs"/>';
    expect(
      await signedCheck((entries) => {
        const rels = entries.get('_rels/.rels') as string;
        entries.set('_rels/.rels', rels.replace('</Relationships>', `${origin}</Relationships>`));
        entries.set('_XMLSignatures/origin.sigs', '');
      }),
    ).toBe(true);
    expect(
      await signedCheck((entries) => {
        const rels = entries.get('_rels/.rels') as string;
        entries.set('_rels/.rels', rels.replace('</Relationships>', `${origin}</Relationships>`));
      }),
    ).toBe(true);
  });
});

describe('rewritePackage › LibreOffice', () => {
  it('writes a deck LibreOffice converts to PDF, and reads the new alt text from', { timeout: 180_000 }, async (ctx) => {
    if (!hasSoffice) ctx.skip('LibreOffice (soffice) is not installed');
    const input = path.join(dir, 'lecture.pptx');
    await buildDeck(input, DECK);
    const reader = await openPackage(input, DEFAULT_CONFIG.limits);
    const slide = await reader.readText(SLIDE);
    await reader.close();
    const output = path.join(dir, 'lecture-accessible.pptx');
    await rewrite(input, output, {
      replacements: new Map([[SLIDE, slideWithAltText(slide, 'Cross-section of the heart showing four chambers')]]),
    });

    const convert = (format: string, outDir: string) =>
      spawnSync(
        'soffice',
        [`-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--headless', '--convert-to', format, '--outdir', outDir, output],
        { encoding: 'utf8', timeout: 150_000 },
      );
    const pdf = convert('pdf', path.join(dir, 'pdf'));
    expect(pdf.status, pdf.stderr).toBe(0);
    const pdfBytes = await readFile(path.join(dir, 'pdf', 'lecture-accessible.pdf'));
    expect(pdfBytes.subarray(0, 5).toString()).toBe('%PDF-');

    const odp = convert('odp', path.join(dir, 'odp'));
    expect(odp.status, odp.stderr).toBe(0);
    const content = await (await JSZip.loadAsync(await readFile(path.join(dir, 'odp', 'lecture-accessible.odp')))).file('content.xml')?.async('string');
    expect(content).toContain('Cross-section of the heart showing four chambers');
    expect(content).toContain('A labelled heart');
  });
});

describe('rewritePackage › bytes after the end record (issue 11)', () => {
  const COMMENT = 'Archive comment, kept';

  /** The end record of a zip written with COMMENT, its comment length field set to `stated`. */
  function restate(zip: Buffer, stated: number): Buffer {
    const record = zip.length - 22 - COMMENT.length;
    expect(zip.readUInt32LE(record)).toBe(0x06054b50);
    const copy = Buffer.from(zip);
    copy.writeUInt16LE(stated, record + 20);
    return copy;
  }

  const variants: [string, (zip: Buffer) => Buffer, string][] = [
    ['one stray byte', (zip) => Buffer.concat([zip, Buffer.from([0x0a])]), COMMENT],
    ['several stray bytes', (zip) => Buffer.concat([zip, Buffer.from('\0\0\r\nleft by a download tool')]), COMMENT],
    ['a comment length longer than the bytes present', (zip) => restate(zip, COMMENT.length + 100), COMMENT],
    ['a comment length shorter than the bytes present', (zip) => restate(zip, 7), COMMENT.slice(0, 7)],
  ];

  for (const zip64 of [false, true]) {
    for (const [name, damage, comment] of variants) {
      it(`writes a valid copy of a ${zip64 ? 'ZIP64 ' : ''}deck with ${name}: every entry byte-identical, the stray bytes dropped`, async (ctx) => {
        const intact = path.join(dir, 'intact.pptx');
        await writeYazl(intact, deckAsYazl(DECK, () => ({ zip64 })), { comment: COMMENT, zip64 });
        const input = path.join(dir, 'in.pptx');
        await writeFile(input, damage(await readFile(intact)));

        const output = path.join(dir, 'out.pptx');
        const result = await rewrite(input, output, { replacements: new Map() });

        const before = await readArchive(intact);
        const after = await readArchive(output);
        expect(after.entries.map(copiedIdentity)).toEqual(before.entries.map(copiedIdentity));
        expect(after.comment).toBe(comment);
        const bytes = await readFile(output);
        expect(bytes.length).toBe(result.bytesWritten);
        // The end record, then exactly the comment: nothing after it.
        expect(bytes.readUInt32LE(bytes.length - 22 - comment.length)).toBe(0x06054b50);
        expect(bytes.readUInt16LE(bytes.length - 2 - comment.length)).toBe(comment.length);
        // Python's zipfile reads the damaged input too (as Office does), and the copy.
        expectPythonAccepts(ctx, input);
        expectUnzipAccepts(ctx, output);
        expectPythonAccepts(ctx, output);
      });
    }
  }
});
