import type { Relationships } from './pptx-types';
import { hasRelationshipType } from './relationships';
import { DML, OFFICE_RELATIONSHIPS, PML } from './xml-namespaces';
import { attribute, attributeIn, child, descendants, parseXml, type XmlElement } from './xml-tree';

/**
 * Which parts make up a presentation, read from `presentation.xml` and its relationships:
 * slides in show order, slide masters and their layouts, the slide size and the language.
 * Pure: the caller reads the parts and passes their text, or their parsed tree to parse once.
 */

/** A part's text, or its root element already parsed. */
export type PartXml = string | XmlElement;

function rootOf(xml: PartXml, source: string): XmlElement {
  return typeof xml === 'string' ? parseXml(xml, source) : xml;
}

export interface MasterSource {
  readonly xml: PartXml;
  /** The master's relationships (`parseRelationships(masterRels, masterPart)`). */
  readonly rels: Relationships;
}

/**
 * Slide parts in `p:sldIdLst` order (the order of the show, which is not the order of the
 * file names). An id whose relationship is missing, external or not a slide is skipped;
 * a slide listed twice counts once.
 */
export function slideParts(presentationXml: PartXml, presentationRels: Relationships): string[] {
  const root = rootOf(presentationXml, 'presentation.xml');
  return partsListed(child(root, PML, 'sldIdLst'), 'sldId', presentationRels, 'slide');
}

/** Slide master parts in `p:sldMasterIdLst` order. */
export function slideMasterParts(presentationXml: PartXml, presentationRels: Relationships): string[] {
  const root = rootOf(presentationXml, 'presentation.xml');
  return partsListed(child(root, PML, 'sldMasterIdLst'), 'sldMasterId', presentationRels, 'slideMaster');
}

/** Layout parts of one master in `p:sldLayoutIdLst` order. */
export function slideLayoutParts(masterXml: PartXml, masterRels: Relationships): string[] {
  const root = rootOf(masterXml, 'slide master');
  return partsListed(child(root, PML, 'sldLayoutIdLst'), 'sldLayoutId', masterRels, 'slideLayout');
}

/**
 * Every slide master, each followed by its layouts, for reporting pictures that are not on
 * slides. `masters` holds the masters the caller has read, keyed by part name as
 * `slideMasterParts` returns them (their pictures are reported too, so they are read
 * anyway); a master missing from it contributes no layouts. A layout shared by two masters
 * is listed once.
 */
export function layoutAndMasterParts(
  presentationXml: PartXml,
  presentationRels: Relationships,
  masters: ReadonlyMap<string, MasterSource>,
): string[] {
  const parts: string[] = [];
  for (const master of slideMasterParts(presentationXml, presentationRels)) {
    parts.push(master);
    const source = masters.get(master);
    for (const layout of source ? slideLayoutParts(source.xml, source.rels) : []) {
      if (!parts.includes(layout)) parts.push(layout);
    }
  }
  return parts;
}

/** `p:sldSz` in EMU, or null when absent or not numbers. */
export function slideSize(presentationXml: PartXml): { readonly cx: number; readonly cy: number } | null {
  const size = child(rootOf(presentationXml, 'presentation.xml'), PML, 'sldSz');
  const cx = Number(attribute(size, 'cx'));
  const cy = Number(attribute(size, 'cy'));
  return size && Number.isFinite(cx) && Number.isFinite(cy) && cx > 0 && cy > 0 ? { cx, cy } : null;
}

const RUN_PROPERTIES = new Set(['rPr', 'defRPr', 'endParaRPr']);

/**
 * The language most text is marked with (`lang` of run, default-run and end-of-paragraph
 * properties), e.g. `en-US`; ties go to the language seen first. Pass `presentation.xml`
 * (its default text style), slides, or several parts at once. Null when nothing is marked.
 */
export function deckLanguage(xml: string | readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const part of typeof xml === 'string' ? [xml] : xml) {
    for (const element of descendants(parseXml(part))) {
      if (!RUN_PROPERTIES.has(element.local) || !DML.has(element.uri)) continue;
      const lang = attribute(element, 'lang')?.trim();
      if (lang && lang.toLowerCase() !== 'x-none') counts.set(lang, (counts.get(lang) ?? 0) + 1);
    }
  }
  let best: string | null = null;
  let bestCount = 0;
  for (const [lang, count] of counts) {
    if (count > bestCount) [best, bestCount] = [lang, count];
  }
  return best;
}

function partsListed(
  list: XmlElement | undefined,
  itemName: string,
  relationships: Relationships,
  type: string,
): string[] {
  const parts = new Set<string>();
  for (const item of list?.children ?? []) {
    if (item.local !== itemName || !PML.has(item.uri)) continue;
    const relationship = relationships.get(attributeIn(item, OFFICE_RELATIONSHIPS, 'id') ?? '');
    if (!relationship || relationship.external || !hasRelationshipType(relationship, type)) continue;
    parts.add(relationship.target);
  }
  return [...parts];
}
