import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { reportPathsFor } from '../../shared/alt-text-report';
import type { ManifestDocument, QueueItem } from '../../shared/batch-types';
import { isInsideFolder } from '../files/folder-paths';
import { ReviewError } from './review-error';

/**
 * Where a processed deck's copy and `<copy>.alt-text.json` are, checked, and the report read
 * leniently (a report from an older processor misses fields, it is not refused) but bounded.
 *
 * A manifest lives in its batch's output folder, so the copy and report it names must be in
 * that folder too: paths read from a manifest are data, and a crafted one must not make the
 * review read, or apply write, anywhere else. Not guaranteed: that no link is planted between
 * the check and the reading or writing right after it.
 */

/** Thumbnails make reports large, but not this large. */
const MAX_REPORT_BYTES = 64 * 1024 * 1024;

const reportPictureSchema = z
  .object({
    key: z.string().min(1),
    slide: z.number().int().catch(0),
    part: z.string().catch(''),
    shape_id: z.union([z.string(), z.number()]).transform(String).catch(''),
    shape_name: z.string().catch(''),
    before: z.string().nullable().catch(null),
    after: z.string().nullable().catch(null),
    decision: z.string().catch('unknown'),
    reason: z.string().catch(''),
    needs_review: z.boolean().catch(false),
    draft: z.boolean().catch(false),
    kind: z.string().catch('picture'),
    long_description: z.string().nullable().catch(null),
    text_in_image: z.string().nullable().optional().catch(null),
    model: z.string().nullable().optional().catch(null),
    size_px: z.object({ width: z.number(), height: z.number() }).nullable().optional().catch(null),
    thumbnail: z.string().nullable().optional().catch(null),
    generated: z.string().nullable().optional().catch(undefined),
    reviewed_at: z.string().optional().catch(undefined),
  })
  .loose();

const reportSchema = z.object({ pictures: z.array(reportPictureSchema) }).loose();

export type ReviewReport = z.infer<typeof reportSchema>;
export type ReviewReportPicture = ReviewReport['pictures'][number];

export interface ReviewTarget {
  readonly item: QueueItem;
  readonly deckPath: string;
  readonly outputPath: string;
  readonly reportPath: string;
}

/** Is `target` inside `folder` (lexically, after resolving `..`)? */
function isInside(target: string, folder: string): boolean {
  const relative = path.relative(path.resolve(folder), path.resolve(target));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** Complete with a copy: the decks a review has. */
export function isReviewable(item: QueueItem): boolean {
  return item.status === 'complete' && Boolean(item.result?.output_path);
}

/** The processed deck at `index` and where its report is, or why there is none. */
export function reviewTarget(document: ManifestDocument, index: number, manifestPath: string): ReviewTarget {
  const item = document.queue.items[index];
  if (!item) throw new ReviewError('EREVIEW_REFUSED', `Batch ${document.batch_id} has no file number ${index}.`);
  const outputPath = item.result?.output_path;
  if (!isReviewable(item) || !outputPath) {
    const name = path.basename(item.path);
    const why = document.metadata.dry_run ? 'a dry run writes no copies' : `it is ${item.status}`;
    throw new ReviewError('EREVIEW_REFUSED', `${name} has no review: ${why}. Process it first.`);
  }
  const reportPath = item.result?.reports?.find((report) => report.endsWith('.alt-text.json')) ?? reportPathsFor(outputPath).json;
  const folder = path.dirname(path.resolve(manifestPath));
  for (const named of [outputPath, reportPath]) {
    if (!isInside(named, folder)) {
      throw new ReviewError('EOUTSIDE_OUTPUT', `The batch's manifest names ${named}, which is outside its output folder ${folder}; it will not be opened or written.`);
    }
  }
  return { item, deckPath: item.path, outputPath, reportPath };
}

/**
 * `reviewTarget`, then the same rule by real paths, as the shell-open policy checks them: the
 * copy, its reports or a folder on the way may be links planted in the output folder to lead
 * elsewhere, and the review reads, and apply writes, through them. A file not there yet is
 * judged by its nearest existing folder.
 */
export async function resolveReviewTarget(document: ManifestDocument, index: number, manifestPath: string): Promise<ReviewTarget> {
  const target = reviewTarget(document, index, manifestPath);
  const folder = path.dirname(path.resolve(manifestPath));
  const realFolder = await fs.realpath(folder);
  for (const named of [target.outputPath, target.reportPath, reportPathsFor(target.outputPath).html]) {
    const real = await realPathOfNearest(named);
    if (real === null || real === realFolder || !isInsideFolder(real, realFolder)) {
      throw new ReviewError('EOUTSIDE_OUTPUT', `${named} leads outside the batch's output folder ${folder} through a link; it will not be opened or written.`);
    }
  }
  return target;
}

/**
 * The real path of `file`, or of its nearest existing folder joined with the rest; null for a
 * dangling link, whose target cannot be judged.
 */
async function realPathOfNearest(file: string): Promise<string | null> {
  const rest: string[] = [];
  let current = path.resolve(file);
  for (;;) {
    try {
      return path.join(await fs.realpath(current), ...rest);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      if (await fs.lstat(current).then(() => true, () => false)) return null;
      const parent = path.dirname(current);
      if (parent === current) return current;
      rest.unshift(path.basename(current));
      current = parent;
    }
  }
}

export async function readReviewReport(reportPath: string): Promise<ReviewReport> {
  let text: string;
  try {
    const info = await fs.stat(reportPath);
    if (info.size > MAX_REPORT_BYTES) throw new ReviewError('EBAD_REPORT', `The review report ${reportPath} is too large to show.`);
    text = await fs.readFile(reportPath, 'utf8');
  } catch (error) {
    if (error instanceof ReviewError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ReviewError('ENOT_FOUND', `The review report is missing: ${reportPath}. Process the deck again to recreate it.`);
    throw new ReviewError('EUNREADABLE', `Cannot read the review report ${reportPath} (${code ?? String(error)}).`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ReviewError('EBAD_REPORT', `The review report ${reportPath} is damaged (not JSON).`);
  }
  const parsed = reportSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ReviewError('EBAD_REPORT', `${reportPath} is not an alt-text report: it has no list of pictures with keys.`);
  }
  return parsed.data;
}
