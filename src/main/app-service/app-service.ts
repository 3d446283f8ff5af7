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
  InvokeChannel,
  KnownBatch,
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
import { BridgeFailure, toBridgeError } from './bridge-failure';
import { listFolder } from './folder-listing';
import { discoverPaths, previewOf } from './input-discovery';
import { parseRequest } from './request-schemas';
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
  /** Where the folder browser starts. */
  readonly homeDir?: string;
}

export type AppEventListener = (event: BridgeEvent) => void;

type Handlers = { readonly [C in InvokeChannel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> };

export class AppService {
  private readonly listeners = new Set<AppEventListener>();
  private readonly env: NodeJS.ProcessEnv;
  private readonly config: AppConfig;
  private readonly index: BatchIndex;
  private readonly applyReview: ReviewApplier;
  private active: ActiveRun | null = null;
  private current: BatchTracker | null = null;
  /** The batch the window shows: the one last started or opened (while another may still run). */
  private shown: BatchTracker | null = null;

  constructor(private readonly options: AppServiceOptions) {
    this.env = options.env ?? process.env;
    this.config = new AppConfig(this.env, options.configFile);
    this.index = new BatchIndex(path.join(userDataDir(this.env), 'batches.json'));
    this.applyReview = options.applyReview ?? applyWithProcessor;
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
    'batch:get-current': async () => this.currentSnapshot(),
    'batch:open': (request) => this.open(request.manifest_path),
    'batches:list': () => this.listBatches(),
    'model:check': () => this.checkModel(),
    'settings:get': () => this.settings(),
    'settings:save': async (patch) => {
      await saveConfigPatch(await this.config.settingsFile(), patch);
      return this.settings();
    },
    'review:get': (request) => this.review(request.manifest_path, request.index),
    'review:apply': (request) => this.applyEdits(request),
    'folders:list': (request): Promise<FolderListing> => listFolder(request.path ?? this.options.homeDir ?? os.homedir()),
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

  private notInThisHost(what: string): BridgeFailure {
    return new BridgeFailure('ENOT_AVAILABLE', `${what} works in the desktop app only; in the browser, use the path shown.`);
  }

  private async info(): Promise<AppInfo> {
    const configPath = await this.config.fileInUse().catch(() => null);
    return { version: this.options.host.version, host: this.options.host.kind, platform: process.platform, config_path: configPath };
  }

  private async discover(paths: readonly string[]): Promise<DiscoveryPreview> {
    return previewOf(await discoverPaths(paths, null));
  }

  // ─── Batches ────────────────────────────────────────────────────────────────────────────

  private async start(request: RequestOf<'batch:start'>): Promise<ResponseOf<'batch:start'>> {
    return this.run(async (onEvent) => {
      const loaded = await this.config.load();
      const outputDir = path.resolve(request.output_dir);
      const discovery = await discoverPaths(request.paths, outputDir);
      await refuseOutputOverInputs(outputDir, discovery.inputRoot);
      return new BatchRunner(discovery.files, outputDir, {
        config: loaded.config,
        configPath: loaded.path,
        dryRun: request.dry_run,
        maxWorkers: request.max_workers,
        inputRoot: discovery.inputRoot,
        onEvent,
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
      return new BatchRunner(null, path.dirname(manifestPath), {
        config: loaded.config,
        configPath: loaded.path,
        resume: true,
        batchId,
        retryFailed: request.retry_failed,
        onEvent,
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
        stop_reason: document?.metadata.stop_reason ?? null,
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

  private async checkModel(): Promise<ModelStatus> {
    const { model } = (await this.config.load()).config;
    const check = await checkModelServer(model, this.env);
    const base = { provider: model.provider, model: model.name, base_url: model.base_url };
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

/** The copies would replace the originals: outputs mirror the input tree into the output folder. */
async function refuseOutputOverInputs(outputDir: string, inputRoot: string): Promise<void> {
  const real = async (p: string) => realpath(p).catch(() => path.resolve(p));
  if ((await real(outputDir)) === (await real(inputRoot))) {
    throw new BridgeFailure('EBAD_REQUEST', `The output folder must differ from the input folder (${inputRoot}): the copies would replace the originals.`);
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
