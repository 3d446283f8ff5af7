import { open, rm, stat, type FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { crc32, deflateRaw } from 'node:zlib';
import yauzl from 'yauzl';
import { assertNever } from '../../shared/assert-never';
import { openRegularFile } from './container-sniffer';
import type { PackageEntry, PackageReader } from './package-reader';
import { PackageError } from './package-error';

/**
 * Writes a copy of a deck in which some parts are replaced or added and every other entry is
 * copied raw.
 *
 * Guarantees:
 * - The entries are those the deck's package reader listed and checked under its limits
 *   (package-reader.ts); nothing lists or trusts the input's directory a second time.
 * - An entry that is not replaced keeps its compressed bytes verbatim (no inflate, no
 *   deflate), its compression method, CRC-32, sizes, name bytes, timestamps, attributes,
 *   comment and extra fields. Only what is position-dependent or redundant is rewritten: the
 *   central directory's offsets, ZIP64 fields (dropped, then written again only where a size,
 *   offset or count needs them), and data descriptors (below).
 * - Data descriptors (general purpose bit 3): the central directory, already checked by the
 *   reader, gives the CRC and sizes, so they go into the new local header, bit 3 is cleared and
 *   the descriptor is not copied. This avoids guessing a descriptor's layout (its signature is
 *   optional, its sizes 4 or 8 bytes) and leaves every local header self-describing.
 * - Replaced and added parts are deflated (raw deflate) with a fresh CRC-32. A replaced part
 *   keeps its place, name bytes and metadata; additions go at the end, so the first entry
 *   (`[Content_Types].xml` in every Office file) stays first.
 * - Memory is flat: two 2 MiB copy buffers, a 256 KiB read-ahead window for headers and small
 *   entries, the replacement bytes the caller already holds, and one small record per entry for
 *   the central directory. The deck is never held in memory.
 * - The input is only read (refused when `outputPath` is the input). The output is written to
 *   `outputPath` directly and fsynced before the promise resolves; on any failure the partial
 *   output is removed. Renaming it into place (and fsyncing the folder) is the caller's job.
 *
 * Not guaranteed: CRCs of copied entries are not verified (that would mean inflating them);
 * bytes outside entries (a prefix before the first entry, gaps between entries, bytes after
 * the end record) are dropped, and the archive comment is kept as far as the input holds it;
 * the input must not change while it is copied (the batch holds a lock on it). A digitally
 * signed deck stays well-formed but its signature no longer matches: see `isSigned`.
 *
 * Why hand-written: no maintained Node library copies an entry raw *and* keeps its metadata.
 * yazl only accepts uncompressed data (it always computes the CRC and compresses or stores).
 * @zip.js/zip.js has a `passThrough` option (reader and writer) that moves compressed bytes
 * unchanged, but its writer rebuilds every header from its own options (version made by,
 * extended-timestamp extra field, data descriptors, dates through `Date`), so metadata must be
 * mapped field by field and still differs; it would also read the central directory a second
 * time outside our limits and moves data through Web Streams, which costs more than the fd
 * copy below. The ZIP format work here is small: a local header, a central record and an end
 * record, plus ZIP64 (APPNOTE 4.3.7, 4.3.12, 4.3.14–16, 4.5.3).
 */

export interface RewritePlan {
  /** New content of existing parts, by part name (matched case-insensitively). */
  readonly replacements: ReadonlyMap<string, Buffer>;
  /** Parts that do not exist yet, written after every existing entry. */
  readonly additions?: ReadonlyMap<string, Buffer>;
}

export interface RewriteOptions {
  /** `auto` writes ZIP64 records only where a value needs them; `always` everywhere. */
  readonly zip64?: 'auto' | 'always';
}

export interface RewriteResult {
  readonly copiedEntries: number;
  readonly replacedEntries: number;
  readonly addedEntries: number;
  readonly bytesWritten: number;
}

/**
 * Copies the deck `reader` has open (its entries as the reader checked them) to `outputPath`
 * with `plan` applied. The reader is only read from; the caller closes it.
 */
export async function rewritePackage(
  reader: PackageReader,
  outputPath: string,
  plan: RewritePlan,
  options: RewriteOptions = {},
): Promise<RewriteResult> {
  const inputPath = reader.path;
  await refuseOverwritingInput(inputPath, outputPath);
  const sources = planEntries(reader, plan);
  // As much of the archive comment as the input holds: what a reader finds after the end
  // record (stray bytes) is not the archive's and is not copied.
  const comment = reader.comment;

  let input: FileHandle | undefined;
  let output: FileHandle | undefined;
  let created = false;
  try {
    // The deck again, for the raw copy: opened as the reader opened it (same sentences when that fails).
    input = await openRegularFile(inputPath);
    const inputSize = (await input.stat()).size;
    output = await openOutput(outputPath);
    created = true;
    const writer = new ArchiveWriter(new InputWindow(input, inputSize), new CopyBuffer(output), options.zip64 === 'always');
    for (const source of sources) {
      switch (source.kind) {
        case 'copy':
          await writer.copy(source.entry);
          break;
        case 'replace':
          await writer.replace(source.entry, source.content);
          break;
        case 'add':
          await writer.add(source.name, source.content);
          break;
        default:
          assertNever(source);
      }
    }
    const bytesWritten = await writer.finish(comment);
    await output.sync().catch((error: unknown) => {
      throw outputError(error);
    });
    await output.close();
    output = undefined;
    return {
      copiedEntries: count(sources, 'copy'),
      replacedEntries: count(sources, 'replace'),
      addedEntries: count(sources, 'add'),
      bytesWritten,
    };
  } catch (error) {
    await output?.close().catch(() => undefined);
    if (created) await rm(outputPath, { force: true }).catch(() => undefined);
    throw error;
  } finally {
    await input?.close();
  }
}

// ── the plan ──────────────────────────────────────────────────────────────────────────────

type EntrySource =
  | { readonly kind: 'copy'; readonly entry: PackageEntry }
  | { readonly kind: 'replace'; readonly entry: PackageEntry; readonly content: Buffer }
  | { readonly kind: 'add'; readonly name: string; readonly content: Buffer };

function planEntries(reader: PackageReader, plan: RewritePlan): EntrySource[] {
  const replacements = new Map<PackageEntry, Buffer>();
  for (const [name, content] of plan.replacements) {
    const entry = reader.entry(name);
    if (!entry) throw new Error(`rewritePackage: there is no part ${name} to replace`);
    if (replacements.has(entry)) throw new Error(`rewritePackage: ${name} is replaced twice`);
    replacements.set(entry, content);
  }
  const sources: EntrySource[] = [...reader.entries.values()].map((entry) => {
    const content = replacements.get(entry);
    return content ? { kind: 'replace', entry, content } : { kind: 'copy', entry };
  });
  const added = new Set<string>();
  for (const [name, content] of plan.additions ?? []) {
    const problem = yauzl.validateFileName(name);
    if (problem !== null) throw new Error(`rewritePackage: cannot add ${name}: ${problem}`);
    if (reader.has(name) || added.has(name.toLowerCase())) {
      throw new Error(`rewritePackage: cannot add ${name}: the part exists (replace it instead)`);
    }
    added.add(name.toLowerCase());
    sources.push({ kind: 'add', name, content });
  }
  return sources;
}

function count(sources: readonly EntrySource[], kind: EntrySource['kind']): number {
  return sources.filter((source) => source.kind === kind).length;
}

// ── files ─────────────────────────────────────────────────────────────────────────────────

async function refuseOverwritingInput(inputPath: string, outputPath: string): Promise<void> {
  const [input, output] = await Promise.all([stat(inputPath).catch(() => null), stat(outputPath).catch(() => null)]);
  if (input && output && input.dev === output.dev && input.ino === output.ino) {
    throw new PackageError('EOUTPUT', 'Cannot write the copy: the output path is the input deck itself.');
  }
}

async function openOutput(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'w');
  } catch (error) {
    throw outputError(error);
  }
}

function outputError(error: unknown): PackageError {
  if (error instanceof PackageError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new PackageError('EOUTPUT', `Cannot write the copy: ${reason}.`);
}

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_SIZE = 22;

async function readExactly(input: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await input.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) throw truncatedError();
    done += bytesRead;
  }
  return buffer;
}

function truncatedError(): PackageError {
  return new PackageError(
    'ECORRUPT',
    'Damaged file: the file is incomplete, probably cut off during a download or copy (zip: entry data ends early). Use an intact copy of the deck.',
  );
}

/**
 * Reads of the input's small pieces (local headers, small entries) through one read-ahead
 * window: entries lie one after another, so one read serves many of them.
 */
class InputWindow {
  private static readonly SIZE = 256 * 1024;
  private readonly window = Buffer.allocUnsafe(InputWindow.SIZE);
  private start = 0;
  private length = 0;

  constructor(
    readonly handle: FileHandle,
    readonly size: number,
  ) {}

  /** `length` bytes at `position`; the buffer is only valid until the next call. */
  async bytes(position: number, length: number): Promise<Buffer> {
    if (position + length > this.size) throw truncatedError();
    if (length > InputWindow.SIZE) return readExactly(this.handle, position, length);
    if (position < this.start || position + length > this.start + this.length) {
      const wanted = Math.min(InputWindow.SIZE, this.size - position);
      this.length = 0;
      while (this.length < wanted) {
        const { bytesRead } = await this.handle.read(this.window, this.length, wanted - this.length, position + this.length);
        if (bytesRead === 0) throw truncatedError();
        this.length += bytesRead;
      }
      this.start = position;
    }
    return this.window.subarray(position - this.start, position - this.start + length);
  }
}

/**
 * Output through two fixed buffers: one fills (from small header writes or from reads of the
 * input) while the other is written, so reading and writing overlap and each system call
 * moves a large block. Backpressure is the await on the previous write.
 */
class CopyBuffer {
  private static readonly SIZE = 2 * 1024 * 1024;
  private current = Buffer.allocUnsafe(CopyBuffer.SIZE);
  private spare = Buffer.allocUnsafe(CopyBuffer.SIZE);
  private fill = 0;
  private inFlight: Promise<void> = Promise.resolve();
  /** Bytes accepted so far: the offset in the output of the next byte. */
  position = 0;

  constructor(private readonly output: FileHandle) {}

  async write(bytes: Buffer): Promise<void> {
    let at = 0;
    while (at < bytes.length) {
      if (this.fill === this.current.length) await this.flush();
      const length = Math.min(this.current.length - this.fill, bytes.length - at);
      bytes.copy(this.current, this.fill, at, at + length);
      this.fill += length;
      at += length;
    }
    this.position += bytes.length;
  }

  async copyFrom(input: FileHandle, position: number, length: number): Promise<void> {
    let done = 0;
    while (done < length) {
      if (this.fill === this.current.length) await this.flush();
      const wanted = Math.min(this.current.length - this.fill, length - done);
      const { bytesRead } = await input.read(this.current, this.fill, wanted, position + done);
      if (bytesRead === 0) throw truncatedError();
      this.fill += bytesRead;
      done += bytesRead;
    }
    this.position += length;
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.inFlight;
  }

  private async flush(): Promise<void> {
    await this.inFlight;
    const full = this.current;
    const length = this.fill;
    this.current = this.spare;
    this.spare = full;
    this.fill = 0;
    this.inFlight = writeAll(this.output, full, length);
    // Awaited by the next flush; until then a failure must not count as unhandled.
    this.inFlight.catch(() => undefined);
  }
}

async function writeAll(output: FileHandle, buffer: Buffer, length: number): Promise<void> {
  let done = 0;
  try {
    while (done < length) {
      const { bytesWritten } = await output.write(buffer, done, length - done);
      done += bytesWritten;
    }
  } catch (error) {
    throw outputError(error);
  }
}

// ── the ZIP format ────────────────────────────────────────────────────────────────────────

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const LOCAL_HEADER_SIZE = 30;
const CENTRAL_SIGNATURE = 0x02014b50;
const CENTRAL_SIZE = 46;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const ZIP64_EOCD_SIZE = 56;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_EXTRA_ID = 0x0001;
const MAX_32 = 0xffffffff;
const MAX_16 = 0xffff;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;
const METHOD_DEFLATE = 8;
const VERSION_DEFLATE = 20;
const VERSION_ZIP64 = 45;
/** Entries up to this size are copied through the input window rather than read on their own. */
const SMALL_ENTRY_BYTES = 64 * 1024;

const deflateRawAsync = promisify(deflateRaw);

/** What the central directory needs of an entry once it is written. */
interface WrittenEntry {
  readonly nameBytes: Buffer;
  readonly extraField: Buffer;
  readonly comment: Buffer;
  readonly versionMadeBy: number;
  readonly versionNeeded: number;
  readonly flags: number;
  readonly method: number;
  readonly modTime: number;
  readonly modDate: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly internalAttributes: number;
  readonly externalAttributes: number;
  readonly offset: number;
}

type CentralMetadata = Pick<WrittenEntry, 'extraField' | 'comment' | 'versionMadeBy' | 'internalAttributes' | 'externalAttributes'>;
type HeaderFields = Omit<WrittenEntry, keyof CentralMetadata | 'offset'>;

function centralMetadata(entry: PackageEntry): CentralMetadata {
  const { record } = entry;
  return {
    extraField: withoutZip64(record.extraField),
    comment: record.comment,
    versionMadeBy: record.versionMadeBy,
    internalAttributes: record.internalAttributes,
    externalAttributes: record.externalAttributes,
  };
}

class ArchiveWriter {
  private readonly written: WrittenEntry[] = [];

  constructor(
    private readonly input: InputWindow,
    private readonly out: CopyBuffer,
    private readonly forceZip64: boolean,
  ) {}

  /** Copies one entry raw: a new local header from the central record, then the data. */
  async copy(entry: PackageEntry): Promise<void> {
    const { record } = entry;
    const local = await readLocalHeader(this.input, entry);
    const dataStart = entry.localHeaderOffset + local.length;
    if (dataStart + entry.compressedSize > this.input.size) throw truncatedError();
    const fields: HeaderFields = {
      nameBytes: record.nameBytes,
      versionNeeded: record.versionNeeded,
      flags: record.flags & ~FLAG_DATA_DESCRIPTOR,
      method: entry.compressionMethod,
      modTime: record.modTime,
      modDate: record.modDate,
      crc32: entry.crc32,
      compressedSize: entry.compressedSize,
      uncompressedSize: entry.uncompressedSize,
    };
    const offset = await this.writeLocalHeader(fields, withoutZip64(local.extraField));
    if (entry.compressedSize <= SMALL_ENTRY_BYTES) {
      await this.out.write(await this.input.bytes(dataStart, entry.compressedSize));
    } else {
      await this.out.copyFrom(this.input.handle, dataStart, entry.compressedSize);
    }
    this.written.push({ ...fields, ...centralMetadata(entry), offset });
  }

  /** Writes `content` in place of `entry`, keeping its name bytes, times, attributes and extras. */
  async replace(entry: PackageEntry, content: Buffer): Promise<void> {
    const { record } = entry;
    const local = await readLocalHeader(this.input, entry);
    await this.deflate(
      { nameBytes: record.nameBytes, flags: record.flags & FLAG_UTF8, modTime: record.modTime, modDate: record.modDate },
      content,
      withoutZip64(local.extraField),
      centralMetadata(entry),
    );
  }

  async add(name: string, content: Buffer): Promise<void> {
    const now = dosDateTime(new Date());
    await this.deflate(
      { nameBytes: Buffer.from(name, 'utf8'), flags: /[^\x20-\x7e]/.test(name) ? FLAG_UTF8 : 0, modTime: now.time, modDate: now.date },
      content,
      Buffer.alloc(0),
      { extraField: Buffer.alloc(0), comment: Buffer.alloc(0), versionMadeBy: VERSION_DEFLATE, internalAttributes: 0, externalAttributes: 0 },
    );
  }

  /** Writes the central directory and end records; returns the size of the archive. */
  async finish(comment: Buffer): Promise<number> {
    const start = this.out.position;
    for (const entry of this.written) await this.out.write(this.centralRecord(entry));
    const size = this.out.position - start;
    const count = this.written.length;
    if (this.forceZip64 || count >= MAX_16 || size >= MAX_32 || start >= MAX_32) {
      const zip64End = this.out.position;
      await this.out.write(zip64EndRecord(count, size, start));
      await this.out.write(zip64Locator(zip64End));
      await this.out.write(endRecord(MAX_16, MAX_32, MAX_32, comment));
    } else {
      await this.out.write(endRecord(count, size, start, comment));
    }
    await this.out.finish();
    return this.out.position;
  }

  private async deflate(
    identity: Pick<HeaderFields, 'nameBytes' | 'flags' | 'modTime' | 'modDate'>,
    content: Buffer,
    localExtra: Buffer,
    metadata: CentralMetadata,
  ): Promise<void> {
    const compressed = await deflateRawAsync(content);
    const fields: HeaderFields = {
      ...identity,
      versionNeeded: VERSION_DEFLATE,
      method: METHOD_DEFLATE,
      crc32: crc32(content),
      compressedSize: compressed.length,
      uncompressedSize: content.length,
    };
    const offset = await this.writeLocalHeader(fields, localExtra);
    await this.out.write(compressed);
    this.written.push({ ...fields, ...metadata, offset });
  }

  private async writeLocalHeader(fields: HeaderFields, extraField: Buffer): Promise<number> {
    const offset = this.out.position;
    const zip64 = this.forceZip64 || fields.compressedSize >= MAX_32 || fields.uncompressedSize >= MAX_32;
    // APPNOTE 4.5.3: in a local header the ZIP64 field holds both sizes.
    const zip64Field = zip64 ? extraRecord(ZIP64_EXTRA_ID, [u64(fields.uncompressedSize), u64(fields.compressedSize)]) : null;
    const extra = zip64Field ? Buffer.concat([zip64Field, extraField]) : extraField;
    checkFieldLength(extra, fields.nameBytes);
    const header = Buffer.alloc(LOCAL_HEADER_SIZE);
    header.writeUInt32LE(LOCAL_HEADER_SIGNATURE, 0);
    header.writeUInt16LE(zip64 ? Math.max(fields.versionNeeded, VERSION_ZIP64) : fields.versionNeeded, 4);
    header.writeUInt16LE(fields.flags, 6);
    header.writeUInt16LE(fields.method, 8);
    header.writeUInt16LE(fields.modTime, 10);
    header.writeUInt16LE(fields.modDate, 12);
    header.writeUInt32LE(fields.crc32, 14);
    header.writeUInt32LE(zip64 ? MAX_32 : fields.compressedSize, 18);
    header.writeUInt32LE(zip64 ? MAX_32 : fields.uncompressedSize, 22);
    header.writeUInt16LE(fields.nameBytes.length, 26);
    header.writeUInt16LE(extra.length, 28);
    await this.out.write(Buffer.concat([header, fields.nameBytes, extra]));
    return offset;
  }

  private centralRecord(entry: WrittenEntry): Buffer {
    const force = this.forceZip64;
    const bigUncompressed = force || entry.uncompressedSize >= MAX_32;
    const bigCompressed = force || entry.compressedSize >= MAX_32;
    const bigOffset = force || entry.offset >= MAX_32;
    // APPNOTE 4.5.3: in the central directory, only the values that overflow, in this order.
    const zip64Values = [
      ...(bigUncompressed ? [u64(entry.uncompressedSize)] : []),
      ...(bigCompressed ? [u64(entry.compressedSize)] : []),
      ...(bigOffset ? [u64(entry.offset)] : []),
    ];
    const zip64 = zip64Values.length > 0;
    const extra = zip64 ? Buffer.concat([extraRecord(ZIP64_EXTRA_ID, zip64Values), entry.extraField]) : entry.extraField;
    checkFieldLength(extra, entry.nameBytes);
    const record = Buffer.alloc(CENTRAL_SIZE);
    record.writeUInt32LE(CENTRAL_SIGNATURE, 0);
    record.writeUInt16LE(entry.versionMadeBy, 4);
    record.writeUInt16LE(zip64 ? Math.max(entry.versionNeeded, VERSION_ZIP64) : entry.versionNeeded, 6);
    record.writeUInt16LE(entry.flags, 8);
    record.writeUInt16LE(entry.method, 10);
    record.writeUInt16LE(entry.modTime, 12);
    record.writeUInt16LE(entry.modDate, 14);
    record.writeUInt32LE(entry.crc32, 16);
    record.writeUInt32LE(bigCompressed ? MAX_32 : entry.compressedSize, 20);
    record.writeUInt32LE(bigUncompressed ? MAX_32 : entry.uncompressedSize, 24);
    record.writeUInt16LE(entry.nameBytes.length, 28);
    record.writeUInt16LE(extra.length, 30);
    record.writeUInt16LE(entry.comment.length, 32);
    record.writeUInt16LE(0, 34); // disk number start
    record.writeUInt16LE(entry.internalAttributes, 36);
    record.writeUInt32LE(entry.externalAttributes >>> 0, 38);
    record.writeUInt32LE(bigOffset ? MAX_32 : entry.offset, 42);
    return Buffer.concat([record, entry.nameBytes, extra, entry.comment]);
  }
}

interface LocalHeader {
  /** Of the header with its name and extra field: where the data starts. */
  readonly length: number;
  readonly extraField: Buffer;
}

async function readLocalHeader(input: InputWindow, entry: PackageEntry): Promise<LocalHeader> {
  const at = entry.localHeaderOffset;
  const fixed = await input.bytes(at, LOCAL_HEADER_SIZE);
  if (fixed.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) {
    throw new PackageError(
      'ECORRUPT',
      `Damaged file: its ZIP structure is broken (zip: invalid local file header signature for ${entry.name}). Use an intact copy of the deck.`,
    );
  }
  const nameLength = fixed.readUInt16LE(26);
  const length = LOCAL_HEADER_SIZE + nameLength + fixed.readUInt16LE(28);
  const header = await input.bytes(at, length);
  return { length, extraField: Buffer.from(header.subarray(LOCAL_HEADER_SIZE + nameLength)) };
}

/**
 * The extra field without its ZIP64 record, which describes the input's sizes and offsets;
 * the writer adds its own where needed. Bytes after a malformed record are kept as they are.
 */
function withoutZip64(extra: Buffer): Buffer {
  const kept: Buffer[] = [];
  let at = 0;
  while (at + 4 <= extra.length) {
    const id = extra.readUInt16LE(at);
    const end = at + 4 + extra.readUInt16LE(at + 2);
    if (end > extra.length) break;
    if (id !== ZIP64_EXTRA_ID) kept.push(extra.subarray(at, end));
    at = end;
  }
  kept.push(extra.subarray(at));
  return Buffer.concat(kept);
}

function extraRecord(id: number, values: readonly Buffer[]): Buffer {
  const data = Buffer.concat(values);
  const head = Buffer.alloc(4);
  head.writeUInt16LE(id, 0);
  head.writeUInt16LE(data.length, 2);
  return Buffer.concat([head, data]);
}

function checkFieldLength(extra: Buffer, nameBytes: Buffer): void {
  if (extra.length > MAX_16) {
    throw new PackageError('ECORRUPT', `Damaged package: the entry ${nameBytes.toString('utf8')} has an oversized extra field.`);
  }
}

function u64(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(value));
  return bytes;
}

function zip64EndRecord(count: number, size: number, offset: number): Buffer {
  const record = Buffer.alloc(ZIP64_EOCD_SIZE);
  record.writeUInt32LE(ZIP64_EOCD_SIGNATURE, 0);
  record.writeBigUInt64LE(BigInt(ZIP64_EOCD_SIZE - 12), 4); // size of the rest of the record
  record.writeUInt16LE(VERSION_ZIP64, 12); // version made by
  record.writeUInt16LE(VERSION_ZIP64, 14); // version needed
  record.writeUInt32LE(0, 16); // this disk
  record.writeUInt32LE(0, 20); // disk with the central directory
  record.writeBigUInt64LE(BigInt(count), 24);
  record.writeBigUInt64LE(BigInt(count), 32);
  record.writeBigUInt64LE(BigInt(size), 40);
  record.writeBigUInt64LE(BigInt(offset), 48);
  return record;
}

function zip64Locator(zip64EndOffset: number): Buffer {
  const locator = Buffer.alloc(ZIP64_LOCATOR_SIZE);
  locator.writeUInt32LE(ZIP64_LOCATOR_SIGNATURE, 0);
  locator.writeUInt32LE(0, 4); // disk with the ZIP64 end record
  locator.writeBigUInt64LE(BigInt(zip64EndOffset), 8);
  locator.writeUInt32LE(1, 16); // total disks
  return locator;
}

function endRecord(count: number, size: number, offset: number, comment: Buffer): Buffer {
  const record = Buffer.alloc(EOCD_SIZE);
  record.writeUInt32LE(EOCD_SIGNATURE, 0);
  record.writeUInt16LE(0, 4); // this disk
  record.writeUInt16LE(0, 6); // disk with the central directory
  record.writeUInt16LE(Math.min(count, MAX_16), 8);
  record.writeUInt16LE(Math.min(count, MAX_16), 10);
  record.writeUInt32LE(Math.min(size, MAX_32), 12);
  record.writeUInt32LE(Math.min(offset, MAX_32), 16);
  record.writeUInt16LE(comment.length, 20);
  return Buffer.concat([record, comment]);
}

/** MS-DOS date and time fields, in local time as ZIP readers expect. */
function dosDateTime(date: Date): { date: number; time: number } {
  const year = Math.max(1980, Math.min(2107, date.getFullYear()));
  return {
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
  };
}
