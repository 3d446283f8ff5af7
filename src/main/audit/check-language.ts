import type { AuditFinding } from '../../shared/accessibility-audit';
import { finding, plural } from './finding';
import type { SlideFacts } from './slide-facts';
import { slideLanguage } from './slide-language';
import { languageName } from './text-language';

/**
 * The language text is marked with, which a screen reader reads it in (and PowerPoint spell
 * checks it in): text runs with no language at all, counted over the deck; and slides whose
 * text is marked with a language it is not written in (text-language.ts decides what it is
 * written in, when that is clear).
 */

export function checkLanguage(slides: readonly SlideFacts[]): AuditFinding[] {
  const findings: AuditFinding[] = [];
  let unmarked = 0;
  for (const slide of slides) {
    const language = slideLanguage(slide);
    unmarked += language.unmarked.length;
    if (language.mismatched.length === 0) continue;
    const written = mostText(language.mismatched.map(({ run, written }) => [written.language, run.text.length]));
    const marked = mostText(language.mismatched.map(({ run }) => [run.lang ?? '', run.text.length]));
    findings.push(
      finding('language-mismatch', slide, null, {
        message: `Text on slide ${slide.number} is written in ${languageName(written)} but marked as ${languageName(marked)} (${marked}), so a screen reader reads it with the wrong pronunciation.`,
        advice: `Select the text and set its language to ${languageName(written)} (Review › Language).`,
        fix: 'language',
        suggestion: { text: `Mark it as ${languageName(written)}?`, value: written },
      }),
    );
  }
  if (unmarked > 0) {
    findings.unshift(
      finding('language-not-set', null, null, {
        count: unmarked,
        message: `${plural(unmarked, 'text run has', 'text runs have')} no language, so a screen reader reads ${unmarked === 1 ? 'it' : 'them'} in whatever language it is set to.`,
        advice: 'Select the text and set its language (Review › Language).',
        fix: 'language',
      }),
    );
  }
  return findings;
}

/** The key with the most text behind it; the first seen wins a tie. */
function mostText(entries: readonly (readonly [string, number])[]): string {
  const totals = new Map<string, number>();
  for (const [key, length] of entries) totals.set(key, (totals.get(key) ?? 0) + length);
  let best = '';
  let bestTotal = -1;
  for (const [key, total] of totals) if (total > bestTotal) [best, bestTotal] = [key, total];
  return best;
}
