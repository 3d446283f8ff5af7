import { existsSync } from 'node:fs';

/**
 * A path inside an Electron app.asar as its copy in app.asar.unpacked, when there is one. Only
 * Electron's own file functions read the archive; a child process, a worker thread and the
 * system's dynamic loader need real files, which electron-builder.yml's `asarUnpack` puts
 * there (docs/packaging.md). Any other path, and a file that was not unpacked, is returned as is.
 */
export function outsideAsar(file: string): string {
  const unpacked = file.replace(/\.asar([\\/])/, '.asar.unpacked$1');
  return unpacked !== file && existsSync(unpacked) ? unpacked : file;
}
