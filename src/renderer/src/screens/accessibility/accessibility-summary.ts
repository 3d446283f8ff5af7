import { addAuditCounts, auditCountPhrases, auditCountsOf, emptyAuditCounts, totalFindings, type AuditCounts } from '../../../../shared/accessibility-audit';
import type { BatchView } from '../../../../shared/batch-fold';
import { forEachRow } from '../../../../shared/row-table';

/**
 * The Accessibility view of a batch (a dry run or a run): what the accessibility audit found
 * in its decks, for the batch and per deck, and what the run fixed in the copies. Counted from
 * the queue's rows, which carry each complete deck's counts (shared/queue-row.ts); the
 * findings themselves are in each deck's report and in `altgen audit`.
 */

/** The view lists at most this many decks; the batch's totals count them all. */
export const ACCESSIBILITY_DECK_LIMIT = 200;

export interface DeckAccessibility {
  readonly index: number;
  readonly relative_path: string;
  /** "2 slides without a title", one phrase per check that found something. */
  readonly found: readonly string[];
  readonly fixed: readonly string[];
}

export interface AccessibilitySummary {
  readonly dryRun: boolean;
  /** Decks audited (complete with counts). */
  readonly checked: number;
  /** Decks of the batch not audited yet (pending or processing). */
  readonly waiting: number;
  readonly found: AuditCounts;
  readonly fixed: AuditCounts;
  /** The decks with findings, in queue order, at most ACCESSIBILITY_DECK_LIMIT. */
  readonly decks: readonly DeckAccessibility[];
  /** Decks with findings beyond the limit. */
  readonly moreDecks: number;
  /** Audited decks without any finding. */
  readonly clean: number;
}

export function accessibilitySummary(batch: BatchView, limit = ACCESSIBILITY_DECK_LIMIT): AccessibilitySummary {
  let found = emptyAuditCounts() as AuditCounts;
  let fixed = emptyAuditCounts() as AuditCounts;
  let checked = 0;
  let waiting = 0;
  let clean = 0;
  let moreDecks = 0;
  const decks: DeckAccessibility[] = [];
  forEachRow(batch.rows, (row) => {
    if (row.status === 'pending' || row.status === 'processing') waiting += 1;
    if (row.status !== 'complete' || !row.audit) return;
    checked += 1;
    const deckFound = auditCountsOf(row.audit);
    const deckFixed = auditCountsOf(row.audit_fixed);
    found = addAuditCounts(found, deckFound);
    fixed = addAuditCounts(fixed, deckFixed);
    if (totalFindings(deckFound) === 0) {
      clean += 1;
      return;
    }
    if (decks.length >= limit) {
      moreDecks += 1;
      return;
    }
    decks.push({ index: row.index, relative_path: row.relative_path, found: auditCountPhrases(deckFound), fixed: auditCountPhrases(deckFixed) });
  });
  return { dryRun: batch.dry_run, checked, waiting, found, fixed, decks, moreDecks, clean };
}
