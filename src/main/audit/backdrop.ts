import { assertNever } from '../../shared/assert-never';
import { WHITE, over, type Rgba } from './colors';
import { backgroundPaint, shapeFill, type Paint } from './fills';
import type { SlideContext } from './slide-context';
import { contains, type Box, type SlideShape } from './slide-shapes';

/**
 * What is behind a shape's text: the shape's own fill (a placeholder's inherited from its
 * layout or master, `grpFill` from its group), else the nearest shape drawn before it whose
 * box covers the text's box and that has a fill, else the slide's background (inherited from
 * the layout and master; white when none has one). A fill that is partly transparent is
 * blended over what is behind it.
 *
 * Shapes that only partly overlap the text are not considered, nor the text of other shapes.
 * A picture (a picture, a picture fill or background, or a chart, SmartArt graphic, table or
 * object frame) behind the text makes the contrast undecidable from the XML: that is said, not
 * guessed.
 */
export type Backdrop =
  | { readonly kind: 'colors'; readonly colors: readonly Rgba[] }
  | { readonly kind: 'undecided'; readonly reason: string };

/** A fill, and what to say when it decides nothing. */
interface Layer {
  readonly paint: Paint | null;
  /** "the slide background": whose colour could not be resolved. */
  readonly name: string;
  /** "it is over the picture 'Scan'": why a picture here leaves the contrast undecided. */
  readonly picture: string;
}

/** The shape's own fill, as drawn. Null when it has none of its own (not even inherited). */
function ownPaint(shape: SlideShape, context: SlideContext): Paint | null {
  if (shape.kind === 'pic') return { kind: 'picture' };
  if (shape.kind !== 'sp' && shape.kind !== 'grpSp') return null;
  let paint = shapeFill(shape.element, context);
  if (paint === null && shape.placeholder) {
    for (const inherited of context.inherited(shape.placeholder)) {
      paint = shapeFill(inherited, context);
      if (paint !== null) break;
    }
  }
  if (paint?.kind === 'group') return shape.group ? ownPaint(shape.group, context) : null;
  return paint;
}

/** What is behind the text of `shape` (one of `shapes`, the slide's shapes in document order). */
export function backdropOf(shape: SlideShape, shapes: readonly SlideShape[], context: SlideContext): Backdrop {
  return paintOver({ paint: ownPaint(shape, context), name: 'its own fill', picture: 'its fill is a picture' }, () => behind(shape, shape.box, shapes, context));
}

/** What is behind `shape` itself: for a table cell without a fill of its own. */
export function backdropBehind(shape: SlideShape, shapes: readonly SlideShape[], context: SlideContext): Backdrop {
  return behind(shape, shape.box, shapes, context);
}

function behind(shape: SlideShape, box: Box | null, shapes: readonly SlideShape[], context: SlideContext): Backdrop {
  if (box) {
    for (let i = shape.order - 1; i >= 0; i -= 1) {
      const candidate = shapes[i];
      if (!candidate || candidate.hidden || !candidate.box || isAncestor(candidate, shape) || !contains(candidate.box, box)) continue;
      if (candidate.kind === 'graphicFrame' || candidate.kind === 'contentPart') {
        return { kind: 'undecided', reason: `the object '${candidate.name}' is behind it` };
      }
      // A group's fill shows only through members that ask for it (grpFill).
      const paint = candidate.kind === 'grpSp' ? null : ownPaint(candidate, context);
      if (paint === null || paint.kind === 'none') continue;
      const picture = candidate.kind === 'pic' ? `it is over the picture '${candidate.name}'` : `it is over '${candidate.name}', which is filled with a picture`;
      return paintOver({ paint, name: `'${candidate.name}' behind it`, picture }, () => behind(candidate, box, shapes, context));
    }
  }
  const background = slideBackground(context);
  return paintOver({ paint: background, name: 'the slide background', picture: 'the slide background is a picture' }, () => ({ kind: 'colors', colors: [WHITE] }));
}

const backgrounds = new WeakMap<SlideContext, Paint>();

/** The slide's background, worked out once per slide. */
function slideBackground(context: SlideContext): Paint {
  let paint = backgrounds.get(context);
  if (!paint) {
    paint = backgroundPaint(context);
    backgrounds.set(context, paint);
  }
  return paint;
}

/** A group's own fill is the backdrop of its members (via `grpFill`), not a shape behind them. */
function isAncestor(candidate: SlideShape, shape: SlideShape): boolean {
  for (let group = shape.group; group; group = group.group) if (group === candidate) return true;
  return false;
}

function paintOver(layer: Layer, below: () => Backdrop): Backdrop {
  const { paint } = layer;
  if (paint === null) return below();
  switch (paint.kind) {
    case 'none':
    case 'group':
      return below();
    case 'picture':
      return { kind: 'undecided', reason: layer.picture };
    case 'unknown':
      return { kind: 'undecided', reason: `the colour of ${layer.name} could not be resolved` };
    case 'colors': {
      if (paint.colors.every((color) => color.a >= 1)) return { kind: 'colors', colors: paint.colors };
      const under = below();
      if (under.kind === 'undecided') return under;
      return { kind: 'colors', colors: paint.colors.flatMap((color) => under.colors.map((base) => over(color, base))) };
    }
    default:
      return assertNever(paint, 'paint');
  }
}
