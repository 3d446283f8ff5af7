import { DML, PML } from '../pptx/xml-namespaces';
import { attribute, child, type XmlElement } from '../pptx/xml-tree';
import { colorChild, resolveColor, WHITE, type ColorContext, type Rgba } from './colors';
import type { SlideContext } from './slide-context';
import { themeFill } from './theme';

/**
 * What a fill paints (ECMA-376 Part 1 §20.1.8): nothing, colours, a picture, or the fill of the
 * group around it. A gradient paints all of its stops and a pattern both of its colours, so
 * contrast against one is checked against each (the worst counts). A fill the audit cannot
 * resolve (a scheme colour the theme lacks) is `unknown`.
 */
export type Paint =
  | { readonly kind: 'none' }
  | { readonly kind: 'colors'; readonly colors: readonly Rgba[]; readonly gradient: boolean }
  | { readonly kind: 'picture' }
  | { readonly kind: 'group' }
  | { readonly kind: 'unknown' };

const NONE: Paint = { kind: 'none' };
const UNKNOWN: Paint = { kind: 'unknown' };
const FILLS = new Set(['noFill', 'solidFill', 'gradFill', 'blipFill', 'pattFill', 'grpFill']);

/** The fill element among `properties`' children (`p:spPr`, `p:bgPr`, `a:tcPr`, a `fillStyleLst` item). */
export function fillElement(properties: XmlElement | undefined): XmlElement | undefined {
  return properties?.children.find((element) => DML.has(element.uri) && FILLS.has(element.local));
}

/** The paint of a fill element; `placeholder` is the `phClr` of a style reference. */
export function paintOf(fill: XmlElement | undefined, context: SlideContext, placeholder: Rgba | null = null): Paint {
  if (!fill) return NONE;
  const colors: ColorContext = { scheme: (name) => context.colors.scheme(name), placeholder };
  switch (fill.local) {
    case 'noFill':
      return NONE;
    case 'grpFill':
      return { kind: 'group' };
    case 'blipFill':
      return { kind: 'picture' };
    case 'solidFill': {
      const color = resolveColor(colorChild(fill), colors);
      return color ? { kind: 'colors', colors: [color], gradient: false } : UNKNOWN;
    }
    case 'gradFill': {
      const stops = (child(fill, DML, 'gsLst')?.children ?? []).map((stop) => resolveColor(colorChild(stop), colors));
      if (stops.length === 0 || stops.some((stop) => stop === null)) return UNKNOWN;
      return { kind: 'colors', colors: stops as Rgba[], gradient: true };
    }
    case 'pattFill': {
      const pattern = [child(fill, DML, 'fgClr'), child(fill, DML, 'bgClr')].map((slot) => resolveColor(colorChild(slot), colors));
      if (pattern.some((color) => color === null)) return UNKNOWN;
      return { kind: 'colors', colors: pattern as Rgba[], gradient: true };
    }
    default:
      return UNKNOWN;
  }
}

/**
 * A shape's own fill: its `p:spPr` fill (a group's `p:grpSpPr`), else the theme fill its
 * `p:style/a:fillRef` names (with that reference's colour as `phClr`). Null when neither says
 * anything, so that a placeholder can take its layout's.
 */
export function shapeFill(shape: XmlElement, context: SlideContext): Paint | null {
  const own = fillElement(child(shape, PML, 'spPr') ?? child(shape, PML, 'grpSpPr'));
  if (own) return paintOf(own, context);
  const reference = child(child(shape, PML, 'style'), DML, 'fillRef');
  if (!reference) return null;
  const index = Number(attribute(reference, 'idx'));
  if (!(index > 0)) return NONE;
  return styledPaint(themeFill(context.theme, index), resolveColor(colorChild(reference), { scheme: (name) => context.colors.scheme(name) }), context);
}

/** A theme style's fill with the reference's colour as `phClr`; the colour alone when the theme lacks that style. */
function styledPaint(styled: XmlElement | null, placeholder: Rgba | null, context: SlideContext): Paint {
  if (styled) return paintOf(styled, context, placeholder);
  return placeholder ? { kind: 'colors', colors: [placeholder], gradient: false } : UNKNOWN;
}

/**
 * The slide's background: its own `p:bg`, else its layout's, else its master's; white when
 * none has one (what PowerPoint shows).
 */
export function backgroundPaint(context: SlideContext): Paint {
  for (const root of [context.slide.root, context.layout?.root, context.master?.root]) {
    const background = child(child(root, PML, 'cSld'), PML, 'bg');
    if (!background) continue;
    const properties = child(background, PML, 'bgPr');
    if (properties) return paintOf(fillElement(properties), context);
    const reference = child(background, PML, 'bgRef');
    if (reference) {
      const placeholder = resolveColor(colorChild(reference), { scheme: (name) => context.colors.scheme(name) });
      return styledPaint(themeFill(context.theme, Number(attribute(reference, 'idx'))), placeholder, context);
    }
  }
  return { kind: 'colors', colors: [WHITE], gradient: false };
}
