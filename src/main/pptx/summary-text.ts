import { contentChildren } from './xml-markup-compatibility';
import { DML } from './xml-namespaces';
import { child, type XmlElement } from './xml-tree';

/**
 * Text helpers shared by the chart, SmartArt and table summaries: fitting (pure, for any
 * language; the words themselves are in `alt-text-phrases.ts`), and the visible text of
 * DrawingML paragraphs.
 */

export const ELLIPSIS = '…';

/**
 * `text` if it fits in `limit` characters, else its longest prefix that ends at a word
 * boundary, trailing punctuation dropped, followed by '…' (the result is at most `limit`).
 * Never cuts inside a word: '' when not even the first word fits.
 */
export function truncateAtWord(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const room = limit - ELLIPSIS.length;
  if (room <= 0) return '';
  const cutAtSpace = text[room] === ' ' ? room : text.lastIndexOf(' ', room);
  if (cutAtSpace <= 0) return '';
  const kept = text.slice(0, cutAtSpace).replace(/[\s,;:(–—→،؛-]+$/u, '');
  return kept === '' ? '' : `${kept}${ELLIPSIS}`;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Whitespace runs (line breaks, tabs, non-breaking spaces) as one space, trimmed. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/**
 * The non-empty `a:p` paragraphs below `container` (a `c:rich`, `dgm:t`, `a:txBody`), each
 * the text of its runs and fields with `a:br` as a space, whitespace collapsed.
 */
export function paragraphTexts(container: XmlElement | undefined): string[] {
  const paragraphs: string[] = [];
  const visit = (element: XmlElement): void => {
    for (const node of contentChildren(element)) {
      if (DML.has(node.uri) && node.local === 'p') {
        let text = '';
        for (const run of contentChildren(node)) {
          if (!DML.has(run.uri)) continue;
          if (run.local === 'br') text += ' ';
          else if (run.local === 'r' || run.local === 'fld') text += child(run, DML, 't')?.text ?? '';
        }
        const collapsed = collapseWhitespace(text);
        if (collapsed !== '') paragraphs.push(collapsed);
      } else {
        visit(node);
      }
    }
  };
  if (container) visit(container);
  return paragraphs;
}
