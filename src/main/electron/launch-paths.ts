import { stat } from 'node:fs/promises';
import path from 'node:path';
import { isDeckName } from '../../shared/deck-extensions';

/**
 * The folders and decks named on a command line (`AltGen ~/Lectures`, or "Open with" from the
 * file manager), as a second launch hands them to the running app. Switches, the app's own
 * path and anything that is not an existing folder or .pptx/.pptm are left out.
 */

export function candidatePaths(argv: readonly string[], cwd: string, exclude: readonly string[]): string[] {
  const excluded = new Set(exclude.map((p) => path.resolve(p)));
  return argv
    .filter((arg) => arg !== '' && !arg.startsWith('-'))
    .map((arg) => path.resolve(cwd, arg))
    .filter((p) => !excluded.has(p));
}

export async function launchPaths(argv: readonly string[], cwd: string, exclude: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const candidate of candidatePaths(argv, cwd, exclude)) {
    const info = await stat(candidate).catch(() => null);
    if (info?.isDirectory() || (info?.isFile() && isDeckName(candidate))) found.push(candidate);
  }
  return found;
}
