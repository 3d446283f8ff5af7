import { DECORATIVE, DECORATIVE_EXT_URI, DML } from './xml-namespaces';
import { attribute, child, type XmlElement } from './xml-tree';

/**
 * Office's "Mark as decorative" on a shape's non-visual properties:
 * `<p:cNvPr …><a:extLst><a:ext uri="{C183D7F6-…}"><adec:decorative val="1"/></a:ext></a:extLst></p:cNvPr>`.
 */
export interface DecorativeExtension {
  readonly extLst: XmlElement;
  /** The `a:ext` with the decorative URI. */
  readonly ext: XmlElement;
  /** Its `adec:decorative`, when present. */
  readonly flag: XmlElement | undefined;
}

/** The decorative extension of a `p:cNvPr`, or null when it has none. */
export function decorativeExtension(cNvPr: XmlElement): DecorativeExtension | null {
  const extLst = child(cNvPr, DML, 'extLst');
  const ext = extLst?.children.find(
    (candidate) => DML.has(candidate.uri) && candidate.local === 'ext' && attribute(candidate, 'uri') === DECORATIVE_EXT_URI,
  );
  if (!extLst || !ext) return null;
  const flag = ext.children.find((candidate) => candidate.uri === DECORATIVE && candidate.local === 'decorative');
  return { extLst, ext, flag };
}

/** `val` is an `xsd:boolean`. */
export function isTrue(value: string | null): boolean {
  const trimmed = value?.trim();
  return trimmed === '1' || trimmed === 'true';
}

export function isDecorative(cNvPr: XmlElement): boolean {
  return isTrue(attribute(decorativeExtension(cNvPr)?.flag, 'val'));
}
