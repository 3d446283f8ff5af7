import { isDecorative, isTrue } from '../pptx/xml-decorative';
import { contentChildren } from '../pptx/xml-markup-compatibility';
import { DML, PML } from '../pptx/xml-namespaces';
import { attribute, child, type XmlElement } from '../pptx/xml-tree';
import { placeholderOf, type Placeholder, type SlideContext } from './slide-context';

/**
 * The shapes of a slide as a screen reader meets them and as they are drawn: every shape of
 * the shape tree in document order (the reading order, and the z-order: later shapes are
 * drawn over earlier ones), groups and their members alike, each with its box on the slide.
 *
 * A box is `a:xfrm` of the shape (a graphic frame's `p:xfrm`), mapped through the transforms
 * of the groups around it (`off`/`ext` against `chOff`/`chExt`); a placeholder without one
 * takes its layout's, else its master's. Rotation and flips are not applied: a rotated shape
 * keeps its unrotated box. Of `mc:AlternateContent` only the branch PowerPoint reads counts.
 */

export type ShapeKind = 'sp' | 'pic' | 'graphicFrame' | 'grpSp' | 'cxnSp' | 'contentPart';

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly cx: number;
  readonly cy: number;
}

export interface SlideShape {
  readonly element: XmlElement;
  readonly kind: ShapeKind;
  readonly cNvPr: XmlElement | undefined;
  readonly id: string;
  readonly name: string;
  readonly descr: string | null;
  /** Hidden in the selection pane (`hidden="1"`): neither shown nor read. */
  readonly hidden: boolean;
  readonly decorative: boolean;
  readonly placeholder: Placeholder | null;
  readonly box: Box | null;
  /** The group it is in, or null at the top of the tree. */
  readonly group: SlideShape | null;
  /** Place in document order among all shapes of the slide. */
  readonly order: number;
}

const KINDS: ReadonlySet<string> = new Set<ShapeKind>(['sp', 'pic', 'graphicFrame', 'grpSp', 'cxnSp', 'contentPart']);

interface Transform {
  readonly map: (box: Box) => Box;
}

const IDENTITY: Transform = { map: (box) => box };

export function slideShapes(context: SlideContext): SlideShape[] {
  const tree = child(child(context.slide.root, PML, 'cSld'), PML, 'spTree');
  const shapes: SlideShape[] = [];
  if (tree) collect(tree, null, IDENTITY, context, shapes);
  return shapes;
}

function collect(container: XmlElement, group: SlideShape | null, transform: Transform, context: SlideContext, shapes: SlideShape[]): void {
  for (const element of contentChildren(container)) {
    if (!PML.has(element.uri) || !KINDS.has(element.local)) continue;
    const kind = element.local as ShapeKind;
    const nonVisual = element.children.find((candidate) => PML.has(candidate.uri) && candidate.local.startsWith('nv'));
    const cNvPr = child(nonVisual, PML, 'cNvPr');
    const placeholder = placeholderOf(element);
    const own = ownBox(element, kind);
    const inheritedBox = own ?? (placeholder ? inheritedPlaceholderBox(context, placeholder) : null);
    const shape: SlideShape = {
      element,
      kind,
      cNvPr,
      id: attribute(cNvPr, 'id') ?? '',
      name: attribute(cNvPr, 'name') ?? '',
      descr: attribute(cNvPr, 'descr'),
      hidden: isTrue(attribute(cNvPr, 'hidden')) || (group?.hidden ?? false),
      decorative: cNvPr ? isDecorative(cNvPr) : false,
      placeholder,
      // A placeholder's inherited box is already in slide coordinates.
      box: own ? transform.map(own) : inheritedBox,
      group,
      order: shapes.length,
    };
    shapes.push(shape);
    if (kind === 'grpSp') collect(element, shape, groupTransform(element, transform), context, shapes);
  }
}

function xfrmOf(element: XmlElement, kind: ShapeKind): XmlElement | undefined {
  if (kind === 'graphicFrame') return child(element, PML, 'xfrm');
  const properties = kind === 'grpSp' ? child(element, PML, 'grpSpPr') : child(element, PML, 'spPr');
  return child(properties, DML, 'xfrm');
}

function ownBox(element: XmlElement, kind: ShapeKind): Box | null {
  return boxOf(xfrmOf(element, kind), 'off', 'ext');
}

function boxOf(xfrm: XmlElement | undefined, offset: string, extent: string): Box | null {
  const off = child(xfrm, DML, offset);
  const ext = child(xfrm, DML, extent);
  const x = number(attribute(off, 'x'));
  const y = number(attribute(off, 'y'));
  const cx = number(attribute(ext, 'cx'));
  const cy = number(attribute(ext, 'cy'));
  return x === null || y === null || cx === null || cy === null ? null : { x, y, cx, cy };
}

function number(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

function inheritedPlaceholderBox(context: SlideContext, placeholder: Placeholder): Box | null {
  for (const shape of context.inherited(placeholder)) {
    const box = ownBox(shape, shape.local === 'graphicFrame' ? 'graphicFrame' : 'sp');
    if (box) return box;
  }
  return null;
}

/** Children of a group are placed in its child space (`chOff`, `chExt`), scaled into its box. */
function groupTransform(group: XmlElement, outer: Transform): Transform {
  const xfrm = xfrmOf(group, 'grpSp');
  const box = boxOf(xfrm, 'off', 'ext');
  const space = boxOf(xfrm, 'chOff', 'chExt');
  if (!box || !space) return outer;
  const scaleX = space.cx > 0 ? box.cx / space.cx : 1;
  const scaleY = space.cy > 0 ? box.cy / space.cy : 1;
  return {
    map: (inner) =>
      outer.map({
        x: box.x + (inner.x - space.x) * scaleX,
        y: box.y + (inner.y - space.y) * scaleY,
        cx: inner.cx * scaleX,
        cy: inner.cy * scaleY,
      }),
  };
}

/** Whether `outer` covers all of `inner`. */
export function contains(outer: Box, inner: Box): boolean {
  return outer.x <= inner.x && outer.y <= inner.y && outer.x + outer.cx >= inner.x + inner.cx && outer.y + outer.cy >= inner.y + inner.cy;
}
