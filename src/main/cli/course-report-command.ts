import path from 'node:path';
import { auditCountPhrases, countFindings } from '../../shared/accessibility-audit';
import type { ReviewExportFormat } from '../../shared/review-types';
import { loadConfig } from '../config/load-config';
import { BatchReview } from '../review/batch-review';
import { writeCourseReport } from '../review/course-report';
import type { CommandIo } from './batch-command';
import type { ExitCode } from './exit-codes';
import { EXIT } from './exit-codes';
import { printable } from './printable';
import { chooseBatch, hasCompleteDecks, type BatchChoice } from './review-command';

/**
 * `altgen course-report --output-dir … [--batch-id …] --format docx|csv [--output FILE]`: a
 * processed batch's accessibility report for the accessibility office (review/course-report.ts),
 * written beside the copies as `accessibility_<batch id>.<format>` unless `--output` says where.
 */
export async function runCourseReportCommand(options: BatchChoice & { readonly format: ReviewExportFormat; readonly output?: string }, io: CommandIo): Promise<ExitCode> {
  const { config } = await loadConfig({ explicit: options.config, cwd: io.cwd, env: io.env });
  const manifestPath = await chooseBatch(options, io, (candidate) => hasCompleteDecks(candidate, config.limits), 'complete decks to report on');
  const review = new BatchReview(manifestPath, config.limits);
  const written = await writeCourseReport(review, options.format, options.output === undefined ? undefined : path.resolve(io.cwd, options.output));
  const findings = written.report.decks.flatMap((deck) => deck.findings.map((item) => item.finding));
  const left = auditCountPhrases(countFindings(findings, (finding) => !finding.fixed));
  io.stdout.write(
    `Wrote the accessibility report of ${written.report.decks.length} deck(s) to ${printable(written.path)}\n` +
      `Left for a person: ${left.length === 0 ? 'nothing' : left.join(', ')}.\n`,
  );
  return EXIT.ok;
}
