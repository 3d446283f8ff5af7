import path from 'node:path';

function pathFor(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/**
 * Whether `candidate` is `folder` or lies inside it, by name alone (both resolved first; a
 * name such as `..notes` inside it counts as inside).
 * `foldCase` compares as a case-insensitive file system would (macOS by default; Windows
 * paths always compare so).
 */
export function isInsideFolder(candidate: string, folder: string, platform: NodeJS.Platform = process.platform, foldCase = false): boolean {
  const paths = pathFor(platform);
  const fold = (p: string) => (foldCase ? p.normalize('NFC').toLowerCase() : p);
  const relative = paths.relative(fold(paths.resolve(folder)), fold(paths.resolve(candidate)));
  if (relative === '') return true;
  return relative !== '..' && !relative.startsWith(`..${paths.sep}`) && !paths.isAbsolute(relative);
}

/** The deepest folder containing every one of `folders` (absolute paths); null for none. */
export function deepestCommonFolder(folders: readonly string[]): string | null {
  const [first, ...rest] = folders;
  if (first === undefined) return null;
  let common = first;
  for (const folder of rest) {
    while (!isInsideFolder(folder, common)) {
      const parent = path.dirname(common);
      if (parent === common) return common;
      common = parent;
    }
  }
  return common;
}
