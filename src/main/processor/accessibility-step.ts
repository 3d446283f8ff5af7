import type { ReportDecision, ReportPicture } from '../../shared/alt-text-report';
import type { DeckAudit } from '../../shared/accessibility-audit';
import type { AltgenConfig } from '../../shared/config-schema';
import { auditDeck, withCounts } from '../audit/audit-deck';
import { planFixes, PRESENTATION_PART } from '../audit/audit-fixes';
import type { Deck } from '../pptx/deck';
import type { TextPatch } from '../pptx/text-patches';

/**
 * The accessibility audit in a run: the deck audited as the dry run audits it, the safe fixes
 * the `accessibility` settings ask for planned as text patches for the copy, and, once the
 * pictures are settled, the missing alt text the run wrote marked fixed. The result goes into
 * the report (`accessibility`) and the result event's counts.
 */

export interface AccessibilityStep {
  /** For write-deck.ts: patches by part. */
  readonly fixes: ReadonlyMap<string, readonly TextPatch[]>;
  readonly warnings: readonly string[];
  /** The audit with what the run fixed marked: the fixes, and the alt text of `pictures`. */
  settle(pictures: readonly ReportPicture[]): DeckAudit;
}

/** What the run writes alt text with: a description, a draft, or the decorative flag. */
const WRITTEN: ReadonlySet<ReportDecision> = new Set(['described', 'drafted', 'marked-decorative']);

export async function accessibilityStep(deck: Deck, config: AltgenConfig): Promise<AccessibilityStep> {
  const result = auditDeck(deck, { altText: config.alt_text });
  const presentationText = config.accessibility.set_language !== 'off' ? await deck.package.readText(PRESENTATION_PART) : null;
  const planned = planFixes(deck, result, config.accessibility, presentationText);
  return {
    fixes: planned.patches,
    warnings: planned.warnings,
    settle(pictures) {
      const written = new Set(pictures.filter((p) => WRITTEN.has(p.decision)).map((p) => p.key));
      return withCounts(
        planned.audit.findings.map((f) => (f.check === 'missing-alt-text' && written.has(`${f.part}#${f.shape_id}`) ? { ...f, fixed: true } : f)),
      );
    },
  };
}
