import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { LimitsConfig } from '../../shared/config-schema';
import { tempPathFor } from '../batch/output-paths';
import { BridgeFailure } from './bridge-failure';
import type { ReviewReport, ReviewTarget } from './review';

/**
 * Writes reviewed descriptions into a processed deck with the processor's `applyReport` (what
 * `altgen apply` does), the edited report passed as it is. The accessible copy is the deck edited, so everything the processor
 * did (decorative marks included) stays; the result goes to a hidden temp name beside it and
 * replaces it by rename only once complete, so a failure leaves the copy as it was. The
 * reports are then rewritten for the real name.
 */

export type ReviewApplier = (
  target: ReviewTarget,
  edited: ReviewReport,
  limits: LimitsConfig,
) => Promise<{ readonly output_path: string; readonly changed: number }>;

async function loadProcessor() {
  try {
    const [{ applyReport, asReport }, { writeReports }] = await Promise.all([import('../processor/apply-edits'), import('../processor/report')]);
    return { applyReport, asReport, writeReports };
  } catch (error) {
    throw new BridgeFailure('ENOT_AVAILABLE', `Applying edits is not available in this build (${(error as Error).message}).`);
  }
}

export const applyWithProcessor: ReviewApplier = async (target, edited, limits) => {
  const processor = await loadProcessor();
  const tempOutput = tempPathFor(target.outputPath, `review-${randomBytes(4).toString('hex')}`);
  try {
    const applied = await processor.applyReport(target.outputPath, processor.asReport(edited, 'The edited review'), tempOutput, limits);
    await fs.rename(tempOutput, target.outputPath);
    const deck = typeof edited['deck'] === 'string' ? edited['deck'] : target.deckPath;
    await processor.writeReports(target.outputPath, { ...applied.report, deck, output: target.outputPath });
    return { output_path: target.outputPath, changed: applied.changed };
  } finally {
    await fs.rm(tempOutput, { force: true }).catch(() => undefined);
  }
};
