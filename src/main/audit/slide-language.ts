import { guessLanguage, primaryLanguage, type LanguageGuess } from './text-language';
import type { SlideFacts } from './slide-facts';
import type { TextRun } from './text-runs';

/**
 * The language facts of a slide that the language check reports and the language fix acts on:
 * the runs with no language, and the runs marked with a language their text is not written
 * in. Runs are judged together by the language they are marked with (a slide's German
 * sentences marked English), and each on its own (an Arabic quotation marked English).
 */

export interface Mismatch {
  readonly run: TextRun;
  /** The language the run's text is written in. */
  readonly written: LanguageGuess;
}

export interface SlideLanguage {
  readonly unmarked: readonly TextRun[];
  readonly mismatched: readonly Mismatch[];
}

export function slideLanguage(slide: SlideFacts): SlideLanguage {
  const runs = slide.texts.filter((block) => !block.shape.hidden).flatMap((block) => block.runs);
  const unmarked = runs.filter((run) => run.lang === null);
  const byMark = new Map<string, TextRun[]>();
  for (const run of runs) {
    if (run.lang === null) continue;
    const marked = primaryLanguage(run.lang);
    const group = byMark.get(marked);
    if (group) group.push(run);
    else byMark.set(marked, [run]);
  }
  const mismatched: Mismatch[] = [];
  for (const [marked, group] of byMark) {
    const together = guessLanguage(group.map((run) => run.text).join(' '));
    for (const run of group) {
      const alone = guessLanguage(run.text);
      const written = alone && !alone.accepted.has(marked) ? alone : together && !together.accepted.has(marked) ? together : null;
      if (written) mismatched.push({ run, written });
    }
  }
  return { unmarked, mismatched };
}
