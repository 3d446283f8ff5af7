import { promises as fs } from 'node:fs';
import path from 'node:path';
import { BatchError } from './batch-error';

/**
 * The batch's watch on its folders: whether the output folder can take a copy, and whether the
 * input folder is still there. A failure that is the folder's and not the deck's (a full disk, a
 * read-only or vanished folder) would fail every file after it the same way, so the batch stops
 * once with one sentence saying what to fix, the deck back in the queue, instead.
 *
 * Guaranteed: the probe writes and removes one empty file (`.altgen-write-test-<pid>`) in the
 * folder it checks, creating the folder if needed. Not guaranteed: a disk that fills up or a
 * folder made read-only right after the probe is only found by the next failure.
 */

const RESUME = 'Everything recorded before is kept; ';

/** Writes and removes an empty file in `folder`; the errno code when that fails, else null. */
async function probeWritable(folder: string): Promise<string | null> {
  const probe = path.join(folder, `.altgen-write-test-${process.pid}`);
  try {
    await fs.mkdir(folder, { recursive: true });
    await fs.writeFile(probe, '');
    await fs.rm(probe, { force: true });
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'error';
  }
}

/** Before a batch starts: its output folder must take files (a resumed batch cannot move). */
export async function ensureOutputWritable(outputDir: string, resumed: boolean): Promise<void> {
  const code = await probeWritable(outputDir);
  if (code === null) return;
  const fix = resumed ? 'make it writable and resume' : 'choose another with --output-dir';
  throw new BatchError('EOUTPUT_NOT_WRITABLE', `Output folder ${outputDir} is not writable (${code}); ${fix}.`);
}

/**
 * After a deck failed: why nothing more can be written to `folder` (its own output folder, which
 * may be on another disk than the output folder's root), or null when the folder is fine and
 * the failure is the deck's. `failure` is what the processor said, which may name a full disk.
 */
export async function outputFolderProblem(folder: string, deckBytes: number, failure: string): Promise<BatchError | null> {
  let full = /\b(ENOSPC|EDQUOT)\b|no space left on device|quota exceeded/i.test(failure);
  const code = await probeWritable(folder);
  if (code !== null) {
    if (code !== 'ENOSPC' && code !== 'EDQUOT') {
      return new BatchError('EOUTPUT_NOT_WRITABLE', `The output folder ${folder} can no longer be written (${code}). ${RESUME}make it writable and resume.`);
    }
    full = true;
  }
  let free: number | null = null;
  try {
    const stat = await fs.statfs(folder);
    free = stat.bavail * stat.bsize;
  } catch {
    // statfs is missing on some platforms; the processor's own words may still say it.
  }
  // A copy is about the size of its deck; with less room than that, every file would fail.
  if (free !== null && free < deckBytes * 1.1 + 1024 * 1024) full = true;
  if (!full) return null;
  const left = free === null ? '' : ` (${(free / (1024 * 1024)).toFixed(1)} MB free)`;
  return new BatchError('ENOSPC', `The disk holding ${folder} is full${left}: copies cannot be written. ${RESUME}free some space and resume.`);
}

/** False when the folder is gone or replaced by a file; an unreadable folder is still there. */
async function isFolder(folder: string): Promise<boolean> {
  return fs.stat(folder).then(
    (stat) => stat.isDirectory(),
    (error: NodeJS.ErrnoException) => error.code !== 'ENOENT' && error.code !== 'ENOTDIR',
  );
}

/**
 * After a deck failed: whether a folder of the inputs has gone (renamed, moved, a drive
 * unplugged), naming the highest folder that is gone up to the batch's input folder; null when
 * the deck's folder is there.
 */
export async function inputFolderProblem(input: string, inputRoot: string | null): Promise<BatchError | null> {
  let missing: string | null = null;
  for (let folder = path.dirname(input); !(await isFolder(folder)); folder = path.dirname(folder)) {
    missing = folder;
    if (folder === inputRoot || path.dirname(folder) === folder) break;
  }
  if (missing === null) return null;
  return new BatchError(
    'EINPUT_MISSING',
    `The input folder ${missing} is gone (renamed, moved or disconnected); the files not yet processed are still pending. Put it back under that name and resume.`,
  );
}
