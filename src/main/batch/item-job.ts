import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertNever } from '../../shared/assert-never';
import type { InputFingerprint, ItemResult, QueueItem } from '../../shared/batch-types';
import type { AltgenConfig } from '../../shared/config-schema';
import type { ProcessorEvent, ProcessorPictureEvent, ProcessorProgressEvent } from '../../shared/processor-protocol';
import { localIsoTimestamp } from '../../shared/time-format';
import { MODEL_FAILURES_ENV } from '../describe/model-failures';
import { DECODES_ENV, decodesPerProcessor } from '../processor/decodes';
import { PAUSE_FILE_ENV } from '../processor/pause-gate';
import { findPowerPointOwner, lockInput } from './file-locks';
import { fingerprintOf, sameFingerprint } from './input-fingerprint';
import type { ItemDecision } from './item-decision';
import type { ModelOutage } from './model-outage';
import { modelServerSilence } from './model-check';
import { inputFolderProblem, outputFolderProblem } from './output-health';
import { outputPathFor, tempPathFor } from './output-paths';
import type { ProcessorChoice } from './processor-choice';
import { processorEnvironment } from './processor-env';
import type { ModelBroker } from './model-broker';
import { classifyOutcome, runProcessor, type Classified, type ProcessorOutcome } from './processor-launcher';
import { ProcessorPool } from './processor-pool';
import type { ProcessorRegistry } from './processor-registry';
import type { RunFolder } from './run-folder';
import type { UserPause } from './user-pause';

/**
 * Runs one item of a batch (not a dry run): looks at the deck (there, readable, not open in
 * PowerPoint), locks it, runs its processor in its own process and turns how that ended into
 * the item's next event. A failure that is not the deck's (its output folder full or read-only,
 * the input folder gone) becomes a fatal decision instead, the deck back in the queue; a model
 * server that went away, a pause. The copy and its reports appear under their final names only
 * once all of them are written.
 */

/** A processor may use half of this computer's memory (at least 1 GiB) before it is stopped. */
export function defaultProcessorMemoryLimit(totalBytes: number = os.totalmem()): number {
  return Math.max(1024 ** 3, Math.floor(totalBytes / 2));
}

/** Outcomes that depend on what the processor read of the input: void when it changed meanwhile. */
const READS_THE_INPUT: ReadonlySet<Classified['kind']> = new Set<Classified['kind']>(['success', 'input-problem', 'failed']);
/** How many times an input may change under its processor before it is skipped (a resume tries it again). */
export const MAX_INPUT_CHANGES = 3;

export interface ItemJobContext {
  readonly config: AltgenConfig;
  /** The config file the batch read, or null for the defaults (an external command's `{config}`). */
  readonly configFile: string | null;
  readonly batchId: string;
  readonly outputDir: string;
  readonly inputRoot: string | null;
  readonly maxWorkers: number;
  readonly lockWaitSeconds: number;
  readonly fallbackLockDir: string;
  readonly processor: ProcessorChoice;
  readonly runFolder: RunFolder;
  readonly registry: ProcessorRegistry;
  /** The batch's model scheduler, which the built-in processors ask (model-broker.ts); null without a model. */
  readonly broker: ModelBroker | null;
  readonly outage: ModelOutage;
  /** Extra environment for processors (Electron sets ELECTRON_RUN_AS_NODE to run the CLI as Node). */
  readonly processorEnv: Readonly<Record<string, string>> | undefined;
  readonly memoryLimitBytes: number;
  /** Kills the running processors (stop now, a broken model, a fatal error). */
  readonly signal: AbortSignal;
  readonly warn: (message: string) => void;
  readonly onProgress: (index: number, input: string, event: ProcessorProgressEvent) => void;
  /** A picture the processor settled, for the deck's log. */
  readonly onPicture: (index: number, event: ProcessorPictureEvent) => void;
  /** The user's pause: a processor waits it out (the run folder's pause file), and it does not count against its time. */
  readonly pause: UserPause;
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

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

export class ItemJob {
  /** Per item: how many times its input changed while its processor ran. */
  private readonly inputChanges = new Map<number, number>();
  /** Folders whose decks are locked in the output folder instead, said once each. */
  private readonly warnedFolders = new Set<string>();

  /** The built-in processor's long-lived processes (processor-pool.ts); null for an external command, run per deck. */
  private readonly pool: ProcessorPool | null;

  constructor(private readonly context: ItemJobContext) {
    const argv = context.processor.serviceArgv(context.runFolder.settingsFile);
    this.pool = argv
      ? new ProcessorPool({
          argv,
          env: this.processorEnv(),
          broker: context.broker,
          maxMemoryBytes: context.memoryLimitBytes,
          onSpawn: (pid) => context.registry.record(pid, 'decks of this batch, one after another'),
          onExit: (pid) => context.registry.forget(pid),
        })
      : null;
  }

  /** Ends the long-lived processors, once the batch is done with them. */
  close(): Promise<void> {
    return this.pool?.close() ?? Promise.resolve();
  }

  private processorEnv(): NodeJS.ProcessEnv {
    const { context } = this;
    return processorEnvironment({
      ...context.processorEnv,
      [DECODES_ENV]: String(decodesPerProcessor(context.maxWorkers)),
      [MODEL_FAILURES_ENV]: context.runFolder.modelFailuresDir,
      [PAUSE_FILE_ENV]: context.runFolder.pauseFile,
    });
  }

  async run(index: number, item: QueueItem): Promise<ItemDecision> {
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
        waitSeconds: this.context.lockWaitSeconds,
        fallbackLockDir: this.context.fallbackLockDir,
        onFallback: (message) => {
          const folder = path.dirname(input);
          if (!this.warnedFolders.has(folder)) {
            this.warnedFolders.add(folder);
            this.context.warn(message);
          }
        },
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'ELOCKED') {
        return { event: { type: 'skip', at: at(), code: 'ELOCKED', reason: (error as Error).message } };
      }
      // The deck's folder went away between the look at the deck and its lock.
      const gone = await inputFolderProblem(input, this.context.inputRoot);
      if (gone) return { event: { type: 'requeue' }, fatal: gone };
      throw error;
    }
    try {
      return await this.runChecked(index, input, fingerprint);
    } finally {
      await release();
    }
  }

  /**
   * Runs the processor, then makes sure a failure is the file's: when the output folder has
   * filled up or become read-only, every file after it would fail the same way, so the batch
   * stops instead (the file back in the queue) with a sentence that says what to fix.
   */
  private async runChecked(index: number, input: string, fingerprint: InputFingerprint): Promise<ItemDecision> {
    const decision = await this.runProcessorOnce(index, input, fingerprint);
    const { event } = decision;
    const failed = (event.type === 'fail' && !decision.inputProblem) || event.type === 'recover';
    if (!failed) return decision;
    // The deck's own output folder: it may be on another disk than the output folder's root.
    const folder = path.dirname(outputPathFor(input, this.context.inputRoot, this.context.outputDir));
    const problem = await outputFolderProblem(folder, fingerprint.size, event.error);
    return problem ? { event: { type: 'requeue' }, fatal: problem } : decision;
  }

  private async runProcessorOnce(index: number, input: string, fingerprint: InputFingerprint): Promise<ItemDecision> {
    const { context } = this;
    const at = () => localIsoTimestamp();
    const output = outputPathFor(input, context.inputRoot, context.outputDir);
    const temp = tempPathFor(output, context.batchId);
    try {
      await fs.mkdir(path.dirname(output), { recursive: true });
      const timeoutMs = context.config.batch_processing.file_timeout_seconds * 1000;
      const pausedBefore = context.pause.mark();
      const extraTimeMs = (): number => context.pause.pausedSince(pausedBefore);
      const onEvent = (event: ProcessorEvent): void => {
        if (event.type === 'progress') context.onProgress(index, input, event);
        else if (event.type === 'picture') context.onPicture(index, event);
      };
      const outcome = this.pool
        ? await this.pool.run({ input, output: temp, finalOutput: output, timeoutMs, extraTimeMs, signal: context.signal, onEvent })
        : await this.runOnce(input, temp, output, { timeoutMs, extraTimeMs, onEvent });
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
          // Not the deck's fault: runChecked looks at the output folder before failing it.
          return { event: { type: 'fail', at: at(), code: classified.code, error: classified.message } };
        case 'model-unavailable':
          return context.outage.serverGone(index, classified.message);
        case 'model-missing':
          return { event: { type: 'requeue' }, stop: { reason: 'model-missing', message: classified.message } };
        case 'model-unusable':
          return { event: { type: 'requeue' }, stop: { reason: 'model-unusable', message: classified.message } };
        case 'timed-out': {
          // Out of time because the model server stopped answering: not the deck's doing.
          const silence = await modelServerSilence(context.config.model).catch(() => null);
          if (silence) return context.outage.serverGone(index, silence);
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

  /** An external processor command, started for this deck alone. */
  private async runOnce(
    input: string,
    temp: string,
    output: string,
    run: { readonly timeoutMs: number; readonly extraTimeMs: () => number; readonly onEvent: (event: ProcessorEvent) => void },
  ): Promise<ProcessorOutcome> {
    const { context } = this;
    const spawned: { readonly pid: number; readonly recorded: Promise<void> }[] = [];
    return runProcessor({
      argv: context.processor.argv(input, temp, output, { configFile: context.configFile, settingsFile: context.runFolder.settingsFile }),
      env: this.processorEnv(),
      timeoutMs: run.timeoutMs,
      extraTimeMs: run.extraTimeMs,
      signal: context.signal,
      maxMemoryBytes: context.memoryLimitBytes,
      onSpawn: (pid) => spawned.push({ pid, recorded: context.registry.record(pid, input) }),
      onEvent: run.onEvent,
    }).finally(async () => {
      for (const { pid, recorded } of spawned) {
        await recorded;
        await context.registry.forget(pid);
      }
    });
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
    if (now && sameFingerprint(now, before)) return null;
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
}
