import type { ReviewData, ReviewPicture } from '../../shared/ipc-contract';
import type { ReviewReport, ReviewTarget } from '../review/review-target';
import { BridgeFailure } from './bridge-failure';

export { readReviewReport, resolveReviewTarget, reviewTarget } from '../review/review-target';
export type { ReviewReport, ReviewTarget } from '../review/review-target';

/**
 * One deck's review (`review:get`, `review:apply`): a processed deck's `<output>.alt-text.json`
 * (read and checked by review/review-target.ts) turned into the contract's ReviewPicture. Edits
 * are checked against the report before anything is written.
 */

/** Only raster data: URLs reach the page as thumbnails. */
const THUMBNAIL = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+$/;

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
