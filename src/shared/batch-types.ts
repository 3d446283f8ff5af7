import type { StoredAuditCounts } from './accessibility-audit';
import type { ItemErrorCode } from './error-codes';

/** The five statuses of the seed, exactly. */
export type ItemStatus = 'pending' | 'processing' | 'complete' | 'failed' | 'skipped';

export const ITEM_STATUSES: readonly ItemStatus[] = [
  'pending',
  'processing',
  'complete',
  'failed',
  'skipped',
];

/** Size + mtime of an input when it was completed; a resume re-runs the file if it changed. */
export interface InputFingerprint {
  readonly size: number;
  readonly mtime_ms: number;
}

/** Why the run will leave a picture, chart, SmartArt graphic or table without alt text of its own. */
export type PlanSkipReason =
  | 'in-layout' // in a slide layout or master, and alt_text.include_layouts is off
  | 'linked' // a linked picture: its image is not inside the deck
  | 'no-image' // the shape has no picture data, or names no image part
  | 'unreadable-image' // its image part is missing or cannot be read
  | 'nothing-to-describe'; // a chart, SmartArt graphic or table with nothing in it

export const PLAN_SKIP_REASONS: readonly PlanSkipReason[] = ['in-layout', 'linked', 'no-image', 'unreadable-image', 'nothing-to-describe'];

/**
 * What the run will do to one deck, counted: the processor's own plan (processor/plan-deck.ts),
 * so a dry run under the same settings says exactly what the run acts on.
 */
export interface DeckPlanCounts {
  /** Every picture and graphic the run lists: its report's `pictures`. */
  readonly pictures: number;
  /** Pictures the model will describe (with `provider: offline`, draft). */
  readonly to_describe: number;
  /** Charts, SmartArt graphics and tables whose alt text is written from their own data. */
  readonly graphics_to_describe: number;
  /** Real alt text that is kept (and, under `missing-only`, weak text). */
  readonly to_keep: number;
  /** Already marked decorative: never touched. */
  readonly decorative: number;
  /** Likely decorative, to be marked so (`alt_text.decorative: apply`). */
  readonly to_mark_decorative: number;
  /** Left alone, by why. */
  readonly skipped: Readonly<Record<PlanSkipReason, number>>;
}

/** What a dry run learned about one deck. */
export interface DeckInspection {
  readonly slides: number;
  /** `plan.pictures`: every picture and graphic the run lists. */
  readonly pictures: number;
  /** What the run will describe: `plan.to_describe + plan.graphics_to_describe`. */
  readonly pictures_missing_alt: number;
  readonly entries: number;
  readonly uncompressed_bytes: number;
  /** The plan's counts; absent in manifests of dry runs made before there was a plan. */
  readonly plan?: DeckPlanCounts;
  /** The accessibility audit's counts, the checks that found something (src/main/audit); absent in manifests made before there was one. */
  readonly audit?: StoredAuditCounts;
}

/** Counts a processor reports in its final `result` event (DESIGN.md, "Processor protocol"). */
export interface ProcessorCounts {
  readonly pictures?: number;
  readonly described?: number;
  /** Offline drafts written (provider: offline); they need review. */
  readonly drafted?: number;
  readonly preserved?: number;
  readonly decorative?: number;
  readonly skipped?: number;
  readonly needs_review?: number;
  /** Of `needs_review`: pictures the model answered but whose answer could not be used. */
  readonly model_failed?: number;
  readonly model_calls?: number;
  readonly cache_hits?: number;
  /** Of `skipped`: why the pictures were left alone (layouts, linked pictures…), as the plan said. */
  readonly skipped_reasons?: Readonly<Partial<Record<PlanSkipReason, number>>>;
  /** The accessibility audit of the input deck: what it found, by check, the checks that found something (src/main/audit). */
  readonly audit?: StoredAuditCounts;
  /** Of `audit`: what the run fixed in the copy (alt text, and the opt-in `accessibility` fixes). */
  readonly audit_fixed?: StoredAuditCounts;
}

export interface ItemResult extends ProcessorCounts {
  /** Output deck, absolute. Absent for dry runs. */
  readonly output_path?: string;
  readonly reports?: readonly string[];
  readonly warnings?: readonly string[];
  readonly duration_seconds?: number;
  readonly dry_run?: boolean;
  readonly inspection?: DeckInspection;
}

/**
 * One queue item. Field names are the seed's (and the Python tool's) and must not be renamed;
 * `attempts`, `error_code` and `fingerprint` are ours.
 */
export interface QueueItem {
  readonly path: string;
  readonly status: ItemStatus;
  readonly added_at: string;
  readonly started_at: string | null;
  readonly completed_at: string | null;
  readonly error: string | null;
  readonly skip_reason: string | null;
  readonly result: ItemResult | null;
  readonly attempts: number;
  readonly error_code: ItemErrorCode | null;
  readonly fingerprint: InputFingerprint | null;
}

export type StopReason =
  | 'finished' // every item reached a terminal state
  | 'error-threshold' // failed / attempted exceeded stop_on_error_threshold
  | 'model-unavailable' // the processor reported that the model server is down: paused
  | 'model-missing' // the configured model is not installed on the server
  | 'model-unusable' // the model answers, but answer after answer could not be used
  | 'stop-after-current' // the user asked to stop once running files finish
  | 'stop-now' // the user asked to stop immediately
  | 'interrupted'; // SIGINT / SIGTERM

/**
 * Why a running batch waits instead of starting files: the model server stopped answering.
 * It starts files again by itself when the server is back, or stops with the StopReason of the
 * same name once `batch_processing.model_wait_minutes` have passed.
 */
export type PauseReason = 'model-unavailable';

export interface BatchMetadata {
  readonly processor: string | null;
  readonly dry_run: boolean;
  readonly max_workers: number;
  readonly stop_reason?: StopReason | null;
  readonly stop_message?: string | null;
  readonly config_path?: string | null;
  readonly [extra: string]: unknown;
}

/** The manifest document (`batch_<id>_manifest.json`). */
export interface ManifestDocument {
  readonly version: string;
  readonly batch_id: string;
  readonly output_dir: string;
  readonly input_root: string | null;
  readonly start_time: string | null;
  readonly end_time: string | null;
  readonly metadata: BatchMetadata;
  readonly queue: { readonly items: readonly QueueItem[] };
}

export interface StatusCounts {
  readonly total: number;
  readonly pending: number;
  readonly processing: number;
  readonly complete: number;
  readonly failed: number;
  readonly skipped: number;
}

export function countStatuses(items: readonly Pick<QueueItem, 'status'>[]): StatusCounts {
  const counts = { total: items.length, pending: 0, processing: 0, complete: 0, failed: 0, skipped: 0 };
  for (const item of items) counts[item.status] += 1;
  return counts;
}

/** What happened to the pictures of a batch's complete files (from their processors' counts). */
export interface PictureCounts {
  readonly described: number;
  /** Pictures that need review: nothing was written for them. */
  readonly needs_review: number;
  /** Of `needs_review`: the model answered, but its answer could not be used. */
  readonly model_failed: number;
  /** Drafts written without a model (provider: offline): written, and to be checked. */
  readonly drafted: number;
}

export function pictureCountsOf(result: ProcessorCounts | null | undefined): PictureCounts {
  return {
    described: result?.described ?? 0,
    needs_review: result?.needs_review ?? 0,
    model_failed: result?.model_failed ?? 0,
    drafted: result?.drafted ?? 0,
  };
}

export function addPictureCounts(a: PictureCounts, b: PictureCounts, sign: 1 | -1 = 1): PictureCounts {
  return {
    described: a.described + sign * b.described,
    needs_review: a.needs_review + sign * b.needs_review,
    model_failed: a.model_failed + sign * b.model_failed,
    drafted: a.drafted + sign * b.drafted,
  };
}

export const NO_PICTURES: PictureCounts = { described: 0, needs_review: 0, model_failed: 0, drafted: 0 };

export function countPictures(items: readonly Pick<QueueItem, 'status' | 'result'>[]): PictureCounts {
  let counts = NO_PICTURES;
  for (const item of items) if (item.status === 'complete') counts = addPictureCounts(counts, pictureCountsOf(item.result));
  return counts;
}

/** A complete file with pictures the model could not describe: a retry once the model is fixed redoes it. */
export function hasModelFailures(item: Pick<QueueItem, 'status' | 'result'>): boolean {
  return item.status === 'complete' && (item.result?.model_failed ?? 0) > 0;
}

/** A batch is unfinished while anything is pending or processing. */
export function isUnfinished(counts: StatusCounts): boolean {
  return counts.pending + counts.processing > 0;
}
