/**
 * The namespaces the slide layer reads. Elements are matched by namespace URI, never by
 * prefix, and each OOXML vocabulary is a set: the transitional URI and the ISO-Strict one
 * name the same elements.
 */

export type NamespaceSet = ReadonlySet<string>;

/** PresentationML (`p:`). */
export const PML: NamespaceSet = new Set([
  'http://schemas.openxmlformats.org/presentationml/2006/main',
  'http://purl.oclc.org/ooxml/presentationml/main',
]);

/** DrawingML main (`a:`). */
export const DML: NamespaceSet = new Set([
  'http://schemas.openxmlformats.org/drawingml/2006/main',
  'http://purl.oclc.org/ooxml/drawingml/main',
]);

export const DML_TRANSITIONAL = 'http://schemas.openxmlformats.org/drawingml/2006/main';
export const DML_STRICT = 'http://purl.oclc.org/ooxml/drawingml/main';

/** Relationship-id attributes (`r:embed`, `r:link`, `r:id`). */
export const OFFICE_RELATIONSHIPS: NamespaceSet = new Set([
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  'http://purl.oclc.org/ooxml/officeDocument/relationships',
]);

/** Roots of relationship `Type` URIs (`…/relationships/slide`). */
export const RELATIONSHIP_TYPE_ROOTS: readonly string[] = [
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships/',
  'http://purl.oclc.org/ooxml/officeDocument/relationships/',
];

export const MARKUP_COMPATIBILITY = 'http://schemas.openxmlformats.org/markup-compatibility/2006';

/** `asvg:svgBlip`, the SVG original of a picture whose `a:blip` is the PNG fallback. */
export const SVG_BLIP = 'http://schemas.microsoft.com/office/drawing/2016/SVG/main';

/** `adec:decorative`, Office's "Mark as decorative". */
export const DECORATIVE = 'http://schemas.microsoft.com/office/drawing/2017/decorative';
export const DECORATIVE_EXT_URI = '{C183D7F6-B498-43B3-948B-1728B52AA6E4}';

/** Strict parts use URIs under this root for every vocabulary. */
export function isStrictNamespace(uri: string): boolean {
  return uri.startsWith('http://purl.oclc.org/ooxml/');
}
