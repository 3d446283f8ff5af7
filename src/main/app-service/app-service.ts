import { realpath } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BatchEvent } from '../../shared/batch-events';
import type { ManifestDocument } from '../../shared/batch-types';
import { FINAL_SKIP_CODES } from '../../shared/error-codes';
import type {
  AppInfo,
  BatchSnapshot,
  BridgeEvent,
  BridgeResult,
  DiscoveryPreview,
  FolderListing,
  FolderPlaces,
  InvokeChannel,
  KnownBatch,
  ModelCheckRequest,
  ModelStatus,
  RequestOf,
  ResponseOf,
  ReviewData,
  SettingsView,
} from '../../shared/ipc-contract';
import { isInvokeChannel } from '../../shared/ipc-contract';
import { transition } from '../../shared/item-state';
import { localIsoTimestamp } from '../../shared/time-format';
import { BatchIndex } from '../batch/batch-index';
import { BatchError } from '../batch/batch-error';
import { BatchRunner } from '../batch/batch-runner';
import { acquireLock } from '../batch/file-locks';
import { ManifestStore, batchIdFromFileName } from '../batch/manifest-store';
import { checkModelServer } from '../batch/model-check';
import { userDataDir } from '../config/load-config';
import { saveConfigPatch } from '../config/save-config';
import type { StopMode } from './active-run';
import { ActiveRun } from './active-run';
import { AppConfig } from './app-config';
import { BatchTracker } from './batch-tracker';
import { cleanUpKnownBatches, historyDetails } from './batch-history';
import { BridgeFailure, toBridgeError } from './bridge-failure';
import { withChoices } from './preview-choices';
import type { WhenDoneHost } from './queue-service';
import { QueueService } from './queue-service';
import { clearDescriptionCache } from './cache-clear';
import { listFolder } from './folder-listing';
import { listVolumes } from './folder-places';
import { discoverPaths, foldersOf, previewOf } from './input-discovery';
import { RecentFolders } from './recent-folders';
import type { PathContext } from './typed-paths';
import { requireTypedPath, resolveExistingPaths } from './typed-paths';
import { PictureTiming } from './picture-timing';
import { plannedPicturesOf } from './planned-pictures';
import { parseRequest } from './request-schemas';
import { BatchReviews } from './batch-reviews';
import type { ReviewApplier } from './review-applier';
import { applyWithProcessor } from './review-applier';
import { readReviewReport, resolveReviewTarget, reviewData, withEdits } from './review';
import type { BatchRoots } from './shell-policy';
import { checkShellPath } from './shell-policy';

/**
 * The main side of the app, the same for both hosts: the Electron IPC handlers and the
 * `altgen serve` WebSocket bridge only move requests in and events out. Every request is
 * checked against its channel's schema before a handler sees it; every error leaves as a
 * BridgeError with a stable code.
 *
 * It runs at most one batch at a time and keeps the picture of the current batch (the running
 * one, else the one last started or opened) that the renderer rebuilds its state from.
 */

/** What only the host can do; absent capabilities answer ENOT_AVAILABLE (or null for the picker). */
export interface AppHost {
  readonly kind: AppInfo['host'];
  readonly version: string;
  readonly openPath?: (target: string) => Promise<void>;
  readonly showInFolder?: (target: string) => Promise<void>;
  readonly pickFolder?: () => Promise<string | null>;
  /** A desktop notification when a batch is done ("When done: notify"); without it the page shows one. */
  readonly notify?: WhenDoneHost['notify'];
  /** Quits the app ("When done: quit"); without it quitting is not offered. */
  readonly quit?: WhenDoneHost['quit'];
}

export interface AppServiceOptions {
  readonly host: AppHost;
  readonly env?: NodeJS.ProcessEnv;
  /** `altgen serve --config`: the config file to use and to save settings into. */
  readonly configFile?: string;
  /** How to run `altgen process` when config.yaml names no external processor. */
  readonly builtInProcessor?: readonly string[];
  /** Extra environment for the processor processes (see BatchRunOptions.processorEnv). */
  readonly processorEnv?: Readonly<Record<string, string>>;
  readonly applyReview?: ReviewApplier;
  /** Where the folder browser starts, and what `~` means in a typed path. */
  readonly homeDir?: string;
  /**
   * What a relative name typed in the page is relative to (`altgen serve`: the folder it was
   * started in); absent, relative names are refused with advice (the desktop app).
   */
  readonly baseDir?: string;
}

export type AppEventListener = (event: BridgeEvent) => void;

type Handlers = { readonly [C in InvokeChannel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> };

export class AppService {
  private readonly listeners = new Set<AppEventListener>();
  private readonly env: NodeJS.ProcessEnv;
  private readonly config: AppConfig;
  private readonly index: BatchIndex;
  private readonly applyReview: ReviewApplier;
  private readonly reviews: BatchReviews;
  /** One picture's time with a model on this computer, measured by the runs (for ETAs and the dry run's estimate). */
  private readonly timing: PictureTiming;
  private readonly recentFolders: RecentFolders;
  private readonly queue: QueueService;
  private active: ActiveRun | null = null;
  private current: BatchTracker | null = null;
  /** The batch the window shows: the one last started or opened (while another may still run). */
  private shown: BatchTracker | null = null;

  constructor(private readonly options: AppServiceOptions) {
    this.env = options.env ?? process.env;
    this.config = new AppConfig(this.env, options.configFile);
    this.index = new BatchIndex(path.join(userDataDir(this.env), 'batches.json'));
    this.recentFolders = new RecentFolders(path.join(userDataDir(this.env), 'recent-folders.json'));
    this.applyReview = options.applyReview ?? applyWithProcessor;
    this.reviews = new BatchReviews(this.config, this.env);
    this.timing = new PictureTiming(path.join(userDataDir(this.env), 'picture-timing.json'));
    this.queue = new QueueService({
      host: options.host,
      activeRun: () => this.active,
      emit: (event) => this.emit(event),
      showAgain: (manifestPath) => this.showAgain(manifestPath),
    });
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: AppEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get isRunning(): boolean {
    return this.active !== null;
  }

  /** The current batch's snapshot, or null. */
  currentSnapshot(): BatchSnapshot | null {
    return this.current?.snapshot() ?? null;
  }

  /** Checks and runs one request; throws a BridgeFailure or the core's own error. */
  async handle<C extends InvokeChannel>(channel: C, rawRequest: unknown): Promise<ResponseOf<C>> {
    if (!isInvokeChannel(channel)) throw new BridgeFailure('EBAD_REQUEST', `Unknown channel: ${String(channel)}.`);
    const request = parseRequest(channel, rawRequest);
    const handler = this.handlers[channel] as (request: RequestOf<C>) => Promise<ResponseOf<C>>;
    return handler(request);
  }

  /** {@link handle} for a transport: never throws, answers errors as values. */
  async call(channel: unknown, rawRequest: unknown): Promise<BridgeResult<unknown>> {
    try {
      if (!isInvokeChannel(channel)) throw new BridgeFailure('EBAD_REQUEST', `Unknown channel: ${String(channel).slice(0, 80)}.`);
      return { ok: true, response: await this.handle(channel, rawRequest) };
    } catch (error) {
      return { ok: false, error: toBridgeError(error) };
    }
  }

  /** Paths handed over from outside (a second launch with a folder): the UI previews them. */
  openPaths(paths: readonly string[]): void {
    if (paths.length > 0) this.emit({ event: 'app:folder-opened', payload: { paths } });
  }

  /** Stops the running batch, if any, as `mode` asks. */
  stop(mode: StopMode): void {
    this.active?.stop(mode);
  }

  /** Resolves once no batch is running. */
  async whenIdle(): Promise<void> {
    while (this.active) await this.active.done;
  }

  /** For quitting: stops a running batch now (its files go back to pending) and waits. */
  async shutdown(): Promise<void> {
    this.stop('quit');
    await this.whenIdle();
    this.reviews.close();
  }

  private emit(event: BridgeEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // One broken transport must not keep the others from their events.
      }
    }
  }

  private readonly handlers: Handlers = {
    'app:get-info': () => this.info(),
    'inputs:discover': (request) => this.discover(request.paths),
    'batch:start': (request) => this.start(request),
    'batch:resume': (request) => this.resume(request),
    'batch:stop': async (request) => {
      this.stop(request.mode);
      return null;
    },
    'batch:try-model-now': async () => ({ answering: (await this.active?.tryModelNow()) ?? false }),
    'batch:pause': async () => {
      await this.queue.setPaused(true);
      return null;
    },
    'batch:continue': async () => {
      await this.queue.setPaused(false);
      return null;
    },
    'queue:move-to-front': (request) => this.queue.edit('queue:move-to-front', request),
    'queue:skip-file': (request) => this.queue.edit('queue:skip-file', request),
    'queue:remove-file': (request) => this.queue.edit('queue:remove-file', request),
    'queue:put-back-file': (request) => this.queue.edit('queue:put-back-file', request),
    'batch:get-log': (request) => this.queue.log(request),
    'app:get-when-done': async () => this.queue.choice,
    'app:set-when-done': async (request) => this.queue.setWhenDone(request.when_done),
    'batch:get-current': async () => this.currentSnapshot(),
    'batch:open': (request) => this.open(request.manifest_path),
    'batches:list': () => this.listBatches(),
    'batches:clean-up': async (request) => {
      const { config } = await this.config.load();
      return cleanUpKnownBatches(this.index, config.batch_processing.manifest_retention_days, request.dry_run);
    },
    'model:check': (request) => this.checkModel(request),
    'settings:get': () => this.settings(),
    'settings:save': async (patch) => {
      await saveConfigPatch(await this.config.settingsFile(), patch);
      return this.settings();
    },
    'review:get': (request) => this.review(request.manifest_path, request.index),
    'review:apply': (request) => this.applyEdits(request),
    'review:get-queue': (request) => this.reviews.queue(request),
    'review:get-summary': (request) => this.reviews.summary(request),
    'review:get-picture': (request) => this.reviews.picture(request),
    'review:get-image': (request) => this.reviews.image(request),
    'review:act': (request) => this.reviews.act(request),
    'review:regenerate': (request) => this.reviews.regenerate(request),
    'review:apply-all': (request) => this.reviews.applyAll(request),
    'review:undo-apply': (request) => this.reviews.undo(request),
    'review:export': (request) => this.reviews.export(request),
    'review:get-slides': (request) => this.reviews.slides(request),
    'review:decide-slide': (request) => this.reviews.decideSlide(request),
    'folders:list': (request): Promise<FolderListing> =>
      listFolder(request.path === null ? this.pathContext.home : requireTypedPath(request.path, this.pathContext, 'EBAD_PATH')),
    'folders:places': async (): Promise<FolderPlaces> => ({
      home: this.pathContext.home,
      recent: await this.recentFolders.list(),
      volumes: await listVolumes(),
    }),
    'cache:clear': async () => {
      const { config } = await this.config.load();
      const folder = config.cache.dir ?? path.join(userDataDir(this.env), 'cache');
      return { removed: await clearDescriptionCache(folder), folder };
    },
    'shell:open-path': async (request) => {
      const target = await checkShellPath(request.path, this.shellRoots(), 'open');
      const open = this.options.host.openPath;
      if (!open) throw this.notInThisHost('Opening files');
      await open(target);
      return null;
    },
    'shell:show-in-folder': async (request) => {
      const target = await checkShellPath(request.path, this.shellRoots(), 'reveal');
      const show = this.options.host.showInFolder;
      if (!show) throw this.notInThisHost('Showing files in their folder');
      await show(target);
      return null;
    },
    'dialog:pick-folder': async () => (this.options.host.pickFolder ? this.options.host.pickFolder() : null),
  };

  private get pathContext(): PathContext {
    return { home: this.options.homeDir ?? os.homedir(), baseDir: this.options.baseDir ?? null };
  }

  private notInThisHost(what: string): BridgeFailure {
    return new BridgeFailure('ENOT_AVAILABLE', `${what} works in the desktop app only; in the browser, use the path shown.`);
  }

  private async info(): Promise<AppInfo> {
    const configPath = await this.config.fileInUse().catch(() => null);
    return { version: this.options.host.version, host: this.options.host.kind, platform: process.platform, config_path: configPath };
  }

  private async discover(typed: readonly string[]): Promise<DiscoveryPreview> {
    const paths = await resolveExistingPaths(typed, this.pathContext);
    const preview = previewOf(await discoverPaths(paths, null));
    await this.recentFolders.add(await foldersOf(paths));
    return preview;
  }

  // ─── Batches ────────────────────────────────────────────────────────────────────────────

  private async start(request: RequestOf<'batch:start'>): Promise<ResponseOf<'batch:start'>> {
    return this.run(async (onEvent) => {
      const loaded = await this.config.load();
      const outputDir = requireTypedPath(request.output_dir, this.pathContext, 'EBAD_OUTPUT_DIR');
      const found = await discoverPaths(await resolveExistingPaths(request.paths, this.pathContext), outputDir);
      const discovery = withChoices(found, request.exclude, request.input_root);
      await this.recentFolders.add([outputDir]);
      await refuseOutputOverInputs(outputDir, discovery.inputRoot);
      const meter = this.timing.meter(loaded.config.model);
      return new BatchRunner(discovery.files, outputDir, {
        config: loaded.config,
        configPath: loaded.path,
        dryRun: request.dry_run,
        maxWorkers: request.max_workers,
        inputRoot: discovery.inputRoot,
        plannedPictures: await plannedPicturesOf(request.dry_run_manifest),
        msPerPicture: await this.timing.msPerPicture(loaded.config.model),
        onEvent: (event) => {
          meter.observe(event);
          onEvent(event);
        },
        index: this.index,
        builtInProcessor: this.options.builtInProcessor,
        processorEnv: this.options.processorEnv,
      });
    });
  }

  private async resume(request: RequestOf<'batch:resume'>): Promise<ResponseOf<'batch:resume'>> {
    const manifestPath = path.resolve(request.manifest_path);
    const batchId = batchIdFromFileName(path.basename(manifestPath)) ?? '';
    const response = await this.run(async (onEvent) => {
      const loaded = await this.config.load();
      if (request.only_index !== undefined) await retryOne(manifestPath, request.only_index);
      const meter = this.timing.meter(loaded.config.model);
      return new BatchRunner(null, path.dirname(manifestPath), {
        config: loaded.config,
        configPath: loaded.path,
        resume: true,
        batchId,
        retryFailed: request.retry_failed,
        msPerPicture: await this.timing.msPerPicture(loaded.config.model),
        onEvent: (event) => {
          meter.observe(event);
          onEvent(event);
        },
        index: this.index,
        builtInProcessor: this.options.builtInProcessor,
        processorEnv: this.options.processorEnv,
      });
    });
    // A batch started elsewhere (the CLI, a folder from another computer) is offered for Resume from now on.
    const tracker = this.current;
    if (tracker?.manifestPath === manifestPath) {
      void this.index
        .register({ batch_id: tracker.batchId, manifest_path: manifestPath, output_dir: tracker.outputDir, dry_run: tracker.dryRun, registered_at: localIsoTimestamp() })
        .catch(() => undefined);
    }
    return response;
  }

  /** Claims the one run slot, builds the runner and waits until its batch has started. */
  private async run(
    makeRunner: (onEvent: (event: BatchEvent) => void) => Promise<BatchRunner>,
  ): Promise<{ readonly batch_id: string; readonly manifest_path: string }> {
    // A batch that has reported its end only needs a moment to release its manifest.
    while (this.active) {
      if (!this.active.ended) throw new BridgeFailure('EBUSY', 'A batch is already running: stop it, or wait for it to finish, first.');
      await this.active.done;
    }
    const active = new ActiveRun({
      onStarted: (tracker, started) => {
        this.current = tracker;
        this.shown = tracker;
        this.emit({ event: 'batch:snapshot-replaced', payload: tracker.snapshot() });
        this.emit({ event: 'batch:changed', payload: started });
      },
      onEvent: (event) => this.emit({ event: 'batch:changed', payload: event }),
      onAborted: (tracker) => this.emit({ event: 'batch:snapshot-replaced', payload: tracker.snapshot() }),
    });
    this.active = active;
    try {
      const runner = await makeRunner(active.onEvent);
      const tracker = await active.begin(runner);
      void active.done.finally(() => {
        if (this.active === active) this.active = null;
        this.queue.afterRun(active.currentTracker);
      });
      return { batch_id: tracker.batchId, manifest_path: tracker.manifestPath };
    } catch (error) {
      if (this.active === active) this.active = null;
      active.abandon();
      throw error;
    }
  }

  private async open(manifestPath: string): Promise<BatchSnapshot> {
    const resolved = path.resolve(manifestPath);
    if (this.current?.manifestPath === resolved) {
      this.shown = this.current;
      return this.current.snapshot();
    }
    const document = (await ManifestStore.open(resolved)).snapshot();
    const tracker = new BatchTracker(document, resolved, { running: false });
    this.shown = tracker;
    const snapshot = tracker.snapshot();
    // While a batch runs, the UI's current batch stays the running one.
    if (!this.active) {
      this.current = tracker;
      this.emit({ event: 'batch:snapshot-replaced', payload: snapshot });
    }
    return snapshot;
  }

  /** A batch that is not running changed (its queue was edited): if it is the one shown, it is shown again. */
  private async showAgain(manifestPath: string): Promise<void> {
    if (this.active || this.current?.manifestPath !== manifestPath) return;
    const tracker = new BatchTracker((await ManifestStore.open(manifestPath)).snapshot(), manifestPath, { running: false });
    if (this.shown === this.current) this.shown = tracker;
    this.current = tracker;
    this.emit({ event: 'batch:snapshot-replaced', payload: tracker.snapshot() });
  }

  private async listBatches(): Promise<KnownBatch[]> {
    const indexed = await this.index.list();
    const batches: KnownBatch[] = [];
    for (const { entry, counts, toResume, problem } of indexed.reverse()) {
      let document: ManifestDocument | null = null;
      let reason = problem;
      if (!reason) {
        try {
          document = (await ManifestStore.open(entry.manifest_path)).snapshot();
        } catch (error) {
          reason = (error as Error).message;
        }
      }
      batches.push({
        batch_id: entry.batch_id,
        manifest_path: entry.manifest_path,
        output_dir: entry.output_dir,
        dry_run: entry.dry_run,
        start_time: document?.start_time ?? null,
        end_time: document?.end_time ?? null,
        counts: document ? counts : null,
        ...historyDetails(document),
        stop_reason: document?.metadata.stop_reason ?? null,
        model_problem: modelProblemOf(document),
        // What a resume would take up again, locked or open-in-PowerPoint skips included.
        unfinished: document !== null && !entry.dry_run && (toResume ?? 0) > 0,
        problem: reason,
      });
    }
    return batches;
  }

  /**
   * The folders "Open" and "Show in folder" may reach: those of the current batch, and of the
   * one the window shows if the user opened another while it runs. Never a batch merely
   * reviewed or listed before.
   */
  private shellRoots(): BatchRoots[] {
    const batches = new Set([this.current, this.shown].filter((tracker): tracker is BatchTracker => tracker !== null));
    return [...batches].map((tracker) => ({ inputRoot: tracker.inputRoot, outputDir: tracker.outputDir }));
  }

  // ─── Model, settings, review ────────────────────────────────────────────────────────────

  /** The saved model server, or the one typed in Settings before it is saved. */
  private async checkModel(typed: ModelCheckRequest | null): Promise<ModelStatus> {
    const saved = (await this.config.load()).config.model;
    // A server typed in Settings is checked alone, not the saved `model.servers`.
    const model = typed ? { ...saved, ...typed, servers: [] } : saved;
    const check = await checkModelServer(model, this.env);
    const base = {
      provider: model.provider,
      model: model.name,
      base_url: model.base_url,
      ...(check.models ? { models: check.models } : {}),
      ms_per_picture: await this.timing.msPerPicture(model),
    };
    return check.ok
      ? { ...base, state: 'ok', message: check.message, fix: null }
      : { ...base, state: check.problem, message: check.message, fix: check.fix };
  }

  private async settings(): Promise<SettingsView> {
    const loaded = await this.config.load();
    return { config: loaded.config, path: await this.config.settingsFile() };
  }

  private async review(manifestPath: string, index: number): Promise<ReviewData> {
    const { document } = await this.openForReview(manifestPath);
    const target = await resolveReviewTarget(document, index, manifestPath);
    return reviewData(target, await readReviewReport(target.reportPath));
  }

  private async applyEdits(request: RequestOf<'review:apply'>): Promise<ResponseOf<'review:apply'>> {
    const { document } = await this.openForReview(request.manifest_path);
    const target = await resolveReviewTarget(document, request.index, request.manifest_path);
    const { report, changed } = withEdits(await readReviewReport(target.reportPath), request.edits);
    if (changed === 0) return { output_path: target.outputPath, changed: 0 };
    const { config } = await this.config.load();
    return this.applyReview(target, report, config.limits);
  }

  private async openForReview(manifestPath: string) {
    return { document: (await ManifestStore.open(path.resolve(manifestPath))).snapshot() };
  }
}

/** What a dry run found wrong with the model server or model (metadata.model_check), or null. */
function modelProblemOf(document: ManifestDocument | null): string | null {
  const check = document?.metadata['model_check'] as { ok?: unknown; message?: unknown } | null | undefined;
  if (!check || check.ok !== false) return null;
  return typeof check.message === 'string' ? check.message : 'The model server was not ready.';
}

/** The copies would replace the originals: outputs mirror the input tree into the output folder. */
async function refuseOutputOverInputs(outputDir: string, inputRoot: string): Promise<void> {
  const real = async (p: string) => realpath(p).catch(() => path.resolve(p));
  if ((await real(outputDir)) === (await real(inputRoot))) {
    throw new BridgeFailure('EBAD_OUTPUT_DIR', `The output folder must differ from the input folder (${inputRoot}): the copies would replace the originals.`);
  }
}

/** Puts one failed or skipped file back in the queue, under the batch's lock. */
async function retryOne(manifestPath: string, index: number): Promise<void> {
  let release: () => Promise<void>;
  try {
    release = await acquireLock(manifestPath, { waitMs: 1500, purpose: 'retry one file' });
  } catch (error) {
    if ((error as { code?: string }).code === 'ELOCKED') {
      throw new BatchError('EBATCH_LOCKED', `Batch ${path.basename(manifestPath)} is already running: ${(error as Error).message}`);
    }
    throw error;
  }
  try {
    const store = await ManifestStore.open(manifestPath);
    try {
      if (index >= store.itemCount) throw new BridgeFailure('EBAD_REQUEST', `Batch ${store.batchId} has no file number ${index}.`);
      const item = store.itemAt(index);
      if (item.status === 'skipped' && item.error_code && FINAL_SKIP_CODES.has(item.error_code)) {
        throw new BridgeFailure('EBAD_REQUEST', `${path.basename(item.path)} cannot be retried: ${item.skip_reason ?? 'it is outside what this batch may read.'}`);
      }
      if (item.status === 'failed' || item.status === 'skipped') await store.updateItem(index, transition(item, { type: 'retry' }));
      else if (item.status !== 'pending') {
        throw new BridgeFailure('EBAD_REQUEST', `${path.basename(item.path)} is ${item.status}; only failed or skipped files can be retried.`);
      }
    } finally {
      await store.close();
    }
  } finally {
    await release();
  }
}
