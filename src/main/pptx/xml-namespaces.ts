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

/** DrawingML charts (`c:`); also the `a:graphicData/@uri` of a chart frame. */
export const CHART: NamespaceSet = new Set([
  'http://schemas.openxmlformats.org/drawingml/2006/chart',
  'http://purl.oclc.org/ooxml/drawingml/chart',
]);

/** Office 2016 chart types (`cx:`: waterfall, funnel, treemap, …), by every URI Office has written. */
export const CHARTEX: NamespaceSet = new Set([
  'http://schemas.microsoft.com/office/drawing/2014/chartex',
  'http://schemas.microsoft.com/office/drawing/2015/9/8/chartex',
  'http://schemas.microsoft.com/office/drawing/2015/10/21/chartex',
  'http://schemas.microsoft.com/office/drawing/2016/5/9/chartex',
  'http://schemas.microsoft.com/office/drawing/2016/5/10/chartex',
  'http://schemas.microsoft.com/office/drawing/2016/5/11/chartex',
  'http://schemas.microsoft.com/office/drawing/2016/5/12/chartex',
  'http://schemas.microsoft.com/office/drawing/2016/5/13/chartex',
  'http://schemas.microsoft.com/office/drawing/2016/5/14/chartex',
]);

/** DrawingML diagrams, i.e. SmartArt (`dgm:`); also the `a:graphicData/@uri` of a SmartArt frame. */
export const DIAGRAM: NamespaceSet = new Set([
  'http://schemas.openxmlformats.org/drawingml/2006/diagram',
  'http://purl.oclc.org/ooxml/drawingml/diagram',
]);

/** The `a:graphicData/@uri` of a table frame (the table itself is DrawingML main). */
export const TABLE_GRAPHIC: NamespaceSet = new Set([
  'http://schemas.openxmlformats.org/drawingml/2006/table',
  'http://purl.oclc.org/ooxml/drawingml/table',
]);

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
