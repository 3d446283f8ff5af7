import path from 'node:path';

/** Is `candidate` the folder itself or somewhere inside it (both absolute)? */
export function isSameOrInside(candidate: string, folder: string): boolean {
  const relative = path.relative(folder, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The deepest folder containing every one of `folders` (absolute paths); null for none. */
export function deepestCommonFolder(folders: readonly string[]): string | null {
  const [first, ...rest] = folders;
  if (first === undefined) return null;
  let common = first;
  for (const folder of rest) {
    while (!isSameOrInside(folder, common)) {
      const parent = path.dirname(common);
      if (parent === common) return common;
      common = parent;
    }
  }
  return common;
}
