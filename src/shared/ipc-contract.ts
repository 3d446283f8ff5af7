import type { BatchEvent } from './batch-events';
import type { ItemStatus, PictureCounts, StatusCounts, StopReason } from './batch-types';
import type { AltgenConfig } from './config-schema';
import type { ItemErrorCode } from './error-codes';

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
  /** Dry run: pictures that need alt text. */
  readonly pictures_missing_alt: number | null;
  /** A complete file's pictures: described, needing review (the model failed on some), drafted. */
  readonly picture_counts: PictureCounts | null;
  readonly warnings: readonly string[];
}

export type BatchState = 'running' | 'stopping' | 'finished' | 'stopped';

export interface ModelStatus {
  readonly provider: string;
  readonly model: string;
  readonly base_url: string;
  readonly state: 'unknown' | 'ok' | 'unreachable' | 'model-missing' | 'bad-answer';
  readonly message: string | null;
  readonly fix: string | null;
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
  readonly counts: StatusCounts;
  readonly elapsed_ms: number;
  /** An estimate; null before the first file of this run completes. */
  readonly eta_ms: number | null;
  readonly max_workers: number;
  readonly rows: readonly QueueRow[];
  readonly warnings: readonly string[];
  /** The pictures of the complete files; null in a dry run, which describes none. */
  readonly pictures: PictureCounts | null;
  /** Dry run totals. */
  readonly totals: { readonly decks: number; readonly pictures: number; readonly pictures_missing_alt: number } | null;
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
  readonly model?: Partial<Pick<AltgenConfig['model'], 'provider' | 'base_url' | 'name'>>;
  readonly alt_text?: Partial<Pick<AltgenConfig['alt_text'], 'policy' | 'decorative' | 'char_limit'>>;
  readonly batch_processing?: Partial<
    Pick<AltgenConfig['batch_processing'], 'default_max_workers' | 'stop_on_error_threshold' | 'file_timeout_seconds'>
  >;
}

/** Requests: channel → request and response types. */
export interface InvokeContract {
  'app:get-info': { request: null; response: AppInfo };
  /** Folders and decks, mixed; a path that does not exist is a `fail` row, not an error. */
  'inputs:discover': { request: { readonly paths: readonly string[] }; response: DiscoveryPreview };
  'batch:start': {
    request: { readonly paths: readonly string[]; readonly output_dir: string; readonly dry_run: boolean; readonly max_workers?: number };
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
  'batch:get-current': { request: null; response: BatchSnapshot | null };
  /** Becomes the current batch (and is pushed as `batch:snapshot-replaced`) unless another one is running. */
  'batch:open': { request: { readonly manifest_path: string }; response: BatchSnapshot };
  'batches:list': { request: null; response: readonly KnownBatch[] };
  'model:check': { request: null; response: ModelStatus };
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
  'folders:list': { request: { readonly path: string | null }; response: FolderListing };
  'shell:open-path': { request: { readonly path: string }; response: null };
  'shell:show-in-folder': { request: { readonly path: string }; response: null };
  /** The native folder picker (Electron); the web host answers null and the UI offers folders:list. */
  'dialog:pick-folder': { request: null; response: string | null };
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
  'batch:get-current',
  'batch:open',
  'batches:list',
  'model:check',
  'settings:get',
  'settings:save',
  'review:get',
  'review:apply',
  'folders:list',
  'shell:open-path',
  'shell:show-in-folder',
  'dialog:pick-folder',
] as const satisfies readonly InvokeChannel[];

/** Compile-time check that INVOKE_CHANNELS lists every channel of the contract. */
export type UnlistedChannels = Exclude<InvokeChannel, (typeof INVOKE_CHANNELS)[number]>;
export const ALL_CHANNELS_LISTED: UnlistedChannels extends never ? true : false = true;

export const EVENT_CHANNELS = ['batch:changed', 'batch:snapshot-replaced', 'app:folder-opened'] as const satisfies readonly EventChannel[];

/** Compile-time check that EVENT_CHANNELS lists every event of the contract. */
export type UnlistedEvents = Exclude<EventChannel, (typeof EVENT_CHANNELS)[number]>;
export const ALL_EVENTS_LISTED: UnlistedEvents extends never ? true : false = true;

/**
 * Errors cross the bridge as data: a stable code and a sentence for the user. Besides the core's
 * own codes (ENO_PROCESSOR, EBATCH_LOCKED, ENO_DECKS, ECONFIG, …) the bridge itself answers:
 * EBAD_REQUEST (arguments that do not fit the contract), EBUSY (a batch is already running),
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
