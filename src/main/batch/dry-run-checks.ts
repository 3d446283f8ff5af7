import { promises as fs } from 'node:fs';
import { addAuditCounts, auditCountsOf, emptyAuditCounts, type AuditCounts } from '../../shared/accessibility-audit';
import type { QueueItem } from '../../shared/batch-types';
import type { AltgenConfig } from '../../shared/config-schema';
import { fingerprintOf } from './input-fingerprint';
import type { ModelCheck } from './model-check';
import { checkModelServer } from './model-check';

/** What a dry run checks of the batch as a whole, beside each deck: room for the copies, and the model. */
export interface DryRunChecks {
  readonly warnings: readonly string[];
  readonly modelCheck: ModelCheck | null;
}

export interface DryRunTotals {
  readonly decks: number;
  readonly slides: number;
  readonly pictures: number;
  readonly pictures_missing_alt: number;
  /** The accessibility audit's counts over every deck read. */
  readonly audit: AuditCounts;
}

export async function runDryRunChecks(outputDir: string, items: readonly QueueItem[], config: AltgenConfig): Promise<DryRunChecks> {
  const warnings: string[] = [];
  try {
    const stat = await fs.statfs(outputDir);
    const free = stat.bavail * stat.bsize;
    let needed = 0;
    for (const item of items) needed += (await fingerprintOf(item.path))?.size ?? 0;
    if (free < needed * 1.2) {
      warnings.push(`The output folder has ${Math.round(free / 1e6)} MB free; the copies need about ${Math.round((needed * 1.2) / 1e6)} MB.`);
    }
  } catch {
    // statfs is missing on some platforms; the write test before the batch started already passed.
  }
  let modelCheck: ModelCheck | null = null;
  if (config.batch_processing.dry_run_validates_ollama) {
    modelCheck = await checkModelServer(config.model);
    if (!modelCheck.ok) warnings.push(`${modelCheck.message} Fix: ${modelCheck.fix}`);
  }
  return { warnings, modelCheck };
}

/** The dry run's totals over the decks it could read. */
export function dryRunTotals(items: readonly QueueItem[]): DryRunTotals {
  let decks = 0;
  let slides = 0;
  let pictures = 0;
  let missing = 0;
  let audit: AuditCounts = emptyAuditCounts();
  for (const item of items) {
    const inspection = item.result?.inspection;
    if (item.status !== 'complete' || !inspection) continue;
    decks += 1;
    slides += inspection.slides;
    pictures += inspection.pictures;
    missing += inspection.pictures_missing_alt;
    audit = addAuditCounts(audit, auditCountsOf(inspection.audit));
  }
  return { decks, slides, pictures, pictures_missing_alt: missing, audit };
}
