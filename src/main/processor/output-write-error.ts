import path from 'node:path';
import { PackageError } from '../pptx/package-error';

/**
 * Tells a failure to write the copy or its reports (the output folder's fault: full, read-only,
 * no permission) from a problem with the deck, so that `altgen process` exits with
 * PROCESSOR_EXIT.outputProblem instead of blaming the input.
 */

/** File-system errors that say the place written to cannot take the file. */
const OUTPUT_ERRNO_CODES: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'EROFS', 'EACCES', 'EPERM']);

function isWithin(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * The one-line reason when `error` is a failure to write `output` or what is written beside it
 * (the reports, their temp files), else null.
 */
export function outputWriteFailure(error: unknown, output: string): string | null {
  if (error instanceof PackageError) return error.code === 'EOUTPUT' ? error.message : null;
  const e = error as NodeJS.ErrnoException | null;
  if (typeof e !== 'object' || e === null || typeof e.code !== 'string' || !OUTPUT_ERRNO_CODES.has(e.code)) return null;
  if (typeof e.path !== 'string' || !isWithin(path.resolve(e.path), path.dirname(path.resolve(output)))) return null;
  return `Cannot write the review reports: ${e.message}.`;
}
