import path from 'node:path';
import { powerPointKind } from '../../shared/deck-extensions';
import { sniffContainer } from '../pptx/container-sniffer';
import { PackageError } from '../pptx/package-error';
import type { DiscoveredFile, Discovery, Disposition } from './discover-inputs';

/**
 * Files with a PowerPoint 97–2003 name (`.ppt`, `.pps`), decided by their content rather than
 * their name: e-mail gateways, course sites and users renaming files leave PowerPoint 2007+
 * decks under such names, and PowerPoint opens them by content.
 *
 * Guarantees:
 * - Only files discovery would skip as legacy by their name are opened, and only their first
 *   bytes (and a compound file's directory) are read (`sniffContainer`).
 * - A ZIP package is processed, with a note saying so. Its copy is named `.pptx`
 *   (`copyNameFor`), so that PowerPoint opens the copy by its name too; a deck with that name
 *   beside it keeps the name, and the renamed one is skipped saying why (`ENAME_CLASH`).
 * - A real 97–2003 file is skipped with the Save As advice, as before. A password-protected
 *   deck, another Office file or a file that is no PowerPoint file at all gets the reason the
 *   processor would give (`sniffContainer`'s code and sentence), as a failed file.
 *
 * The dry run and the run take their decisions from the same discovery, so they agree.
 */

const COPY_EXTENSION = '.pptx';

export function hasLegacyName(file: string): boolean {
  return powerPointKind(file) === 'legacy';
}

/**
 * The name of the copy of `file`: `.pptx` in place of a 97–2003 extension (only PowerPoint
 * 2007+ content under such a name is ever processed), else unchanged.
 */
export function copyNameFor(file: string): string {
  if (!hasLegacyName(file)) return file;
  return file.slice(0, file.length - path.extname(file).length) + COPY_EXTENSION;
}

/** Replaces the by-name legacy skips of `discovery` with decisions by content. */
export async function decideLegacyNamesByContent(discovery: Discovery): Promise<Discovery> {
  const files: DiscoveredFile[] = [];
  // One at a time: a folder of old decks must not open hundreds of files at once.
  for (const file of discovery.files) {
    files.push(isLegacyByName(file) ? { ...file, disposition: await dispositionByContent(file.path) } : file);
  }
  return { ...discovery, files: skipCopyNameClashes(files) };
}

function isLegacyByName(file: DiscoveredFile): boolean {
  const { disposition } = file;
  return hasLegacyName(file.path) && disposition.kind === 'skip' && disposition.code === 'ELEGACY_FORMAT';
}

async function dispositionByContent(file: string): Promise<Disposition> {
  try {
    await sniffContainer(file);
  } catch (error) {
    if (!(error instanceof PackageError)) throw error;
    return error.code === 'ELEGACY_FORMAT'
      ? { kind: 'skip', code: error.code, reason: error.message }
      : { kind: 'fail', code: error.code, reason: error.message };
  }
  const extension = path.extname(file);
  return {
    kind: 'process',
    note: `A PowerPoint 2007+ deck with a 97–2003 name (${extension}): it is processed, and its copy is named ${path.basename(copyNameFor(file))} so that PowerPoint opens it.`,
  };
}

/**
 * Of two decks whose copies would share a name, one with its own name keeps it, then the
 * first renamed one; the others step aside, saying why.
 */
function skipCopyNameClashes(files: readonly DiscoveredFile[]): DiscoveredFile[] {
  // Compared without case: on Windows and macOS `A.pptx` and `a.pptx` are one file.
  const claimed = new Set(
    files.filter((file) => file.disposition.kind === 'process' && !hasLegacyName(file.path)).map((file) => file.path.toLowerCase()),
  );
  return files.map((file) => {
    if (file.disposition.kind !== 'process' || !hasLegacyName(file.path)) return file;
    const copyName = copyNameFor(file.path);
    if (!claimed.has(copyName.toLowerCase())) {
      claimed.add(copyName.toLowerCase());
      return file;
    }
    return {
      ...file,
      disposition: {
        kind: 'skip',
        code: 'ENAME_CLASH',
        reason: `A PowerPoint 2007+ deck with a 97–2003 name, whose copy would be named ${path.basename(copyName)} like another deck's copy: rename it, then add it again.`,
      },
    };
  });
}
