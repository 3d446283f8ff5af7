import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { SLIDE_DECISIONS } from '../../shared/review-types';
import { reviewStateDirOf } from '../batch/batch-folder';
import { batchIdFromFileName } from '../batch/manifest-store';

/**
 * What the reviewers of a batch did, saved as it happens: one JSON line per action, appended
 * to `.altgen/review/batch_<id>/journal.jsonl` in the output folder (beside the batch's other
 * state, batch-folder.ts) and fsync'ed before the action is reported. The review's state is the
 * fold of these lines (review-state.ts).
 *
 * Guarantees: an action reported done survives closing the app, a crash, SIGKILL and a power
 * cut. A crash while a line is written leaves at most that line torn; a torn or unreadable line
 * is skipped when the journal is read, so the actions before it all count. Appends are single
 * writes to a file opened for appending, so two processes reviewing the same batch interleave
 * whole lines. The cost of an action does not grow with the review: nothing is rewritten.
 *
 * Not guaranteed: order between two processes' actions on the same picture beyond the order in
 * which their lines land.
 */

export const REVIEW_JOURNAL_VERSION = 1;

const actionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('accept') }),
  z.strictObject({ type: z.literal('edit'), alt: z.string() }),
  z.strictObject({ type: z.literal('edit-long'), text: z.string() }),
  z.strictObject({ type: z.literal('decorative'), decorative: z.boolean() }),
  z.strictObject({ type: z.literal('revert'), to: z.enum(['original', 'generated']), alt: z.string().nullable(), decorative: z.boolean() }),
  z.strictObject({
    type: z.literal('regenerated'),
    alt: z.string(),
    hint: z.string().nullable(),
    model: z.string(),
    long_description: z.string().nullable(),
  }),
  // A decision on a slide item (slide-items.ts); its key names the finding, not a picture.
  z.strictObject({ type: z.literal('slide'), decision: z.enum(SLIDE_DECISIONS) }),
]);

const recordSchema = z.object({
  v: z.literal(REVIEW_JOURNAL_VERSION),
  at: z.string().min(1),
  /** The deck's input path, as the manifest names it. */
  deck: z.string().min(1),
  key: z.string().min(1),
  action: actionSchema,
});

/** One action as the journal keeps it: revert and regenerate carry the values they set. */
export type JournalAction = z.infer<typeof actionSchema>;
export type ReviewRecord = z.infer<typeof recordSchema>;

/** `<output>/.altgen/review/batch_<id>`: the journal and the previous copies Undo restores. */
export function reviewDirOf(manifestPath: string): string {
  const batchId = batchIdFromFileName(path.basename(manifestPath)) ?? path.basename(manifestPath, '.json');
  return reviewStateDirOf(path.dirname(manifestPath), batchId);
}

export function journalPathOf(manifestPath: string): string {
  return path.join(reviewDirOf(manifestPath), 'journal.jsonl');
}

/** Every readable record, in the order written; a missing journal is an empty review. */
export async function readJournal(file: string): Promise<ReviewRecord[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const records: ReviewRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed = recordSchema.safeParse(JSON.parse(line));
      if (parsed.success) records.push(parsed.data);
    } catch {
      // A line torn by a crash: the actions before it stand.
    }
  }
  return records;
}

/** Appends one record and waits until it is on disk. */
export async function appendToJournal(file: string, record: ReviewRecord): Promise<void> {
  const created = await fs.mkdir(path.dirname(file), { recursive: true });
  const handle = await fs.open(file, 'a+');
  try {
    // A line after a torn one starts on a line of its own.
    const size = (await handle.stat()).size;
    const lead = size > 0 && !(await endsWithNewline(handle, size)) ? '\n' : '';
    await handle.write(`${lead}${JSON.stringify(record)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  // A new journal's name must survive a power cut too.
  if (created !== undefined) await syncFolder(path.dirname(file));
}

async function endsWithNewline(handle: FileHandle, size: number): Promise<boolean> {
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await fs.open(folder, 'r').catch(() => null);
  try {
    await handle?.sync();
  } catch {
    // Not every platform fsyncs a folder; the append itself is durable.
  } finally {
    await handle?.close();
  }
}
