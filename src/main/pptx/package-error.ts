import type { ItemErrorCode } from '../../shared/error-codes';
import type { XmlParseError } from './xml-tree';

/**
 * The one error a deck that cannot be read ends with, whoever reads it (the dry run, the
 * processor, `altgen apply`, the raw-copy writer): a stable `code` and one sentence a faculty
 * member can act on. The sentences for each kind of failure are built here, so that the same
 * failure reads the same wherever it is found.
 */
export class PackageError extends Error {
  constructor(
    readonly code: ItemErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PackageError';
  }
}

/** A `PackageError` for a broken ZIP structure; other `PackageError`s pass through. */
export function corruptError(error: unknown): PackageError {
  if (error instanceof PackageError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new PackageError('ECORRUPT', `Damaged file: ${explainZipError(reason)}. Use an intact copy of the deck.`);
}

/** Zip readers' messages, in words a faculty member can act on (the original in brackets). */
function explainZipError(reason: string): string {
  const known: [RegExp, string][] = [
    [/end of central directory record signature not found|unexpected EOF|overflows file bounds|ends early/i, 'the file is incomplete, probably cut off during a download or copy'],
    [/central directory|local file header signature|zip64/i, 'its ZIP structure is broken'],
    [/invalid relative path|absolute path|invalid characters in fileName/i, 'a part has an unsafe name'],
    [/too many bytes in the stream/i, 'a part inflates beyond its declared size'],
    [/not enough bytes in the stream|invalid (stored|distance|block|code)|incorrect header check|unexpected end of file|CRC-32 mismatch/i, 'a part’s compressed data is damaged'],
    [/unsupported compression method|encrypted/i, 'a part is stored in a way PowerPoint does not write (unsupported compression or ZIP encryption)'],
    [/multi-disk/i, 'it is one piece of a multi-part archive'],
  ];
  const match = known.find(([pattern]) => pattern.test(reason));
  const detail = (reason.split(/\.\s/)[0] ?? reason).replace(/\.$/, '');
  return `${match ? match[1] : 'its ZIP structure is broken'} (zip: ${detail})`;
}

export function unsafeXmlError(part: string): PackageError {
  return new PackageError(
    'EUNSAFE_XML',
    `Unsafe content: the part ${part} declares a DOCTYPE, which decks never need; the file was refused.`,
  );
}

/** A part that is not well-formed XML (or declares a DOCTYPE the parser met first). */
export function damagedXmlError(error: XmlParseError): PackageError {
  return new PackageError(error.code, `The deck is damaged: ${error.message}`);
}

export function isFileSystemError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

/** Why the deck's file cannot be opened or read, from the system's error. */
export function fileProblem(error: unknown): PackageError {
  if (error instanceof PackageError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new PackageError('ENOT_FOUND', 'File not found: it was moved or deleted.');
  if (code === 'EACCES' || code === 'EPERM') {
    return new PackageError('EUNREADABLE', 'Cannot read it: permission denied. Check the file’s sharing and permissions.');
  }
  if (code === 'EISDIR') return new PackageError('EUNREADABLE', 'Cannot read it: it is a folder, not a file.');
  const reason = error instanceof Error ? error.message : String(error);
  return new PackageError('EUNREADABLE', `Cannot read it: ${reason}.`);
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} ${units[0]}` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
