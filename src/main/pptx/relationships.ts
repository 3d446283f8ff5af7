import type { Relationship, Relationships } from './pptx-types';
import { RELATIONSHIP_TYPE_ROOTS } from './xml-namespaces';
import { attribute, descendants, parseXml } from './xml-tree';

/**
 * Relationship parts (`_rels/*.rels`, OPC Part 2 §9.3) with every internal target resolved
 * to the package part name it points at, which is also its ZIP entry name.
 *
 * Targets are resolved like URI references against the source part (`../media/a.png` from
 * `ppt/slides/slide1.xml` is `ppt/media/a.png`; `/ppt/media/a.png` is absolute), but not
 * percent-decoded: PowerPoint, python-pptx and pptxgenjs write entry names and targets with
 * the same spelling, so the target as written is the likeliest entry name. A fragment is
 * dropped and backslashes are read as slashes, as PowerPoint does. External targets
 * (`TargetMode="External"`) are kept exactly as written.
 */

/** `ppt/slides/_rels/slide1.xml.rels` for `ppt/slides/slide1.xml`; `_rels/.rels` for the package (''). */
export function relsPartFor(part: string): string {
  const name = stripLeadingSlash(part);
  const slash = name.lastIndexOf('/');
  return `${name.slice(0, slash + 1)}_rels/${name.slice(slash + 1)}.rels`;
}

/** The part name `target` points at when written in a relationship of `sourcePart`. */
export function resolvePartName(sourcePart: string, target: string): string {
  const reference = target.replace(/\\/g, '/').replace(/#.*$/, '');
  const base = reference.startsWith('/')
    ? []
    : stripLeadingSlash(sourcePart).split('/').slice(0, -1);
  const segments = [...base];
  for (const segment of reference.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return segments.join('/');
}

/**
 * Every relationship of `sourcePart`, by id. Entries without an Id or Target are left out;
 * of two with the same Id the first counts. A part without a `.rels` part has no
 * relationships: use `new Map()`.
 */
export function parseRelationships(relsXml: string, sourcePart: string): Relationships {
  const root = parseXml(relsXml, relsPartFor(sourcePart));
  const relationships = new Map<string, Relationship>();
  for (const element of descendants(root)) {
    if (element.local !== 'Relationship') continue;
    const id = attribute(element, 'Id');
    const target = attribute(element, 'Target');
    if (id === null || target === null || relationships.has(id)) continue;
    const external = attribute(element, 'TargetMode') === 'External';
    relationships.set(id, {
      id,
      type: attribute(element, 'Type') ?? '',
      target: external ? target : resolvePartName(sourcePart, target),
      external,
    });
  }
  return relationships;
}

/** Whether `relationship` is of the OOXML type `name` (`slide`, `notesSlide`), transitional or Strict. */
export function hasRelationshipType(relationship: Relationship, name: string): boolean {
  return RELATIONSHIP_TYPE_ROOTS.some((root) => relationship.type === root + name);
}

/** The part of the first internal relationship of type `name` (a slide's `notesSlide`), or null. */
export function relatedPart(relationships: Relationships, name: string): string | null {
  for (const relationship of relationships.values()) {
    if (!relationship.external && hasRelationshipType(relationship, name)) return relationship.target;
  }
  return null;
}

function stripLeadingSlash(part: string): string {
  return part.replace(/^\/+/, '');
}
