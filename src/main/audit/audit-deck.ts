import type { AltTextRules } from '../../shared/alt-text-quality';
import { AUDIT_CHECKS, countFindings, type AuditFinding, type DeckAudit } from '../../shared/accessibility-audit';
import { checkAltText } from './check-alt-text';
import { checkContrast } from './check-contrast';
import { checkLanguage } from './check-language';
import { checkLinks } from './check-links';
import { checkMedia } from './check-media';
import { checkReadingOrder } from './check-reading-order';
import { checkTables } from './check-tables';
import { checkTextSize } from './check-text-size';
import { checkTitles } from './check-titles';
import { slideFacts, type AuditDeck, type SlideFacts } from './slide-facts';

/**
 * The accessibility audit of one opened deck (pptx/deck.ts): every check over every slide,
 * computed from the deck's own XML with the theme, master, layout and placeholder inheritance
 * resolved (slide-facts.ts). Pure: no I/O, nothing changed; the dry run, the processor and
 * `altgen audit` call it on the deck they opened, so all three find the same.
 *
 * Layouts and masters are not audited themselves (their placeholders' prompt text is never
 * shown), only through what slides inherit from them; notes pages are not audited.
 */

export interface AuditOptions {
  /** What makes existing alt text weak (`alt_text.min_meaningful_alt_chars`, `weak_patterns`). */
  readonly altText?: AltTextRules;
}

export interface AuditResult {
  readonly audit: DeckAudit;
  /** The slides as the checks saw them, for the fixes (audit-fixes.ts). */
  readonly slides: readonly SlideFacts[];
}

export function auditDeck(deck: AuditDeck, options: AuditOptions = {}): AuditResult {
  const slides = slideFacts(deck);
  const findings: AuditFinding[] = [];
  const perSlide = new Map<number, AuditFinding[]>();
  const add = (list: readonly AuditFinding[]) => {
    for (const f of list) {
      if (f.slide === null) findings.push(f);
      else {
        const list = perSlide.get(f.slide);
        if (list) list.push(f);
        else perSlide.set(f.slide, [f]);
      }
    }
  };
  add(checkLanguage(slides));
  add(checkTitles(slides));
  for (const slide of slides) {
    add(checkAltText(slide, options.altText ?? {}));
    add(checkReadingOrder(slide));
    add(checkContrast(slide));
    add(checkTables(slide));
    add(checkLinks(slide));
    add(checkMedia(slide));
    add(checkTextSize(slide));
  }
  const rank = (f: AuditFinding) => AUDIT_CHECKS.indexOf(f.check);
  for (const slide of slides) {
    // Stable: within a check, findings keep the order of the shapes.
    findings.push(...(perSlide.get(slide.number) ?? []).map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(({ f }) => f));
  }
  return { audit: withCounts(findings), slides };
}

/** A deck's findings with their counts (found, and fixed in the copy). */
export function withCounts(findings: readonly AuditFinding[]): DeckAudit {
  return { findings, counts: countFindings(findings), fixed: countFindings(findings, (f) => f.fixed) };
}
