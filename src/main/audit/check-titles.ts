import type { AuditFinding } from '../../shared/accessibility-audit';
import { finding, quoted } from './finding';
import type { SlideFacts } from './slide-facts';
import type { SlideShape } from './slide-shapes';

/**
 * Slides without a title, and slides whose title an earlier slide already has (PowerPoint's
 * "Missing slide title" and "Duplicate slide title"). A title is the text of the slide's title
 * placeholder (`title` or `ctrTitle`), wherever it is placed: a title moved off the slide so
 * that it does not show is still read, and counts.
 *
 * A slide without a title gets a suggestion when it has a short first line of text (the
 * first paragraph of the first text in reading order, not a footer, date or slide number):
 * "The first text box reads 'Cardiac cycle': use it as the title?".
 */

const TITLE_CANDIDATE_MAX_CHARS = 100;
const BOILERPLATE = new Set(['dt', 'ftr', 'sldNum', 'title', 'ctrTitle']);

export function checkTitles(slides: readonly SlideFacts[]): AuditFinding[] {
  const findings: AuditFinding[] = [];
  const firstWithTitle = new Map<string, SlideFacts>();
  for (const slide of slides) {
    if (slide.title === null) {
      findings.push(missingTitle(slide));
      continue;
    }
    const key = slide.title.toLocaleLowerCase().replace(/\s+/g, ' ').trim();
    const first = firstWithTitle.get(key);
    if (!first) {
      firstWithTitle.set(key, slide);
      continue;
    }
    findings.push(
      finding('duplicate-slide-title', slide, null, {
        message: `Slide ${slide.number} has the same title as slide ${first.number} (${quoted(slide.title)}).`,
        advice: "Give each slide its own title, e.g. add what this slide adds, or '(continued)'.",
      }),
    );
  }
  return findings;
}

function missingTitle(slide: SlideFacts): AuditFinding {
  const candidate = firstLine(slide);
  return finding('missing-slide-title', slide, null, {
    message: `Slide ${slide.number} has no title.`,
    advice: 'Give it a title in a title placeholder (Home › Layout, or Home › Reset); a title moved off the slide is still read.',
    suggestion: candidate
      ? { text: `The first text box reads ${quoted(candidate.text)}: use it as the title?`, value: candidate.text }
      : null,
  });
}

/** The text box a missing title is suggested from, and its first line (the review's accept makes it the title). */
export function titleCandidate(slide: SlideFacts): { readonly text: string; readonly shape: SlideShape } | null {
  return firstLine(slide);
}

function firstLine(slide: SlideFacts): { readonly text: string; readonly shape: SlideShape } | null {
  for (const block of slide.texts) {
    if (block.cell || block.shape.hidden || (block.shape.placeholder && BOILERPLATE.has(block.shape.placeholder.type))) continue;
    const first = block.runs[0];
    if (!first) continue;
    const text = block.runs
      .filter((run) => run.paragraph === first.paragraph)
      .map((run) => run.text)
      .join('')
      .replace(/\s+/g, ' ')
      .trim();
    if (text !== '') return text.length <= TITLE_CANDIDATE_MAX_CHARS ? { text, shape: block.shape } : null;
  }
  return null;
}
