import type { DeckPartXml, DeckXml } from '../pptx/deck';
import { relatedPart } from '../pptx/relationships';
import { contentChildren } from '../pptx/xml-markup-compatibility';
import { DML, PML } from '../pptx/xml-namespaces';
import { attribute, child, type XmlElement } from '../pptx/xml-tree';
import { resolveColor, type Rgba, type SchemeColors } from './colors';
import { readTheme, type Theme } from './theme';

/**
 * Everything a slide inherits, found once per slide: its layout and master (through the
 * parts' relationships), the master's theme, the colour map in force (the slide's
 * `p:clrMapOvr`, else the layout's, else the master's `p:clrMap`), and the placeholders of
 * the layout and master that the slide's placeholders take their position, fill and text
 * style from.
 *
 * Placeholders are matched as PowerPoint and LibreOffice match them: in the layout, by `idx`
 * when the slide's placeholder has one, else by type; in the master, by type, where a centred
 * title counts as a title and a subtitle, content (`obj`) or untyped placeholder as the body.
 */

export interface Placeholder {
  /** `p:ph/@type`, `obj` when absent. */
  readonly type: string;
  readonly idx: string | null;
}

export interface SlideContext {
  readonly slideNumber: number;
  readonly slide: DeckPartXml;
  readonly layout: DeckPartXml | null;
  readonly master: DeckPartXml | null;
  readonly theme: Theme | null;
  readonly presentation: XmlElement;
  readonly colors: SchemeColors;
  /** The layout's and then the master's placeholder shape that `placeholder` inherits from. */
  inherited(placeholder: Placeholder): readonly XmlElement[];
}

/** A parsed theme per theme part, so that a deck's slides share one. */
export type ThemeCache = Map<string, Theme>;

const CLR_MAP_KEYS = ['bg1', 'tx1', 'bg2', 'tx2', 'accent1', 'accent2', 'accent3', 'accent4', 'accent5', 'accent6', 'hlink', 'folHlink'] as const;

export function slideContext(xml: DeckXml, slideNumber: number, slide: DeckPartXml, themes: ThemeCache): SlideContext {
  const layout = templateOf(xml, slide, 'slideLayout');
  const master = layout ? templateOf(xml, layout, 'slideMaster') : null;
  const themePart = master ? relatedPart(master.rels, 'theme') : null;
  let theme: Theme | null = null;
  if (themePart !== null) {
    theme = themes.get(themePart) ?? null;
    const root = xml.themes.get(themePart);
    if (!theme && root) {
      theme = readTheme(root);
      themes.set(themePart, theme);
    }
  }
  const map = colorMap(slide.root, layout?.root, master?.root);
  const resolved = new Map<string, Rgba | null>();
  const colors: SchemeColors = {
    scheme(name: string): Rgba | null {
      const slot = map.get(name) ?? name;
      if (!resolved.has(slot)) {
        // Theme colours are plain colours (srgbClr, sysClr); a scheme reference inside one would loop.
        resolved.set(slot, resolveColor(theme?.colors.get(slot), { scheme: () => null }));
      }
      return resolved.get(slot) ?? null;
    },
  };
  const layoutPlaceholders = layout ? placeholderShapes(layout.root) : [];
  const masterPlaceholders = master ? placeholderShapes(master.root) : [];
  return {
    slideNumber,
    slide,
    layout,
    master,
    theme,
    presentation: xml.presentation,
    colors,
    inherited(placeholder: Placeholder): readonly XmlElement[] {
      const found: XmlElement[] = [];
      const inLayout = matchInLayout(layoutPlaceholders, placeholder);
      if (inLayout) found.push(inLayout.shape);
      const masterType = masterTypeOf(inLayout?.placeholder ?? placeholder);
      const inMaster = masterPlaceholders.find((candidate) => masterTypeOf(candidate.placeholder) === masterType);
      if (inMaster) found.push(inMaster.shape);
      return found;
    },
  };
}

function templateOf(xml: DeckXml, from: DeckPartXml, type: 'slideLayout' | 'slideMaster'): DeckPartXml | null {
  const part = relatedPart(from.rels, type);
  return part === null ? null : (xml.templates.get(part) ?? null);
}

function colorMap(slide: XmlElement, layout: XmlElement | undefined, master: XmlElement | undefined): Map<string, string> {
  const override = (root: XmlElement | undefined) => child(child(root, PML, 'clrMapOvr'), DML, 'overrideClrMapping');
  const mapping = override(slide) ?? override(layout) ?? child(master, PML, 'clrMap');
  const map = new Map<string, string>();
  for (const key of CLR_MAP_KEYS) {
    const value = attribute(mapping, key);
    if (value !== null) map.set(key, value);
  }
  // A deck without any colour map still means the usual one: light backgrounds, dark text.
  if (!map.has('bg1')) map.set('bg1', 'lt1');
  if (!map.has('tx1')) map.set('tx1', 'dk1');
  if (!map.has('bg2')) map.set('bg2', 'lt2');
  if (!map.has('tx2')) map.set('tx2', 'dk2');
  return map;
}

/** The placeholder a shape is (`p:nvSpPr/p:nvPr/p:ph` and the like), or null. */
export function placeholderOf(shape: XmlElement): Placeholder | null {
  const nonVisual = shape.children.find((element) => PML.has(element.uri) && element.local.startsWith('nv'));
  const ph = child(child(nonVisual, PML, 'nvPr'), PML, 'ph');
  if (!ph) return null;
  return { type: attribute(ph, 'type') ?? 'obj', idx: attribute(ph, 'idx') };
}

interface PlaceholderShape {
  readonly shape: XmlElement;
  readonly placeholder: Placeholder;
}

/** A layout's or master's placeholders, found once however many slides use it. */
const placeholdersOf = new WeakMap<XmlElement, readonly PlaceholderShape[]>();

function placeholderShapes(root: XmlElement): readonly PlaceholderShape[] {
  const known = placeholdersOf.get(root);
  if (known) return known;
  const shapes = findPlaceholderShapes(root);
  placeholdersOf.set(root, shapes);
  return shapes;
}

function findPlaceholderShapes(root: XmlElement): PlaceholderShape[] {
  const tree = child(child(root, PML, 'cSld'), PML, 'spTree');
  const shapes: PlaceholderShape[] = [];
  for (const shape of tree ? contentChildren(tree) : []) {
    if (!PML.has(shape.uri)) continue;
    const placeholder = placeholderOf(shape);
    if (placeholder) shapes.push({ shape, placeholder });
  }
  return shapes;
}

function matchInLayout(candidates: readonly PlaceholderShape[], placeholder: Placeholder): PlaceholderShape | undefined {
  if (placeholder.idx !== null && placeholder.idx !== '0') {
    const byIndex = candidates.find((candidate) => candidate.placeholder.idx === placeholder.idx);
    if (byIndex) return byIndex;
  }
  const type = masterTypeOf(placeholder);
  return (
    candidates.find((candidate) => candidate.placeholder.type === placeholder.type) ??
    candidates.find((candidate) => masterTypeOf(candidate.placeholder) === type && (type === 'title' || candidate.placeholder.idx === placeholder.idx))
  );
}

/** The master placeholder a placeholder of this type takes after. */
function masterTypeOf(placeholder: Placeholder): string {
  switch (placeholder.type) {
    case 'title':
    case 'ctrTitle':
      return 'title';
    case 'dt':
    case 'ftr':
    case 'sldNum':
    case 'hdr':
      return placeholder.type;
    default:
      return 'body';
  }
}

/** Which of the master's `p:txStyles` a shape's text takes its defaults from. */
export function masterTextStyle(placeholder: Placeholder | null): 'titleStyle' | 'bodyStyle' | 'otherStyle' {
  if (placeholder === null) return 'otherStyle';
  switch (masterTypeOf(placeholder)) {
    case 'title':
      return 'titleStyle';
    case 'body':
      return 'bodyStyle';
    default:
      return 'otherStyle';
  }
}
