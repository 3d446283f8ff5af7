import type { StoredAuditCounts } from './accessibility-audit';
import type { BatchEvent } from './batch-events';
import type { DeckPlanCounts, ItemStatus, PauseReason, PictureCounts, ProcessorCounts, StatusCounts, StopReason } from './batch-types';
import type { AltgenConfig } from './config-schema';
import type { DeckLogEntry } from './deck-log';
import type { ItemErrorCode } from './error-codes';
import type {
  ReviewAction,
  ReviewApplied,
  ReviewChange,
  ReviewExportFormat,
  ReviewImage,
  ReviewPictureDetail,
  ReviewQueue,
  ReviewSlideItem,
  ReviewSlideQueue,
  ReviewSummary,
  SlideDecision,
} from './review-types';

/**
 * The one contract between the renderer and the main side, for both transports: Electron IPC
 * (preload + ipcMain handlers) and the WebSocket bridge of `altgen serve`. Adding a channel
 * here makes it exist in both; the preload, the handlers, the WebSocket shim and the
 * renderer's `window.altgen` all derive their types from these maps.
 *
 * Channel names: `domain:verb-noun` for requests; events in the past tense.
 * Every request is validated on the main side (a path from the renderer is data, not
 * permission); see src/main/app-service.
 */

/** One row of the queue table. */
export interface QueueRow {
  readonly index: number;
  readonly path: string;
  /** Path relative to the batch's input folder, for display. */
  readonly relative_path: string;
  readonly status: ItemStatus;
  readonly error: string | null;
  readonly error_code: ItemErrorCode | null;
  readonly skip_reason: string | null;
  readonly attempts: number;
  /** Pictures done / total while processing, or the final counts. */
  readonly pictures_done: number | null;
  readonly pictures_total: number | null;
  /** How long the file took, when it finished. */
  readonly duration_ms: number | null;
  /** The output deck and its review reports, when complete. */
  readonly output_path: string | null;
  readonly reports: readonly string[];
  /** Dry run: pictures (and charts, SmartArt, tables) the run will describe. */
  readonly pictures_missing_alt: number | null;
  /** A complete file's pictures: described, needing review (the model failed on some), drafted. */
  readonly picture_counts: PictureCounts | null;
  readonly warnings: readonly string[];
  /** What the processor did to a complete file's pictures, as it counted them (null in a dry run). */
  readonly result_counts: ProcessorCounts | null;
  /** A dry run's plan for the deck: what the run will describe, keep and leave alone. */
  readonly plan: DeckPlanCounts | null;
  /** A complete deck's accessibility audit: what it found, the checks that found something (absent before there was one). */
  readonly audit?: StoredAuditCounts;
  /** Of `audit`, what the run fixed in the copy (absent in a dry run). */
  readonly audit_fixed?: StoredAuditCounts;
}

export type BatchState = 'running' | 'stopping' | 'finished' | 'stopped';

export interface ModelStatus {
  readonly provider: string;
  readonly model: string;
  readonly base_url: string;
  readonly state: 'unknown' | 'ok' | 'unreachable' | 'model-missing' | 'bad-answer';
  readonly message: string | null;
  readonly fix: string | null;
  /** The models the server lists, when it answered with its list (to choose from in Settings). */
  readonly models?: readonly string[];
  /** How long one picture took with this model on this computer, measured in earlier runs; null before any. */
  readonly ms_per_picture?: number | null;
}

/** `model:check` of an address typed in Settings, before it is saved; null checks the saved one. */
export interface ModelCheckRequest {
  readonly provider: AltgenConfig['model']['provider'];
  readonly base_url: string;
  readonly name: string;
  /**
   * The environment variable holding the server's key (one of `model.servers`); left out, the
   * saved `model.api_key_env` is used, as a server entry without one does.
   */
  readonly api_key_env?: string | null;
}

/**
 * What a running batch waits for while it starts no file (the model server), and until when;
 * it goes on by itself once the wait is over, or stops at `until`.
 */
export interface BatchPause {
  readonly reason: PauseReason;
  /** The batch's diagnosis in one plain sentence, without advice: the screen gives that once. */
  readonly message: string;
  /** Local ISO timestamp (like the manifest's) at which the batch gives up waiting. */
  readonly until: string;
}

/** Everything the renderer needs to draw a batch; rebuilt from this on load, then kept current by events. */
export interface BatchSnapshot {
  readonly batch_id: string;
  readonly manifest_path: string;
  readonly output_dir: string;
  readonly input_root: string | null;
  readonly dry_run: boolean;
  readonly state: BatchState;
  readonly stop_reason: StopReason | null;
  readonly stop_message: string | null;
  /** Set while a running batch waits (for the model server); null otherwise. */
  readonly pause: BatchPause | null;
  readonly counts: StatusCounts;
  /** The batch's own time: every run of it added up (resumes and retries included). */
  readonly elapsed_ms: number;
  /** An estimate; null while there is nothing to estimate from. */
  readonly eta_ms: number | null;
  readonly max_workers: number;
  readonly rows: readonly QueueRow[];
  readonly warnings: readonly string[];
  /** The pictures of the complete files; null in a dry run, which describes none. */
  readonly pictures: PictureCounts | null;
  /** Dry run totals; `pictures_for_model` are the pictures the run will ask the model about. */
  readonly totals: {
    readonly decks: number;
    readonly pictures: number;
    readonly pictures_missing_alt: number;
    readonly pictures_for_model: number;
  } | null;
  /** The batch's name, from its input folder ("Fall 2026 – Cardiology"); absent for a batch without one. */
  readonly name?: string;
  /** The user paused the running batch: no deck or picture starts until they let it go on. */
  readonly user_paused?: boolean;
  /** Pending decks moved to the front, in the order they start, before the others (queue order). */
  readonly queue_front?: readonly number[];
}

export interface DiscoveredRow {
  readonly path: string;
  readonly relative_path: string;
  readonly action: 'process' | 'skip' | 'fail';
  readonly code: ItemErrorCode | null;
  /** Why a file is skipped or cannot be processed; for one that is processed, a note if any. */
  readonly reason: string | null;
}

export interface DiscoveryPreview {
  readonly input_root: string;
  readonly suggested_output_dir: string;
  readonly files: readonly DiscoveredRow[];
  readonly warnings: readonly string[];
}

export interface KnownBatch {
  readonly batch_id: string;
  readonly manifest_path: string;
  readonly output_dir: string;
  readonly dry_run: boolean;
  readonly start_time: string | null;
  readonly end_time: string | null;
  readonly counts: StatusCounts | null;
  readonly stop_reason: StopReason | null;
  readonly unfinished: boolean;
  /** Why the manifest could not be read (moved, deleted, damaged). */
  readonly problem: string | null;
  /** A dry run's finding that the model server or model was not ready, in its words; null when it was. */
  readonly model_problem?: string | null;
  /** The batch's name, from its input folder ("Fall 2026 – Cardiology"). */
  readonly name?: string;
  /** The folder its decks came from; null for a batch of decks from several folders' roots. */
  readonly input_root?: string | null;
  /** How long the batch has run, every run of it added up; null when its manifest cannot say. */
  readonly duration_ms?: number | null;
}

/** What the app does once a batch ends by itself (not when the user stops it), as HandBrake's "When done". */
export type WhenDone = 'nothing' | 'notify' | 'quit';

export const WHEN_DONE_CHOICES: readonly WhenDone[] = ['nothing', 'notify', 'quit'];

/** A deck's log (`batch:get-log`): what the runner and the deck's processor recorded, oldest first. */
export interface DeckLog {
  readonly path: string;
  readonly entries: readonly DeckLogEntry[];
}

/** `batches:clean-up`: the `altgen cleanup` rules over every output folder this computer knows. */
export interface CleanupReport {
  /** Finished batches older than `retention_days`: removed, or (a preview) to be removed. */
  readonly removed: readonly { readonly batch_id: string; readonly manifest_path: string; readonly name: string }[];
  /** Batches kept: unfinished ones (they can be resumed), recent ones, and manifests that cannot be read. */
  readonly kept: number;
  /** Batches whose manifest is gone (moved or deleted): taken off the list. */
  readonly forgotten: number;
  readonly retention_days: number;
}

/** A picture of a processed deck, for the review screen (from `<deck>.alt-text.json`). */
export interface ReviewPicture {
  readonly key: string;
  readonly slide: number;
  readonly shape_id: string;
  readonly shape_name: string;
  readonly before: string | null;
  readonly after: string | null;
  readonly decision: string;
  readonly reason: string;
  readonly needs_review: boolean;
  readonly draft: boolean;
  /** picture, chart, smartart or table (charts, SmartArt and tables are described from their data). */
  readonly kind: string;
  /** The longer description written into the speaker notes, if any. */
  readonly long_description: string | null;
  /** A small data: URL thumbnail, when the report has one. */
  readonly thumbnail: string | null;
}

export interface ReviewData {
  readonly deck_path: string;
  readonly output_path: string;
  readonly report_path: string;
  readonly pictures: readonly ReviewPicture[];
}

export interface FolderListing {
  readonly path: string;
  readonly parent: string | null;
  readonly entries: readonly { readonly name: string; readonly kind: 'folder' | 'deck' }[];
}

/** Where the folder browser offers to start: home, recent folders, drives, volumes and network shares. */
export interface FolderPlaces {
  readonly home: string;
  /** Folders used lately (decks found in them, or copies written to them), most recent first. */
  readonly recent: readonly string[];
  readonly volumes: readonly { readonly name: string; readonly path: string; readonly kind: 'drive' | 'volume' | 'network' }[];
}

export interface AppInfo {
  readonly version: string;
  readonly host: 'electron' | 'web';
  readonly platform: string;
  readonly config_path: string | null;
}

export interface SettingsView {
  readonly config: AltgenConfig;
  /** Where settings are saved (the user's config.yaml). */
  readonly path: string;
}

/** The settings the UI edits; saved into the user's config.yaml. */
export interface SettingsPatch {
  /** `servers` replaces the whole list (empty: `base_url` alone). */
  readonly model?: Partial<Pick<AltgenConfig['model'], 'provider' | 'base_url' | 'name' | 'servers'>>;
  readonly alt_text?: Partial<
    Pick<
      AltgenConfig['alt_text'],
      'policy' | 'decorative' | 'char_limit' | 'course' | 'language' | 'long_descriptions' | 'read_text_in_images' | 'include_layouts'
    >
  >;
  readonly batch_processing?: Partial<
    Pick<AltgenConfig['batch_processing'], 'default_max_workers' | 'stop_on_error_threshold' | 'file_timeout_seconds' | 'model_wait_minutes'>
  >;
  readonly cache?: Partial<Pick<AltgenConfig['cache'], 'enabled'>>;
}

/** One picture of a batch's review: the deck by its input path, the picture by its report key. */
export interface ReviewPictureRequest {
  readonly manifest_path: string;
  readonly deck: string;
  readonly key: string;
}

/** Requests: channel → request and response types. */
export interface InvokeContract {
  'app:get-info': { request: null; response: AppInfo };
  /**
   * Folders and decks, mixed, as typed (`~`, quotes; relative names where the host has a base
   * folder). A path that cannot be used or does not exist is refused (EBAD_PATH, ENOT_FOUND)
   * with a sentence for the field.
   */
  'inputs:discover': { request: { readonly paths: readonly string[] }; response: DiscoveryPreview };
  'batch:start': {
    request: {
      readonly paths: readonly string[];
      readonly output_dir: string;
      readonly dry_run: boolean;
      readonly max_workers?: number;
      /** The dry run that checked these files: its plan tells the run's ETA how many pictures each deck has. */
      readonly dry_run_manifest?: string;
      /** Decks found under `paths` that the user left out of the batch (the preview's "Include"). */
      readonly exclude?: readonly string[];
      /** The folder the copies mirror, when `paths` are decks of a folder (a dry run's ready decks). */
      readonly input_root?: string;
    };
    response: { readonly batch_id: string; readonly manifest_path: string };
  };
  /**
   * `retry_failed` puts every failed file back in the queue; `only_index` puts that one failed or
   * skipped file back. Either way the whole batch then resumes (its other pending files run too).
   */
  'batch:resume': {
    request: { readonly manifest_path: string; readonly retry_failed?: boolean; readonly only_index?: number };
    response: { readonly batch_id: string; readonly manifest_path: string };
  };
  /** Does nothing when no batch runs. */
  'batch:stop': { request: { readonly mode: 'after-current' | 'now' }; response: null };
  /**
   * A batch waiting for the model server asks it now instead of at its next poll; if it answers,
   * the batch goes on at once. `answering` is false when it still does not (or nothing waits).
   */
  'batch:try-model-now': { request: null; response: { readonly answering: boolean } };
  /** No deck and no picture starts until `batch:continue`; what runs finishes. Does nothing when no batch runs. */
  'batch:pause': { request: null; response: null };
  'batch:continue': { request: null; response: null };
  /**
   * Queue changes to one pending deck of a batch, running or not: start it next (`move-to-front`),
   * leave it for a later resume (`skip-file`), or take it out of the batch (`remove-file`, until
   * `put-back-file` puts a deck skipped or removed so back in the queue).
   */
  'queue:move-to-front': { request: { readonly manifest_path: string; readonly index: number }; response: null };
  'queue:skip-file': { request: { readonly manifest_path: string; readonly index: number }; response: null };
  'queue:remove-file': { request: { readonly manifest_path: string; readonly index: number }; response: null };
  'queue:put-back-file': { request: { readonly manifest_path: string; readonly index: number }; response: null };
  'batch:get-log': { request: { readonly manifest_path: string; readonly index: number }; response: DeckLog };
  'app:get-when-done': { request: null; response: WhenDone };
  /** `quit` only where the host can quit (the desktop app); the answer is the choice now in force. */
  'app:set-when-done': { request: { readonly when_done: WhenDone }; response: WhenDone };
  'batch:get-current': { request: null; response: BatchSnapshot | null };
  /** Becomes the current batch (and is pushed as `batch:snapshot-replaced`) unless another one is running. */
  'batch:open': { request: { readonly manifest_path: string }; response: BatchSnapshot };
  'batches:list': { request: null; response: readonly KnownBatch[] };
  /** `dry_run: true` only says what would be removed. */
  'batches:clean-up': { request: { readonly dry_run: boolean }; response: CleanupReport };
  'model:check': { request: ModelCheckRequest | null; response: ModelStatus };
  'settings:get': { request: null; response: SettingsView };
  'settings:save': { request: SettingsPatch; response: SettingsView };
  'review:get': { request: { readonly manifest_path: string; readonly index: number }; response: ReviewData };
  'review:apply': {
    request: {
      readonly manifest_path: string;
      readonly index: number;
      readonly edits: readonly { readonly key: string; readonly descr: string }[];
    };
    response: { readonly output_path: string; readonly changed: number };
  };
  /** `path` as typed (`~/Lectures`, quoted, relative where the host has a base folder); null for home. */
  'folders:list': { request: { readonly path: string | null }; response: FolderListing };
  'folders:places': { request: null; response: FolderPlaces };
  /** Empties the description cache; says how many descriptions it held and where. */
  'cache:clear': { request: null; response: { readonly removed: number; readonly folder: string } };
  'shell:open-path': { request: { readonly path: string }; response: null };
  'shell:show-in-folder': { request: { readonly path: string }; response: null };
  /** The native folder picker (Electron); the web host answers null and the UI offers folders:list. */
  'dialog:pick-folder': { request: null; response: string | null };
  /** The review of a whole batch: every picture of every complete deck, with what reviewers decided. */
  'review:get-queue': { request: { readonly manifest_path: string }; response: ReviewQueue };
  /** How far a batch's review is, per deck (for the queue and History). */
  'review:get-summary': { request: { readonly manifest_path: string }; response: ReviewSummary };
  'review:get-picture': { request: ReviewPictureRequest; response: ReviewPictureDetail };
  /** The picture at full resolution; null when it has no image the page can show. */
  'review:get-image': { request: ReviewPictureRequest; response: ReviewImage | null };
  /** One reviewer's action on one picture, saved before it is answered. */
  'review:act': { request: ReviewPictureRequest & { readonly action: ReviewAction }; response: ReviewChange };
  /** Asks the model again about one picture, with the reviewer's hint. */
  'review:regenerate': { request: ReviewPictureRequest & { readonly hint: string | null }; response: ReviewChange };
  /** Writes the reviewed decisions of every deck into its copy; the previous copies are kept for Undo. */
  'review:apply-all': { request: { readonly manifest_path: string }; response: ReviewApplied };
  'review:undo-apply': { request: { readonly manifest_path: string }; response: { readonly decks: number; readonly summary: ReviewSummary } };
  /** Writes the review for sign-off (Word or CSV) into the batch's output folder; answers its path. */
  'review:export': { request: { readonly manifest_path: string; readonly format: ReviewExportFormat }; response: { readonly path: string } };
  /** The slide items of a batch (missing title, reading order, low contrast), with what reviewers decided. */
  'review:get-slides': { request: { readonly manifest_path: string }; response: ReviewSlideQueue };
  /** One reviewer's decision on one slide item (`key` as in the slide queue), saved before it is answered. */
  'review:decide-slide': { request: ReviewPictureRequest & { readonly decision: SlideDecision }; response: ReviewSlideItem };
}

/** Events pushed from main: channel → payload. */
export interface EventContract {
  /** Every batch event, after it is durable. */
  'batch:changed': BatchEvent;
  /**
   * The current batch's full state, sent when a batch starts or is opened (and when a run ends
   * without its final event). It reflects every `batch:changed` sent before it.
   */
  'batch:snapshot-replaced': BatchSnapshot | null;
  /**
   * Folders or decks handed to the app from outside (a second launch of the desktop app with a
   * folder argument): the UI previews them as if they had been dropped.
   */
  'app:folder-opened': { readonly paths: readonly string[] };
  /**
   * A batch ended while "When done" was "notify" and the host shows no notification of its own
   * (the browser): the page shows this one (the Notification API) and says it in the page.
   */
  'app:notification-requested': { readonly title: string; readonly body: string };
}

export type InvokeChannel = keyof InvokeContract;
export type EventChannel = keyof EventContract;
export type RequestOf<C extends InvokeChannel> = InvokeContract[C]['request'];
export type ResponseOf<C extends InvokeChannel> = InvokeContract[C]['response'];

export const INVOKE_CHANNELS = [
  'app:get-info',
  'inputs:discover',
  'batch:start',
  'batch:resume',
  'batch:stop',
  'batch:try-model-now',
  'batch:pause',
  'batch:continue',
  'queue:move-to-front',
  'queue:skip-file',
  'queue:remove-file',
  'queue:put-back-file',
  'batch:get-log',
  'app:get-when-done',
  'app:set-when-done',
  'batch:get-current',
  'batch:open',
  'batches:list',
  'batches:clean-up',
  'model:check',
  'settings:get',
  'settings:save',
  'review:get',
  'review:apply',
  'folders:list',
  'folders:places',
  'cache:clear',
  'shell:open-path',
  'shell:show-in-folder',
  'dialog:pick-folder',
  'review:get-queue',
  'review:get-summary',
  'review:get-picture',
  'review:get-image',
  'review:act',
  'review:regenerate',
  'review:apply-all',
  'review:undo-apply',
  'review:export',
  'review:get-slides',
  'review:decide-slide',
] as const satisfies readonly InvokeChannel[];

/** Compile-time check that INVOKE_CHANNELS lists every channel of the contract. */
export type UnlistedChannels = Exclude<InvokeChannel, (typeof INVOKE_CHANNELS)[number]>;
export const ALL_CHANNELS_LISTED: UnlistedChannels extends never ? true : false = true;

export const EVENT_CHANNELS = [
  'batch:changed',
  'batch:snapshot-replaced',
  'app:folder-opened',
  'app:notification-requested',
] as const satisfies readonly EventChannel[];

/** Compile-time check that EVENT_CHANNELS lists every event of the contract. */
export type UnlistedEvents = Exclude<EventChannel, (typeof EVENT_CHANNELS)[number]>;
export const ALL_EVENTS_LISTED: UnlistedEvents extends never ? true : false = true;

/**
 * Errors cross the bridge as data: a stable code and a sentence for the user. Besides the core's
 * own codes (ENO_PROCESSOR, EBATCH_LOCKED, ENO_DECKS, ECONFIG, …) the bridge itself answers:
 * EBAD_REQUEST (arguments that do not fit the contract), EBAD_PATH and EBAD_OUTPUT_DIR (a typed
 * path of the decks or of the output folder that cannot be used, said as a sentence for that
 * field), EBUSY (a batch is already running),
 * EFORBIDDEN (a path outside the batch, or a sender that is not our window), ENOT_AVAILABLE (not
 * in this host, e.g. opening files from the web UI), EDISCONNECTED (the web bridge lost its
 * socket) and EINTERNAL (a bug). `invoke` rejects with an Error that carries `code`.
 */
export interface BridgeError {
  readonly code: string;
  readonly message: string;
}

export function isBridgeError(value: unknown): value is BridgeError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(value);
}

export function isEventChannel(value: unknown): value is EventChannel {
  return typeof value === 'string' && (EVENT_CHANNELS as readonly string[]).includes(value);
}

/** What a handler answers, on both transports: errors travel as values so their codes survive. */
export type BridgeResult<T> = { readonly ok: true; readonly response: T } | { readonly ok: false; readonly error: BridgeError };

/** One pushed event, as both transports deliver it. */
export type BridgeEvent = { [E in EventChannel]: { readonly event: E; readonly payload: EventContract[E] } }[EventChannel];

/**
 * A file dropped on the page: the page's DOM `File`, named by the members every `File` has,
 * because src/shared compiles without the DOM. The bridge only hands it to Electron.
 */
export interface DroppedFile {
  readonly name: string;
  readonly size: number;
  readonly lastModified: number;
}

/** What the renderer sees as `window.altgen`, identical in Electron and in the browser. */
export interface AltgenBridge {
  invoke<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** Returns the unsubscribe function. */
  on<E extends EventChannel>(channel: E, listener: (payload: EventContract[E]) => void): () => void;
  /** Electron only: the file-system path of a dropped File (webUtils.getPathForFile); null in the browser. */
  pathForFile(file: DroppedFile): string | null;
}
