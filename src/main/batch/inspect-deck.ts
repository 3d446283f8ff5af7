import { open, type FileHandle } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import type { DeckInspection } from '../../shared/batch-types';
import type { LimitsConfig } from '../../shared/config-schema';
import type { ItemErrorCode } from '../../shared/error-codes';

/**
 * The dry-run check of one deck, without processing it.
 *
 * Guarantees:
 * - The input is only read. Every file descriptor it opens is closed before it resolves,
 *   whatever the outcome.
 * - Reading is bounded by `LimitsConfig`, checked on the ZIP central directory before any
 *   entry is inflated; an entry that inflates beyond its declared size is refused.
 * - It reads the head of every XML part (`.xml`, `.rels`, `.vml`) to refuse DOCTYPE/ENTITY
 *   declarations, and all of `ppt/presentation.xml`, its relationships and every slide part.
 * - Every problem becomes one outcome with a stable code and a one-line message.
 *
 * Not guaranteed: the counts come from a tag scan, not a validating parse. Well-formedness,
 * schema validity and pictures in parts other than slides (layouts, masters, notes) are not
 * checked; the processor finds what the scan cannot.
 *
 * Status mapping: the file is `skipped` for ELEGACY_FORMAT (nothing is wrong with it, it just
 * needs File › Save As .pptx first); every other problem is `failed`, since the user must
 * fix or replace the file (ENOT_FOUND, EUNREADABLE, EEMPTY, ENOT_ZIP, EENCRYPTED,
 * ECORRUPT, EZIP_LIMITS, ENOT_PRESENTATION, EUNSAFE_XML).
 */

export type InspectionOutcome =
  | { readonly ok: true; readonly inspection: DeckInspection }
  | {
      readonly ok: false;
      readonly status: 'failed' | 'skipped';
      readonly code: ItemErrorCode;
      readonly message: string;
    };

export interface InspectOptions {
  /**
   * Whether a picture with this `descr` still needs alt text. The default counts only an
   * absent or blank `descr`; pass the alt-text classifier to count weak text as missing too.
   */
  readonly needsAltText?: (descr: string) => boolean;
}

export async function inspectDeck(
  path: string,
  limits: LimitsConfig,
  options: InspectOptions = {},
): Promise<InspectionOutcome> {
  try {
    await sniffContainer(path);
    const inspection = await inspectPackage(path, limits, options.needsAltText ?? isBlank);
    return { ok: true, inspection };
  } catch (error) {
    if (!(error instanceof InspectionProblem)) throw error;
    return {
      ok: false,
      status: error.code === 'ELEGACY_FORMAT' ? 'skipped' : 'failed',
      code: error.code,
      message: error.message.replace(/\s+/g, ' ').trim(),
    };
  }
}

class InspectionProblem extends Error {
  constructor(
    readonly code: ItemErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function isBlank(descr: string): boolean {
  return descr.trim() === '';
}

// ── container sniffing ────────────────────────────────────────────────────────────────────

const ZIP_MAGICS = [
  Buffer.from([0x50, 0x4b, 0x03, 0x04]), // a local file header: any non-empty zip
  Buffer.from([0x50, 0x4b, 0x05, 0x06]), // an end-of-central-directory record: an empty zip
];
const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const SNIFF_BYTES = 512;

export const LEGACY_PPT_ADVICE =
  'open it in PowerPoint and use File › Save As › PowerPoint Presentation (.pptx), then add the .pptx';

async function sniffContainer(path: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw fileProblem(error);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new InspectionProblem('EUNREADABLE', 'Cannot read it: it is a folder, not a file.');
    if (!stat.isFile()) throw new InspectionProblem('EUNREADABLE', 'Cannot read it: it is not a regular file.');
    if (stat.size === 0) throw new InspectionProblem('EEMPTY', 'The file is empty (0 bytes): copy it again from its source.');
    const head = Buffer.alloc(Math.min(SNIFF_BYTES, stat.size));
    await handle.read(head, 0, head.length, 0);
    if (ZIP_MAGICS.some((magic) => head.subarray(0, 4).equals(magic))) return;
    if (head.subarray(0, 8).equals(CFB_MAGIC)) throw await compoundFileProblem(handle, stat.size);
    throw new InspectionProblem('ENOT_ZIP', `Not a PowerPoint file: it is not a ZIP package (${describeContent(head)}).`);
  } catch (error) {
    throw error instanceof InspectionProblem ? error : fileProblem(error);
  } finally {
    await handle.close();
  }
}

function fileProblem(error: unknown): InspectionProblem {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new InspectionProblem('ENOT_FOUND', 'File not found: it was moved or deleted.');
  if (code === 'EACCES' || code === 'EPERM') {
    return new InspectionProblem('EUNREADABLE', 'Cannot read it: permission denied. Check the file’s sharing and permissions.');
  }
  if (code === 'EISDIR') return new InspectionProblem('EUNREADABLE', 'Cannot read it: it is a folder, not a file.');
  const reason = error instanceof Error ? error.message : String(error);
  return new InspectionProblem('EUNREADABLE', `Cannot read it: ${reason}.`);
}

function describeContent(head: Buffer): string {
  const ascii = head.toString('latin1');
  if (ascii.startsWith('%PDF')) return 'looks like a PDF document';
  if (/^(\x89PNG|\xff\xd8\xff|GIF8)/.test(ascii)) return 'looks like an image';
  if (ascii.startsWith('{\\rtf')) return 'looks like an RTF document';
  if (ascii.startsWith('PK')) return 'looks like a damaged or unusual ZIP file';
  const control = head.some((byte) => (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f);
  if (control) return 'unrecognised binary content';
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  if (/^\s*<(!doctype html|html)/i.test(text)) return 'looks like a web page';
  if (/^\s*</.test(text)) return 'looks like XML text';
  return 'looks like text';
}

async function compoundFileProblem(handle: FileHandle, size: number): Promise<InspectionProblem> {
  let names: ReadonlySet<string>;
  try {
    names = await readCompoundFileNames(handle, size);
  } catch {
    names = await scanForCompoundFileNames(handle, size);
  }
  if (names.has('EncryptedPackage')) {
    return new InspectionProblem(
      'EENCRYPTED',
      'Password-protected: remove the password in PowerPoint (File › Info › Protect Presentation) and save a copy.',
    );
  }
  if (names.has('WordDocument')) {
    return new InspectionProblem('ELEGACY_FORMAT', 'A Word 97–2003 document, not a PowerPoint presentation.');
  }
  if (names.has('Workbook') || names.has('Book')) {
    return new InspectionProblem('ELEGACY_FORMAT', 'An Excel 97–2003 workbook, not a PowerPoint presentation.');
  }
  return new InspectionProblem('ELEGACY_FORMAT', `Legacy PowerPoint 97–2003 file: ${LEGACY_PPT_ADVICE}.`);
}

const CFB_END_OF_CHAIN = 0xfffffffe;
const CFB_MAX_REGULAR_SECTOR = 0xfffffffa;

/**
 * The names in a compound file's directory, read by following its FAT chains (header, DIFAT,
 * FAT, directory). Office puts the directory anywhere, often after a large EncryptedPackage,
 * so scanning the head of the file is not enough.
 */
async function readCompoundFileNames(handle: FileHandle, size: number): Promise<Set<string>> {
  const header = await readAt(handle, 0, 512);
  const sectorShift = header.readUInt16LE(0x1e);
  if (sectorShift !== 9 && sectorShift !== 12) throw new Error('bad sector size');
  const sectorSize = 1 << sectorShift;
  const idsPerSector = sectorSize / 4;
  const maxSectors = Math.ceil(size / sectorSize) + 1;
  const sector = (id: number) => {
    if (id > CFB_MAX_REGULAR_SECTOR || (id + 1) * sectorSize >= size) throw new Error('sector out of range');
    return readAt(handle, (id + 1) * sectorSize, sectorSize);
  };

  const fatSectorIds: number[] = [];
  const fatSectorCount = header.readUInt32LE(0x2c);
  for (let i = 0; i < Math.min(109, fatSectorCount); i += 1) fatSectorIds.push(header.readUInt32LE(0x4c + i * 4));
  let difat = header.readUInt32LE(0x44);
  for (let hops = 0; fatSectorIds.length < fatSectorCount && difat !== CFB_END_OF_CHAIN; hops += 1) {
    if (hops > maxSectors) throw new Error('DIFAT loop');
    const block = await sector(difat);
    for (let i = 0; i < idsPerSector - 1 && fatSectorIds.length < fatSectorCount; i += 1) {
      fatSectorIds.push(block.readUInt32LE(i * 4));
    }
    difat = block.readUInt32LE(sectorSize - 4);
  }

  const fatCache = new Map<number, Buffer>();
  const nextSector = async (id: number) => {
    const fatIndex = Math.floor(id / idsPerSector);
    const fatSectorId = fatSectorIds[fatIndex];
    if (fatSectorId === undefined) throw new Error('FAT too short');
    let block = fatCache.get(fatIndex);
    if (!block) {
      block = await sector(fatSectorId);
      fatCache.set(fatIndex, block);
    }
    return block.readUInt32LE((id % idsPerSector) * 4);
  };

  const names = new Set<string>();
  let current = header.readUInt32LE(0x30);
  for (let hops = 0; current !== CFB_END_OF_CHAIN; hops += 1) {
    if (hops > maxSectors) throw new Error('directory loop');
    const block = await sector(current);
    for (let at = 0; at + 128 <= sectorSize; at += 128) {
      const type = block[at + 0x42];
      const nameBytes = Math.min(64, block.readUInt16LE(at + 0x40));
      if ((type === 1 || type === 2 || type === 5) && nameBytes >= 2) {
        names.add(block.toString('utf16le', at, at + nameBytes - 2));
      }
    }
    current = await nextSector(current);
  }
  return names;
}

/** Fallback for a damaged compound file: look for the stream names in its first 512 KB. */
async function scanForCompoundFileNames(handle: FileHandle, size: number): Promise<Set<string>> {
  const head = await readAt(handle, 0, Math.min(size, 512 * 1024));
  const names = ['EncryptedPackage', 'PowerPoint Document', 'WordDocument', 'Workbook'];
  return new Set(names.filter((name) => head.includes(Buffer.from(name, 'utf16le'))));
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  if (bytesRead < length) throw new Error('unexpected end of file');
  return buffer;
}

// ── the ZIP package ───────────────────────────────────────────────────────────────────────

/** Compression ratios are only judged for entries that inflate beyond this. */
const RATIO_CHECK_MIN_BYTES = 1024 * 1024;
const XML_PART = /\.(xml|rels|vml)$/i;
const PRESENTATION_PART = 'ppt/presentation.xml';

type Entries = ReadonlyMap<string, Entry>;

async function inspectPackage(
  path: string,
  limits: LimitsConfig,
  needsAltText: (descr: string) => boolean,
): Promise<DeckInspection> {
  let zipfile: ZipFile;
  try {
    zipfile = await yauzl.openPromise(path, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: true,
      validateEntrySizes: true,
      strictFileNames: false,
    });
  } catch (error) {
    throw corruptProblem(error);
  }
  // Errors after the listing (e.g. while closing) must not become uncaught exceptions.
  zipfile.on('error', () => undefined);
  try {
    if (zipfile.entryCount > limits.max_zip_entries) {
      throw new InspectionProblem(
        'EZIP_LIMITS',
        `Too many parts: the package has ${zipfile.entryCount} ZIP entries, the limit is ${limits.max_zip_entries}.`,
      );
    }
    const entries = await listEntries(zipfile, limits);
    const presentation = entries.get(PRESENTATION_PART);
    if (!presentation) throw notPresentationProblem(entries);

    const slideIds = new SlideIdCollector();
    await scanPart(zipfile, presentation, slideIds);
    const slideParts = await resolveSlideParts(zipfile, entries, slideIds.relationshipIds);
    const pictures = new PictureCounter(needsAltText);
    for (const slide of slideParts) await scanPart(zipfile, slide, pictures);

    const scanned = new Set<Entry>([presentation, ...slideParts]);
    for (const entry of entries.values()) {
      if (XML_PART.test(entry.fileName) && !scanned.has(entry)) await scanPart(zipfile, entry, null);
    }
    let uncompressedBytes = 0;
    for (const entry of entries.values()) uncompressedBytes += entry.uncompressedSize;
    return {
      slides: slideIds.count,
      pictures: pictures.pictures,
      pictures_missing_alt: pictures.missingAlt,
      entries: entries.size,
      uncompressed_bytes: uncompressedBytes,
    };
  } finally {
    await closeZip(zipfile);
  }
}

/** Reads the central directory, enforcing the limits before anything is inflated. */
function listEntries(zipfile: ZipFile, limits: LimitsConfig): Promise<Entries> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, Entry>();
    let totalBytes = 0;
    const fail = (error: unknown) => {
      zipfile.removeAllListeners('entry');
      zipfile.removeAllListeners('end');
      reject(error instanceof InspectionProblem ? error : corruptProblem(error));
    };
    zipfile.on('entry', (entry: Entry) => {
      try {
        checkEntry(entry, entries, limits);
        totalBytes += entry.uncompressedSize;
        if (totalBytes > limits.max_uncompressed_bytes) {
          throw new InspectionProblem(
            'EZIP_LIMITS',
            `Too large once unpacked: more than ${formatBytes(limits.max_uncompressed_bytes)} in total (the limit).`,
          );
        }
        entries.set(entry.fileName.toLowerCase(), entry);
        zipfile.readEntry();
      } catch (error) {
        fail(error);
      }
    });
    zipfile.once('end', () => {
      try {
        checkNoOverlap(entries);
        resolve(entries);
      } catch (error) {
        fail(error);
      }
    });
    zipfile.once('error', fail);
    zipfile.readEntry();
  });
}

function checkEntry(entry: Entry, seen: ReadonlyMap<string, Entry>, limits: LimitsConfig): void {
  const name = entry.fileName;
  // Part names are case-insensitive in a package, so `A.xml` and `a.xml` are the same part.
  if (seen.has(name.toLowerCase())) {
    throw new InspectionProblem('ECORRUPT', `Damaged package: the part ${name} appears twice (duplicate ZIP entries).`);
  }
  if (entry.uncompressedSize > limits.max_entry_uncompressed_bytes) {
    throw new InspectionProblem(
      'EZIP_LIMITS',
      `Too large once unpacked: ${name} inflates to ${formatBytes(entry.uncompressedSize)}, ` +
        `the limit per part is ${formatBytes(limits.max_entry_uncompressed_bytes)}.`,
    );
  }
  if (entry.uncompressedSize > RATIO_CHECK_MIN_BYTES) {
    const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
    if (ratio > limits.max_compression_ratio) {
      throw new InspectionProblem(
        'EZIP_LIMITS',
        `Suspicious compression (a possible zip bomb): ${name} inflates ${Math.round(ratio)}:1, ` +
          `the limit is ${limits.max_compression_ratio}:1.`,
      );
    }
  }
}

/** Entries whose data overlap are a zip-bomb technique and never written by Office. */
function checkNoOverlap(entries: Entries): void {
  const byOffset = [...entries.values()].sort((a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader);
  for (let i = 1; i < byOffset.length; i += 1) {
    const previous = byOffset[i - 1];
    const current = byOffset[i];
    if (!previous || !current) continue;
    const previousEnd =
      previous.relativeOffsetOfLocalHeader + 30 + previous.fileNameLength + previous.compressedSize;
    if (current.relativeOffsetOfLocalHeader < previousEnd) {
      throw new InspectionProblem(
        'ECORRUPT',
        `Damaged package: the ZIP entries ${previous.fileName} and ${current.fileName} overlap.`,
      );
    }
  }
}

function notPresentationProblem(entries: Entries): InspectionProblem {
  const kind = entries.has('word/document.xml')
    ? ' (it looks like a Word document)'
    : entries.has('xl/workbook.xml')
      ? ' (it looks like an Excel workbook)'
      : '';
  return new InspectionProblem(
    'ENOT_PRESENTATION',
    `Not a PowerPoint presentation: the package has no ${PRESENTATION_PART}${kind}.`,
  );
}

function corruptProblem(error: unknown): InspectionProblem {
  if (error instanceof InspectionProblem) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new InspectionProblem('ECORRUPT', `Damaged file: ${explainZipError(reason)}. Use an intact copy of the deck.`);
}

/** yauzl's messages, in words a faculty member can act on (yauzl's own text in brackets). */
function explainZipError(reason: string): string {
  const known: [RegExp, string][] = [
    [/end of central directory record signature not found|unexpected EOF|overflows file bounds/i, 'the file is incomplete, probably cut off during a download or copy'],
    [/central directory|local file header signature|zip64/i, 'its ZIP structure is broken'],
    [/invalid relative path|absolute path|invalid characters in fileName/i, 'a part has an unsafe name'],
    [/too many bytes in the stream/i, 'a part inflates beyond its declared size'],
    [/not enough bytes in the stream|invalid (stored|distance|block|code)|incorrect header check|unexpected end of file/i, 'a part’s compressed data is damaged'],
    [/unsupported compression method|encrypted/i, 'a part is stored in a way PowerPoint does not write (unsupported compression or ZIP encryption)'],
    [/multi-disk/i, 'it is one piece of a multi-part archive'],
  ];
  const match = known.find(([pattern]) => pattern.test(reason));
  const detail = (reason.split(/\.\s/)[0] ?? reason).replace(/\.$/, '');
  return `${match ? match[1] : 'its ZIP structure is broken'} (zip: ${detail})`;
}

function closeZip(zipfile: ZipFile): Promise<void> {
  if (!zipfile.isOpen) return Promise.resolve();
  return new Promise((resolve) => {
    zipfile.once('close', () => resolve());
    zipfile.close();
  });
}

/** Targets of the presentation's slide relationships, in slide order. */
async function resolveSlideParts(zipfile: ZipFile, entries: Entries, slideRelIds: readonly string[]): Promise<Entry[]> {
  if (slideRelIds.length === 0) return [];
  const relsName = 'ppt/_rels/presentation.xml.rels';
  const rels = entries.get(relsName);
  if (!rels) throw new InspectionProblem('ECORRUPT', `Damaged package: ${relsName} is missing, so its slides cannot be found.`);
  const targets = new RelationshipCollector();
  await scanPart(zipfile, rels, targets);
  return slideRelIds.map((id, index) => {
    const target = targets.byId.get(id);
    const entry = target === undefined ? undefined : entries.get(resolvePartName('ppt', target).toLowerCase());
    if (!entry) {
      throw new InspectionProblem(
        'ECORRUPT',
        `Damaged package: slide ${index + 1} is listed in the presentation but its part ${target ?? `(relationship ${id})`} is missing.`,
      );
    }
    return entry;
  });
}

function resolvePartName(sourceFolder: string, target: string): string {
  let decoded = target;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    // a target with a stray % is used as written
  }
  return decoded.startsWith('/') ? decoded.slice(1) : posix.normalize(posix.join(sourceFolder, decoded));
}

// ── XML scanning ──────────────────────────────────────────────────────────────────────────

interface TagHandler {
  open(localName: string, attributes: string): void;
  /** Also called right after `open` for a self-closing element. */
  close(localName: string): void;
}

/** A construct (tag, comment) longer than this is refused rather than buffered. */
const MAX_MARKUP_CHARS = 8 * 1024 * 1024;
const TAG = /<(\/?)([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;

/**
 * Streams one part through a tag scanner. With a handler the whole part is read; without,
 * reading stops at the root element, which is past where a DOCTYPE could be.
 */
async function scanPart(zipfile: ZipFile, entry: Entry, handler: TagHandler | null): Promise<void> {
  const scanner = new XmlTagScanner(entry.fileName, handler);
  let stream: Readable | undefined;
  try {
    stream = await zipfile.openReadStreamPromise(entry);
    let decoder: TextDecoder | undefined;
    let inflated = 0;
    let finished = false;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      inflated += chunk.length;
      if (inflated > entry.uncompressedSize) throw corruptProblem(new Error('too many bytes in the stream'));
      decoder ??= new TextDecoder(detectEncoding(chunk));
      if (scanner.push(decoder.decode(chunk, { stream: true }))) {
        finished = true;
        break;
      }
    }
    if (!finished) {
      scanner.push(decoder?.decode() ?? '');
      scanner.end();
    }
  } catch (error) {
    throw corruptProblem(error);
  } finally {
    stream?.destroy();
  }
}

function detectEncoding(head: Buffer): string {
  const [a, b] = [head[0], head[1]];
  if ((a === 0xff && b === 0xfe) || (a === 0x3c && b === 0x00)) return 'utf-16le';
  if ((a === 0xfe && b === 0xff) || (a === 0x00 && b === 0x3c)) return 'utf-16be';
  return 'utf-8';
}

class XmlTagScanner {
  private pending = '';
  private done = false;

  constructor(
    private readonly part: string,
    private readonly handler: TagHandler | null,
  ) {}

  /** Feeds decoded text; returns true once no more text is needed. */
  push(text: string): boolean {
    if (this.done) return true;
    const buffer = this.pending + text;
    let at = 0;
    for (;;) {
      const start = buffer.indexOf('<', at);
      if (start < 0) {
        this.pending = '';
        return false;
      }
      const end = this.consume(buffer, start);
      if (end < 0) {
        this.pending = buffer.slice(start);
        if (this.pending.length > MAX_MARKUP_CHARS) throw this.malformed('a single tag or comment is too long');
        return false;
      }
      if (this.done) return true;
      at = end;
    }
  }

  end(): void {
    if (!this.done && this.pending.includes('<')) throw this.malformed('it ends inside a tag');
  }

  /** Handles the markup at `start`; returns the index after it, or -1 if it is incomplete. */
  private consume(buffer: string, start: number): number {
    const closeOf = (opener: string, closer: string) => {
      if (!buffer.startsWith(opener, start)) return null;
      const close = buffer.indexOf(closer, start + opener.length);
      return close < 0 ? -1 : close + closer.length;
    };
    const skipped = closeOf('<!--', '-->') ?? closeOf('<![CDATA[', ']]>') ?? closeOf('<?', '?>');
    if (skipped !== null) return skipped;
    if (buffer.startsWith('<!', start)) {
      const head = buffer.slice(start, start + 9);
      if (/^<!(DOCTYPE|ENTITY)/i.test(head)) {
        throw new InspectionProblem(
          'EUNSAFE_XML',
          `Unsafe content: the part ${this.part} declares a DOCTYPE, which decks never need; the file was refused.`,
        );
      }
      if (head.length < 9) return -1;
      throw this.malformed('it has an unknown <! declaration');
    }
    TAG.lastIndex = start;
    const match = TAG.exec(buffer);
    if (!match) return -1;
    const [whole, slash, name = '', attributes = '', selfClosing] = match;
    const localName = name.slice(name.indexOf(':') + 1);
    if (!this.handler) {
      this.done = true;
    } else if (slash) {
      this.handler.close(localName);
    } else {
      this.handler.open(localName, attributes);
      if (selfClosing === '/') this.handler.close(localName);
    }
    return start + whole.length;
  }

  private malformed(why: string): InspectionProblem {
    return new InspectionProblem('ECORRUPT', `Damaged file: the part ${this.part} is not valid XML (${why}).`);
  }
}

/** The value of the attribute with this local name (any prefix, or the one with `prefix`). */
function attribute(attributes: string, localName: string, prefixed = false): string | null {
  const prefix = prefixed ? '[^\\s=/>:]+:' : '';
  const match = new RegExp(`(?:^|\\s)${prefix}${localName}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attributes);
  if (!match) return null;
  return decodeEntities(match[1] ?? match[2] ?? '');
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (entity: string, body: string) => {
    if (body[0] !== '#') return named[body.toLowerCase()] ?? entity;
    const codePoint = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : entity;
  });
}

/**
 * Counts `sldId` in the presentation's `sldIdLst`. Extension lists are skipped: PowerPoint's
 * sections (`p14:sectionLst`) repeat every slide as `p14:sldId`.
 */
class SlideIdCollector implements TagHandler {
  count = 0;
  readonly relationshipIds: string[] = [];
  private extensionDepth = 0;

  open(name: string, attributes: string): void {
    if (name === 'extLst' || this.extensionDepth > 0) {
      this.extensionDepth += 1;
      return;
    }
    if (name !== 'sldId') return;
    this.count += 1;
    const id = attribute(attributes, 'id', true);
    if (id !== null) this.relationshipIds.push(id);
  }

  close(): void {
    if (this.extensionDepth > 0) this.extensionDepth -= 1;
  }
}

class RelationshipCollector implements TagHandler {
  readonly byId = new Map<string, string>();

  open(name: string, attributes: string): void {
    if (name !== 'Relationship' || attribute(attributes, 'TargetMode') === 'External') return;
    const id = attribute(attributes, 'Id');
    const target = attribute(attributes, 'Target');
    if (id !== null && target !== null) this.byId.set(id, target);
  }

  close(): void {}
}

interface OpenPicture {
  descr: string;
  decorative: boolean;
  inNonVisualProps: boolean;
  nonVisualPropsSeen: boolean;
}

/**
 * Counts `pic` elements (also inside groups and `mc:Choice`) and those that still need alt
 * text: no non-blank `descr` on their `cNvPr`, and not marked `adec:decorative val="1"`.
 * `mc:Fallback` content is skipped, since it repeats what `mc:Choice` holds.
 */
class PictureCounter implements TagHandler {
  pictures = 0;
  missingAlt = 0;
  private fallbackDepth = 0;
  private picture: OpenPicture | null = null;

  constructor(private readonly needsAltText: (descr: string) => boolean) {}

  open(name: string, attributes: string): void {
    if (this.fallbackDepth > 0 || name === 'Fallback') {
      this.fallbackDepth += 1;
      return;
    }
    const picture = this.picture;
    if (name === 'pic') {
      this.picture = { descr: '', decorative: false, inNonVisualProps: false, nonVisualPropsSeen: false };
    } else if (picture && name === 'cNvPr' && !picture.nonVisualPropsSeen) {
      picture.descr = attribute(attributes, 'descr') ?? '';
      picture.inNonVisualProps = true;
      picture.nonVisualPropsSeen = true;
    } else if (picture?.inNonVisualProps && name === 'decorative') {
      const value = attribute(attributes, 'val');
      if (value === '1' || value === 'true') picture.decorative = true;
    }
  }

  close(name: string): void {
    if (this.fallbackDepth > 0) {
      this.fallbackDepth -= 1;
      return;
    }
    const picture = this.picture;
    if (!picture) return;
    if (name === 'cNvPr') picture.inNonVisualProps = false;
    if (name !== 'pic') return;
    this.pictures += 1;
    if (!picture.decorative && this.needsAltText(picture.descr)) this.missingAlt += 1;
    this.picture = null;
  }
}

function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} ${units[0]}` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
