import { MARKUP_COMPATIBILITY, DML, OFFICE_RELATIONSHIPS, PML, SVG_BLIP, DECORATIVE } from './xml-namespaces';
import { attribute, lookupNamespace, type XmlElement } from './xml-tree';

/**
 * `mc:AlternateContent` (ECMA-376 Part 3): a consumer takes the first `mc:Choice` whose
 * `Requires` prefixes all name namespaces it understands, else the `mc:Fallback`, and
 * ignores the rest. We read the branch current PowerPoint reads, so we "understand" what it
 * understands; a Choice that needs anything else (or the pre-release 2007 namespaces) falls
 * through to the next Choice or the Fallback.
 */
const UNDERSTOOD = new Set<string>([
  ...PML,
  ...DML,
  ...OFFICE_RELATIONSHIPS,
  SVG_BLIP,
  DECORATIVE,
  'http://schemas.microsoft.com/office/drawing/2010/main', // a14
  'http://schemas.microsoft.com/office/drawing/2012/main', // a15
  'http://schemas.microsoft.com/office/drawing/2014/main', // a16
  'http://schemas.microsoft.com/office/drawing/2016/11/main', // a1611
  'http://schemas.microsoft.com/office/drawing/2016/ink', // aink
  'http://schemas.microsoft.com/office/drawing/2017/model3d', // am3d
  'http://schemas.microsoft.com/office/drawing/2018/hyperlinkcolor', // ahyp
  'http://schemas.microsoft.com/office/drawing/2014/chartex', // cx
  'http://schemas.microsoft.com/office/drawing/2015/9/8/chartex', // cx1
  'http://schemas.microsoft.com/office/drawing/2015/10/21/chartex', // cx2
  'http://schemas.microsoft.com/office/drawing/2016/5/9/chartex', // cx3
  'http://schemas.microsoft.com/office/drawing/2016/5/10/chartex', // cx4
  'http://schemas.microsoft.com/office/drawing/2016/5/11/chartex', // cx5
  'http://schemas.microsoft.com/office/drawing/2016/5/12/chartex', // cx6
  'http://schemas.microsoft.com/office/drawing/2016/5/13/chartex', // cx7
  'http://schemas.microsoft.com/office/drawing/2016/5/14/chartex', // cx8
  'http://schemas.microsoft.com/office/powerpoint/2010/main', // p14
  'http://schemas.microsoft.com/office/powerpoint/2012/main', // p15
  'http://schemas.microsoft.com/office/powerpoint/2015/09/main', // p159
  'http://schemas.microsoft.com/office/powerpoint/2015/10/main', // p1510
  'urn:schemas-microsoft-com:vml', // v (OLE objects)
]);

function isMc(element: XmlElement, local: string): boolean {
  return element.uri === MARKUP_COMPATIBILITY && element.local === local;
}

function understood(choice: XmlElement): boolean {
  const prefixes = (attribute(choice, 'Requires') ?? '').split(/\s+/).filter((prefix) => prefix !== '');
  return prefixes.every((prefix) => {
    const uri = lookupNamespace(choice, prefix);
    return uri !== null && UNDERSTOOD.has(uri);
  });
}

/** The `mc:Choice` or `mc:Fallback` of an `mc:AlternateContent` that is read, or null if none is. */
export function selectedBranch(alternateContent: XmlElement): XmlElement | null {
  for (const branch of alternateContent.children) {
    if (isMc(branch, 'Choice') && understood(branch)) return branch;
  }
  return alternateContent.children.find((branch) => isMc(branch, 'Fallback')) ?? null;
}

/**
 * The children of `element` as a consumer sees them: each `mc:AlternateContent` is replaced
 * by the children of its selected branch (recursively), so the other branches never appear.
 */
export function* contentChildren(element: XmlElement): Generator<XmlElement> {
  for (const node of element.children) {
    if (isMc(node, 'AlternateContent')) {
      const branch = selectedBranch(node);
      if (branch) yield* contentChildren(branch);
    } else {
      yield node;
    }
  }
}
