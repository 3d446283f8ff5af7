import type { AuditFinding } from '../../shared/accessibility-audit';
import { DML, OFFICE_RELATIONSHIPS, PML } from '../pptx/xml-namespaces';
import { attributeIn, child } from '../pptx/xml-tree';
import { finding, quoted } from './finding';
import type { SlideFacts } from './slide-facts';
import type { Box, SlideShape } from './slide-shapes';

/**
 * A screen reader reads a slide's shapes in the order of its shape tree (the Reading Order
 * pane, bottom to top of the Selection Pane); people read top to bottom, left to right. A
 * slide is flagged when some shape is read before another that is plainly seen before it:
 * entirely above it, or beside it in the same row (their heights overlap by at least half of
 * the shorter one) and entirely to its left.
 *
 * The shapes compared are those at the top of the tree (a group counts as one) that are read
 * and show something: text, a picture, a chart, table or other object, a group. Hidden and
 * decorative shapes and empty shapes (lines, plain rectangles) are left out.
 */

export function checkReadingOrder(slide: SlideFacts): AuditFinding[] {
  const items = comparedShapes(slide);
  for (let i = 0; i < items.length; i += 1) {
    for (let j = i + 1; j < items.length; j += 1) {
      const read = items[i]!;
      const later = items[j]!;
      const where = seenBefore(later.box, read.box);
      if (!where) continue;
      const order = visualOrder(items).map((shape) => shape.name);
      return [
        finding('reading-order', slide, null, {
          message: `A screen reader reads ${quoted(read.name)} before ${quoted(later.name)}, which is shown ${where} it.`,
          advice: 'Put the shapes in the order they are seen in the Reading Order pane (Review › Check Accessibility › Reading Order).',
          suggestion: { text: `Read them in this order: ${order.map((name) => quoted(name)).join(', ')}?`, value: order },
        }),
      ];
    }
  }
  return [];
}

/** The shapes compared, in reading order, and in the order they are seen (the review's accept reorders them so). */
export function readingOrders(slide: SlideFacts): { readonly read: readonly SlideShape[]; readonly seen: readonly SlideShape[] } {
  const read = comparedShapes(slide);
  return { read, seen: visualOrder(read) };
}

function comparedShapes(slide: SlideFacts): (SlideShape & { readonly box: Box })[] {
  const withText = new Set(slide.texts.filter((block) => block.runs.length > 0).map((block) => block.shape));
  return slide.shapes.filter(
    (shape): shape is SlideShape & { readonly box: Box } =>
      shape.group === null && !shape.hidden && !shape.decorative && shape.box !== null && showsSomething(shape, withText),
  );
}

function showsSomething(shape: SlideShape, withText: ReadonlySet<SlideShape>): boolean {
  switch (shape.kind) {
    case 'sp': {
      if (withText.has(shape)) return true;
      const blip = child(child(child(shape.element, PML, 'spPr'), DML, 'blipFill'), DML, 'blip');
      return attributeIn(blip, OFFICE_RELATIONSHIPS, 'embed') !== null;
    }
    case 'cxnSp':
      return false;
    default:
      return true;
  }
}

/** 'above' or 'to the left of' when `a` is plainly seen before `b`; null otherwise. */
function seenBefore(a: Box, b: Box): string | null {
  if (a.y + a.cy <= b.y) return 'above';
  const overlap = Math.min(a.y + a.cy, b.y + b.cy) - Math.max(a.y, b.y);
  if (overlap >= Math.min(a.cy, b.cy) / 2 && a.x + a.cx <= b.x) return 'to the left of';
  return null;
}

/** Top to bottom, and left to right within a row. */
function visualOrder<T extends { readonly box: Box; readonly order: number }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => {
    if (seenBefore(a.box, b.box)) return -1;
    if (seenBefore(b.box, a.box)) return 1;
    return a.box.y - b.box.y || a.box.x - b.box.x || a.order - b.order;
  });
}
