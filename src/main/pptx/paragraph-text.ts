import { collapseWhitespace } from '../text/plain-text';
import { contentChildren } from './xml-markup-compatibility';
import { DML } from './xml-namespaces';
import { child, type XmlElement } from './xml-tree';

/**
 * The visible text of DrawingML paragraphs (`a:p`), as a reader sees it: the text of runs and
 * fields (`a:r`, `a:fld`), a line break (`a:br`) as a space, whitespace runs as one space,
 * trimmed. Only the `mc:AlternateContent` branch PowerPoint shows is read. Used for slide
 * context, speaker notes, and the chart, SmartArt and table summaries (the fitting of text
 * is in text/plain-text.ts, the words in text/alt-text-phrases.ts).
 */

export function paragraphText(paragraph: XmlElement): string {
  let text = '';
  for (const node of contentChildren(paragraph)) {
    if (!DML.has(node.uri)) continue;
    if (node.local === 'br') text += ' ';
    else if (node.local === 'r' || node.local === 'fld') text += child(node, DML, 't')?.text ?? '';
  }
  return collapseWhitespace(text);
}

/** The non-empty paragraphs below `container` (a `c:rich`, `dgm:t`, `a:txBody`, a table), in order. */
export function paragraphTexts(container: XmlElement | undefined): string[] {
  const paragraphs: string[] = [];
  const visit = (element: XmlElement): void => {
    for (const node of contentChildren(element)) {
      if (DML.has(node.uri) && node.local === 'p') {
        const text = paragraphText(node);
        if (text !== '') paragraphs.push(text);
      } else {
        visit(node);
      }
    }
  };
  if (container) visit(container);
  return paragraphs;
}
