import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertNever } from '../../shared/assert-never';
import type { BatchClock, BatchEvent } from '../../shared/batch-events';
import type { BatchMetadata, InputFingerprint, ItemResult, PauseReason, PictureCounts, QueueItem, StatusCounts, StopReason } from '../../shared/batch-types';
import { countPictures, hasModelFailures } from '../../shared/batch-types';
import type { ProcessorProgressEvent } from '../../shared/processor-protocol';
import { needsAltText } from '../../shared/alt-text-quality';
import type { AltgenConfig } from '../../shared/config-schema';
import { TRANSIENT_SKIP_CODES } from '../../shared/error-codes';
import type { ItemEvent } from '../../shared/item-state';
import { newItem, transition } from '../../shared/item-state';
import { estimateRemainingMs, localIsoTimestamp } from '../../shared/time-format';
import { MODEL_FAILURES_ENV } from '../describe/model-failures';
import { UnusableAnswers } from '../describe/unusable-answers';
import { deepestCommonFolder } from '../files/folder-paths';
import { findBatchToResume } from './batch-catalog';
import type { BatchIndex } from './batch-index';
import type { DiscoveredFile } from './discover-inputs';
import { acquireLock, FALLBACK_LOCK_SUBDIR, fallbackLockPath, findPowerPointOwner, lockInput, removeStaleLock } from './file-locks';
import { inspectDeck } from './inspect-deck';
import { DECODES_ENV, decodesPerProcessor, processorEnvironment } from './processor-env';
import { ManifestStore } from './manifest-store';
import type { ModelCheck } from './model-check';
import { checkModelServer, modelServerAnswers, modelServerSilence } from './model-check';
import { outputPathFor, sweepTempOutputs, tempPathFor } from './output-paths';
import { buildProcessorArgv } from './processor-command';
import { classifyOutcome, runProcessor, type Classified } from './processor-launcher';
import { ProcessorRegistry } from './processor-registry';

/**
 * Runs a batch: a pool of `max_workers` workers takes pending items in order, spawns the
 * processor for each (or inspects it, in a dry run) and records every transition in the
 * manifest before reporting it.
 *
 * When a processor reports the model server unavailable, the batch pauses rather than fail
 * file after file: no new file starts, that file goes back to the queue without counting an
 * attempt, and the server is polled with backoff (2 s doubling to 30 s). Files start again as
 * soon as it answers; if it has not answered `model_wait_minutes` after it first went away
 * (a completed file ends an outage), the batch stops with reason `model-unavailable`. A server
 * that accepts connections and answers nothing (a wedged Ollama still answers its model
 * list) is gone too: the processor finds it when a picture times out and a minimal request
 * goes unanswered, the runner when a deck times out and the same request goes unanswered,
 * and the polls ask that request, so the batch goes on only once the model really answers.
 *
 * A model that answers, but uselessly (refusals, not JSON, HTTP 500 for every picture), is
 * broken: when UNUSABLE_ANSWERS_IN_A_ROW of its answers in a row, over all decks, could not be
 * used, the batch stops (reason `model-unusable`) and the running decks go back to the queue.
 * Its processors share a memory of the pictures the model failed on in this run, so none is
 * asked twice; a resume after that stop does again the decks with pictures the model failed
 * on (so does `retryNeedsReview`), and the description cache spares what it did describe.
 */

/** First and longest pause between two polls of a model server that has gone away. */
export const MODEL_POLL_FIRST_MS = 2_000;
export const MODEL_POLL_MAX_MS = 30_000;

/** A processor may use half of this computer's memory (at least 1 GiB) before it is stopped. */
export function defaultProcessorMemoryLimit(totalBytes: number = os.totalmem()): number {
  return Math.max(1024 ** 3, Math.floor(totalBytes / 2));
}

export class BatchError extends Error {
  constructor(
    readonly code: 'ENO_PROCESSOR' | 'EOUTPUT_NOT_WRITABLE' | 'ENOSPC' | 'EINPUT_MISSING' | 'EBATCH_LOCKED' | 'EUSAGE',
    message: string,
  ) {
    super(message);
  }
}

export interface BatchRunOptions {
  readonly config: AltgenConfig;
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
}

export interface DryRunTotals {
  readonly decks: number;
  readonly slides: number;
  readonly pictures: number;
  readonly pictures_missing_alt: number;
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

async function fingerprintOf(file: string): Promise<InputFingerprint | null> {
  try {
    const stat = await fs.stat(file);
    return { size: stat.size, mtime_ms: Math.trunc(stat.mtimeMs) };
  } catch {
    return null;
  }
}

/** False when the folder is gone or replaced by a file; an unreadable folder is still there. */
async function isFolder(folder: string): Promise<boolean> {
  return fs.stat(folder).then(
    (stat) => stat.isDirectory(),
    (error: NodeJS.ErrnoException) => error.code !== 'ENOENT' && error.code !== 'ENOTDIR',
  );
}

/** The first sentence of a message (a diagnosis, before any advice), on one line. */
function firstSentence(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  const end = /[.!?](?=\s+\p{Lu})/u.exec(line);
  return end ? line.slice(0, end.index + 1) : line;
}

/** An error's message on one line, for a warning. */
function oneLineReason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim().replace(/\.$/, '');
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/** Outcomes that depend on what the processor read of the input: void when it changed meanwhile. */
const READS_THE_INPUT: ReadonlySet<Classified['kind']> = new Set<Classified['kind']>(['success', 'input-problem', 'failed']);
/** How many times an input may change under its processor before it is skipped (a resume tries it again). */
export const MAX_INPUT_CHANGES = 3;

/** Stands for the built-in processor in place of an external command. */
const BUILT_IN = '\u0000built-in';

/**
 * Renames the processor's reports from the temp output's name to the final one, before the
 * deck itself is renamed, so that nothing appears under its final name until all is done.
 */
async function moveReports(reports: readonly string[], temp: string, output: string): Promise<string[]> {
  const tempStem = temp.slice(0, temp.length - path.extname(temp).length);
  const finalStem = output.slice(0, output.length - path.extname(output).length);
  const moved: string[] = [];
  for (const report of reports) {
    if (!report.startsWith(tempStem) || !(await exists(report))) continue;
    const target = finalStem + report.slice(tempStem.length);
    await fs.rename(report, target);
    moved.push(target);
  }
  return moved;
}

/**
 * What running one item decided; `stop` asks the whole batch to stop after it, `pause` to wait
 * for the model server (the item is then back in the queue, first in line), `fatal` to end the
 * batch at once with that error (the output folder cannot take more).
 */
interface ItemDecision {
  readonly event: ItemEvent;
  readonly fatal?: BatchError;
  readonly stop?: { readonly reason: StopReason; readonly message: string };
  readonly pause?: { readonly reason: PauseReason; readonly message: string };
  /** The processor refused the deck itself (exit 65): not the output folder's fault, not retried. */
  readonly inputProblem?: boolean;
}

export class BatchRunner {
  private store!: ManifestStore;
  private releaseManifest: (() => Promise<void>) | null = null;
  private readonly queue: number[] = [];
  private queueHead = 0;
  private counts: { -readonly [K in keyof StatusCounts]: StatusCounts[K] } = {
    total: 0,
    pending: 0,
    processing: 0,
    complete: 0,
    failed: 0,
    skipped: 0,
  };
  private readonly durationsMs: number[] = [];
  private attemptedThisRun = { complete: 0, failed: 0 };
  private stopRequest: { reason: StopReason; message: string } | null = null;
  private readonly abort = new AbortController();
  /** Fires on any stop request: ends a wait for the model server at once. */
  private readonly stopping = new AbortController();
  /** The wait for the model server in progress; workers start nothing until it ends. */
  private modelWait: Promise<void> | null = null;
  /** When the model server was first found gone in the current outage (a completed file ends it). */
  private outageSince: number | null = null;
  /** How many times the model server was found back after being gone. */
  private serverBackCount = 0;
  /** Per item: `serverBackCount` when it last found the server gone. */
  private readonly unreachableAt = new Map<number, number>();
  /** Per item: how many times its input changed while its processor ran. */
  private readonly inputChanges = new Map<number, number>();
  /** The model's fresh answers over all decks, as the processors report them. */
  private readonly answers = new UnusableAnswers();
  /** The run's memory of pictures the model failed on, shared by its processors; null in a dry run. */
  private modelFailuresDir: string | null = null;
  /** Why the batch stopped the last time it ran, read before this run starts. */
  private previousStop: StopReason | null = null;
  /** Which of this batch's processors run, on disk, so that a resume can stop a dead run's. */
  private processors!: ProcessorRegistry;
  private readonly warnings: string[] = [];
  private readonly warnedFolders = new Set<string>();
  private startedAt = 0;
  private resumed = false;
  private modelCheck: ModelCheck | null = null;
  private fatal: unknown = null;
  private cachedInputRoot: string | null = null;

  constructor(
    private readonly inputs: readonly DiscoveredFile[] | null,
    private readonly outputDir: string,
    private readonly options: BatchRunOptions,
  ) {}

  private get settings() {
    return this.options.config.batch_processing;
  }

  private get dryRun(): boolean {
    return this.store.snapshot().metadata.dry_run;
  }

  private get maxWorkers(): number {
    return this.store.snapshot().metadata.max_workers;
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
    await this.ensureOutputWritable();
    await this.openOrCreate();
    this.processors = new ProcessorRegistry(this.outputDir, this.store.batchId);
    let summary: BatchSummary;
    try {
      await this.prepareQueue();
      await this.store.updateBatch({
        start_time: this.store.snapshot().start_time ?? localIsoTimestamp(),
        end_time: null,
        metadata: { stop_reason: null, stop_message: null },
      });
      if (this.dryRun) await this.runBatchChecks();
      else this.modelFailuresDir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-model-failures-'));
      this.emit({
        type: 'batch:started',
        batch_id: this.store.batchId,
        manifest_path: this.store.manifestPath,
        resumed: this.resumed,
        dry_run: this.dryRun,
        max_workers: this.maxWorkers,
        clock: this.clock(),
      });
      const workers = Math.max(1, Math.min(this.maxWorkers, this.queue.length - this.queueHead || 1));
      await Promise.all(Array.from({ length: workers }, () => this.worker()));
      if (this.fatal) throw this.fatal;
      summary = await this.finish();
    } finally {
      await this.closeUp();
      if (this.modelFailuresDir) await fs.rm(this.modelFailuresDir, { recursive: true, force: true }).catch(() => undefined);
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
    await this.store.close().catch((error: unknown) => {
      const journal = path.basename(this.store.journalPath);
      this.warn(`The manifest could not be tidied up at the end (${oneLineReason(error)}); nothing is lost: ${journal} beside it holds the latest changes and is read on resume.`);
    });
    await this.processors.tidy();
    await this.releaseManifest?.().catch((error: unknown) => {
      this.warn(`The batch's lock ${this.store.manifestPath}.lock could not be removed (${oneLineReason(error)}); the next run of this batch takes it over.`);
    });
  }

  private async ensureOutputWritable(): Promise<void> {
    const probe = path.join(this.outputDir, `.altgen-write-test-${process.pid}`);
    try {
      await fs.mkdir(this.outputDir, { recursive: true });
      await fs.writeFile(probe, '');
      await fs.rm(probe, { force: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      // A resumed batch cannot move: its manifest and copies are in that folder.
      const fix = this.options.resume ? 'make it writable and resume' : 'choose another with --output-dir';
      throw new BatchError('EOUTPUT_NOT_WRITABLE', `Output folder ${this.outputDir} is not writable (${code}); ${fix}.`);
    }
  }

  private async lockManifest(manifestPath: string): Promise<void> {
    try {
      this.releaseManifest = await acquireLock(manifestPath, {
        waitMs: 1500,
        onCompromised: (error) => this.warn(`The lock on the batch manifest was lost (${error.message}); carrying on.`),
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'ELOCKED') {
        throw new BatchError('EBATCH_LOCKED', `Batch ${path.basename(manifestPath)} is already running: ${(error as Error).message}`);
      }
      throw error;
    }
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
    const processor = this.processorCommand();
    const metadata: BatchMetadata = {
      processor: options.dryRun ? null : this.processorLabel(),
      dry_run: options.dryRun === true,
      max_workers: options.maxWorkers ?? this.settings.default_max_workers,
      config_path: options.configPath ?? null,
    };
    if (!options.dryRun && !processor) throw this.noProcessorError();
    const at = localIsoTimestamp();
    const items = inputs.map((input) => newItem(input.path, at));
    const inputRoot = options.inputRoot ?? commonFolder(inputs.map((i) => i.path));
    this.store = await ManifestStore.create({ outputDir: this.outputDir, batchId: options.batchId, inputRoot, metadata, items });
    await this.lockManifest(this.store.manifestPath);
    for (const [index, input] of inputs.entries()) {
      const event = this.eventForDisposition(input.disposition, at);
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

  private eventForDisposition(disposition: Disposition, at: string): ItemEvent | null {
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
   * The folder outputs mirror. Manifests of the Python tool have no `input_root`; the deepest
   * common folder of their items keeps their tree instead of flattening it.
   */
  private inputRoot(): string | null {
    this.cachedInputRoot ??= this.store.snapshot().input_root ?? commonFolder(this.store.allItems().map((item) => item.path));
    return this.cachedInputRoot;
  }

  /** The external command, or the built-in processor; null when neither is available. */
  private processorCommand(): string | readonly string[] | null {
    return this.options.config.processor.command ?? (this.options.builtInProcessor ? BUILT_IN : null);
  }

  private processorLabel(): string | null {
    const command = this.options.config.processor.command;
    if (command) return Array.isArray(command) ? command.join(' ') : (command as string);
    return this.options.builtInProcessor ? 'built-in (altgen process)' : null;
  }

  private noProcessorError(): BatchError {
    return new BatchError(
      'ENO_PROCESSOR',
      'No processor is available: set processor.command in config.yaml (e.g. "python pptx_alt_processor.py process {input} --output {output}"), or run with --dry-run to validate only.',
    );
  }

  private processorArgv(input: string, temp: string, output: string): string[] {
    const command = this.processorCommand();
    if (!command) throw this.noProcessorError();
    const configPath = this.options.configPath ?? null;
    if (command === BUILT_IN) {
      return [
        ...(this.options.builtInProcessor ?? []),
        'process',
        input,
        '--output',
        temp,
        '--final-output',
        output,
        ...(configPath ? ['--config', configPath] : []),
      ];
    }
    return buildProcessorArgv(command, { input, output: temp, config: configPath });
  }

  /** Crash recovery and the re-checks a resume makes, each recorded before work starts. */
  private async prepareQueue(): Promise<void> {
    const at = localIsoTimestamp();
    const { store } = this;
    this.previousStop = store.snapshot().metadata.stop_reason ?? null;
    if (this.resumed) {
      if (!this.dryRun && !this.processorCommand()) throw this.noProcessorError();
      // A killed runner's processors live on (own process groups): stop them before their
      // files run again, then remove what they were writing.
      await this.processors.killLeftovers();
      await sweepTempOutputs(this.outputDir, store.batchId);
      await this.sweepManifestTemps();
      const inputRoot = this.inputRoot();
      for (let index = 0; index < store.itemCount; index += 1) {
        const item = store.itemAt(index);
        const event = await this.resumeEventFor(item, inputRoot, at);
        if (event) await store.updateItem(index, transition(item, event));
      }
      if (this.options.maxWorkers !== undefined) await store.updateBatch({ metadata: { max_workers: this.options.maxWorkers } });
    }
    this.counts = { ...this.counts, total: store.itemCount };
    for (const [index, item] of store.allItems().entries()) {
      this.counts[item.status] += 1;
      if (item.status === 'pending') this.queue.push(index);
    }
  }

  private async resumeEventFor(item: QueueItem, inputRoot: string | null, at: string): Promise<ItemEvent | null> {
    switch (item.status) {
      case 'processing':
        await this.removeAbandonedLocks(item.path);
        // A dry run reads the deck in the runner itself, so the deck may be what killed it:
        // that counts as an attempt. A real run only ever met the deck through an isolated,
        // memory-capped processor, so the runner's death is not the file's doing, and
        // counting it would fail healthy files after a few kills of the runner.
        if (!this.dryRun) return { type: 'requeue' };
        return {
          type: 'recover',
          at,
          code: 'ECRASHED',
          error: 'The batch stopped while this file was being processed (crash, kill or power loss).',
        };
      case 'failed':
        return this.options.retryFailed ? { type: 'retry' } : null;
      case 'skipped':
        return item.error_code && TRANSIENT_SKIP_CODES.has(item.error_code) ? { type: 'retry' } : null;
      case 'complete': {
        if (this.dryRun) return null;
        // The user was told to fix the model and resume (or asked for it): decks with pictures
        // the model could not describe run again; the cache spares what it did describe.
        if (hasModelFailures(item) && (this.options.retryNeedsReview || this.previousStop === 'model-unusable')) return { type: 'invalidate' };
        const now = await fingerprintOf(item.path);
        const changed = now && item.fingerprint && (now.size !== item.fingerprint.size || now.mtime_ms !== item.fingerprint.mtime_ms);
        const output = item.result?.output_path ?? outputPathFor(item.path, inputRoot, this.outputDir);
        return changed || !(await exists(output)) ? { type: 'invalidate' } : null;
      }
      case 'pending':
        return null;
      default:
        return assertNever(item.status, 'status');
    }
  }

  /**
   * Half-written copies of the manifest a run killed while compacting it left behind
   * (`<manifest>.tmp-<pid>-<hex>`); this run holds the batch's lock, so none is being written.
   */
  private async sweepManifestTemps(): Promise<void> {
    const prefix = `${path.basename(this.store.manifestPath)}.tmp-`;
    for (const name of await fs.readdir(path.dirname(this.store.manifestPath)).catch(() => [] as string[])) {
      if (name.startsWith(prefix)) await fs.rm(path.join(path.dirname(this.store.manifestPath), name), { force: true }).catch(() => undefined);
    }
  }

  /** Locks a killed run of this batch left on an input (their holder is dead): gone before work starts. */
  private async removeAbandonedLocks(input: string): Promise<void> {
    for (const lockPath of [`${input}.lock`, fallbackLockPath(input, this.fallbackLockDir)]) {
      await removeStaleLock(lockPath).catch(() => undefined);
    }
  }

  private get fallbackLockDir(): string {
    return path.join(this.outputDir, FALLBACK_LOCK_SUBDIR);
  }

  private async runBatchChecks(): Promise<void> {
    try {
      const stat = await fs.statfs(this.outputDir);
      const free = stat.bavail * stat.bsize;
      let needed = 0;
      for (const item of this.store.allItems()) needed += (await fingerprintOf(item.path))?.size ?? 0;
      if (free < needed * 1.2) {
        this.warn(`The output folder has ${Math.round(free / 1e6)} MB free; the copies need about ${Math.round((needed * 1.2) / 1e6)} MB.`);
      }
    } catch {
      // statfs is missing on some platforms; the write test above already passed.
    }
    if (this.settings.dry_run_validates_ollama) {
      this.modelCheck = await checkModelServer(this.options.config.model);
      if (!this.modelCheck.ok) this.warn(`${this.modelCheck.message} Fix: ${this.modelCheck.fix}`);
    }
    await this.store.updateBatch({ metadata: { model_check: this.modelCheck, warnings: [...this.warnings] } });
  }

  private warn(message: string): void {
    this.warnings.push(message);
    if (this.store) this.emit({ type: 'batch:warned', batch_id: this.store.batchId, message });
  }

  private takeNext(): number | null {
    while (this.queueHead < this.queue.length) {
      const index = this.queue[this.queueHead++];
      if (index !== undefined && this.store.itemAt(index).status === 'pending') return index;
    }
    return null;
  }

  private async worker(): Promise<void> {
    while (!this.stopRequest && !this.fatal) {
      if (this.modelWait) {
        await this.modelWait;
        continue;
      }
      const index = this.takeNext();
      if (index === null) return;
      try {
        await this.runItem(index);
      } catch (error) {
        // Only persistence failures (disk full, manifest unwritable) and an output folder that
        // can take no more reach here: stop everything, since nothing more can be recorded or written.
        this.fatal ??= error;
        this.abort.abort();
      }
    }
  }

  private async commit(index: number, event: ItemEvent): Promise<QueueItem> {
    const before = this.store.itemAt(index);
    const after = transition(before, event);
    await this.store.updateItem(index, after);
    this.counts[before.status] -= 1;
    this.counts[after.status] += 1;
    this.emit({ type: 'item:updated', batch_id: this.store.batchId, index, item: after, clock: this.clock() });
    return after;
  }

  private async runItem(index: number): Promise<void> {
    const started = await this.commit(index, { type: 'start', at: localIsoTimestamp() });
    const startedMs = Date.now();
    const backWhenStarted = this.serverBackCount;
    let decision = this.dryRun ? await this.inspect(started) : await this.process(index, started);
    if (decision.event.type === 'fail' || decision.event.type === 'recover') {
      const gone = await this.inputFolderProblem(started.path);
      if (gone) decision = { event: { type: 'requeue' }, fatal: gone };
    }
    const outcome = transition(started, decision.event).status;
    if (outcome === 'complete' || outcome === 'failed') {
      // Recorded before the event goes out, so its ETA already counts this file.
      this.durationsMs.push(Date.now() - startedMs);
      this.attemptedThisRun[outcome] += 1;
    }
    if (outcome === 'complete') this.outageSince = null;
    const after = await this.commit(index, decision.event);
    if (decision.fatal) throw decision.fatal;
    if (decision.pause) {
      // A file the server was merely gone for goes first; one that counted an attempt, last.
      if (decision.event.type === 'requeue') this.queueFirst(index);
      else if (after.status === 'pending') this.queue.push(index);
      // Started before the server came back: it found the outage that has just ended, so it
      // runs again at once instead of announcing a second wait (if the server is gone again,
      // that run finds out).
      if (decision.event.type === 'requeue' && backWhenStarted < this.serverBackCount) return;
      await this.pauseForModel(decision.pause.message);
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

  /**
   * When a file failed because a folder of the inputs has gone (renamed, moved, a drive
   * unplugged), every file after it would fail the same way: the batch stops instead, the file
   * back in the queue. Names the highest folder that is gone, up to the batch's input folder.
   */
  private async inputFolderProblem(input: string): Promise<BatchError | null> {
    const root = this.inputRoot();
    let missing: string | null = null;
    for (let folder = path.dirname(input); !(await isFolder(folder)); folder = path.dirname(folder)) {
      missing = folder;
      if (folder === root || path.dirname(folder) === folder) break;
    }
    if (missing === null) return null;
    return new BatchError(
      'EINPUT_MISSING',
      `The input folder ${missing} is gone (renamed, moved or disconnected); the files not yet processed are still pending. Put it back under that name and resume.`,
    );
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

  /** Puts an item back at the head of the queue (the slot before the head was already taken). */
  private queueFirst(index: number): void {
    if (this.queueHead > 0) this.queue[--this.queueHead] = index;
    else this.queue.unshift(index);
  }

  /** Starts the wait for the model server, or joins the one in progress. */
  private pauseForModel(message: string): Promise<void> {
    this.modelWait ??= this.waitForModel(message).finally(() => {
      this.modelWait = null;
    });
    return this.modelWait;
  }

  private async waitForModel(message: string): Promise<void> {
    const minutes = this.settings.model_wait_minutes;
    // The processor's diagnosis, without its own advice: the batch gives one piece of advice.
    const diagnosis = firstSentence(message);
    const giveUp = (waited: string) => `${waited}: ${diagnosis} Start the model server (for example with ollama serve), then resume the batch.`;
    const waitMs = minutes * 60_000;
    this.outageSince ??= Date.now();
    const deadline = this.outageSince + waitMs;
    if (Date.now() >= deadline) {
      this.requestStop('model-unavailable', giveUp(waitMs === 0 ? 'The model server is unavailable' : `The model server did not come back within ${minutes} minute${minutes === 1 ? '' : 's'}`));
      return;
    }
    this.emit({
      type: 'batch:paused',
      batch_id: this.store.batchId,
      reason: 'model-unavailable',
      message,
      wait_until: localIsoTimestamp(new Date(deadline)),
      clock: this.clock(),
    });
    const poll = this.options.modelPoll ?? { firstMs: MODEL_POLL_FIRST_MS, maxMs: MODEL_POLL_MAX_MS };
    for (let pollMs = poll.firstMs; ; pollMs = Math.min(pollMs * 2, poll.maxMs)) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      await this.sleepUnlessStopped(Math.min(pollMs, remaining));
      if (this.stopRequest || this.fatal) return;
      // It must answer a minimal request, not only its model list (a wedged server does that).
      if (await modelServerAnswers(this.options.config.model).catch(() => false)) {
        if (this.stopRequest || this.fatal) return;
        this.serverBackCount += 1;
        this.emit({ type: 'batch:continued', batch_id: this.store.batchId, message: 'The model server is back; resuming.', clock: this.clock() });
        return;
      }
    }
    this.requestStop('model-unavailable', giveUp(`The model server did not come back within ${minutes} minute${minutes === 1 ? '' : 's'}`));
  }

  private sleepUnlessStopped(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.stopping.signal;
      if (signal.aborted) {
        resolve();
        return;
      }
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
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

  private async inspect(item: QueueItem): Promise<ItemDecision> {
    const at = () => localIsoTimestamp();
    // The processor's own rules (weak_patterns, min_meaningful_alt_chars): the dry run counts what it will describe.
    const rules = this.options.config.alt_text;
    const outcome = await inspectDeck(item.path, this.options.config.limits, { needsAltText: (descr) => needsAltText(descr, rules) });
    if (outcome.ok) {
      const result: ItemResult = { dry_run: true, inspection: outcome.inspection };
      return { event: { type: 'complete', at: at(), result, fingerprint: await fingerprintOf(item.path) } };
    }
    return outcome.status === 'skipped'
      ? { event: { type: 'skip', at: at(), code: outcome.code, reason: outcome.message } }
      : { event: { type: 'fail', at: at(), code: outcome.code, error: outcome.message } };
  }

  private async process(index: number, item: QueueItem): Promise<ItemDecision> {
    const at = () => localIsoTimestamp();
    const input = item.path;
    const fingerprint = await fingerprintOf(input);
    if (!fingerprint) return { event: { type: 'fail', at: at(), code: 'ENOT_FOUND', error: `File not found: ${input}` } };
    try {
      await fs.access(input, fs.constants.R_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      return { event: { type: 'fail', at: at(), code: 'EUNREADABLE', error: `Cannot read ${input} (${code}).` } };
    }
    const owner = await findPowerPointOwner(input);
    if (owner) {
      const by = owner.user ? ` (by ${owner.user})` : '';
      return { event: { type: 'skip', at: at(), code: 'EOPEN_IN_POWERPOINT', reason: `Open in PowerPoint${by}: close it and resume.` } };
    }
    let release: () => Promise<void>;
    try {
      release = await lockInput(input, {
        waitSeconds: this.options.maxLockWaitSeconds ?? this.settings.max_lock_wait_seconds,
        fallbackLockDir: this.fallbackLockDir,
        onFallback: (message) => {
          const folder = path.dirname(input);
          if (!this.warnedFolders.has(folder)) {
            this.warnedFolders.add(folder);
            this.warn(message);
          }
        },
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'ELOCKED') {
        return { event: { type: 'skip', at: at(), code: 'ELOCKED', reason: (error as Error).message } };
      }
      // The deck's folder went away between the look at the deck and its lock.
      const gone = await this.inputFolderProblem(input);
      if (gone) return { event: { type: 'requeue' }, fatal: gone };
      throw error;
    }
    try {
      return await this.runProcessorFor(index, input, fingerprint);
    } finally {
      await release();
    }
  }

  /**
   * Runs the processor, then makes sure a failure is the file's: when the output folder has
   * filled up or become read-only, every file after it would fail the same way, so the batch
   * stops instead (the file back in the queue) with a sentence that says what to fix.
   */
  private async runProcessorFor(index: number, input: string, fingerprint: InputFingerprint): Promise<ItemDecision> {
    const decision = await this.runProcessorOnce(index, input, fingerprint);
    const { event } = decision;
    const failed = (event.type === 'fail' && !decision.inputProblem) || event.type === 'recover';
    if (!failed) return decision;
    // The deck's own output folder: it may be on another disk than the output folder's root.
    const folder = path.dirname(outputPathFor(input, this.inputRoot(), this.outputDir));
    const problem = await this.outputProblem(fingerprint.size, event.error, folder);
    return problem ? { event: { type: 'requeue' }, fatal: problem } : decision;
  }

  /** Why nothing more can be written to `folder` (in the output folder), or null when it is fine. */
  private async outputProblem(deckBytes: number, failure: string, folder: string): Promise<BatchError | null> {
    const resume = 'Everything recorded before is kept; ';
    const probe = path.join(folder, `.altgen-write-test-${process.pid}`);
    let full = /\b(ENOSPC|EDQUOT)\b|no space left on device|quota exceeded/i.test(failure);
    try {
      await fs.mkdir(folder, { recursive: true });
      await fs.writeFile(probe, '');
      await fs.rm(probe, { force: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      if (code !== 'ENOSPC' && code !== 'EDQUOT') {
        return new BatchError('EOUTPUT_NOT_WRITABLE', `The output folder ${folder} can no longer be written (${code}). ${resume}make it writable and resume.`);
      }
      full = true;
    }
    let free: number | null = null;
    try {
      const stat = await fs.statfs(folder);
      free = stat.bavail * stat.bsize;
    } catch {
      // statfs is missing on some platforms; the processor's own words may still say it.
    }
    // A copy is about the size of its deck; with less room than that, every file would fail.
    if (free !== null && free < deckBytes * 1.1 + 1024 * 1024) full = true;
    if (!full) return null;
    const left = free === null ? '' : ` (${(free / (1024 * 1024)).toFixed(1)} MB free)`;
    return new BatchError('ENOSPC', `The disk holding ${folder} is full${left}: copies cannot be written. ${resume}free some space and resume.`);
  }

  private async runProcessorOnce(index: number, input: string, fingerprint: InputFingerprint): Promise<ItemDecision> {
    const at = () => localIsoTimestamp();
    const output = outputPathFor(input, this.inputRoot(), this.outputDir);
    const temp = tempPathFor(output, this.store.batchId);
    try {
      await fs.mkdir(path.dirname(output), { recursive: true });
      const timeoutMs = this.settings.file_timeout_seconds * 1000;
      const spawned: { readonly pid: number; readonly recorded: Promise<void> }[] = [];
      const outcome = await runProcessor({
        argv: this.processorArgv(input, temp, output),
        env: processorEnvironment({
          ...this.options.processorEnv,
          [DECODES_ENV]: String(decodesPerProcessor(this.maxWorkers)),
          ...(this.modelFailuresDir ? { [MODEL_FAILURES_ENV]: this.modelFailuresDir } : {}),
        }),
        timeoutMs,
        signal: this.abort.signal,
        maxMemoryBytes: this.options.processorMemoryLimitBytes ?? defaultProcessorMemoryLimit(),
        onSpawn: (pid) => spawned.push({ pid, recorded: this.processors.record(pid, input) }),
        onEvent: (event) => {
          if (event.type === 'progress') {
            if (event.model_answer) this.noteModelAnswer(event);
            this.emit({ type: 'item:progressed', batch_id: this.store.batchId, index, path: input, progress: event });
          }
        },
      }).finally(async () => {
        for (const { pid, recorded } of spawned) {
          await recorded;
          await this.processors.forget(pid);
        }
      });
      const classified = classifyOutcome(outcome, timeoutMs);
      if (READS_THE_INPUT.has(classified.kind)) {
        const changed = await this.changedUnderProcessor(index, input, fingerprint, classified.kind === 'success' ? (classified.result?.reports ?? []) : []);
        if (changed) return changed;
      }
      switch (classified.kind) {
        case 'success': {
          const written = await fs.stat(temp).catch(() => null);
          if (!written || written.size === 0) {
            return { event: { type: 'fail', at: at(), code: 'ENO_OUTPUT', error: 'The processor reported success but wrote no output file.' } };
          }
          const reports = await moveReports(classified.result?.reports ?? [], temp, output);
          await fs.rename(temp, output);
          const r = classified.result;
          const result: ItemResult = {
            ...(r ? { ...r, type: undefined, output: undefined } : {}),
            reports,
            output_path: output,
            duration_seconds: Math.round(outcome.durationMs) / 1000,
          };
          return { event: { type: 'complete', at: at(), result: JSON.parse(JSON.stringify(result)), fingerprint } };
        }
        case 'input-problem':
          return { event: { type: 'fail', at: at(), code: classified.code, error: classified.message }, inputProblem: true };
        case 'output-problem':
          // Not the deck's fault: runProcessorFor looks at the output folder before failing it.
          return { event: { type: 'fail', at: at(), code: classified.code, error: classified.message } };
        case 'model-unavailable':
          return this.modelServerGone(index, classified.message);
        case 'model-missing':
          return { event: { type: 'requeue' }, stop: { reason: 'model-missing', message: classified.message } };
        case 'model-unusable':
          return { event: { type: 'requeue' }, stop: { reason: 'model-unusable', message: classified.message } };
        case 'timed-out': {
          // Out of time because the model server stopped answering: not the deck's doing.
          const silence = await modelServerSilence(this.options.config.model).catch(() => null);
          if (silence) return this.modelServerGone(index, silence);
          return { event: { type: 'recover', at: at(), code: classified.code, error: classified.message } };
        }
        case 'crashed':
          return { event: { type: 'recover', at: at(), code: classified.code, error: classified.message } };
        case 'memory-exceeded':
          // Memory a deck needs does not shrink on a second try.
          return { event: { type: 'fail', at: at(), code: classified.code, error: classified.message } };
        case 'aborted':
          return { event: { type: 'requeue' } };
        case 'failed':
          return { event: { type: 'fail', at: at(), code: classified.code, error: classified.message } };
        case 'spawn-failed':
          return {
            event: { type: 'requeue' },
            stop: { reason: 'stop-now', message: `The processor could not be started: ${classified.message}` },
          };
        default:
          return assertNever(classified, 'processor outcome');
      }
    } catch (error) {
      if ((error as { code?: string }).code === 'ECONFIG') {
        return { event: { type: 'requeue' }, stop: { reason: 'stop-now', message: (error as Error).message } };
      }
      return { event: { type: 'fail', at: at(), code: 'EOUTPUT', error: `Could not write the output: ${(error as Error).message}` } };
    } finally {
      await fs.rm(temp, { force: true }).catch(() => undefined);
    }
  }

  /** The file found the model server gone: the batch waits for it, the file back in the queue. */
  private modelServerGone(index: number, message: string): ItemDecision {
    const pause = { reason: 'model-unavailable', message } as const;
    // Unreachable again for this file although the server answered in between: the file may
    // be what brings the server down (a model crashing on one picture), so it counts an
    // attempt instead of pausing the batch over and over.
    const before = this.unreachableAt.get(index);
    this.unreachableAt.set(index, this.serverBackCount);
    if (before !== undefined && before < this.serverBackCount) {
      return { event: { type: 'recover', at: localIsoTimestamp(), code: 'EMODEL_UNAVAILABLE', error: message }, pause };
    }
    return { event: { type: 'requeue' }, pause };
  }

  /**
   * A deck saved over while its processor ran was read half old, half new: what came of it
   * (a copy, or "Damaged file … CRC-32 mismatch") says nothing about the file, whose size or
   * modification time now differ from before. It goes back to the queue without counting an
   * attempt, its reports removed (the copy is the temp `runProcessorOnce` removes); after
   * MAX_INPUT_CHANGES changes it is skipped instead, and a resume tries it again.
   */
  private async changedUnderProcessor(index: number, input: string, before: InputFingerprint, reports: readonly string[]): Promise<ItemDecision | null> {
    const now = await fingerprintOf(input);
    if (now && now.size === before.size && now.mtime_ms === before.mtime_ms) return null;
    for (const report of reports) await fs.rm(report, { force: true }).catch(() => undefined);
    const changes = (this.inputChanges.get(index) ?? 0) + 1;
    this.inputChanges.set(index, changes);
    if (changes < MAX_INPUT_CHANGES) return { event: { type: 'requeue' } };
    return {
      event: {
        type: 'skip',
        at: localIsoTimestamp(),
        code: 'EINPUT_CHANGING',
        reason: `It changed ${changes} times while it was being processed (a program is saving it): close that program, then resume.`,
      },
    };
  }

  private clock(): BatchClock {
    const counts: StatusCounts = { ...this.counts };
    const remaining = counts.pending + counts.processing;
    return {
      counts,
      elapsed_ms: Date.now() - this.startedAt,
      eta_ms: estimateRemainingMs(this.durationsMs, remaining, this.maxWorkers),
    };
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
    await this.store.updateBatch({
      end_time: unfinished ? null : localIsoTimestamp(),
      metadata: { stop_reason: reason, stop_message: message, warnings: [...this.warnings], ...(this.dryRun ? {} : { pictures }) },
    });
    const clock = this.clock();
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
      dry_run_totals: this.dryRun ? this.dryRunTotals() : null,
      model_check: this.modelCheck,
    };
  }

  private dryRunTotals(): DryRunTotals {
    let decks = 0;
    let slides = 0;
    let pictures = 0;
    let missing = 0;
    for (const item of this.store.allItems()) {
      const inspection = item.result?.inspection;
      if (item.status !== 'complete' || !inspection) continue;
      decks += 1;
      slides += inspection.slides;
      pictures += inspection.pictures;
      missing += inspection.pictures_missing_alt;
    }
    return { decks, slides, pictures, pictures_missing_alt: missing };
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
