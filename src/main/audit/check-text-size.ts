import type { AuditFinding } from '../../shared/accessibility-audit';
import { finding, plural, quoted } from './finding';
import type { SlideFacts } from './slide-facts';
import type { SlideShape } from './slide-shapes';

/**
 * Text on a slide smaller than 18 pt (after shrink-to-fit), the size accessibility guides for
 * slides ask for so that text can be read from the back of a lecture hall and when magnified.
 * Footers, dates and slide numbers are left out; table cells count. One finding per shape,
 * counting its runs.
 */

const MIN_POINTS = 18;
const BOILERPLATE = new Set(['dt', 'ftr', 'sldNum', 'hdr']);

export function checkTextSize(slide: SlideFacts): AuditFinding[] {
  const small = new Map<SlideShape, number[]>();
  for (const block of slide.texts) {
    if (block.shape.hidden || (block.shape.placeholder && BOILERPLATE.has(block.shape.placeholder.type))) continue;
    for (const run of block.runs) {
      if (run.paint.kind === 'none' || run.sizePt >= MIN_POINTS - 1e-9) continue;
      const sizes = small.get(block.shape);
      if (sizes) sizes.push(run.sizePt);
      else small.set(block.shape, [run.sizePt]);
    }
  }
  return [...small].map(([shape, sizes]) =>
    finding('small-text', slide, shape, {
      count: sizes.length,
      message: `${plural(sizes.length, 'text run', 'text runs')} in ${quoted(shape.name)} ${sizes.length === 1 ? 'is' : 'are'} smaller than ${MIN_POINTS} pt (the smallest ${points(Math.min(...sizes))}).`,
      advice: 'Use at least 18 pt on slides; move detail to the notes or to a handout.',
    }),
  );
}

/** 12, 13.5: points as PowerPoint's font size box shows them. */
export function points(size: number): string {
  return `${Number(size.toFixed(1))} pt`;
}
