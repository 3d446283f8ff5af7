import path from 'node:path';
import type { StopReason } from '../../shared/batch-types';
import { assertNever } from '../../shared/assert-never';
import type { BatchSummary } from '../batch/batch-runner';
import { BatchError } from '../batch/batch-error';
import { BatchRunner } from '../batch/batch-runner';
import { discoverInputs } from '../batch/discover-inputs';
import { ManifestStore } from '../batch/manifest-store';
import { killAllProcessors } from '../batch/processor-launcher';
import { BatchIndex } from '../batch/batch-index';
import { loadConfig, userDataDir } from '../config/load-config';
import type { ExitCode } from './exit-codes';
import { EXIT } from './exit-codes';
import { ProgressReporter, problemLines } from './progress-reporter';
import { printable } from './printable';
import { dryRunLines, formatSummary, nextCommands } from './summary-format';
import { builtInProcessorCommand } from './built-in-processor';

export interface BatchCommandOptions {
  readonly inputDir?: string;
  readonly inputFiles?: readonly string[];
  readonly outputDir: string;
  readonly dryRun?: boolean;
  readonly resume?: boolean;
  readonly batchId?: string;
  readonly maxWorkers?: number;
  readonly maxLockWait?: number;
  readonly config?: string;
  readonly retryFailed?: boolean;
  readonly retryNeedsReview?: boolean;
  readonly json?: boolean;
}

export interface CommandIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

export function exitCodeFor(summary: BatchSummary): ExitCode {
  const reason: StopReason = summary.stop_reason;
  switch (reason) {
    case 'finished':
      return summary.counts.failed > 0 ? EXIT.someFailed : EXIT.ok;
    case 'error-threshold':
      return EXIT.errorThreshold;
    case 'model-unavailable':
    case 'model-missing':
      return EXIT.paused;
    case 'model-unusable':
      return EXIT.modelUnusable;
    case 'stop-after-current':
    case 'stop-now':
    case 'interrupted':
      return EXIT.interrupted;
    default:
      return assertNever(reason, 'stop reason');
  }
}

export async function runBatchCommand(options: BatchCommandOptions, io: CommandIo): Promise<ExitCode> {
  if (!options.resume && !options.inputDir && !(options.inputFiles && options.inputFiles.length > 0)) {
    throw new BatchError('EUSAGE', 'Give --input-dir or --input-files (or --resume to continue a batch).');
  }
  if (options.retryFailed && !options.resume) {
    throw new BatchError('EUSAGE', '--retry-failed goes with --resume: it puts the failed files of a batch back in its queue.');
  }
  if (options.retryNeedsReview && !options.resume) {
    throw new BatchError('EUSAGE', '--retry-needs-review goes with --resume: it processes again the decks of a batch with pictures the model could not describe.');
  }
  const loaded = await loadConfig({ explicit: options.config, cwd: io.cwd, env: io.env });
  for (const warning of loaded.warnings) io.stderr.write(`Warning: ${warning}\n`);
  const outputDir = path.resolve(io.cwd, options.outputDir);
  const discovery = options.resume
    ? null
    : await discoverInputs({
        inputDir: options.inputDir ? path.resolve(io.cwd, options.inputDir) : undefined,
        inputFiles: options.inputFiles?.map((f) => path.resolve(io.cwd, f)),
        outputDir,
      });
  // Folders that could not be listed and broken links: their decks are not in the batch.
  for (const warning of discovery?.warnings ?? []) io.stderr.write(`Warning: ${printable(warning)}\n`);
  const reporter = new ProgressReporter(
    options.json ? io.stderr : io.stdout,
    loaded.config.batch_processing.progress_update_interval,
    !options.json && io.stdout.isTTY === true,
  );
  const runner = new BatchRunner(discovery?.files ?? null, outputDir, {
    config: loaded.config,
    configPath: loaded.path,
    dryRun: options.dryRun,
    resume: options.resume,
    batchId: options.batchId,
    retryFailed: options.retryFailed,
    retryNeedsReview: options.retryNeedsReview,
    maxWorkers: options.maxWorkers,
    maxLockWaitSeconds: options.maxLockWait,
    inputRoot: discovery?.inputRoot ?? null,
    onEvent: reporter.handle,
    index: new BatchIndex(path.join(userDataDir(io.env), 'batches.json')),
    // This same program, run as `altgen process …`, is the built-in processor.
    builtInProcessor: builtInProcessorCommand(),
  });

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals === 1) {
      io.stderr.write(`\n${signal}: stopping, saving the batch state and stopping the running files…\n`);
      runner.stopNow('interrupted', `Interrupted by ${signal}.`);
    } else {
      // Every transition is already on disk; a second signal only skips the tidy shutdown.
      void killAllProcessors().finally(() => process.exit(EXIT.interrupted));
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let summary: BatchSummary;
  try {
    summary = await runner.run();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const manifest = (await ManifestStore.open(summary.manifest_path)).snapshot();
  const items = manifest.queue.items;
  if (options.json) {
    const next = nextCommands(summary, items, loaded.path);
    io.stdout.write(JSON.stringify({ ...summary, resume_command: next.resume, retry_command: next.retry, retry_needs_review_command: next.retryNeedsReview, items }, null, 2) + '\n');
  } else {
    if (summary.dry_run) {
      io.stdout.write(`\nFiles:\n${dryRunLines(items, manifest.input_root).join('\n')}\n`);
    } else {
      const problems = problemLines(items);
      if (problems.length > 0) io.stdout.write(`\nFiles that need attention:\n${problems.join('\n')}\n`);
    }
    io.stdout.write(`\n${formatSummary(summary, loaded.path, items)}\n`);
  }
  return exitCodeFor(summary);
}
