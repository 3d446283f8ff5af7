import { auditCountPhrases, auditCountsOf, totalFindings, type AuditCounts, type AuditFinding, type StoredAuditCounts } from '../../shared/accessibility-audit';
import { printable } from './printable';

/**
 * The accessibility audit in the terminal: one phrase per check for a deck or a batch ("34
 * decks: 12 slides without a title, 5 tables without a header row"), and every finding with
 * its slide, shape and advice for `altgen audit`.
 */

/** "2 slides without a title, 1 table without a header row", or "no problems found". */
export function auditPhrase(counts: AuditCounts): string {
  return totalFindings(counts) === 0 ? 'no problems found' : auditCountPhrases(counts).join(', ');
}

/** The dry run's note on one deck, after its pictures. */
export function deckAuditNote(stored: StoredAuditCounts | undefined): string {
  return stored === undefined ? '' : `; accessibility: ${auditPhrase(auditCountsOf(stored))}`;
}

/** "Accessibility: 34 decks: 12 slides without a title, …". */
export function auditTotalsLine(decks: number, counts: AuditCounts): string {
  return `Accessibility: ${decks} ${decks === 1 ? 'deck' : 'decks'}: ${auditPhrase(counts)}`;
}

const SEVERITY_MARK = { error: '❌', warning: '⚠️', tip: '💡' } as const;

/** One finding on two lines: where and what, then what to do (and the suggestion, if any). */
export function findingLines(finding: AuditFinding): string[] {
  const where = [finding.slide === null ? 'Deck' : `Slide ${finding.slide}`, ...(finding.shape_name !== null ? [`'${finding.shape_name}'`] : [])].join(', ');
  const lines = [`  ${SEVERITY_MARK[finding.severity]} ${printable(where)}: ${printable(finding.message)}`, `      ${printable(finding.advice)}`];
  if (finding.suggestion) lines.push(`      Suggestion: ${printable(finding.suggestion.text)}`);
  return lines;
}
