import type { AuditFinding } from '../../shared/accessibility-audit';
import { DML } from '../pptx/xml-namespaces';
import { child } from '../pptx/xml-tree';
import { backdropBehind, backdropOf, type Backdrop } from './backdrop';
import { contrastRatio, hex, over, type Rgba } from './colors';
import { fillElement, paintOf } from './fills';
import { finding, plural, quoted } from './finding';
import type { SlideFacts, TextBlock } from './slide-facts';
import type { SlideShape } from './slide-shapes';
import type { TextRun } from './text-runs';

/**
 * WCAG 2.1 AA (1.4.3): text needs a contrast of 4.5:1 with what is behind it, large text
 * (18 pt, or 14 pt bold, and up) 3:1. Each run's colour (text-runs.ts) is compared with its
 * backdrop (backdrop.ts); against a gradient or pattern the worst of its colours counts, and a
 * partly transparent text colour is blended over the backdrop first. Ratios are shown cut, not
 * rounded, to two decimals, as WCAG asks ("4.49:1" fails).
 *
 * Runs whose backdrop is a picture, or whose colours cannot be resolved, are counted apart
 * ('contrast-unknown'): their contrast cannot be decided from the XML. Text painted with
 * nothing (`a:noFill`) is not seen and not checked. In a table, a cell with its own fill is
 * checked against it, a cell of a table without a table style against what is behind the
 * table; a cell whose look comes from a table style is not checked (the style's fills are
 * mostly Office's built-in ones, not in the file).
 */

interface RunContrast {
  readonly ratio: number;
  readonly needed: number;
  readonly text: Rgba;
  readonly backdrop: Rgba;
}

interface ShapeTally {
  readonly shape: SlideShape;
  low: RunContrast[];
  undecided: number;
  reason: string;
}

export function checkContrast(slide: SlideFacts): AuditFinding[] {
  const tallies = new Map<SlideShape, ShapeTally>();
  for (const block of slide.texts) {
    if (block.shape.hidden || block.runs.length === 0) continue;
    const backdrop = blockBackdrop(block, slide);
    if (backdrop === null) continue;
    const tally = tallies.get(block.shape) ?? { shape: block.shape, low: [], undecided: 0, reason: '' };
    tallies.set(block.shape, tally);
    for (const run of block.runs) {
      if (run.paint.kind === 'none') continue;
      if (backdrop.kind === 'undecided' || run.paint.kind !== 'colors') {
        tally.undecided += 1;
        tally.reason ||= backdrop.kind === 'undecided' ? backdrop.reason : 'its colour could not be resolved';
        continue;
      }
      const contrast = worstContrast(run, run.paint.colors, backdrop.colors);
      if (contrast.ratio < contrast.needed) tally.low.push(contrast);
    }
  }
  const findings: AuditFinding[] = [];
  for (const tally of tallies.values()) {
    if (tally.low.length > 0) findings.push(lowContrast(slide, tally));
    if (tally.undecided > 0) {
      findings.push(
        finding('contrast-unknown', slide, tally.shape, {
          count: tally.undecided,
          message: `The contrast of ${plural(tally.undecided, 'text run', 'text runs')} in ${quoted(tally.shape.name)} cannot be decided: ${tally.reason}.`,
          advice: 'Check it by eye, or put the text on a solid fill that contrasts enough with it.',
        }),
      );
    }
  }
  return findings;
}

function blockBackdrop(block: TextBlock, slide: SlideFacts): Backdrop | null {
  if (!block.cell) return backdropOf(block.shape, slide.shapes, slide.context);
  const own = fillElement(block.cell.properties);
  if (own) {
    const paint = paintOf(own, slide.context);
    if (paint.kind === 'colors' && paint.colors.every((color) => color.a >= 1)) return { kind: 'colors', colors: paint.colors };
    if (paint.kind === 'picture') return { kind: 'undecided', reason: 'the cell is filled with a picture' };
    if (paint.kind === 'unknown') return { kind: 'undecided', reason: "the cell's fill colour could not be resolved" };
    const behind = backdropBehind(block.shape, slide.shapes, slide.context);
    if (paint.kind !== 'colors' || behind.kind === 'undecided') return behind;
    return { kind: 'colors', colors: paint.colors.flatMap((color) => behind.colors.map((base) => over(color, base))) };
  }
  const properties = child(block.cell.element.parent?.parent ?? undefined, DML, 'tblPr');
  if (child(properties, DML, 'tableStyleId') || child(properties, DML, 'tableStyle')) return null;
  return backdropBehind(block.shape, slide.shapes, slide.context);
}

function worstContrast(run: TextRun, text: readonly Rgba[], backdrop: readonly Rgba[]): RunContrast {
  const needed = run.sizePt >= 18 || (run.bold && run.sizePt >= 14) ? 3 : 4.5;
  let worst: RunContrast | null = null;
  for (const base of backdrop) {
    for (const color of text) {
      const shown = over(color, base);
      const ratio = contrastRatio(shown, base);
      if (!worst || ratio < worst.ratio) worst = { ratio, needed, text: shown, backdrop: base };
    }
  }
  return worst ?? { ratio: 21, needed, text: text[0]!, backdrop: backdrop[0]! };
}

function lowContrast(slide: SlideFacts, tally: ShapeTally): AuditFinding {
  const worst = tally.low.reduce((a, b) => (b.ratio < a.ratio ? b : a));
  const needs = [...new Set(tally.low.map((run) => run.needed))].sort((a, b) => b - a).map((n) => `${n}:1`).join(' and ');
  return finding('low-contrast', slide, tally.shape, {
    count: tally.low.length,
    message:
      `${plural(tally.low.length, 'text run', 'text runs')} in ${quoted(tally.shape.name)} ${tally.low.length === 1 ? 'has' : 'have'} ` +
      `a contrast of ${formatRatio(worst.ratio)} (${hex(worst.text)} on ${hex(worst.backdrop)}), below the ${needs} ${tally.low.length === 1 ? 'it needs' : 'they need'}.`,
    advice: 'Darken the text or lighten what is behind it (or the reverse) until the contrast is at least 4.5:1, or 3:1 for text of 18 pt (14 pt bold) and larger.',
  });
}

/** Cut, not rounded: 4.499 is "4.49:1", which fails. */
export function formatRatio(ratio: number): string {
  return `${(Math.floor(ratio * 100) / 100).toFixed(2)}:1`;
}
