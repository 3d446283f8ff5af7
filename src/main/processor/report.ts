import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AltTextReport, ReportCounts, ReportDecision, ReportPicture } from '../../shared/alt-text-report';
import { ALT_TEXT_REPORT_VERSION, reportPathsFor } from '../../shared/alt-text-report';
import type { DeckAudit } from '../../shared/accessibility-audit';
import { localIsoTimestamp } from '../../shared/time-format';
import { writeFileAtomic } from '../files/write-file-atomic';
import { renderReviewHtml } from './review-html';

/**
 * The last step: `<deck>.alt-text.json` (every picture: before, after, decision, reason,
 * model; the input of the review screen and of `altgen apply`) and `<deck>.alt-review.html`
 * beside the copy.
 */

export interface ReportFacts {
  /** The input deck. */
  readonly deck: string;
  /** Where the copy is (or will be, once the runner renames it). */
  readonly output: string;
  readonly model: string;
  readonly promptVersion: number;
  readonly policy: string;
  readonly warnings: readonly string[];
  readonly pictures: readonly ReportPicture[];
  readonly modelCalls: number;
  readonly cacheHits: number;
  /** The accessibility audit of the deck, with what the run fixed (accessibility-step.ts). */
  readonly accessibility?: DeckAudit;
}

export function buildReport(facts: ReportFacts): AltTextReport {
  return {
    version: ALT_TEXT_REPORT_VERSION,
    deck: facts.deck,
    output: facts.output,
    generated_at: localIsoTimestamp(),
    model: facts.model,
    prompt_version: facts.promptVersion,
    policy: facts.policy,
    counts: countDecisions(facts.pictures, facts.modelCalls, facts.cacheHits),
    warnings: facts.warnings,
    pictures: facts.pictures,
    ...(facts.accessibility ? { accessibility: facts.accessibility } : {}),
  };
}

/** The report's counts of its pictures' decisions (an applied review recounts them). */
export function countDecisions(pictures: readonly ReportPicture[], modelCalls: number, cacheHits: number): ReportCounts {
  const count = (...decisions: ReportDecision[]) => pictures.filter((p) => decisions.includes(p.decision)).length;
  return {
    pictures: pictures.length,
    described: count('described'),
    drafted: count('drafted'),
    preserved: count('preserved'),
    decorative: count('decorative', 'marked-decorative'),
    skipped: count('skipped'),
    needs_review: count('needs-review'),
    model_calls: modelCalls,
    cache_hits: cacheHits,
  };
}

/** Writes the JSON and HTML reports beside `output`; returns their paths. */
export async function writeReports(output: string, report: AltTextReport): Promise<string[]> {
  const paths = reportPathsFor(output);
  await fs.mkdir(path.dirname(output), { recursive: true });
  await writeFileAtomic(paths.json, JSON.stringify(report, null, 2));
  await writeFileAtomic(paths.html, renderReviewHtml(report));
  return [paths.json, paths.html];
}
