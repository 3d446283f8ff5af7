import { z } from 'zod';
import { AUDIT_CHECKS, type AuditCheck, type AuditFinding } from '../../shared/accessibility-audit';
import { assertNever } from '../../shared/assert-never';
import { SLIDE_ITEM_CHECKS, type ReviewSlideItem, type SlideDecision, type SlideItemCheck } from '../../shared/review-types';
import type { ReviewRecord } from './review-journal';
import type { DeckOfItem } from './review-state';
import { pictureId } from './review-state';
import type { ReviewReport } from './review-target';

/**
 * The review's slide items (issue 16), pure: the accessibility audit's findings a person
 * decides on, read from the deck's report (`accessibility`, written by the run), with what the
 * reviewers decided (the journal's `slide` records, last one wins). A slide without a title
 * and a reading order can be accepted (Apply writes the suggested fix: slide-fixes.ts) or left
 * as they are; a low contrast has no automatic fix: it is marked checked, or to fix in
 * PowerPoint. Whether an accepted fix is in the copy is the report's `fixed`, so Undo, which
 * puts the old report back, makes it pending again.
 */

const findingSchema = z
  .object({
    check: z.enum(AUDIT_CHECKS as [AuditCheck, ...AuditCheck[]]),
    severity: z.enum(['error', 'warning', 'tip']),
    slide: z.number().int().nullable(),
    part: z.string().nullable(),
    shape_id: z.string().nullable(),
    shape_name: z.string().nullable(),
    count: z.number().int().nonnegative(),
    message: z.string(),
    advice: z.string(),
    fix: z.enum(['alt-text', 'language', 'table-header']).nullable(),
    fixed: z.boolean(),
    suggestion: z.object({ text: z.string(), value: z.union([z.string(), z.array(z.string())]) }).nullable(),
  })
  .loose();

const accessibilitySchema = z.object({ findings: z.array(findingSchema) }).loose();

/** The audit's findings in a deck's report; null for a report written before the audit. */
export function reportFindings(report: ReviewReport): AuditFinding[] | null {
  const parsed = accessibilitySchema.safeParse((report as { readonly accessibility?: unknown }).accessibility);
  return parsed.success ? parsed.data.findings : null;
}

export function isSlideItemCheck(check: AuditCheck): check is SlideItemCheck {
  return (SLIDE_ITEM_CHECKS as readonly string[]).includes(check);
}

/** `<part>#<check>` for a slide's finding, `<part>#<shape id>#<check>` for a shape's: never a picture's `<part>#<id>`. */
export function slideItemKey(finding: AuditFinding): string | null {
  if (!isSlideItemCheck(finding.check) || finding.part === null || finding.slide === null) return null;
  return finding.shape_id === null ? `${finding.part}#${finding.check}` : `${finding.part}#${finding.shape_id}#${finding.check}`;
}

/** What a person may decide on a finding: accept only where there is a fix to write. */
export function decisionsFor(check: SlideItemCheck, hasSuggestion: boolean): readonly SlideDecision[] {
  switch (check) {
    case 'missing-slide-title':
    case 'reading-order':
      return hasSuggestion ? ['accept', 'leave', 'to-fix'] : ['leave', 'to-fix'];
    case 'low-contrast':
      return ['checked', 'to-fix'];
    default:
      return assertNever(check, 'slide item check');
  }
}

export interface SlideState {
  readonly decision: SlideDecision;
  readonly at: string;
}

export function foldSlideJournal(records: readonly ReviewRecord[]): Map<string, SlideState> {
  const states = new Map<string, SlideState>();
  for (const record of records) {
    if (record.action.type === 'slide') states.set(pictureId(record.deck, record.key), { decision: record.action.decision, at: record.at });
  }
  return states;
}

/** A deck's slide items, in the audit's order, with their state. */
export function slideItemsOf(deck: DeckOfItem, findings: readonly AuditFinding[], states: ReadonlyMap<string, SlideState>): ReviewSlideItem[] {
  const items: ReviewSlideItem[] = [];
  for (const finding of findings) {
    const key = slideItemKey(finding);
    if (key === null || finding.slide === null || !isSlideItemCheck(finding.check)) continue;
    const state = states.get(pictureId(deck.deck, key));
    const decisions = decisionsFor(finding.check, finding.suggestion !== null);
    const accepted = state?.decision === 'accept' && decisions.includes('accept');
    items.push({
      deck: deck.deck,
      deck_name: deck.deck_name,
      key,
      slide: finding.slide,
      check: finding.check,
      shape_name: finding.shape_name,
      message: finding.message,
      advice: finding.advice,
      suggestion: finding.suggestion,
      decisions,
      decision: state?.decision ?? null,
      reviewed_at: state?.at ?? null,
      applied: finding.fixed,
      pending: accepted && !finding.fixed,
    });
  }
  return items;
}
