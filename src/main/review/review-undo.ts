import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../files/write-file-atomic';
import { reviewDirOf } from './review-journal';

/**
 * What Undo needs after an Apply of the review: the copies and reports that apply replaced,
 * kept in `.altgen/review/batch_<id>/undo/` until the next apply, and `undo.json` naming them.
 * The record is rewritten (atomically) after each deck's files are kept and before that deck is
 * written, so a crash in the middle of an apply leaves a record of exactly the decks it changed.
 */

const undoSchema = z.object({
  applied_at: z.string(),
  decks: z.array(z.object({ output: z.string(), files: z.array(z.object({ original: z.string(), kept: z.string() })) })),
});

export type UndoRecord = z.infer<typeof undoSchema>;

export function undoDirOf(manifestPath: string): string {
  return path.join(reviewDirOf(manifestPath), 'undo');
}

function recordPathOf(manifestPath: string): string {
  return path.join(undoDirOf(manifestPath), 'undo.json');
}

export async function readUndo(manifestPath: string): Promise<UndoRecord | null> {
  try {
    const parsed = undoSchema.safeParse(JSON.parse(await fs.readFile(recordPathOf(manifestPath), 'utf8')));
    return parsed.success && parsed.data.decks.length > 0 ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function writeUndo(manifestPath: string, record: UndoRecord): Promise<void> {
  await writeFileAtomic(recordPathOf(manifestPath), JSON.stringify(record, null, 2));
}

/** Empties the undo folder: the next apply's previous copies go there. */
export async function startUndo(manifestPath: string): Promise<string> {
  const dir = undoDirOf(manifestPath);
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  return dir;
}

export async function dropUndo(manifestPath: string): Promise<void> {
  await fs.rm(undoDirOf(manifestPath), { recursive: true, force: true });
}
