/**
 * PowerPoint's file extensions and what AltGen makes of each: the one list behind discovery,
 * the folder browser, the app's launch arguments, PowerPoint's owner files, what "Open" may
 * launch and the names of the review reports. Only `deck` files are processed; the others are
 * skipped with what to do about them (discover-inputs.ts), and PowerPoint keeps `~$` owner
 * files beside all of them but add-ins, which it loads rather than opens.
 */

export type PowerPointFileKind = 'deck' | 'legacy' | 'template' | 'slide-show' | 'add-in';

const KIND_BY_EXTENSION: Readonly<Record<string, PowerPointFileKind>> = {
  '.pptx': 'deck',
  '.pptm': 'deck',
  '.ppt': 'legacy',
  '.pps': 'legacy',
  '.pot': 'template',
  '.potx': 'template',
  '.potm': 'template',
  '.ppsx': 'slide-show',
  '.ppsm': 'slide-show',
  '.ppam': 'add-in',
};

/** The extensions of the decks AltGen processes. */
export const DECK_EXTENSIONS: readonly string[] = Object.keys(KIND_BY_EXTENSION).filter((extension) => KIND_BY_EXTENSION[extension] === 'deck');

/** A file name's (or path's) extension in lower case, as `path.extname` finds it: '' for none or a dotfile's name. */
export function extensionOf(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

/** What kind of PowerPoint file the name says it is; null for any other file. */
export function powerPointKind(name: string): PowerPointFileKind | null {
  return KIND_BY_EXTENSION[extensionOf(name)] ?? null;
}

/** A name of a deck AltGen processes (`.pptx`, `.pptm`, in any case). */
export function isDeckName(name: string): boolean {
  return powerPointKind(name) === 'deck';
}

/** A name PowerPoint keeps a `~$` owner file beside while it has the file open. */
export function hasPowerPointOwnerFiles(name: string): boolean {
  const kind = powerPointKind(name);
  return kind !== null && kind !== 'add-in';
}
