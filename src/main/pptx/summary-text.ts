import { contentChildren } from './xml-markup-compatibility';
import { DML } from './xml-namespaces';
import { collapseWhitespace } from '../text/plain-text';
import { child, type XmlElement } from './xml-tree';

/**
 * The visible text of DrawingML paragraphs, for the chart, SmartArt and table summaries (the
 * fitting of text is in text/plain-text.ts, the words in text/alt-text-phrases.ts).
 */

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
