import type { AltTextEdit } from './pptx-types';
import { decorativeExtension, isTrue } from './xml-decorative';
import { DECORATIVE, DECORATIVE_EXT_URI, DML, DML_STRICT, DML_TRANSITIONAL, isStrictNamespace } from './xml-namespaces';
import { setAttribute } from './xml-start-tag';
import { attribute, descendants, namespacesInScope, parseXml, type XmlElement } from './xml-tree';

/**
 * Writes alt text and the decorative flag into one part's XML text, surgically.
 *
 * Guarantees:
 * - Only the `p:cNvPr` elements the edits point at change, and within them only:
 *   the `descr` value (added right after `name` when absent; other attributes, their order,
 *   quotes and whitespace untouched), and for `decorative` the Office extension
 *   (DESIGN.md): an `a:ext` added to the existing `a:extLst`, an `a:extLst` added as the
 *   last child (a self-closing `<p:cNvPr …/>` is opened for it), or `val` of an existing
 *   `adec:decorative` set. Every other character of the text is kept as it was.
 * - `decorative: true` alone never touches `descr`; with `descr: ''` (PowerPoint's "Mark as
 *   decorative", which empties the description) a `descr` the tag has is emptied, and none is
 *   added. Decorative with any other text is refused.
 *   `decorative: false` clears an existing flag (`val="0"`) and adds nothing otherwise.
 * - Edits are checked before anything is written: each span must be exactly the start tag
 *   of a `cNvPr` element (as `findPictures` reports it) and no two may overlap, else
 *   `AltTextEditError`; a part that is not well-formed throws `XmlParseError`.
 * - New DrawingML elements use a prefix the document already binds, at that place, to the
 *   DrawingML namespace of its flavour (Strict parts get the Strict URI); when none is in
 *   scope the new `extLst` declares `xmlns:a` itself.
 *
 * Spans are UTF-16 offsets into `xml`: decode the part (keeping a BOM if it has one),
 * edit, encode the result the same way.
 */

export class AltTextEditError extends Error {
  readonly code = 'EALT_TEXT_EDIT';

  constructor(message: string) {
    super(message);
    this.name = 'AltTextEditError';
  }
}

interface Patch {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export function applyAltTextEdits(xml: string, edits: readonly AltTextEdit[]): string {
  if (edits.length === 0) return xml;
  const ordered = [...edits].sort((a, b) => a.span.start - b.span.start);
  ordered.forEach((edit, index) => {
    const previous = ordered[index - 1];
    if (previous && edit.span.start < previous.span.end) {
      throw new AltTextEditError(`Alt text edits overlap at offset ${edit.span.start}`);
    }
    if (edit.decorative === true && edit.descr !== undefined && edit.descr !== '') {
      throw new AltTextEditError(`A decorative picture gets no description (edit at offset ${edit.span.start})`);
    }
  });

  const nonVisualProperties = new Map<number, XmlElement>();
  for (const element of descendants(parseXml(xml))) {
    if (element.local === 'cNvPr') nonVisualProperties.set(element.start, element);
  }
  const patches: Patch[] = [];
  for (const edit of ordered) {
    const cNvPr = nonVisualProperties.get(edit.span.start);
    if (!cNvPr || cNvPr.startTagEnd !== edit.span.end) {
      throw new AltTextEditError(
        `Offsets ${edit.span.start}–${edit.span.end} are not the start tag of a cNvPr element`,
      );
    }
    patches.push(...patchesFor(xml, cNvPr, edit));
  }
  return applyPatches(xml, patches);
}

function patchesFor(xml: string, cNvPr: XmlElement, edit: AltTextEdit): Patch[] {
  const patches: Patch[] = [];
  const tag = xml.slice(cNvPr.start, cNvPr.startTagEnd);
  if (edit.descr !== undefined && edit.decorative !== true) {
    patches.push({ start: cNvPr.start, end: cNvPr.startTagEnd, text: setAttribute(tag, 'descr', edit.descr, { after: 'name' }) });
  }
  if (edit.decorative === true) {
    const flag = markDecorative(xml, cNvPr);
    if (edit.descr === '' && attribute(cNvPr, 'descr') !== null) {
      const emptied = setAttribute(tag, 'descr', '');
      // A self-closing tag is opened for the flag: the end of the tag is that patch's, so both go in one.
      if (flag.start >= cNvPr.start && flag.end <= cNvPr.startTagEnd) {
        const kept = cNvPr.startTagEnd - flag.end;
        const cut = emptied.length - (cNvPr.startTagEnd - flag.start);
        patches.push({ start: cNvPr.start, end: cNvPr.startTagEnd, text: `${emptied.slice(0, cut)}${flag.text}${kept > 0 ? emptied.slice(-kept) : ''}` });
        return patches.filter((patch) => xml.slice(patch.start, patch.end) !== patch.text);
      }
      patches.push({ start: cNvPr.start, end: cNvPr.startTagEnd, text: emptied });
    }
    patches.push(flag);
  }
  if (edit.decorative === false) {
    const flag = decorativeExtension(cNvPr)?.flag;
    if (flag && isTrue(attribute(flag, 'val'))) patches.push(setFlagValue(xml, flag, '0'));
  }
  return patches.filter((patch) => xml.slice(patch.start, patch.end) !== patch.text);
}

const FLAG = `<adec:decorative xmlns:adec="${DECORATIVE}" val="1"/>`;

function markDecorative(xml: string, cNvPr: XmlElement): Patch {
  const existing = decorativeExtension(cNvPr);
  if (existing?.flag) return setFlagValue(xml, existing.flag, '1');
  if (existing) return insertLast(xml, existing.ext, FLAG);
  const extLst = cNvPr.children.find((candidate) => DML.has(candidate.uri) && candidate.local === 'extLst');
  if (extLst) return insertLast(xml, extLst, ext(qualifier(extLst.prefix)));
  const { qualify, declaration } = drawingMlPrefix(cNvPr);
  return insertLast(xml, cNvPr, `<${qualify}extLst${declaration}>${ext(qualify)}</${qualify}extLst>`);
}

function ext(qualify: string): string {
  return `<${qualify}ext uri="${DECORATIVE_EXT_URI}">${FLAG}</${qualify}ext>`;
}

function setFlagValue(xml: string, flag: XmlElement, value: '0' | '1'): Patch {
  const tag = xml.slice(flag.start, flag.startTagEnd);
  return { start: flag.start, end: flag.startTagEnd, text: setAttribute(tag, 'val', value) };
}

/** Adds `content` as the last child of `element`, opening it when it is self-closing. */
function insertLast(xml: string, element: XmlElement, content: string): Patch {
  if (!element.selfClosing) return { start: element.endTagStart, end: element.endTagStart, text: content };
  const closeAt = element.startTagEnd - 2;
  if (xml.slice(closeAt, element.startTagEnd) !== '/>') throw new AltTextEditError(`Unexpected end of <${element.name}>`);
  return { start: closeAt, end: element.startTagEnd, text: `>${content}</${element.name}>` };
}

function qualifier(prefix: string): string {
  return prefix === '' ? '' : `${prefix}:`;
}

/** How to name a new DrawingML element inside `cNvPr`: a bound prefix, the default namespace, or a local declaration. */
function drawingMlPrefix(cNvPr: XmlElement): { qualify: string; declaration: string } {
  const namespace = isStrictNamespace(cNvPr.uri) ? DML_STRICT : DML_TRANSITIONAL;
  const scope = namespacesInScope(cNvPr);
  const bound = [...scope].filter(([prefix, uri]) => prefix !== '' && uri === namespace).map(([prefix]) => prefix);
  const prefix = bound.includes('a') ? 'a' : bound[0];
  if (prefix !== undefined) return { qualify: `${prefix}:`, declaration: '' };
  if (scope.get('') === namespace) return { qualify: '', declaration: '' };
  return { qualify: 'a:', declaration: ` xmlns:a="${namespace}"` };
}

/** Splices the patches in, in one pass over the text; every offset refers to the original. */
function applyPatches(xml: string, patches: readonly Patch[]): string {
  const ordered = [...patches].sort((a, b) => a.start - b.start || a.end - b.end);
  const pieces: string[] = [];
  let copied = 0;
  for (const patch of ordered) {
    if (patch.start < copied) throw new AltTextEditError(`Alt text edits overlap at offset ${patch.start}`);
    pieces.push(xml.slice(copied, patch.start), patch.text);
    copied = patch.end;
  }
  pieces.push(xml.slice(copied));
  return pieces.join('');
}
