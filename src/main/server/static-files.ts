import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * The built renderer (out/renderer), served read-only. A request names a file inside the
 * folder or nothing: `..`, encoded separators, NUL and hidden names are refused, and the
 * resolved file (symlinks followed) must still lie inside the folder.
 */

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  readonly file: string;
  readonly contentType: string;
  readonly size: number;
}

function isInside(candidate: string, folder: string): boolean {
  const relative = path.relative(folder, candidate);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** The file `pathname` names under `root`, or null. `/` is index.html. */
export async function resolveStaticFile(root: string, pathname: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    return null;
  }
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (decoded.includes('\0') || decoded.includes('\\') || segments.some((s) => s.startsWith('.'))) return null;
  const contentType = CONTENT_TYPES[path.extname(decoded).toLowerCase()];
  if (!contentType) return null;
  try {
    const realRoot = await fs.realpath(root);
    const file = await fs.realpath(path.join(realRoot, ...segments));
    if (!isInside(file, realRoot)) return null;
    const info = await fs.stat(file);
    return info.isFile() ? { file, contentType, size: info.size } : null;
  } catch {
    return null;
  }
}
