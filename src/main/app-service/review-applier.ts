import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AltTextReport } from '../../shared/alt-text-report';
import { reportPathsFor } from '../../shared/alt-text-report';
import type { LimitsConfig } from '../../shared/config-schema';
import { tempPathFor } from '../batch/output-paths';
import { BridgeFailure } from './bridge-failure';
import type { ReviewReport, ReviewTarget } from './review';

/**
 * Writes reviewed descriptions into a processed deck with the processor's `applyEdits` (the
 * `altgen apply` command). The accessible copy is the deck edited, so everything the processor
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
    const [{ applyEdits }, { writeReports }] = await Promise.all([import('../processor/apply-edits'), import('../processor/process-deck')]);
    return { applyEdits, writeReports };
  } catch (error) {
    throw new BridgeFailure('ENOT_AVAILABLE', `Applying edits is not available in this build (${(error as Error).message}).`);
  }
}

export const applyWithProcessor: ReviewApplier = async (target, edited, limits) => {
  const processor = await loadProcessor();
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-review-'));
  const editedFile = path.join(workDir, 'edited.alt-text.json');
  const tempOutput = tempPathFor(target.outputPath, `review-${randomBytes(4).toString('hex')}`);
  const tempReports = reportPathsFor(tempOutput);
  try {
    await fs.writeFile(editedFile, JSON.stringify(edited));
    const result = await processor.applyEdits(target.outputPath, editedFile, tempOutput, limits);
    const written = JSON.parse(await fs.readFile(tempReports.json, 'utf8')) as AltTextReport;
    await fs.rename(tempOutput, target.outputPath);
    const deck = typeof edited['deck'] === 'string' ? edited['deck'] : target.deckPath;
    await processor.writeReports(target.outputPath, { ...written, deck, output: target.outputPath });
    return { output_path: target.outputPath, changed: result.changed };
  } finally {
    await Promise.all(
      [workDir, tempOutput, tempReports.json, tempReports.html].map((p) => fs.rm(p, { recursive: true, force: true }).catch(() => undefined)),
    );
  }
};
