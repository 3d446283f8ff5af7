import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { extractFile, getRawHeader, type DirectoryRecord } from '@electron/asar';

/**
 * The files of a packaged app as Electron sees them: every entry of resources/app.asar, each
 * either inside the archive or unpacked (a real file in resources/app.asar.unpacked, which is
 * all a child process, a worker thread or the system's dynamic loader can read).
 */

export interface PackagedFile {
  /** Path inside the app, with forward slashes (`node_modules/sharp/package.json`). */
  readonly path: string;
  readonly size: number;
  readonly unpacked: boolean;
}

export interface PackagedApp {
  readonly archive: string;
  readonly unpackedDir: string;
  readonly files: ReadonlyMap<string, PackagedFile>;
  /** Unpacked entries of the archive's index with no file on disk (an incomplete build). */
  readonly absentUnpacked: readonly string[];
}

interface HeaderFile {
  readonly size?: number;
  readonly unpacked?: boolean;
  readonly link?: string;
}

export function readPackagedApp(resourcesDir: string): PackagedApp {
  const archive = path.join(resourcesDir, 'app.asar');
  const unpackedDir = path.join(resourcesDir, 'app.asar.unpacked');
  const files = new Map<string, PackagedFile>();
  const absentUnpacked: string[] = [];
  const visit = (directory: DirectoryRecord, prefix: string): void => {
    for (const [name, entry] of Object.entries(directory.files)) {
      const entryPath = prefix ? `${prefix}/${name}` : name;
      if ('files' in entry) {
        visit(entry, entryPath);
        continue;
      }
      const file = entry as HeaderFile;
      // A symbolic link is followed by Electron; its target is listed on its own.
      if (file.link !== undefined) continue;
      const unpacked = file.unpacked === true;
      if (unpacked && !existsAsFile(path.join(unpackedDir, ...entryPath.split('/')))) absentUnpacked.push(entryPath);
      files.set(entryPath, { path: entryPath, size: file.size ?? 0, unpacked });
    }
  };
  visit(getRawHeader(archive).header, '');
  return { archive, unpackedDir, files, absentUnpacked };
}

/** The version each packaged npm package says in its package.json, by its folder (`node_modules/a`). */
export function packagedVersions(app: PackagedApp): Map<string, string> {
  const versions = new Map<string, string>();
  for (const file of app.files.values()) {
    const dir = npmPackageDir(file.path);
    if (dir === null || file.path !== `${dir}/package.json`) continue;
    const text = file.unpacked ? readFileSync(path.join(app.unpackedDir, ...file.path.split('/')), 'utf8') : extractFile(app.archive, file.path).toString('utf8');
    try {
      const version = (JSON.parse(text) as { version?: unknown }).version;
      if (typeof version === 'string') versions.set(dir, version);
    } catch {
      // A package.json that is not JSON is looked up by its folder alone.
    }
  }
  return versions;
}

function existsAsFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export interface PackageSize {
  readonly archiveBytes: number;
  readonly archiveFiles: number;
  readonly unpackedBytes: number;
  readonly unpackedFiles: number;
  /** The largest npm packages, by their bytes inside and outside the archive. */
  readonly largest: readonly { readonly name: string; readonly bytes: number }[];
}

export function packageSize(app: PackagedApp, largestCount = 5): PackageSize {
  let archiveFiles = 0;
  let unpackedBytes = 0;
  let unpackedFiles = 0;
  const byPackage = new Map<string, number>();
  for (const file of app.files.values()) {
    if (file.unpacked) {
      unpackedBytes += file.size;
      unpackedFiles += 1;
    } else {
      archiveFiles += 1;
    }
    const name = npmPackageName(file.path);
    if (name) byPackage.set(name, (byPackage.get(name) ?? 0) + file.size);
  }
  const largest = [...byPackage]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name))
    .slice(0, largestCount);
  return { archiveBytes: statSync(app.archive).size, archiveFiles, unpackedBytes, unpackedFiles, largest };
}

/** The folder of the innermost npm package holding `file` (`node_modules/a/node_modules/@b/c`), or null. */
export function npmPackageDir(file: string): string | null {
  const segments = file.split('/');
  let end = -1;
  for (let i = 0; i < segments.length - 1; i += 1) {
    if (segments[i] !== 'node_modules') continue;
    const scoped = segments[i + 1]?.startsWith('@') === true;
    const last = scoped ? i + 2 : i + 1;
    if (last < segments.length - 1) end = last;
  }
  return end < 0 ? null : segments.slice(0, end + 1).join('/');
}

/** The name of the innermost npm package holding `file` (`@img/sharp-linux-x64`), or null. */
export function npmPackageName(file: string): string | null {
  const dir = npmPackageDir(file);
  if (!dir) return null;
  return dir.slice(dir.lastIndexOf('node_modules/') + 'node_modules/'.length);
}
