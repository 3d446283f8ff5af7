/**
 * Files that are not regular files: a named pipe, a socket or a device named `x.pptx`.
 * Opening one for reading can wait forever (a pipe with no writer) or read without end (a
 * device), so they are recognised from `stat`/directory-entry types, which never open them.
 */

/** What `fs.Stats` and `fs.Dirent` both say about a file's type. */
export interface FileTypeInfo {
  isFile(): boolean;
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}

export type SpecialFileKind = 'a folder' | 'a named pipe' | 'a socket' | 'a device';

/** The kind of a file that is not a regular one, in words; null for a regular file or an unknown type. */
export function specialFileKind(info: FileTypeInfo): SpecialFileKind | null {
  if (info.isFile()) return null;
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a named pipe';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return null;
}

export function notRegularFileReason(kind: SpecialFileKind): string {
  return `Not a regular file (${kind}): AltGen reads only saved presentation files.`;
}
