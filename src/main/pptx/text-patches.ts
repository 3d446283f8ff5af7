import type { TagSpan } from './pptx-types';
import { setAttribute } from './xml-start-tag';
import type { XmlElement } from './xml-tree';

/**
 * Byte-minimal edits of one part's text for what is not alt text (the accessibility fixes: a
 * run's language, a table's header row): each patch replaces one span of the original text,
 * and every character outside the patches stays as it was.
 *
 * Guarantees:
 * - Offsets refer to the text as it was parsed (UTF-16 code units, as xml-tree.ts reports
 *   them); patches are applied in one pass and may not overlap (`TextPatchError`).
 * - `setAttributePatch` changes only the start tag's one attribute (xml-start-tag.ts);
 *   `insertFirstChildPatch` inserts right after the start tag of an element that is not
 *   self-closing. Neither touches anything else.
 * - `shiftSpan` moves a span of the original text (an alt text edit's `p:cNvPr`) to where it
 *   is once the patches are applied, so that alt text edits can be applied after them.
 */

export interface TextPatch {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export class TextPatchError extends Error {
  readonly code = 'ETEXT_PATCH';

  constructor(message: string) {
    super(message);
    this.name = 'TextPatchError';
  }
}

export function applyTextPatches(text: string, patches: readonly TextPatch[]): string {
  const ordered = [...patches].sort((a, b) => a.start - b.start || a.end - b.end);
  const pieces: string[] = [];
  let copied = 0;
  for (const patch of ordered) {
    if (patch.start < copied) throw new TextPatchError(`Edits overlap at offset ${patch.start}`);
    pieces.push(text.slice(copied, patch.start), patch.text);
    copied = patch.end;
  }
  pieces.push(text.slice(copied));
  return pieces.join('');
}

/** `span` of the original text, once `patches` (none of which overlaps it) are applied. */
export function shiftSpan(span: TagSpan, patches: readonly TextPatch[]): TagSpan {
  let delta = 0;
  for (const patch of patches) {
    // An insertion right at the tag's start goes before it.
    if (patch.end <= span.start) delta += patch.text.length - (patch.end - patch.start);
    else if (patch.start < span.end) throw new TextPatchError(`An edit at offset ${patch.start} overlaps the tag at ${span.start}–${span.end}`);
  }
  return { start: span.start + delta, end: span.end + delta };
}

/** Sets attribute `name` of `element`'s start tag in `xml`. */
export function setAttributePatch(xml: string, element: XmlElement, name: string, value: string): TextPatch {
  const tag = xml.slice(element.start, element.startTagEnd);
  return { start: element.start, end: element.startTagEnd, text: setAttribute(tag, name, value) };
}

/** Inserts `markup` as the first child of `element` (which has an end tag). */
export function insertFirstChildPatch(element: XmlElement, markup: string): TextPatch {
  if (element.selfClosing) throw new TextPatchError(`<${element.name}> has no children to insert before`);
  return { start: element.startTagEnd, end: element.startTagEnd, text: markup };
}
