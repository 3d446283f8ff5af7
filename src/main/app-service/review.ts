import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { reportPathsFor } from '../../shared/alt-text-report';
import type { ManifestDocument, QueueItem } from '../../shared/batch-types';
import type { ReviewData, ReviewPicture } from '../../shared/ipc-contract';
import { BridgeFailure } from './bridge-failure';
import { isInsideFolder } from './shell-policy';

/**
 * The review screen's data: a processed deck's `<output>.alt-text.json`, read leniently (a
 * report from an older processor misses fields, it is not refused) but bounded, and turned
 * into the contract's ReviewPicture. Edits are checked against the report before anything is
 * written.
 */

/** Thumbnails make reports large, but not this large. */
const MAX_REPORT_BYTES = 64 * 1024 * 1024;
/** Only raster data: URLs reach the page as thumbnails. */
const THUMBNAIL = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+$/;

const reportPictureSchema = z
  .object({
    key: z.string().min(1),
    slide: z.number().int().catch(0),
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
    thumbnail: z.string().nullable().optional().catch(null),
  })
  .loose();

const reportSchema = z.object({ pictures: z.array(reportPictureSchema) }).loose();

export type ReviewReport = z.infer<typeof reportSchema>;

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

/**
 * The processed deck at `index` and its report, or why there is none. A manifest lives in its
 * batch's output folder, so the copy and report it names must be in that folder too: paths
 * read from a manifest are data, and a crafted one must not make review read, or apply
 * write, anywhere else.
 */
export function reviewTarget(document: ManifestDocument, index: number, manifestPath: string): ReviewTarget {
  const item = document.queue.items[index];
  if (!item) throw new BridgeFailure('EBAD_REQUEST', `Batch ${document.batch_id} has no file number ${index}.`);
  const outputPath = item.result?.output_path;
  if (item.status !== 'complete' || !outputPath) {
    const name = path.basename(item.path);
    const why = document.metadata.dry_run ? 'a dry run writes no copies' : `it is ${item.status}`;
    throw new BridgeFailure('ENOT_FOUND', `${name} has no review: ${why}. Process it first.`);
  }
  const reportPath = item.result?.reports?.find((report) => report.endsWith('.alt-text.json')) ?? reportPathsFor(outputPath).json;
  const folder = path.dirname(path.resolve(manifestPath));
  for (const named of [outputPath, reportPath]) {
    if (!isInside(named, folder)) {
      throw new BridgeFailure('EFORBIDDEN', `The batch's manifest names ${named}, which is outside its output folder ${folder}; it will not be opened or written.`);
    }
  }
  return { item, deckPath: item.path, outputPath, reportPath };
}

/**
 * `reviewTarget`, then the same rule by real paths, as the shell-open policy checks them: the
 * copy, its reports or a folder on the way may be links planted in the output folder to lead
 * elsewhere, and review reads, and apply writes, through them. A file not there yet is judged by
 * its nearest existing folder. Not guaranteed: that no link is planted between this check and
 * the reading or writing right after it.
 */
export async function resolveReviewTarget(document: ManifestDocument, index: number, manifestPath: string): Promise<ReviewTarget> {
  const target = reviewTarget(document, index, manifestPath);
  const folder = path.dirname(path.resolve(manifestPath));
  const realFolder = await fs.realpath(folder);
  for (const named of [target.outputPath, target.reportPath, reportPathsFor(target.outputPath).html]) {
    const real = await realPathOfNearest(named);
    if (real === null || real === realFolder || !isInsideFolder(real, realFolder)) {
      throw new BridgeFailure('EFORBIDDEN', `${named} leads outside the batch's output folder ${folder} through a link; it will not be opened or written.`);
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
    if (info.size > MAX_REPORT_BYTES) throw new BridgeFailure('EBAD_REQUEST', `The review report ${reportPath} is too large to show.`);
    text = await fs.readFile(reportPath, 'utf8');
  } catch (error) {
    if (error instanceof BridgeFailure) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BridgeFailure('ENOT_FOUND', `The review report is missing: ${reportPath}. Process the deck again to recreate it.`);
    throw Object.assign(new Error(`Cannot read the review report ${reportPath} (${code ?? String(error)}).`), { code: 'EUNREADABLE' });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw Object.assign(new Error(`The review report ${reportPath} is damaged (not JSON).`), { code: 'EBAD_REPORT' });
  }
  const parsed = reportSchema.safeParse(raw);
  if (!parsed.success) {
    throw Object.assign(new Error(`${reportPath} is not an alt-text report: it has no list of pictures with keys.`), { code: 'EBAD_REPORT' });
  }
  return parsed.data;
}

export function reviewData(target: ReviewTarget, report: ReviewReport): ReviewData {
  const pictures = report.pictures.map(
    (picture): ReviewPicture => ({
      key: picture.key,
      slide: picture.slide,
      shape_id: picture.shape_id,
      shape_name: picture.shape_name,
      before: picture.before,
      after: picture.after,
      decision: picture.decision,
      reason: picture.reason,
      needs_review: picture.needs_review,
      draft: picture.draft,
      kind: picture.kind,
      long_description: picture.long_description,
      thumbnail: picture.thumbnail && THUMBNAIL.test(picture.thumbnail) ? picture.thumbnail : null,
    }),
  );
  return { deck_path: target.deckPath, output_path: target.outputPath, report_path: target.reportPath, pictures };
}

export interface ReviewEdit {
  readonly key: string;
  readonly descr: string;
}

/**
 * The report with the edited descriptions in `after`, and how many of them change anything.
 * Every key must be a picture of the report.
 */
export function withEdits(report: ReviewReport, edits: readonly ReviewEdit[]): { report: ReviewReport; changed: number } {
  const byKey = new Map(edits.map((edit) => [edit.key, edit.descr.replace(/\s+/g, ' ').trim()]));
  const known = new Set(report.pictures.map((picture) => picture.key));
  const unknown = [...byKey.keys()].filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new BridgeFailure('EBAD_REQUEST', `This deck's report has no picture ${unknown.slice(0, 3).join(', ')}; reload the review.`);
  }
  let changed = 0;
  const pictures = report.pictures.map((picture) => {
    const descr = byKey.get(picture.key);
    if (descr === undefined || descr === (picture.after ?? '')) return picture;
    changed += 1;
    return { ...picture, after: descr };
  });
  return { report: { ...report, pictures }, changed };
}
