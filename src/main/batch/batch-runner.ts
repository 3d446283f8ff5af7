import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertNever } from '../../shared/assert-never';
import type { BatchClock, BatchEvent } from '../../shared/batch-events';
import type { BatchMetadata, PictureCounts, QueueItem, StatusCounts, StopReason } from '../../shared/batch-types';
import { countPictures } from '../../shared/batch-types';
import type { AltgenConfig } from '../../shared/config-schema';
import type { ItemEvent } from '../../shared/item-state';
import { newItem, transition } from '../../shared/item-state';
import type { DeckLogEntry } from '../../shared/deck-log';
import { batchNameFor } from '../../shared/batch-name';
import type { ProcessorProgressEvent } from '../../shared/processor-protocol';
import { batchElapsedMs } from '../../shared/batch-elapsed';
import { PictureEta } from '../../shared/batch-eta';
import { localIsoTimestamp } from '../../shared/time-format';
import { UnusableAnswers } from '../describe/unusable-answers';
import { deepestCommonFolder } from '../files/folder-paths';
import { findBatchToResume } from './batch-catalog';
import { BatchError } from './batch-error';
import type { BatchIndex } from './batch-index';
import type { DiscoveredFile } from './discover-inputs';
import type { DryRunTotals } from './dry-run-checks';
import { dryRunTotals, runDryRunChecks } from './dry-run-checks';
import { inspectItem } from './dry-run-item';
import { DeckLogWriter } from './deck-log';
import { createDeckInspector, DRY_RUN_THREADS, type DeckInspector } from './dry-run-pool';
import { batchLockPathFor, fallbackLockDirOf, legacyFallbackLockDirOf } from './batch-folder';
import { lockBatch } from './batch-lock';
import type { ItemDecision } from './item-decision';
import { defaultProcessorMemoryLimit, ItemJob } from './item-job';
import { ManifestStore } from './manifest-store';
import { ModelBroker } from './model-broker';
import type { ModelCheck } from './model-check';
import { ModelOutage } from './model-outage';
import { inputFolderProblem, ensureOutputWritable } from './output-health';
import { sweepTempOutputs } from './output-paths';
import { noProcessorError, ProcessorChoice } from './processor-choice';
import { ProcessorRegistry } from './processor-registry';
import { resumeEventFor, sweepManifestTemps } from './resume-check';
import { RunFolder } from './run-folder';
import { isUserSkip, notPendingReason, QUEUE_MESSAGES, queueFrontOf } from './queue-edits';
import { RunQueue } from './run-queue';
import { UserPause } from './user-pause';

/**
 * Runs a batch: a pool of `max_workers` workers takes pending items in order, runs each (an
 * item job, item-job.ts, or the dry run's look at the deck, dry-run-item.ts) and records every
 * transition in the manifest before reporting it. The runner keeps the queue, the workers and
 * the manifest; the jobs decide, and the runner acts on their decisions:
 *
 * - A model server that went away pauses the batch rather than failing file after file
 *   (model-outage.ts): no new file starts, the file goes back to the queue without counting an
 *   attempt, and files start again once the server answers, or the batch stops with reason
 *   `model-unavailable` after `model_wait_minutes`.
 * - A model that answers, but uselessly (refusals, not JSON, HTTP 500 for every picture), is
 *   broken: when UNUSABLE_ANSWERS_IN_A_ROW of its answers in a row, over all decks, could not be
 *   used, the batch stops (reason `model-unusable`) and the running decks go back to the queue.
 *   Its processors share a memory of the pictures the model failed on in this run, so none is
 *   asked twice; a resume after that stop does again the decks with pictures the model failed
 *   on (so does `retryNeedsReview`), and the description cache spares what it did describe.
 * - A failure that is a folder's and not the deck's (output full or read-only, input folder
 *   gone; output-health.ts) ends the batch at once with one sentence, the deck back in the queue.
 * - Every processor of a real run gets the settings the runner was given (run-folder.ts), so a
 *   processor never reads settings of its own.
 * - The user may change the queue while it runs (queue-operations below): move a pending deck to
 *   the front, skip it for now or remove it, put such a deck back, and pause the batch (no deck
 *   and no picture starts; what runs finishes: user-pause.ts) until they let it go on. Each
 *   change is recorded in the manifest before it is reported, like every other.
 * - What happens to each deck of a real run is logged (deck-log.ts), with what its processor
 *   reports about each picture.
 */

export interface BatchRunOptions {
  /** The settings the batch runs with, as the host resolved them; its processors get exactly these. */
  readonly config: AltgenConfig;
  /** The file `config` was read from, or null when none was found and the defaults apply. */
  readonly configPath?: string | null;
  readonly dryRun?: boolean;
  readonly resume?: boolean;
  readonly batchId?: string;
  /** On resume, put failed items back in the queue. */
  readonly retryFailed?: boolean;
  /** On resume, process again the complete files with pictures the model could not describe. */
  readonly retryNeedsReview?: boolean;
  readonly maxWorkers?: number;
  readonly maxLockWaitSeconds?: number;
  /** The folder inputs are mirrored from; defaults to the deepest common folder of the inputs. */
  readonly inputRoot?: string | null;
  readonly onEvent?: (event: BatchEvent) => void;
  /** Where new batches are registered so the app can offer Resume after a reboot. */
  readonly index?: BatchIndex;
  /**
   * The command that runs `altgen` (e.g. `[node, cli.js]`), used to run the built-in PPTX
   * processor (`altgen process`) when config.yaml names no external processor.command.
   */
  readonly builtInProcessor?: readonly string[];
  /** Extra environment for processors (Electron sets ELECTRON_RUN_AS_NODE to run the CLI as Node). */
  readonly processorEnv?: Readonly<Record<string, string>>;
  /** Resident memory one processor may use before it is stopped (default {@link defaultProcessorMemoryLimit}). */
  readonly processorMemoryLimitBytes?: number;
  /** Pauses between polls of a model server that went away (default 2 s doubling to 30 s; tests shorten them). */
  readonly modelPoll?: { readonly firstMs: number; readonly maxMs: number };
  /** Pictures the model will be asked about per deck (by path), from the dry run that planned them: the ETA's counts. */
  readonly plannedPictures?: ReadonlyMap<string, number>;
  /** One picture's time measured in earlier runs on this computer: the ETA's rate until this run has timed one. */
  readonly msPerPicture?: number | null;
}

export interface BatchSummary {
  readonly batch_id: string;
  readonly manifest_path: string;
  readonly output_dir: string;
  readonly dry_run: boolean;
  readonly resumed: boolean;
  readonly counts: StatusCounts;
  /** What happened to the pictures of the complete files (all of them, earlier runs too). */
  readonly pictures: PictureCounts;
  readonly duration_ms: number;
  readonly stop_reason: StopReason;
  readonly stop_message: string | null;
  readonly warnings: readonly string[];
  readonly dry_run_totals: DryRunTotals | null;
  readonly model_check: ModelCheck | null;
}

type Disposition = DiscoveredFile['disposition'];

/** The deepest folder holding every one of these files. */
function commonFolder(files: readonly string[]): string | null {
  return deepestCommonFolder(files.map((file) => path.dirname(path.resolve(file))));
}

/** An error's message on one line, for a warning. */
function oneLineReason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim().replace(/\.$/, '');
}

function eventForDisposition(disposition: Disposition, at: string): ItemEvent | null {
  switch (disposition.kind) {
    case 'process':
      return null;
    case 'skip':
      return { type: 'skip', at, code: disposition.code, reason: disposition.reason };
    case 'fail':
      return { type: 'fail', at, code: disposition.code, error: disposition.reason };
    default:
      return assertNever(disposition, 'disposition');
  }
}

/**
 * Decks at once per worker while the model has room (feedModel): each is a
 * processor (its own memory), and 4 × 8-picture decks already keep 16 slots busy per worker.
 */
export const MODEL_FED_PER_WORKER = 4;

export class BatchRunner {
  private store!: ManifestStore;
  private releaseManifest: (() => Promise<void>) | null = null;
  private queue = new RunQueue([]);
  private readonly userPause = new UserPause();
  /** Each deck's log; null in a dry run, which logs nothing. */
  private log: DeckLogWriter | null = null;
  private counts: { -readonly [K in keyof StatusCounts]: StatusCounts[K] } = {
    total: 0,
    pending: 0,
    processing: 0,
    complete: 0,
    failed: 0,
    skipped: 0,
  };
  /** The time left, from the pictures still to describe (created once the queue is known). */
  private eta!: PictureEta;
  /** The batch's time in its earlier runs: elapsed time is the batch's, not this run's. */
  private priorElapsedMs = 0;
  private attemptedThisRun = { complete: 0, failed: 0 };
  private stopRequest: { reason: StopReason; message: string } | null = null;
  private readonly abort = new AbortController();
  /** Fires on any stop request: ends a wait for the model server at once. */
  private readonly stopping = new AbortController();
  private readonly outage: ModelOutage;
  /** The model's fresh answers over all decks, as the processors report them. */
  private readonly answers = new UnusableAnswers();
  private readonly processor: ProcessorChoice;
  /** What a real run shares with its processors (its settings, the model's failures); null in a dry run. */
  private runFolder: RunFolder | null = null;
  /** Runs the items of a real run; null in a dry run. */
  private itemJob: ItemJob | null = null;
  /** The batch's one model scheduler, which every processor of a real run asks (model-broker.ts); null in a dry run or offline. */
  private broker: ModelBroker | null = null;
  /** Running decks whose pictures are all prepared and which only wait for the model's answers. */
  private readonly waitingForModel = new Set<number>();
  /** Decks started because others waited for the model (feedModel). */
  private readonly modelFed = new Set<Promise<void>>();
  /** Decks running now, counted from the moment they are taken (the manifest's count follows a write later). */
  private readonly active = new Set<number>();
  /** The dry run's readers (threads), null in a real run. */
  private inspector: DeckInspector | null = null;
  /** Which of this batch's processors run, on disk, so that a resume can stop a dead run's. */
  private processors!: ProcessorRegistry;
  private readonly warnings: string[] = [];
  private startedAt = 0;
  private resumed = false;
  private modelCheck: ModelCheck | null = null;
  private fatal: unknown = null;
  private cachedInputRoot: string | null = null;

  constructor(
    private readonly inputs: readonly DiscoveredFile[] | null,
    private readonly outputDir: string,
    private readonly options: BatchRunOptions,
  ) {
    this.processor = new ProcessorChoice(options.config, options.builtInProcessor);
    this.outage = new ModelOutage({
      model: options.config.model,
      waitMinutes: options.config.batch_processing.model_wait_minutes,
      poll: options.modelPoll,
      stopping: this.stopping.signal,
      ending: () => this.stopRequest !== null || this.fatal !== null,
      onPaused: (message, waitUntil) =>
        this.emit({ type: 'batch:paused', batch_id: this.store.batchId, reason: 'model-unavailable', message, wait_until: waitUntil, clock: this.clock() }),
      onBack: () => {
        this.broker?.serversBack();
        this.emit({ type: 'batch:continued', batch_id: this.store.batchId, message: 'The model server is back; resuming.', clock: this.clock() });
      },
      onGaveUp: (message) => this.requestStop('model-unavailable', message),
    });
  }

  private get settings() {
    return this.options.config.batch_processing;
  }

  private get dryRun(): boolean {
    return this.store.snapshot().metadata.dry_run;
  }

  private get maxWorkers(): number {
    return this.store.snapshot().metadata.max_workers;
  }

  private get fallbackLockDir(): string {
    return fallbackLockDirOf(this.outputDir);
  }

  /** Let running files finish, start no new ones. */
  stopAfterCurrent(message = 'Stopped at your request after the running files finished.'): void {
    this.requestStop('stop-after-current', message);
  }

  /** Kill running processors now; their files go back to pending. */
  stopNow(reason: 'stop-now' | 'interrupted' = 'stop-now', message = 'Stopped at your request.'): void {
    this.requestStop(reason, message);
    this.abort.abort();
  }

  private requestStop(reason: StopReason, message: string): void {
    this.stopRequest ??= { reason, message };
    this.stopping.abort();
  }

  async run(): Promise<BatchSummary> {
    this.startedAt = Date.now();
    await ensureOutputWritable(this.outputDir, this.options.resume === true);
    await this.openOrCreate();
    this.processors = new ProcessorRegistry(this.outputDir, this.store.batchId);
    let summary: BatchSummary;
    try {
      this.priorElapsedMs = batchElapsedMs(this.store.snapshot());
      await this.prepareQueue();
      await this.store.updateBatch({
        start_time: this.store.snapshot().start_time ?? localIsoTimestamp(),
        end_time: null,
        // What batch-elapsed.ts reads back: the earlier runs' total, and that a run goes on.
        metadata: { stop_reason: null, stop_message: null, elapsed_ms: this.priorElapsedMs, run_started_at: localIsoTimestamp(new Date(this.startedAt)) },
      });
      if (this.dryRun) {
        await this.runBatchChecks();
        this.inspector = createDeckInspector(this.options.config, { parallel: DRY_RUN_THREADS });
      } else {
        await this.prepareItemJob();
      }
      this.emit({
        type: 'batch:started',
        batch_id: this.store.batchId,
        manifest_path: this.store.manifestPath,
        resumed: this.resumed,
        dry_run: this.dryRun,
        max_workers: this.maxWorkers,
        clock: this.clock(),
      });
      // A dry run starts no processor and asks no model, so max_workers does not bound it: it
      // keeps its reader threads busy, with as many decks again in flight so that their
      // manifest changes share one fdatasync (manifest-store.ts commits waiting changes together).
      const slots = this.dryRun ? DRY_RUN_THREADS * 8 : this.maxWorkers;
      const workers = Math.max(1, Math.min(slots, this.queue.length || 1));
      await Promise.all(Array.from({ length: workers }, () => this.worker()));
      // Decks started while others waited for the model (feedModel) end too, and one
      // of them put back in the queue (its model server went away) runs again.
      for (;;) {
        await Promise.all([...this.modelFed]);
        if (this.modelFed.size > 0) continue;
        if (this.stopRequest || this.fatal || this.queue.length === 0) break;
        if ((await this.worker()) === 0 && this.modelFed.size === 0) break;
      }
      if (this.fatal) throw this.fatal;
      summary = await this.finish();
    } finally {
      await this.inspector?.close();
      // The long-lived processors end before the scheduler they ask, so none is left waiting on it.
      await this.itemJob?.close();
      this.broker?.close();
      await this.closeUp();
      await this.runFolder?.remove();
    }
    // With what could not be tidied away at the end, said instead of turned into a crash.
    return { ...summary, warnings: [...this.warnings] };
  }

  /**
   * Folds the journal into the manifest and releases the batch's lock. Neither may turn a batch
   * that ran into a crash: when the output folder no longer lets them be done (full, read-only,
   * immutable), the journal still holds every change and the lock, its holder gone, is taken
   * over by the next run of the batch. Never throws; what failed becomes a warning.
   */
  private async closeUp(): Promise<void> {
    await this.log?.flush();
    await this.store.close().catch((error: unknown) => {
      this.warn(`The manifest could not be tidied up at the end (${oneLineReason(error)}); nothing is lost: its journal ${this.store.journalPath} holds the latest changes and is read on resume.`);
    });
    await this.processors.tidy();
    await this.releaseManifest?.().catch((error: unknown) => {
      this.warn(`The batch's lock ${batchLockPathFor(this.store.manifestPath)} could not be removed (${oneLineReason(error)}); the next run of this batch takes it over.`);
    });
    // Empty once no deck is locked there (another batch's locks keep it); the old layout's too.
    for (const dir of [this.fallbackLockDir, legacyFallbackLockDirOf(this.outputDir)]) await fs.rmdir(dir).catch(() => undefined);
  }

  private async lockManifest(manifestPath: string): Promise<void> {
    this.releaseManifest = await lockBatch(manifestPath, {
      waitMs: 1500,
      onCompromised: (error) => this.warn(`The lock on the batch manifest was lost (${error.message}); carrying on.`),
    });
  }

  private async openOrCreate(): Promise<void> {
    const { options } = this;
    if (options.resume) {
      const manifestPath = await findBatchToResume(this.outputDir, {
        batchId: options.batchId,
        retryFailed: options.retryFailed,
        retryNeedsReview: options.retryNeedsReview,
      });
      await this.lockManifest(manifestPath);
      try {
        this.store = await ManifestStore.open(manifestPath);
      } catch (error) {
        await this.releaseManifest?.();
        throw error;
      }
      this.resumed = true;
      return;
    }
    const inputs = this.inputs ?? [];
    if (!options.dryRun && !this.processor.available) throw noProcessorError();
    const at = localIsoTimestamp();
    const items = inputs.map((input) => newItem(input.path, at));
    const inputRoot = options.inputRoot ?? commonFolder(inputs.map((i) => i.path));
    const metadata: BatchMetadata = {
      processor: options.dryRun ? null : this.processor.label,
      dry_run: options.dryRun === true,
      max_workers: options.maxWorkers ?? this.settings.default_max_workers,
      config_path: options.configPath ?? null,
      // Said where batches are listed ("Fall 2026 – Cardiology"), and kept if the folder is renamed.
      name: batchNameFor(inputRoot, os.homedir()),
    };
    this.store = await ManifestStore.create({ outputDir: this.outputDir, batchId: options.batchId, inputRoot, metadata, items });
    await this.lockManifest(this.store.manifestPath);
    for (const [index, input] of inputs.entries()) {
      const event = eventForDisposition(input.disposition, at);
      if (event) await this.store.updateItem(index, transition(this.store.itemAt(index), event));
      if (input.disposition.kind === 'process' && input.disposition.note) this.warn(`${input.path}: ${input.disposition.note}`);
    }
    await options.index
      ?.register({
        batch_id: this.store.batchId,
        manifest_path: this.store.manifestPath,
        output_dir: this.outputDir,
        dry_run: metadata.dry_run,
        registered_at: at,
      })
      .catch((error: unknown) => this.warn(`Could not add the batch to the list of known batches (${(error as Error).message}).`));
  }

  /**
   * The folder outputs mirror. Manifests of the Python tool have no `input_root`; the deepest
   * common folder of their items keeps their tree instead of flattening it.
   */
  private inputRoot(): string | null {
    this.cachedInputRoot ??= this.store.snapshot().input_root ?? commonFolder(this.store.allItems().map((item) => item.path));
    return this.cachedInputRoot;
  }

  /** Crash recovery and the re-checks a resume makes, each recorded before work starts. */
  private async prepareQueue(): Promise<void> {
    const at = localIsoTimestamp();
    const { store } = this;
    if (this.resumed) {
      if (!this.dryRun && !this.processor.available) throw noProcessorError();
      // A killed runner's processors live on (own process groups): stop them before their
      // files run again, then remove what they were writing.
      await this.processors.killLeftovers();
      await sweepTempOutputs(this.outputDir, store.batchId);
      await sweepManifestTemps(store.manifestPath);
      const context = {
        dryRun: this.dryRun,
        retryFailed: this.options.retryFailed === true,
        retryNeedsReview: this.options.retryNeedsReview === true,
        previousStop: store.snapshot().metadata.stop_reason ?? null,
        inputRoot: this.inputRoot(),
        outputDir: this.outputDir,
        fallbackLockDir: this.fallbackLockDir,
      };
      for (let index = 0; index < store.itemCount; index += 1) {
        const item = store.itemAt(index);
        const event = await resumeEventFor(item, context, at);
        if (event) await store.updateItem(index, transition(item, event));
      }
      if (this.options.maxWorkers !== undefined) await store.updateBatch({ metadata: { max_workers: this.options.maxWorkers } });
    }
    this.counts = { ...this.counts, total: store.itemCount };
    const planned = this.options.plannedPictures;
    this.eta = new PictureEta({
      workers: this.maxWorkers,
      planned: planned ? (index) => planned.get(store.itemAt(index).path) ?? null : undefined,
      priorMsPerPicture: this.options.msPerPicture ?? null,
    });
    const pending: number[] = [];
    for (const [index, item] of store.allItems().entries()) {
      this.counts[item.status] += 1;
      if (item.status === 'pending') {
        pending.push(index);
        this.eta.queued(index);
      }
    }
    this.queue = new RunQueue(pending, queueFrontOf(store.snapshot().metadata));
    if (!this.dryRun) this.log = new DeckLogWriter(this.outputDir, store.batchId, (message) => this.warn(message));
  }

  /** A real run: the folder its processors share, and the job that runs each item. */
  private async prepareItemJob(): Promise<void> {
    const runFolder = await RunFolder.create(this.options.config, this.options.configPath ?? null);
    this.runFolder = runFolder;
    this.broker = ModelBroker.create(this.options.config.model, { ...process.env, ...this.options.processorEnv });
    this.broker?.whenSettled(() => this.feedModel());
    this.itemJob = new ItemJob({
      config: this.options.config,
      configFile: this.options.configPath ?? null,
      batchId: this.store.batchId,
      outputDir: this.outputDir,
      inputRoot: this.inputRoot(),
      maxWorkers: this.maxWorkers,
      lockWaitSeconds: this.options.maxLockWaitSeconds ?? this.settings.max_lock_wait_seconds,
      fallbackLockDir: this.fallbackLockDir,
      processor: this.processor,
      runFolder,
      registry: this.processors,
      broker: this.broker,
      outage: this.outage,
      processorEnv: this.options.processorEnv,
      memoryLimitBytes: this.options.processorMemoryLimitBytes ?? defaultProcessorMemoryLimit(),
      signal: this.abort.signal,
      warn: (message) => this.warn(message),
      pause: this.userPause,
      onPicture: (index, { type: _type, ...picture }) => this.logEntry(index, { kind: 'picture', at: localIsoTimestamp(), picture }),
      onProgress: (index, input, event) => {
        if (event.model_answer) this.noteModelAnswer(event);
        if (event.waiting_for_model) {
          this.waitingForModel.add(index);
          this.feedModel();
        }
        this.eta.progressed(index, event);
        this.emit({ type: 'item:progressed', batch_id: this.store.batchId, index, path: input, progress: event });
      },
    });
  }

  private async runBatchChecks(): Promise<void> {
    const checks = await runDryRunChecks(this.outputDir, this.store.allItems(), this.options.config);
    for (const warning of checks.warnings) this.warn(warning);
    this.modelCheck = checks.modelCheck;
    await this.store.updateBatch({ metadata: { model_check: this.modelCheck, warnings: [...this.warnings] } });
  }

  private warn(message: string): void {
    this.warnings.push(message);
    if (this.store) this.emit({ type: 'batch:warned', batch_id: this.store.batchId, message });
  }

  private readonly isPending = (index: number): boolean => this.store.itemAt(index).status === 'pending';

  /** Runs items until none is left or the batch stops; how many it ran. */
  private async worker(): Promise<number> {
    let ran = 0;
    while (!this.stopRequest && !this.fatal) {
      const wait = this.outage.waiting ?? this.userPause.waiting(this.stopping.signal);
      if (wait) {
        await wait;
        continue;
      }
      const index = this.queue.take(this.isPending);
      if (index === null) return ran;
      ran += 1;
      try {
        await this.runItem(index);
      } catch (error) {
        // Only persistence failures (disk full, manifest unwritable) and an output folder that
        // can take no more reach here: stop everything, since nothing more can be recorded or written.
        this.fatal ??= error;
        this.abort.abort();
      }
    }
    return ran;
  }

  /**
   * Starts the next deck now, instead of when a worker is free, while the model's servers have
   * room for more requests than the running decks give them (a server with many slots, decks
   * with few pictures): requests are what the scheduler bounds, not max_workers. Asked when a
   * deck has prepared all its pictures and when a request ends.
   *
   * Bounded by memory: decks preparing pictures at once stay within max_workers + 1 (each holds
   * at most the servers' limit + its decodes of prepared pictures, describe-step.ts), so
   * prepared pictures waiting for a server stay within a budget; a deck starts only while
   * fewer pictures wait for a slot than the servers take at once; and at most
   * MODEL_FED_PER_WORKER × max_workers decks (one processor each) run at once. Not while the
   * batch is paused, waits for its server, is stopping, or the model's last answer was unusable.
   */
  private feedModel(): void {
    const broker = this.broker;
    if (!broker) return;
    const running = this.active.size;
    const preparing = running - this.waitingForModel.size;
    if (preparing >= this.maxWorkers + 1 || running >= MODEL_FED_PER_WORKER * this.maxWorkers) return;
    // Fewer prepared pictures wait for a slot than the servers take at once: a few more keep
    // every slot busy (and let the adaptive limit see that they are), more would only wait.
    if (broker.load().waiting >= broker.capacity()) return;
    if (this.stopRequest || this.fatal || this.outage.waiting || this.userPause.waiting(this.stopping.signal)) return;
    // The model's last answer was unusable: more decks at once would only send it more pictures
    // before the batch can tell whether it is broken (eight in a row cost eight requests, not
    // eight plus every other running deck's). The workers go on one deck each.
    if (this.answers.failing) return;
    const next = this.queue.take(this.isPending);
    if (next === null) return;
    const run = this.runItem(next)
      .catch((error: unknown) => {
        // As in worker(): only what cannot be recorded or written reaches here.
        this.fatal ??= error;
        this.abort.abort();
      })
      .finally(() => this.modelFed.delete(run));
    this.modelFed.add(run);
  }

  private async commit(index: number, event: ItemEvent): Promise<QueueItem> {
    const before = this.store.itemAt(index);
    const after = transition(before, event);
    await this.store.updateItem(index, after);
    this.counts[before.status] -= 1;
    this.counts[after.status] += 1;
    this.eta.moved(index, before.status, after.status, Date.now(), after.result);
    this.emit({ type: 'item:updated', batch_id: this.store.batchId, index, item: after, clock: this.clock() });
    return after;
  }

  /** The item job of a real run, or the dry run's look at the deck (`itemJob` is null exactly in a dry run). */
  private decide(index: number, item: QueueItem): Promise<ItemDecision> {
    if (this.itemJob) return this.itemJob.run(index, item);
    const inspector = this.inspector;
    if (!inspector) throw new Error('A dry-run item ran before the dry run started its readers.');
    return inspectItem(item, (file) => inspector.inspect(file));
  }

  private async runItem(index: number): Promise<void> {
    this.active.add(index);
    try {
      await this.runTakenItem(index);
    } finally {
      this.active.delete(index);
      this.waitingForModel.delete(index);
    }
  }

  private async runTakenItem(index: number): Promise<void> {
    const started = await this.commit(index, { type: 'start', at: localIsoTimestamp() });
    const startedMs = Date.now();
    this.logEntry(index, { kind: 'started', at: started.started_at ?? localIsoTimestamp(), attempt: started.attempts + 1 });
    const backWhenStarted = this.outage.backCount;
    let decision = await this.decide(index, started);
    this.waitingForModel.delete(index);
    if (decision.event.type === 'fail' || decision.event.type === 'recover') {
      const gone = await inputFolderProblem(started.path, this.inputRoot());
      if (gone) decision = { event: { type: 'requeue' }, fatal: gone };
    }
    const outcome = transition(started, decision.event).status;
    if (outcome === 'complete' || outcome === 'failed') this.attemptedThisRun[outcome] += 1;
    if (outcome === 'complete') this.outage.fileCompleted();
    const after = await this.commit(index, decision.event);
    this.logEnd(index, after, decision, Date.now() - startedMs);
    if (decision.fatal) throw decision.fatal;
    if (decision.pause) {
      // A file the server was merely gone for goes first; one that counted an attempt, last.
      if (decision.event.type === 'requeue') this.queue.pushFirst(index);
      else if (after.status === 'pending') this.queue.push(index);
      // Started before the server came back: it found the outage that has just ended, so it
      // runs again at once instead of announcing a second wait (if the server is gone again,
      // that run finds out).
      if (decision.event.type === 'requeue' && backWhenStarted < this.outage.backCount) return;
      await this.outage.pause(decision.pause.message);
      return;
    }
    if (after.status === 'pending' && !decision.stop && !this.stopRequest) this.queue.push(index);
    if (decision.stop?.reason === 'model-unusable') {
      this.stopForUnusableModel(decision.stop.message);
    } else if (decision.stop) {
      this.requestStop(decision.stop.reason, decision.stop.message);
    } else if (!this.dryRun) {
      this.checkErrorThreshold();
    }
  }

  private logEntry(index: number, entry: DeckLogEntry): void {
    this.log?.write(index, entry);
  }

  /** How the deck's run ended, in its log: its warnings, then its new status and why. */
  private logEnd(index: number, after: QueueItem, decision: ItemDecision, durationMs: number): void {
    if (!this.log) return;
    const at = localIsoTimestamp();
    for (const message of after.status === 'complete' ? (after.result?.warnings ?? []) : []) this.logEntry(index, { kind: 'warning', at, message });
    this.logEntry(index, { kind: 'ended', at, status: after.status, duration_ms: durationMs, message: endMessage(after, decision) });
  }

  // ─── Queue operations: the user's changes to a running batch ───────────────────────────

  /** No deck and no picture starts until {@link continue}; what runs finishes. False when it was paused already. */
  async pause(): Promise<boolean> {
    if (!this.userPause.pause()) return false;
    await this.runFolder?.setPaused(true).catch((error: unknown) => this.warn(`The running decks could not be paused between pictures (${oneLineReason(error)}); no new deck starts.`));
    this.emit({ type: 'batch:pause-changed', batch_id: this.store.batchId, paused: true, clock: this.clock() });
    return true;
  }

  /** Decks and pictures start again. False when it was not paused. */
  async continue(): Promise<boolean> {
    if (!this.userPause.continue()) return false;
    await this.runFolder?.setPaused(false).catch((error: unknown) => this.warn(`The running decks could not be let go on (${oneLineReason(error)}).`));
    this.emit({ type: 'batch:pause-changed', batch_id: this.store.batchId, paused: false, clock: this.clock() });
    return true;
  }

  get paused(): boolean {
    return this.userPause.paused;
  }

  /** The pending decks the user moved to the front, in the order they will start. */
  get queueFront(): readonly number[] {
    return this.queue.front(this.isPending);
  }

  /** The pending deck at `index` starts next. */
  async moveToFront(index: number): Promise<void> {
    this.pendingItem(index, 'moved to the front');
    this.queue.moveToFront(index);
    const front = this.queue.front(this.isPending);
    await this.store.updateBatch({ metadata: { queue_front: front } });
    this.logEntry(index, { kind: 'queue', at: localIsoTimestamp(), message: QUEUE_MESSAGES.front });
    this.emit({ type: 'queue:reordered', batch_id: this.store.batchId, front, clock: this.clock() });
  }

  /** The pending deck at `index` is left out of this run; a resume takes it up again. */
  async skip(index: number): Promise<void> {
    this.pendingItem(index, 'skipped');
    await this.commit(index, { type: 'skip', at: localIsoTimestamp(), code: 'ESKIPPED_BY_USER', reason: QUEUE_MESSAGES.skip });
    this.logEntry(index, { kind: 'queue', at: localIsoTimestamp(), message: QUEUE_MESSAGES.skip });
  }

  /** The pending deck at `index` is taken out of the batch, until it is put back. */
  async remove(index: number): Promise<void> {
    this.pendingItem(index, 'removed');
    await this.commit(index, { type: 'skip', at: localIsoTimestamp(), code: 'EREMOVED_BY_USER', reason: QUEUE_MESSAGES.remove });
    this.logEntry(index, { kind: 'queue', at: localIsoTimestamp(), message: QUEUE_MESSAGES.remove });
  }

  /** A deck skipped or removed by the user goes back in the queue, at its end. */
  async putBack(index: number): Promise<void> {
    const item = this.itemFor(index);
    if (!isUserSkip(item)) {
      throw new BatchError('EUSAGE', `${path.basename(item.path)} was not skipped or removed at your request, so there is nothing to put back.`);
    }
    await this.commit(index, { type: 'retry' });
    this.queue.push(index);
    this.logEntry(index, { kind: 'queue', at: localIsoTimestamp(), message: QUEUE_MESSAGES.putBack });
  }

  private itemFor(index: number): QueueItem {
    if (!Number.isInteger(index) || index < 0 || index >= this.store.itemCount) {
      throw new BatchError('EUSAGE', `Batch ${this.store.batchId} has no file number ${index}.`);
    }
    return this.store.itemAt(index);
  }

  /** The item, if it is still waiting for its turn; the sentence says why not otherwise. */
  private pendingItem(index: number, what: string): QueueItem {
    const item = this.itemFor(index);
    if (item.status !== 'pending') {
      throw new BatchError('EUSAGE', `${path.basename(item.path)} cannot be ${what}: ${notPendingReason(item)}.`);
    }
    return item;
  }

  /** Counts the model's fresh answers over all decks; too many unusable ones in a row stop the batch. */
  private noteModelAnswer(event: ProcessorProgressEvent): void {
    const answer = event.model_answer === 'usable' ? { usable: true as const } : { usable: false as const, problem: event.model_problem ?? 'no reason given' };
    if (this.answers.record(answer)) this.stopForUnusableModel(this.answers.message(this.options.config.model.name));
  }

  private stopForUnusableModel(message: string): void {
    this.requestStop('model-unusable', message);
    // The running decks would only ask the broken model more: stopped now, back in the queue.
    this.abort.abort();
  }

  /**
   * The seed divided failures by the whole batch, so it could never stop early; this divides
   * by the files attempted in this run, once there are at least four of them.
   */
  private checkErrorThreshold(): void {
    const { complete, failed } = this.attemptedThisRun;
    const attempted = complete + failed;
    const threshold = this.settings.stop_on_error_threshold;
    if (attempted >= 4 && failed / attempted > threshold) {
      this.requestStop(
        'error-threshold',
        `${failed} of ${attempted} files failed (${Math.round((failed / attempted) * 100)}%), more than the stop_on_error_threshold of ${Math.round(threshold * 100)}%. The rest are still pending.`,
      );
    }
  }

  private clock(): BatchClock {
    const now = Date.now();
    return { counts: { ...this.counts }, elapsed_ms: this.priorElapsedMs + (now - this.startedAt), eta_ms: this.eta.estimateMs(now) };
  }

  /** A batch waiting for the model server asks it now; true when it answers (and files start again). */
  tryModelNow(): Promise<boolean> {
    return this.outage.tryNow();
  }

  private emit(event: BatchEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A listener's bug must not stop the batch.
    }
  }

  private async finish(): Promise<BatchSummary> {
    const counts: StatusCounts = { ...this.counts };
    const unfinished = counts.pending + counts.processing > 0;
    // A broken model is said even when its last answer came from the last file: its decks need it fixed.
    const stop = this.stopRequest && (unfinished || this.stopRequest.reason === 'model-unusable') ? this.stopRequest : null;
    const reason: StopReason = stop?.reason ?? 'finished';
    const message = stop?.message ?? null;
    const pictures = countPictures(this.store.allItems());
    const clock = this.clock();
    await this.store.updateBatch({
      end_time: unfinished ? null : localIsoTimestamp(),
      metadata: {
        stop_reason: reason,
        stop_message: message,
        warnings: [...this.warnings],
        elapsed_ms: clock.elapsed_ms,
        run_started_at: null,
        ...(this.dryRun ? {} : { pictures }),
      },
    });
    if (stop) this.emit({ type: 'batch:stopped', batch_id: this.store.batchId, reason, message: stop.message, clock });
    this.emit({ type: 'batch:finished', batch_id: this.store.batchId, reason, clock });
    return {
      batch_id: this.store.batchId,
      manifest_path: this.store.manifestPath,
      output_dir: this.outputDir,
      dry_run: this.dryRun,
      resumed: this.resumed,
      counts,
      pictures,
      duration_ms: clock.elapsed_ms,
      stop_reason: reason,
      stop_message: message,
      warnings: [...this.warnings],
      dry_run_totals: this.dryRun ? dryRunTotals(this.store.allItems()) : null,
      model_check: this.modelCheck,
    };
  }
}

/** The seed's entry point: `processBatch(inputs, outputDir, {resume, batchId})`. */
export function processBatch(
  inputs: readonly DiscoveredFile[] | readonly string[] | null,
  outputDir: string,
  options: BatchRunOptions,
): Promise<BatchSummary> {
  const discovered = inputs?.map((input): DiscoveredFile =>
    typeof input === 'string' ? { path: path.resolve(input), disposition: { kind: 'process' } } : input,
  );
  return new BatchRunner(discovered ?? null, path.resolve(outputDir), options).run();
}

/** The sentence a deck's log closes its run with: the error, the skip reason, or why it is back in the queue. */
function endMessage(after: QueueItem, decision: ItemDecision): string | null {
  switch (after.status) {
    case 'complete':
      return null;
    case 'failed':
      return after.error;
    case 'skipped':
      return after.skip_reason;
    case 'pending':
      return decision.pause?.message ?? decision.stop?.message ?? after.error ?? 'Stopped before it finished; it is back in the queue.';
    case 'processing':
      return null;
    default:
      return assertNever(after.status, 'status');
  }
}
