import { constants as fsConstants, openSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { readAt, SyncFile, type DeckFile } from './file-reads';
import { fileProblem, PackageError } from './package-error';

/**
 * What kind of file a deck is, by its magic bytes, before anything parses it: a ZIP package
 * (what a .pptx is), a password-protected deck (a CFB container holding `EncryptedPackage`),
 * a legacy 97–2003 Office file (a CFB container without it), an empty file, or something else
 * (a PDF, an image, a web page, text). Also how a deck's file is opened: as a regular file,
 * never blocking on a named pipe.
 *
 * Guarantees: reads at most the first 512 bytes, plus a compound file's directory (found by
 * its FAT chains, or in the first 512 KB when those are damaged); every answer other than
 * "a ZIP package" is a `PackageError` with its code and sentence.
 */

const ZIP_MAGICS = [
  Buffer.from([0x50, 0x4b, 0x03, 0x04]), // a local file header: any non-empty zip
  Buffer.from([0x50, 0x4b, 0x05, 0x06]), // an end-of-central-directory record: an empty zip
];
const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const SNIFF_BYTES = 512;

const LEGACY_PPT_ADVICE =
  'open it in PowerPoint and use File › Save As › PowerPoint Presentation (.pptx), then add the .pptx';

/**
 * Checks that `path` is a readable, non-empty ZIP file; throws a `PackageError` saying what
 * it is otherwise (missing, unreadable, empty, encrypted, legacy Office, something else).
 */
export async function sniffContainer(path: string): Promise<void> {
  const handle = await openRegularFile(path);
  try {
    await sniffOpenFile(handle, (await handle.stat()).size);
  } finally {
    await handle.close();
  }
}

/** `sniffContainer` on a file already open (the package reader sniffs through its own handle). */
export async function sniffOpenFile(handle: DeckFile, size: number): Promise<void> {
  try {
    if (size === 0) throw new PackageError('EEMPTY', 'The file is empty (0 bytes): copy it again from its source.');
    const head = Buffer.alloc(Math.min(SNIFF_BYTES, size));
    await handle.read(head, 0, head.length, 0);
    if (ZIP_MAGICS.some((magic) => head.subarray(0, 4).equals(magic))) return;
    if (head.subarray(0, 8).equals(CFB_MAGIC)) throw await compoundFileProblem(handle, size);
    throw new PackageError('ENOT_ZIP', `Not a PowerPoint file: it is not a ZIP package (${describeContent(head)}).`);
  } catch (error) {
    throw fileProblem(error);
  }
}

/**
 * Opens a regular file for reading. Non-blocking, so that a named pipe swapped in for a deck
 * after discovery cannot hold the open for ever (a FIFO without a writer blocks a plain open);
 * then anything but a regular file is refused before a byte is read. O_NONBLOCK does nothing
 * to regular files, and is absent (0) on Windows, which has no FIFOs in the file system.
 */
export async function openRegularFile(path: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    throw fileProblem(error);
  }
  return checkRegular(handle);
}

/** `openRegularFile`, read synchronously (file-reads.ts `SyncFile`), for a thread of its own. */
export async function openRegularFileSync(path: string): Promise<DeckFile> {
  let file: SyncFile;
  try {
    file = new SyncFile(openSync(path, OPEN_FLAGS));
  } catch (error) {
    throw fileProblem(error);
  }
  return checkRegular(file);
}

const OPEN_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0);

async function checkRegular<File extends DeckFile>(handle: File): Promise<File> {
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new PackageError('EUNREADABLE', 'Cannot read it: it is a folder, not a file.');
    if (!stat.isFile()) throw new PackageError('EUNREADABLE', 'Cannot read it: it is not a regular file.');
    return handle;
  } catch (error) {
    await handle.close();
    throw fileProblem(error);
  }
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

async function compoundFileProblem(handle: DeckFile, size: number): Promise<PackageError> {
  let names: ReadonlySet<string>;
  try {
    names = await readCompoundFileNames(handle, size);
  } catch {
    names = await scanForCompoundFileNames(handle, size);
  }
  if (names.has('EncryptedPackage')) {
    return new PackageError(
      'EENCRYPTED',
      'Password-protected: remove the password in PowerPoint (File › Info › Protect Presentation) and save a copy.',
    );
  }
  if (names.has('WordDocument')) {
    return new PackageError('ELEGACY_FORMAT', 'A Word 97–2003 document, not a PowerPoint presentation.');
  }
  if (names.has('Workbook') || names.has('Book')) {
    return new PackageError('ELEGACY_FORMAT', 'An Excel 97–2003 workbook, not a PowerPoint presentation.');
  }
  return new PackageError('ELEGACY_FORMAT', `Legacy PowerPoint 97–2003 file: ${LEGACY_PPT_ADVICE}.`);
}

const CFB_END_OF_CHAIN = 0xfffffffe;
const CFB_MAX_REGULAR_SECTOR = 0xfffffffa;

/**
 * The names in a compound file's directory, read by following its FAT chains (header, DIFAT,
 * FAT, directory). Office puts the directory anywhere, often after a large EncryptedPackage,
 * so scanning the head of the file is not enough.
 */
async function readCompoundFileNames(handle: DeckFile, size: number): Promise<Set<string>> {
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
async function scanForCompoundFileNames(handle: DeckFile, size: number): Promise<Set<string>> {
  const head = await readAt(handle, 0, Math.min(size, 512 * 1024));
  const names = ['EncryptedPackage', 'PowerPoint Document', 'WordDocument', 'Workbook'];
  return new Set(names.filter((name) => head.includes(Buffer.from(name, 'utf16le'))));
}
