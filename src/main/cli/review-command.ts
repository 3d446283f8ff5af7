import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { LimitsConfig } from '../../shared/config-schema';
import type { ReviewExportFormat } from '../../shared/review-types';
import { BatchError } from '../batch/batch-error';
import { BatchNotFoundError, listBatches, manifestPathFor, normalizeBatchId } from '../batch/batch-catalog';
import { loadConfig } from '../config/load-config';
import { BatchReview } from '../review/batch-review';
import { applyReview } from '../review/review-apply';
import { exportReview } from '../review/review-export';
import { journalPathOf } from '../review/review-journal';
import type { CommandIo } from './batch-command';
import type { ExitCode } from './exit-codes';
import { EXIT } from './exit-codes';
import { printable } from './printable';

/**
 * `altgen apply --output-dir … [--batch-id …]` and `altgen review export --output-dir …
 * [--batch-id …] --format docx|csv`: a batch's review (made in the app) applied to its copies,
 * or written for the person who signs it off, from the command line.
 */

export interface BatchChoice {
  readonly outputDir: string;
  readonly batchId?: string;
  readonly config?: string;
}

/** The batch named, or the most recent one that `wanted` accepts. */
export async function chooseBatch(options: BatchChoice, io: CommandIo, wanted: (manifestPath: string) => Promise<boolean>, what: string): Promise<string> {
  const outputDir = path.resolve(io.cwd, options.outputDir);
  if (options.batchId !== undefined) {
    const manifestPath = manifestPathFor(outputDir, options.batchId);
    if (!(await fs.access(manifestPath).then(() => true, () => false))) {
      throw new BatchNotFoundError(`No batch ${normalizeBatchId(options.batchId)} in ${outputDir} (looked for ${path.basename(manifestPath)}).`);
    }
    return manifestPath;
  }
  const batches = (await listBatches(outputDir)).filter((batch) => batch.document !== null && !batch.document.metadata.dry_run);
  for (const batch of [...batches].reverse()) if (await wanted(batch.manifestPath)) return batch.manifestPath;
  throw new BatchNotFoundError(`No batch in ${outputDir} has ${what}; name one with --batch-id.`);
}

async function hasJournal(manifestPath: string): Promise<boolean> {
  return fs.access(journalPathOf(manifestPath)).then(() => true, () => false);
}

export async function hasCompleteDecks(manifestPath: string, limits: LimitsConfig): Promise<boolean> {
  return (await new BatchReview(manifestPath, limits).load()).decks.length > 0;
}

export async function runApplyReviewCommand(deck: string | undefined, options: BatchChoice & { readonly output?: string }, io: CommandIo): Promise<ExitCode> {
  if (deck !== undefined || options.output !== undefined) {
    throw new BatchError('EUSAGE', '--output-dir applies the review of a whole batch: give it without a deck or --output.');
  }
  const { config } = await loadConfig({ explicit: options.config, cwd: io.cwd, env: io.env });
  const manifestPath = await chooseBatch(options, io, hasJournal, 'a review made in the app');
  const review = new BatchReview(manifestPath, config.limits);
  const applied = await applyReview(review, config.limits);
  const { batchId } = await review.load();
  if (applied.decks === 0) {
    io.stdout.write(`Nothing to apply: every copy of batch ${batchId} already holds its review.\n`);
    return EXIT.ok;
  }
  const { summary } = applied;
  io.stdout.write(
    `Applied the review of batch ${batchId} to ${applied.decks} deck(s): ${applied.changed} picture(s) changed.\n` +
      `Reviewed: ${summary.reviewed} of ${summary.pictures} pictures; ${summary.needs_review} still need review.\n` +
      `The previous copies are kept until the next apply: Undo in the app's review takes this back.\n`,
  );
  return EXIT.ok;
}

export async function runReviewExportCommand(options: BatchChoice & { readonly format: ReviewExportFormat; readonly output?: string }, io: CommandIo): Promise<ExitCode> {
  const { config } = await loadConfig({ explicit: options.config, cwd: io.cwd, env: io.env });
  const manifestPath = await chooseBatch(options, io, (candidate) => hasCompleteDecks(candidate, config.limits), 'complete decks to review');
  const review = new BatchReview(manifestPath, config.limits);
  const file = await exportReview(review, options.format, options.output === undefined ? undefined : path.resolve(io.cwd, options.output));
  const { summary } = await review.queue();
  io.stdout.write(`Wrote the review (${summary.pictures} pictures, ${summary.reviewed} reviewed) to ${printable(file)}\n`);
  return EXIT.ok;
}
