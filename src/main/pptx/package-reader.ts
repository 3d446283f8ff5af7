import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { crc32, createInflateRaw, inflateRaw, inflateRawSync, type ZlibOptions } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import type { LimitsConfig } from '../../shared/config-schema';
import { openRegularFile, openRegularFileSync, sniffOpenFile } from './container-sniffer';
import { readAt, readInto, type DeckFile } from './file-reads';
import { corruptError, fileProblem, formatBytes, isFileSystemError, PackageError } from './package-error';
import { decodeWholePart, DeclarationGuard, PartDecoder, type TextPart } from './part-text';

/**
 * The bounded ZIP layer under the deck model (deck.ts): every read of a deck goes through it.
 *
 * Guarantees:
 * - The container is sniffed by magic bytes first (container-sniffer.ts): a password-protected
 *   deck (a CFB container holding `EncryptedPackage`), a legacy `.ppt` and non-ZIP files are
 *   reported as such.
 * - The end record is found as Python's zipfile, Office and LibreOffice find it: bytes after
 *   it, or a comment length that disagrees with them, do not make an intact deck "damaged";
 *   the archive is what the record delimits (`locateArchiveEnd`), and the search is bounded.
 * - The central directory is checked against `LimitsConfig` before anything is inflated:
 *   entry count, per-entry and total inflated size, compression ratio (past a grace size),
 *   duplicate part names (case-insensitive, as part names are), unsafe names (`../`,
 *   absolute, drive letters; also a raw name hidden behind an Info-ZIP Unicode Path field) and
 *   entries whose data overlap.
 * - Every local header agrees with its central record on what makes the entry (name, method,
 *   compressed size and, unless they follow the data, CRC-32), so that a reader going by the
 *   local headers finds the same parts with the same bytes as we do.
 * - Every read is bounded: an entry that inflates beyond its declared size is refused, and
 *   nothing holds more than the one part that was asked for. An entry read to its end must
 *   have inflated to exactly its declared size and CRC-32.
 * - Every text read (`readText`, `readTextPart`, `streamText`) goes through the one codec of
 *   part text (part-text.ts): strict UTF-8 or UTF-16, DOCTYPE and ENTITY refused.
 *   `refuseDeclarations` applies that to the prolog of every XML part at once.
 * - Every problem is a `PackageError` (package-error.ts) with a stable code and a one-line
 *   message.
 *
 * Not guaranteed: CRCs are checked only for entries read in full, and nothing here parses
 * XML beyond the declaration check; well-formedness is the caller's parser's business.
 */

/** One ZIP entry as its central directory record describes it. */
export interface PackageEntry {
  readonly name: string;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** 0 stored, 8 deflated; anything else cannot be read (but can be copied). */
  readonly compressionMethod: number;
  readonly crc32: number;
  readonly localHeaderOffset: number;
  /** The record's remaining fields, raw, for a writer that copies the entry. */
  readonly record: CentralRecord;
}

export interface CentralRecord {
  readonly nameBytes: Buffer;
  readonly extraField: Buffer;
  readonly comment: Buffer;
  readonly versionMadeBy: number;
  readonly versionNeeded: number;
  readonly flags: number;
  readonly modTime: number;
  readonly modDate: number;
  readonly internalAttributes: number;
  readonly externalAttributes: number;
}

export interface PackageReader {
  readonly path: string;
  /** The archive comment, as much of it as the file holds (a writer of a copy keeps it). */
  readonly comment: Buffer;
  /** Every entry by its exact name, in central directory order. */
  readonly entries: ReadonlyMap<string, PackageEntry>;
  /** The entry with this part name, compared case-insensitively. */
  entry(name: string): PackageEntry | undefined;
  has(name: string): boolean;
  /** The whole part as text (parts over 256 MB are refused: stream those). */
  readText(name: string): Promise<string>;
  /** The whole part as text, with the encoding it had. */
  readTextPart(name: string): Promise<TextPart>;
  /** The part as decoded chunks, for scanners that need not hold it whole. */
  streamText(name: string): AsyncIterable<string>;
  /** The inflated bytes; refused when the part inflates to more than `maxBytes`. */
  readBuffer(name: string, maxBytes: number): Promise<Buffer>;
  /**
   * The first `maxBytes` inflated bytes (all of them for a smaller part): a picture's header,
   * without inflating the rest. The CRC-32 cannot be checked on part of a part; damaged data
   * may come back as fewer bytes, never as more.
   */
  readHead(name: string, maxBytes: number): Promise<Buffer>;
  close(): Promise<void>;
}

export const PRESENTATION_PART = 'ppt/presentation.xml';
/** The most inflated bytes a reader keeps for a second read (YauzlPackageReader.inflatedOnce). */
const INFLATED_KEPT_BYTES = 16 * 1024 * 1024;
/** A whole part read as one string stays well under V8's string length limit (2^29 chars). */
const MAX_TEXT_PART_BYTES = 256 * 1024 * 1024;

export interface PackageOpenOptions {
  /**
   * Read the file with synchronous calls (file-reads.ts `SyncFile`): for a thread that reads
   * one deck at a time, where they cost a tenth of the CPU time; never on a thread that serves
   * anything else, which they would block.
   */
  readonly syncReads?: boolean;
}

/**
 * Opens a deck for bounded reading: sniffs the container, then lists the central directory
 * under `limits`. The caller must `close()` the reader.
 */
export async function openPackage(path: string, limits: LimitsConfig, options: PackageOpenOptions = {}): Promise<PackageReader> {
  const handle = options.syncReads ? await openRegularFileSync(path) : await openRegularFile(path);
  let zipfile: ZipFile | undefined;
  try {
    const size = (await handle.stat()).size;
    await sniffOpenFile(handle, size);
    const end = await locateArchiveEnd(handle, size).catch((error: unknown) => {
      throw isFileSystemError(error) ? fileProblem(error) : corruptError(error);
    });
    try {
      const view = new ArchiveView(handle, end);
      zipfile = await yauzl.fromRandomAccessReaderPromise(view, view.size, {
        lazyEntries: true,
        autoClose: false,
        decodeStrings: true,
        validateEntrySizes: true,
        strictFileNames: false,
      });
    } catch (error) {
      throw isFileSystemError(error) ? fileProblem(error) : corruptError(error);
    }
    // Errors after the listing (e.g. while closing) must not become uncaught exceptions.
    zipfile.on('error', () => undefined);
    if (zipfile.entryCount > limits.max_zip_entries) {
      throw new PackageError(
        'EZIP_LIMITS',
        `Too many parts: the package has ${zipfile.entryCount} ZIP entries, the limit is ${limits.max_zip_entries}.`,
      );
    }
    const listed = await listEntries(zipfile, limits);
    const dataStarts = await checkLocalHeaders(new ReadWindow(handle, end.size, end.tail), listed, end.recordOffset);
    const reader = new YauzlPackageReader(path, zipfile, handle, end, listed, dataStarts);
    if (!reader.has(PRESENTATION_PART)) throw notPresentationError(reader);
    return reader;
  } catch (error) {
    if (zipfile) await closeZip(zipfile);
    await handle.close().catch(() => undefined);
    throw error;
  }
}

const SIGNATURE_ORIGIN = /\bType\s*=\s*["'][^"']*\/digital-signature\/origin["']/;

/**
 * Whether the package carries an OPC digital signature (`_xmlsignatures/` parts, or a
 * signature-origin relationship from the package root). Any rewrite invalidates it.
 */
export async function isSigned(reader: PackageReader): Promise<boolean> {
  for (const name of reader.entries.keys()) {
    if (name.toLowerCase().startsWith('_xmlsignatures/')) return true;
  }
  const rootRels = reader.entry('_rels/.rels');
  return rootRels !== undefined && SIGNATURE_ORIGIN.test(await reader.readText(rootRels.name));
}

// ── the reader ────────────────────────────────────────────────────────────────────────────

/** Parts up to this size (packed and unpacked) are read and inflated at once; larger ones are streamed. */
const WHOLE_READ_MAX_BYTES = 1024 * 1024;
/** What a whole read yields at a time: the chunk size of zlib's streams, so both ways read alike. */
const WHOLE_READ_CHUNK_BYTES = 16 * 1024;
/**
 * `readBuffer` reads parts up to this size (packed) in one read and inflates them on zlib's
 * thread pool: a 5 MB photo costs ~4 ms this way against ~20 ms through a stream of 64 KB
 * pieces, and the event loop stays free. The caller holds the whole result anyway; the packed
 * copy only adds the packed size for the moment of the inflate.
 */
const BUFFER_WHOLE_READ_MAX_BYTES = 64 * 1024 * 1024;
const inflateRawAsync = promisify<Buffer, ZlibOptions, Buffer>(inflateRaw);
const FLAG_ENCRYPTED = 0x0001;

class YauzlPackageReader implements PackageReader {
  readonly entries: ReadonlyMap<string, PackageEntry>;
  private readonly byLowerName = new Map<string, PackageEntry>();
  private readonly sources = new Map<PackageEntry, { readonly source: Entry; readonly dataStart: number }>();
  private readonly window: ReadWindow;
  /** Packed bytes of the large parts being inflated: reused, since a deck's photos are read one after another. */
  private readonly packed = new BufferPool(2, 16 * 1024 * 1024);
  /**
   * Small parts inflated once, kept for one more read: the declaration check reads the start of
   * every XML part and a deck's reader then reads most of them whole, and inflating a part is
   * most of what reading a small deck costs. A part read again is handed over and dropped;
   * at most INFLATED_KEPT_BYTES are kept, so memory stays bounded however many parts a deck has.
   */
  private readonly inflatedOnce = new Map<PackageEntry, Buffer>();
  /**
   * Small parts streamed once (the declaration check), kept decoded for the whole read that
   * follows: decoding each twice, the first time with a decoder of its own, was a twentieth of
   * a small deck's dry run. Counted in the same bound as `inflatedOnce` (two bytes a character).
   */
  private readonly decodedOnce = new Map<PackageEntry, TextPart>();
  private inflatedKeptBytes = 0;

  readonly comment: Buffer;

  constructor(
    readonly path: string,
    private readonly zipfile: ZipFile,
    private readonly handle: DeckFile,
    end: ArchiveEnd,
    listed: readonly Entry[],
    dataStarts: ReadonlyMap<Entry, number>,
  ) {
    this.window = new ReadWindow(handle, end.size, end.tail);
    this.comment = end.comment;
    const entries = new Map<string, PackageEntry>();
    for (const source of listed) {
      const entry = toPackageEntry(source);
      entries.set(entry.name, entry);
      this.byLowerName.set(entry.name.toLowerCase(), entry);
      const dataStart = dataStarts.get(source);
      if (dataStart === undefined) throw new Error(`no local header was read for ${entry.name}`);
      this.sources.set(entry, { source, dataStart });
    }
    this.entries = entries;
  }

  entry(name: string): PackageEntry | undefined {
    return this.byLowerName.get(name.toLowerCase());
  }

  has(name: string): boolean {
    return this.byLowerName.has(name.toLowerCase());
  }

  async readText(name: string): Promise<string> {
    return (await this.readTextPart(name)).text;
  }

  async readTextPart(name: string): Promise<TextPart> {
    const entry = this.require(name);
    if (entry.uncompressedSize > MAX_TEXT_PART_BYTES) {
      throw new PackageError(
        'EZIP_LIMITS',
        `Too large to read as text: ${entry.name} inflates to ${formatBytes(entry.uncompressedSize)}, the limit is ${formatBytes(MAX_TEXT_PART_BYTES)}.`,
      );
    }
    if (isOneChunk(entry)) {
      // One chunk, as the stream below would yield it, decoded without a decoder of its own (most parts of a deck are this small).
      const decoded = this.decodedOnce.get(entry);
      if (decoded) {
        this.decodedOnce.delete(entry);
        this.inflatedKeptBytes -= decoded.text.length * 2;
        return decoded;
      }
      return decodeWholePart(await this.inflateWhole(entry, this.dataStart(entry)), entry.name);
    }
    const decoder = new PartDecoder(entry.name);
    const chunks: string[] = [];
    for await (const chunk of this.decodedChunks(decoder, name)) chunks.push(chunk);
    return { text: chunks.join(''), encoding: decoder.encoding };
  }

  streamText(name: string): AsyncIterable<string> {
    return this.decodedChunks(new PartDecoder(this.require(name).name), name);
  }

  async readBuffer(name: string, maxBytes: number): Promise<Buffer> {
    const entry = this.require(name);
    if (entry.uncompressedSize > maxBytes) {
      throw new PackageError(
        'EZIP_LIMITS',
        `Too large to read: ${entry.name} inflates to ${formatBytes(entry.uncompressedSize)}, the limit is ${formatBytes(maxBytes)}.`,
      );
    }
    if (entry.compressedSize <= BUFFER_WHOLE_READ_MAX_BYTES) {
      const located = this.sources.get(entry);
      if (!located) throw new Error(`${entry.name} is not an entry of this package`);
      return this.inflateWhole(entry, located.dataStart, 'thread-pool');
    }
    const chunks: Buffer[] = [];
    for await (const chunk of this.inflate(entry)) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  async readHead(name: string, maxBytes: number): Promise<Buffer> {
    const entry = this.require(name);
    const located = this.sources.get(entry);
    if (!located) throw new Error(`${entry.name} is not an entry of this package`);
    if (entry.uncompressedSize <= maxBytes) return this.readBuffer(name, maxBytes);
    try {
      if ((entry.record.flags & FLAG_ENCRYPTED) !== 0) throw new Error('entry is encrypted');
      if (entry.compressionMethod === 0) return Buffer.from(await this.window.bytes(located.dataStart, Math.min(entry.compressedSize, maxBytes)));
      // Deflate makes incompressible data at most a few bytes per 16 kB larger (zlib's deflateBound):
      // this many packed bytes always hold the first maxBytes.
      const packed = await this.window.bytes(located.dataStart, Math.min(entry.compressedSize, maxBytes + (maxBytes >> 8) + 1024));
      if (entry.compressionMethod !== 8) throw new Error(`unsupported compression method: ${entry.compressionMethod}`);
      return await inflateHead(packed, maxBytes);
    } catch (error) {
      throw corruptError(error);
    }
  }

  async close(): Promise<void> {
    // yauzl reads through the handle (ArchiveView): it lets go of it first.
    await closeZip(this.zipfile);
    await this.handle.close().catch(() => undefined);
  }

  private async *decodedChunks(decoder: PartDecoder, name: string): AsyncGenerator<string> {
    const entry = this.require(name);
    if (isOneChunk(entry) && !this.decodedOnce.has(entry)) {
      // The same text and errors as the decoder and guard below over its one chunk
      // (decodeWholePart), kept decoded instead of inflated for the whole read that follows.
      const part = decodeWholePart(await this.inflateWhole(entry, this.dataStart(entry), 'here', false), entry.name);
      if (this.inflatedKeptBytes + part.text.length * 2 <= INFLATED_KEPT_BYTES) {
        this.decodedOnce.set(entry, part);
        this.inflatedKeptBytes += part.text.length * 2;
      }
      if (part.text !== '') yield part.text;
      return;
    }
    const guard = new DeclarationGuard(entry.name);
    for await (const bytes of this.inflate(entry)) {
      const text = decoder.decode(bytes);
      if (text === '') continue;
      guard.check(text);
      yield text;
    }
    const rest = decoder.end();
    guard.check(rest, true);
    if (rest !== '') yield rest;
  }

  private async *inflate(entry: PackageEntry): AsyncGenerator<Buffer> {
    const located = this.sources.get(entry);
    if (!located) throw new Error(`${entry.name} is not an entry of this package`);
    if (entry.compressedSize <= WHOLE_READ_MAX_BYTES && entry.uncompressedSize <= WHOLE_READ_MAX_BYTES) {
      const bytes = await this.inflateWhole(entry, located.dataStart);
      for (let at = 0; at < bytes.length; at += WHOLE_READ_CHUNK_BYTES) yield bytes.subarray(at, at + WHOLE_READ_CHUNK_BYTES);
      return;
    }
    let stream: Readable | undefined;
    try {
      stream = await this.zipfile.openReadStreamPromise(located.source);
      let inflated = 0;
      let crc = 0;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        inflated += chunk.length;
        if (inflated > entry.uncompressedSize) throw new Error('too many bytes in the stream');
        crc = crc32(chunk, crc);
        yield chunk;
      }
      if (crc !== entry.crc32) throw new Error('CRC-32 mismatch');
    } catch (error) {
      throw corruptError(error);
    } finally {
      stream?.destroy();
    }
  }

  /**
   * A small part in one read, inflated at once: far cheaper than a stream per part when a
   * deck has thousands. The same checks as the stream: the declared size bounds the output
   * and must be met exactly, and the CRC-32 must match.
   */
  private async inflateWhole(entry: PackageEntry, dataStart: number, where: 'here' | 'thread-pool' = 'here', keep = true): Promise<Buffer> {
    const kept = this.inflatedOnce.get(entry);
    if (kept) {
      this.inflatedOnce.delete(entry);
      this.inflatedKeptBytes -= kept.length;
      return kept;
    }
    const bytes = await this.inflateAnew(entry, dataStart, where);
    if (keep && where === 'here' && bytes.length <= WHOLE_READ_MAX_BYTES && this.inflatedKeptBytes + bytes.length <= INFLATED_KEPT_BYTES) {
      this.inflatedOnce.set(entry, bytes);
      this.inflatedKeptBytes += bytes.length;
    }
    return bytes;
  }

  private async inflateAnew(entry: PackageEntry, dataStart: number, where: 'here' | 'thread-pool'): Promise<Buffer> {
    try {
      if ((entry.record.flags & FLAG_ENCRYPTED) !== 0) throw new Error('entry is encrypted');
      if (where === 'thread-pool' && entry.compressionMethod === 8 && entry.compressedSize > READ_WINDOW_BYTES) {
        const bytes = await this.packed.use(entry.compressedSize, async (packed) => {
          await readInto(this.handle, packed, dataStart);
          return inflateBoundedAsync(packed, entry.uncompressedSize);
        });
        if (bytes.length < entry.uncompressedSize) throw new Error('not enough bytes in the stream');
        if (crc32(bytes) !== entry.crc32) throw new Error('CRC-32 mismatch');
        return bytes;
      }
      const raw = await this.window.bytes(dataStart, entry.compressedSize);
      let bytes: Buffer;
      if (entry.compressionMethod === 0) {
        // A large stored part was read for this call alone (not a view into the window).
        bytes = where === 'thread-pool' && entry.compressedSize > READ_WINDOW_BYTES ? raw : Buffer.from(raw);
      } else if (entry.compressionMethod === 8) {
        bytes = where === 'thread-pool' ? await inflateBoundedAsync(raw, entry.uncompressedSize) : inflateBounded(raw, entry.uncompressedSize);
      } else {
        throw new Error(`unsupported compression method: ${entry.compressionMethod}`);
      }
      if (bytes.length < entry.uncompressedSize) throw new Error('not enough bytes in the stream');
      if (crc32(bytes) !== entry.crc32) throw new Error('CRC-32 mismatch');
      return bytes;
    } catch (error) {
      throw corruptError(error);
    }
  }

  private dataStart(entry: PackageEntry): number {
    const located = this.sources.get(entry);
    if (!located) throw new Error(`${entry.name} is not an entry of this package`);
    return located.dataStart;
  }

  private require(name: string): PackageEntry {
    const entry = this.entry(name);
    if (!entry) throw new PackageError('ECORRUPT', `Damaged package: the part ${name} is missing.`);
    return entry;
  }
}

/** Parts this small are read, inflated and decoded as one chunk (what a stream of them would yield). */
function isOneChunk(entry: PackageEntry): boolean {
  return entry.compressedSize <= WHOLE_READ_CHUNK_BYTES && entry.uncompressedSize <= WHOLE_READ_CHUNK_BYTES;
}

/** Raw-inflates `raw`, refusing output beyond `maxBytes` (the declared size) as it goes. */
function inflateBounded(raw: Buffer, maxBytes: number): Buffer {
  try {
    // zlib's default 16 KB output chunk is most of the memory a small part's inflate takes
    // (garbage per part, a sixth of a small deck's dry run): one chunk a little larger than the
    // part is the result itself, and is never a spare one for a final call that finds it full.
    return inflateRawSync(raw, { maxOutputLength: Math.max(1, maxBytes), chunkSize: Math.min(maxBytes, WHOLE_READ_MAX_BYTES) + 64 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new Error('too many bytes in the stream');
    throw error;
  }
}

/**
 * Inflates the start of a deflate stream up to `maxBytes` of output and stops there, so a
 * bomb costs no more than `maxBytes`. `packed` is a prefix: the stream's "unexpected end" is
 * where it stops, not an error, once something came out.
 */
function inflateHead(packed: Buffer, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const inflater = createInflateRaw();
    const chunks: Buffer[] = [];
    let length = 0;
    let settled = false;
    const done = (): void => {
      if (settled) return;
      settled = true;
      inflater.destroy();
      resolve(Buffer.concat(chunks, Math.min(length, maxBytes)));
    };
    inflater.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= maxBytes) done();
    });
    inflater.once('end', done);
    inflater.once('error', (error: NodeJS.ErrnoException) => {
      if (length > 0 && error.code === 'Z_BUF_ERROR') return done();
      if (settled) return;
      settled = true;
      reject(error);
    });
    inflater.end(packed);
  });
}

/** inflateBounded on zlib's thread pool. */
async function inflateBoundedAsync(raw: Buffer, maxBytes: number): Promise<Buffer> {
  try {
    // zlib's default 16 KB output chunks cost a thread-pool round trip each: ~3× slower for a photo.
    // One chunk a little larger than the part is the result itself: no copy, and no spare chunk
    // for a final call that finds the output full.
    return await inflateRawAsync(raw, { maxOutputLength: Math.max(1, maxBytes), chunkSize: Math.min(Math.max(maxBytes + 1024, 16 * 1024), 32 * 1024 * 1024) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new Error('too many bytes in the stream');
    throw error;
  }
}

function toPackageEntry(source: Entry): PackageEntry {
  return {
    name: source.fileName,
    compressedSize: source.compressedSize,
    uncompressedSize: source.uncompressedSize,
    compressionMethod: source.compressionMethod,
    crc32: source.crc32,
    localHeaderOffset: source.relativeOffsetOfLocalHeader,
    record: {
      nameBytes: source.fileNameRaw,
      extraField: source.extraFieldRaw,
      comment: source.fileCommentRaw,
      versionMadeBy: source.versionMadeBy,
      versionNeeded: source.versionNeededToExtract,
      flags: source.generalPurposeBitFlag,
      modTime: source.lastModFileTime,
      modDate: source.lastModFileDate,
      internalAttributes: source.internalFileAttributes,
      externalAttributes: source.externalFileAttributes,
    },
  };
}

// ── declarations ──────────────────────────────────────────────────────────────────────

const XML_PART = /\.(xml|rels|vml)$/i;

/**
 * Refuses a package with a DOCTYPE or ENTITY declaration in any XML part (`.xml`, `.rels`,
 * `.vml`), reading each only up to its root element, where such declarations must stand. The
 * processor reads some parts only in some configurations (`[Content_Types].xml` when it adds
 * notes pages) and copies the others raw into the accessible copy: this holds every part to
 * the rule up front, so a deck is refused in every configuration and before any model call.
 */
export async function refuseDeclarations(reader: PackageReader): Promise<void> {
  for (const name of reader.entries.keys()) {
    if (!XML_PART.test(name)) continue;
    const prolog = new PrologScanner();
    for await (const text of reader.streamText(name)) {
      if (prolog.reachesRoot(text)) break;
    }
  }
}

/**
 * Follows decoded text through an XML prolog (declaration, processing instructions, comments,
 * `<!` declarations) to the root element's start tag, across chunks, holding at most a few
 * characters between them.
 */
class PrologScanner {
  private carry = '';
  private skipUntil: '?>' | '-->' | '>' | null = null;

  /** Feeds the next chunk; true once the root element has begun. */
  reachesRoot(text: string): boolean {
    const buffer = this.carry + text;
    this.carry = '';
    let at = 0;
    for (;;) {
      if (this.skipUntil) {
        const close = buffer.indexOf(this.skipUntil, at);
        if (close < 0) {
          this.carry = buffer.slice(Math.max(at, buffer.length - this.skipUntil.length + 1));
          return false;
        }
        at = close + this.skipUntil.length;
        this.skipUntil = null;
      }
      const open = buffer.indexOf('<', at);
      if (open < 0) return false;
      if (buffer.length - open < 4) {
        this.carry = buffer.slice(open);
        return false;
      }
      if (buffer.startsWith('<?', open)) {
        this.skipUntil = '?>';
        at = open + 2;
      } else if (buffer.startsWith('<!--', open)) {
        this.skipUntil = '-->';
        at = open + 4;
      } else if (buffer.startsWith('<!', open)) {
        // A DOCTYPE or ENTITY was refused by the reader as it decoded; any other is the parser's.
        this.skipUntil = '>';
        at = open + 2;
      } else {
        return true;
      }
    }
  }
}

// ── buffers ───────────────────────────────────────────────────────────────────────────

/**
 * Scratch buffers lent for the length of one async task and then reused: each photo of a deck
 * would otherwise leave its packed copy for the garbage collector, which V8 lets grow by tens
 * of megabytes before it collects (external memory). Holds at most `keep` buffers of at most
 * `maxKept` bytes; larger requests get a buffer of their own.
 */
class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(
    private readonly keep: number,
    private readonly maxKept: number,
  ) {}

  async use<T>(length: number, task: (buffer: Buffer) => Promise<T>): Promise<T> {
    const index = this.free.findIndex((buffer) => buffer.length >= length);
    // Kept buffers start at half the largest size, so that one fits most photos that follow.
    const buffer = index >= 0 ? (this.free.splice(index, 1)[0] as Buffer) : Buffer.allocUnsafeSlow(length <= this.maxKept ? Math.max(length, this.maxKept / 2) : length);
    try {
      return await task(buffer.subarray(0, length));
    } finally {
      if (buffer.length <= this.maxKept && this.free.length < this.keep) this.free.push(buffer);
    }
  }
}

// ── the end of the archive ────────────────────────────────────────────────────────────────

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_BYTES = 22;
const MAX_COMMENT_BYTES = 0xffff;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_BYTES = 20;
/** What an entry's data stream reads at a time: the chunk size of zlib's streams. */
const STREAM_CHUNK_BYTES = 16 * 1024;

/** The archive as its end-of-central-directory record delimits it. */
interface ArchiveEnd {
  /** Where the end record starts; entry data must end before it. */
  readonly recordOffset: number;
  /** The archive comment, as much of it as the file holds. */
  readonly comment: Buffer;
  /** Where the archive ends: after that comment. Bytes after it are not the archive's. */
  readonly size: number;
  /**
   * The bytes read to find the record (the whole file when it is small), so that the central
   * directory and, in a small deck, every local header and part are read from memory.
   */
  readonly tail: Prefetched;
}

/** Bytes of the file already read, from `start`. */
interface Prefetched {
  readonly start: number;
  readonly bytes: Buffer;
}

/**
 * Finds the end record the way Python's zipfile, Office and LibreOffice do, where yauzl wants
 * the comment to end exactly at the end of the file. A deck with a stray byte or more after
 * the record (left by a download or copy tool), or whose comment length disagrees with the
 * bytes present, is intact and opens in PowerPoint: it is read as the archive its record
 * delimits. The search is bounded as in those readers: the record starts within the last
 * 22 + 65,535 bytes. Scanning backwards, a signature is the record when yauzl would take it
 * (its comment ends at the end of the file), when the central directory it describes ends
 * right where it starts, or when a ZIP64 locator precedes it; a signature that is only text
 * in a comment or in trailing bytes is none of these and is passed over.
 */
async function locateArchiveEnd(handle: DeckFile, fileSize: number): Promise<ArchiveEnd> {
  // A deck smaller than this is read whole here: all that is read after this comes from memory.
  const tailLength = Math.min(fileSize, ZIP64_LOCATOR_BYTES + EOCD_BYTES + MAX_COMMENT_BYTES);
  const tailStart = fileSize - tailLength;
  const tail = await readAt(handle, tailStart, tailLength);
  const lowest = Math.max(0, tailLength - EOCD_BYTES - MAX_COMMENT_BYTES);
  for (let at = tailLength - EOCD_BYTES; at >= lowest; at -= 1) {
    if (tail.readUInt32LE(at) !== EOCD_SIGNATURE) continue;
    const recordOffset = tailStart + at;
    const statedComment = tail.readUInt16LE(at + 20);
    const presentComment = tailLength - at - EOCD_BYTES;
    const endsTheFile = statedComment === presentComment;
    const directoryEndsHere = tail.readUInt32LE(at + 16) + tail.readUInt32LE(at + 12) === recordOffset;
    const afterZip64Locator = at >= ZIP64_LOCATOR_BYTES && tail.readUInt32LE(at - ZIP64_LOCATOR_BYTES) === ZIP64_LOCATOR_SIGNATURE;
    if (!endsTheFile && !directoryEndsHere && !afterZip64Locator) continue;
    const commentBytes = Math.min(statedComment, presentComment);
    return {
      recordOffset,
      comment: Buffer.from(tail.subarray(at + EOCD_BYTES, at + EOCD_BYTES + commentBytes)),
      size: recordOffset + EOCD_BYTES + commentBytes,
      tail: { start: tailStart, bytes: tail },
    };
  }
  throw new Error('end of central directory record signature not found');
}

/**
 * The archive as yauzl is shown it: the file up to the end of the end record found by
 * `locateArchiveEnd`, without a comment (the record's comment length reads 0), so that yauzl's
 * own search finds that record and nothing in a comment or after it. Reads go through the
 * package reader's handle, which the reader closes after yauzl.
 */
class ArchiveView extends yauzl.RandomAccessReader {
  /** yauzl reads the central directory a record at a time: one window read serves hundreds. */
  private readonly window: ReadWindow;

  constructor(
    private readonly handle: DeckFile,
    private readonly end: ArchiveEnd,
  ) {
    super();
    this.window = new ReadWindow(handle, this.size, end.tail);
  }

  /** Where the archive ends for yauzl: `zipfile.entryCount` and the rest come from this record. */
  get size(): number {
    return this.end.recordOffset + EOCD_BYTES;
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (error: Error | null) => void): void {
    if (position + length > this.size) {
      setImmediate(() => callback(new Error('unexpected EOF')));
      return;
    }
    Promise.resolve(this.window.bytes(position, length)).then(
      (bytes) => {
        bytes.copy(buffer, offset);
        this.hideComment(buffer.subarray(offset, offset + length), position);
        callback(null);
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
    );
  }

  /**
   * Entry data, which `checkLocalHeaders` keeps before the end record. Not an fs.ReadStream:
   * one on a FileHandle leaves a listener on it per stream, and one on its descriptor closes
   * the descriptor when destroyed, whatever `autoClose` says.
   */
  override _readStreamForRange(start: number, end: number): Readable {
    const handle = this.handle;
    let position = start;
    return new Readable({
      read(size: number): void {
        const length = Math.min(Math.max(size, STREAM_CHUNK_BYTES), end - position);
        if (length <= 0) {
          this.push(null);
          return;
        }
        handle.read(Buffer.allocUnsafe(length), 0, length, position).then(
          ({ bytesRead, buffer }) => {
            if (this.destroyed) return;
            position += bytesRead;
            // A file cut short ends the stream early: yauzl reports the bytes missing.
            this.push(bytesRead === 0 ? null : buffer.subarray(0, bytesRead));
          },
          (error: unknown) => this.destroy(error instanceof Error ? error : new Error(String(error))),
        );
      },
    });
  }

  override close(callback: (error: Error | null) => void): void {
    setImmediate(() => callback(null));
  }

  private hideComment(bytes: Buffer, position: number): void {
    for (const field of [this.end.recordOffset + 20, this.end.recordOffset + 21]) {
      if (field >= position && field < position + bytes.length) bytes[field - position] = 0;
    }
  }
}

// ── the central directory ─────────────────────────────────────────────────────────────────

/** Reads the central directory, enforcing the limits before anything is inflated. */
function listEntries(zipfile: ZipFile, limits: LimitsConfig): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    const names = new Set<string>();
    let totalBytes = 0;
    const fail = (error: unknown) => {
      zipfile.removeAllListeners('entry');
      zipfile.removeAllListeners('end');
      reject(corruptError(error));
    };
    zipfile.on('entry', (entry: Entry) => {
      try {
        checkEntry(entry, names, limits);
        totalBytes += entry.uncompressedSize;
        if (totalBytes > limits.max_uncompressed_bytes) {
          throw new PackageError(
            'EZIP_LIMITS',
            `Too large once unpacked: more than ${formatBytes(limits.max_uncompressed_bytes)} in total (the limit).`,
          );
        }
        names.add(entry.fileName.toLowerCase());
        entries.push(entry);
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

function checkEntry(entry: Entry, seen: ReadonlySet<string>, limits: LimitsConfig): void {
  const name = entry.fileName;
  // yauzl names an entry by its Info-ZIP Unicode Path field when there is one, and checks that
  // name; readers that ignore the field use the raw bytes, so those must be safe too. The
  // characters that matter (`.`, `/`, `\`, `:`) are the same bytes in every encoding.
  const rawNameProblem = yauzl.validateFileName(entry.fileNameRaw.toString('latin1').replace(/\\/g, '/'));
  if (rawNameProblem !== null) throw corruptError(new Error(rawNameProblem));
  // Part names are case-insensitive in a package, so `A.xml` and `a.xml` are the same part.
  if (seen.has(name.toLowerCase())) {
    throw new PackageError('ECORRUPT', `Damaged package: the part ${name} appears twice (duplicate ZIP entries).`);
  }
  if (entry.uncompressedSize > limits.max_entry_uncompressed_bytes) {
    throw new PackageError(
      'EZIP_LIMITS',
      `Too large once unpacked: ${name} inflates to ${formatBytes(entry.uncompressedSize)}, ` +
        `the limit per part is ${formatBytes(limits.max_entry_uncompressed_bytes)}.`,
    );
  }
  // As Apache POI's ZipSecureFile: the ratio is judged only past a grace size, since vector
  // pictures (EMF, WMF) and XML compress up to deflate's limit (about 1000:1) and are rarely
  // large; a bomb needs size. The grace bounds what any one part can make of few bytes, the
  // size limits bound the rest.
  if (entry.uncompressedSize > limits.compression_ratio_grace_bytes) {
    const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
    if (ratio > limits.max_compression_ratio) {
      throw new PackageError(
        'EZIP_LIMITS',
        `Suspicious compression (a possible zip bomb): ${name} inflates ${Math.round(ratio)}:1, ` +
          `the limit is ${limits.max_compression_ratio}:1.`,
      );
    }
  }
}

/** Entries whose data overlap are a zip-bomb technique and never written by Office. */
function checkNoOverlap(entries: readonly Entry[]): void {
  const byOffset = [...entries].sort((a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader);
  for (let i = 1; i < byOffset.length; i += 1) {
    const previous = byOffset[i - 1];
    const current = byOffset[i];
    if (!previous || !current) continue;
    const previousEnd = previous.relativeOffsetOfLocalHeader + 30 + previous.fileNameLength + previous.compressedSize;
    if (current.relativeOffsetOfLocalHeader < previousEnd) {
      throw new PackageError(
        'ECORRUPT',
        `Damaged package: the ZIP entries ${previous.fileName} and ${current.fileName} overlap.`,
      );
    }
  }
}

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const LOCAL_HEADER_BYTES = 30;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const ZIP64_EXTRA_ID = 0x0001;
const MAX_32 = 0xffffffff;
/** Local headers and small parts are read through a window of this size (see ReadWindow). */
const READ_WINDOW_BYTES = 64 * 1024;

/**
 * Reads every local header, in file order, and refuses a package whose local headers and
 * central directory tell different stories: another name (a streaming unzipper would write
 * that name), another method, CRC or compressed size, or data that runs into the next entry
 * (or past `dataLimit`, where the end record starts) once the real header length is known.
 * yauzl reads only what the central directory says. Returns where each entry's data starts.
 */
async function checkLocalHeaders(window: ReadWindow, entries: readonly Entry[], dataLimit: number): Promise<Map<Entry, number>> {
  const dataStarts = new Map<Entry, number>();
  try {
    const byOffset = [...entries].sort((a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader);
    for (const [i, entry] of byOffset.entries()) {
      const at = entry.relativeOffsetOfLocalHeader;
      const fixed = await window.bytes(at, LOCAL_HEADER_BYTES);
      if (fixed.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) {
        throw corruptError(new Error(`invalid local file header signature for ${entry.fileName}`));
      }
      const nameLength = fixed.readUInt16LE(26);
      const extraLength = fixed.readUInt16LE(28);
      const local = {
        flags: fixed.readUInt16LE(6),
        method: fixed.readUInt16LE(8),
        crc32: fixed.readUInt32LE(14),
        compressedSize: fixed.readUInt32LE(18),
      };
      const nameAndExtra = await window.bytes(at + LOCAL_HEADER_BYTES, nameLength + extraLength);
      const disagreement = localHeaderDisagreement(entry, local, nameAndExtra.subarray(0, nameLength), nameAndExtra.subarray(nameLength));
      if (disagreement) {
        throw new PackageError(
          'ECORRUPT',
          `Damaged package: the local header of ${entry.fileName} disagrees with the central directory (${disagreement}); the file was altered or disguised.`,
        );
      }
      const next = byOffset[i + 1];
      const dataStart = at + LOCAL_HEADER_BYTES + nameLength + extraLength;
      const dataEnd = dataStart + entry.compressedSize;
      if (next && dataEnd > next.relativeOffsetOfLocalHeader) {
        throw new PackageError('ECORRUPT', `Damaged package: the ZIP entries ${entry.fileName} and ${next.fileName} overlap.`);
      }
      if (dataEnd > dataLimit) throw new Error(`file data overflows file bounds for ${entry.fileName}`);
      dataStarts.set(entry, dataStart);
    }
  } catch (error) {
    throw corruptError(error);
  }
  return dataStarts;
}

interface LocalHeaderFields {
  readonly flags: number;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
}

/** What a local header states differently from the central record, or null. */
function localHeaderDisagreement(entry: Entry, local: LocalHeaderFields, name: Buffer, extra: Buffer): string | null {
  if (!name.equals(entry.fileNameRaw)) return `its name there is ${JSON.stringify(name.toString('latin1'))}`;
  if (local.method !== entry.compressionMethod) return 'compression method';
  // With a data descriptor the CRC and sizes follow the data; the local header may hold zeros.
  const deferred = ((local.flags | entry.generalPurposeBitFlag) & FLAG_DATA_DESCRIPTOR) !== 0;
  if (local.crc32 !== entry.crc32 && !(deferred && local.crc32 === 0)) return 'CRC-32';
  const compressedSize = local.compressedSize === MAX_32 ? zip64CompressedSize(extra) : local.compressedSize;
  if (compressedSize === null) return deferred ? null : 'ZIP64 sizes missing';
  if (compressedSize !== entry.compressedSize && !(deferred && compressedSize === 0)) return 'compressed size';
  // The inflated size is not compared: it does not change which bytes are the entry, and
  // inflating stops at the central directory's size, which the rewritten copy states in both.
  return null;
}

/** The compressed size in a local header's ZIP64 extra field (APPNOTE 4.5.3: both sizes, in order). */
function zip64CompressedSize(extra: Buffer): number | null {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const size = extra.readUInt16LE(at + 2);
    if (id === ZIP64_EXTRA_ID && size >= 16 && at + 4 + 16 <= extra.length) return Number(extra.readBigUInt64LE(at + 12));
    at += 4 + size;
  }
  return null;
}

/**
 * Reads of small pieces of a file through a window that moves as needed: local headers and
 * small parts lie close together, so one read serves many. Each move reads into a new buffer,
 * so that a view handed out earlier stays valid, also when reads overlap in time.
 */
class ReadWindow {
  private window: Buffer;
  private start: number;

  /** `seed`: bytes already read (the tail `locateArchiveEnd` read), the first window. */
  constructor(
    private readonly handle: DeckFile,
    readonly size: number,
    seed: Prefetched = { start: 0, bytes: Buffer.alloc(0) },
  ) {
    this.window = seed.bytes;
    this.start = seed.start;
  }

  /** `length` bytes at `position`: a view into the window (copy what is kept). */
  bytes(position: number, length: number): Buffer | Promise<Buffer> {
    if (position + length <= this.size && position >= this.start && position + length <= this.start + this.window.length) {
      return this.window.subarray(position - this.start, position - this.start + length);
    }
    return this.move(position, length);
  }

  private async move(position: number, length: number): Promise<Buffer> {
    if (position + length > this.size) throw new Error('file data overflows file bounds');
    if (length > READ_WINDOW_BYTES) return readAt(this.handle, position, length);
    const window = await readAt(this.handle, position, Math.min(READ_WINDOW_BYTES, this.size - position));
    this.window = window;
    this.start = position;
    return window.subarray(0, length);
  }
}

function notPresentationError(reader: PackageReader): PackageError {
  const kind = reader.has('word/document.xml')
    ? ' (it looks like a Word document)'
    : reader.has('xl/workbook.xml')
      ? ' (it looks like an Excel workbook)'
      : '';
  return new PackageError(
    'ENOT_PRESENTATION',
    `Not a PowerPoint presentation: the package has no ${PRESENTATION_PART}${kind}.`,
  );
}

function closeZip(zipfile: ZipFile): Promise<void> {
  if (!zipfile.isOpen) return Promise.resolve();
  return new Promise((resolve) => {
    zipfile.once('close', () => resolve());
    zipfile.close();
  });
}
