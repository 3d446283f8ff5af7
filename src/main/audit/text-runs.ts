import { contentChildren } from '../pptx/xml-markup-compatibility';
import { DML, OFFICE_RELATIONSHIPS, PML } from '../pptx/xml-namespaces';
import { attribute, attributeIn, child, type XmlElement } from '../pptx/xml-tree';
import { colorChild, resolveColor, type Rgba } from './colors';
import { fillElement, paintOf, type Paint } from './fills';
import { masterTextStyle, type Placeholder, type SlideContext } from './slide-context';

/**
 * The text runs of a text body with the properties PowerPoint shows them with: size, bold,
 * colour and language, each taken from the first place along the inheritance chain that sets
 * it (ECMA-376 Part 1 §21.1.2, §19.3.1.51):
 *
 * 1. the run's `a:rPr` (a field's too);
 * 2. the shape's own list style (`a:lstStyle`), the paragraph's level (`a:lvlNpPr`), then its
 *    `a:defPPr`;
 * 3. the shape's style reference, `p:style/a:fontRef` (colour only: a PowerPoint rectangle's
 *    white text);
 * 4. for a placeholder, the list styles of the layout's and the master's placeholder it takes
 *    after, then the master's title, body or other style (`p:txStyles`);
 * 5. the presentation's default text style (`p:defaultTextStyle`), and for shapes that are not
 *    placeholders the master's other style;
 * 6. PowerPoint's defaults: 18 pt, not bold, the text colour `tx1`, no language.
 *
 * A hyperlink is shown in the theme's hyperlink colour, whatever the run's colour, unless the
 * link says to keep the text colour (Office 2019's `ahyp:hlinkClr val="tx"`). The shape's
 * `a:normAutofit/@fontScale` (text shrunk to fit) scales every size.
 *
 * Not read: a paragraph's own `a:pPr/a:defRPr` (PowerPoint does not apply it to the runs
 * there), table styles' text properties, and text in charts and SmartArt (other parts).
 */

export interface TextRun {
  readonly text: string;
  /** In points, after shrink-to-fit. */
  readonly sizePt: number;
  readonly bold: boolean;
  /** What the glyphs are painted with: colours, nothing (`a:noFill`), or unknown. */
  readonly paint: Paint;
  /** `lang` as set along the chain; null when nothing sets one. */
  readonly lang: string | null;
  /** The relationship id of the run's click hyperlink. */
  readonly link: string | null;
  /** The run's element (`a:r`, `a:fld`) and its properties, for the language fix. */
  readonly run: XmlElement;
  readonly properties: XmlElement | undefined;
  /** Index of its paragraph within the text body. */
  readonly paragraph: number;
}

type StyleSource = { readonly kind: 'list'; readonly list: XmlElement } | { readonly kind: 'font-ref'; readonly color: XmlElement };

/** Where a shape's text takes its properties from, in order. */
export interface TextStyleChain {
  readonly sources: readonly StyleSource[];
}

const HYPERLINK_COLOR_EXT = 'http://schemas.microsoft.com/office/drawing/2018/hyperlinkcolor';
const DEFAULT_SIZE = 1800;

/** The chain of a shape on the slide (`p:sp`), placeholder or not. */
export function shapeTextChain(shape: XmlElement, placeholder: Placeholder | null, context: SlideContext): TextStyleChain {
  const sources: StyleSource[] = [];
  const list = (element: XmlElement | undefined) => {
    if (element) sources.push({ kind: 'list', list: element });
  };
  list(child(child(shape, PML, 'txBody'), DML, 'lstStyle'));
  const fontColor = colorChild(child(child(shape, PML, 'style'), DML, 'fontRef'));
  if (fontColor) sources.push({ kind: 'font-ref', color: fontColor });
  const styles = child(context.master?.root, PML, 'txStyles');
  if (placeholder) {
    for (const inherited of context.inherited(placeholder)) list(child(child(inherited, PML, 'txBody'), DML, 'lstStyle'));
    list(child(styles, PML, masterTextStyle(placeholder)));
  }
  list(child(context.presentation, PML, 'defaultTextStyle'));
  if (!placeholder) list(child(styles, PML, 'otherStyle'));
  return { sources };
}

/** The chain of a table cell's text body (`a:tc/a:txBody`). */
export function cellTextChain(body: XmlElement, context: SlideContext): TextStyleChain {
  const sources: StyleSource[] = [];
  const own = child(body, DML, 'lstStyle');
  if (own) sources.push({ kind: 'list', list: own });
  const defaults = child(context.presentation, PML, 'defaultTextStyle');
  if (defaults) sources.push({ kind: 'list', list: defaults });
  const other = child(child(context.master?.root, PML, 'txStyles'), PML, 'otherStyle');
  if (other) sources.push({ kind: 'list', list: other });
  return { sources };
}

/** Every run with text in `body` (`p:txBody`, `a:txBody`), its properties resolved. */
export function textRuns(body: XmlElement | undefined, chain: TextStyleChain, context: SlideContext): TextRun[] {
  if (!body) return [];
  const scale = fontScale(child(body, DML, 'bodyPr'));
  const runs: TextRun[] = [];
  let paragraph = -1;
  for (const node of contentChildren(body)) {
    if (!DML.has(node.uri) || node.local !== 'p') continue;
    paragraph += 1;
    const level = levelOf(child(node, DML, 'pPr'));
    const first = runs.length;
    for (const run of contentChildren(node)) {
      if (!DML.has(run.uri)) continue;
      const isRun = run.local === 'r' || run.local === 'fld';
      const text = isRun ? (child(run, DML, 't')?.text ?? '') : run.local === 'br' ? ' ' : '';
      if (text.trim() === '') {
        // Spaces and line breaks between runs are kept with the run before, so that texts join as shown.
        const previous = runs[runs.length - 1];
        if (text !== '' && previous && runs.length > first) runs[runs.length - 1] = { ...previous, text: previous.text + text };
        continue;
      }
      const properties = child(run, DML, 'rPr');
      const defaults = levelDefaults(chain, level);
      const pick = (name: string): string | null => attribute(properties, name) ?? firstAttribute(defaults, name);
      const size = Number(pick('sz') ?? DEFAULT_SIZE);
      const link = attributeIn(child(properties, DML, 'hlinkClick'), OFFICE_RELATIONSHIPS, 'id');
      runs.push({
        text,
        sizePt: ((Number.isFinite(size) ? size : DEFAULT_SIZE) / 100) * scale,
        bold: isOn(pick('b')),
        paint: runPaint(properties, chain, level, link, context),
        lang: usableLanguage(pick('lang')),
        link: link === null || link === '' ? null : link,
        run,
        properties,
        paragraph,
      });
    }
  }
  return runs;
}

function isOn(value: string | null): boolean {
  return value === '1' || value === 'true';
}

/** Office writes `x-none` and the like for "no language". */
function usableLanguage(value: string | null): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' || /^x-/i.test(trimmed) ? null : trimmed;
}

function levelOf(pPr: XmlElement | undefined): number {
  const level = Number(attribute(pPr, 'lvl') ?? 0);
  return Number.isInteger(level) && level >= 0 && level <= 8 ? level : 0;
}

/** `a:normAutofit/@fontScale` as a factor (1 when the text is not shrunk). */
function fontScale(bodyPr: XmlElement | undefined): number {
  const value = attribute(child(bodyPr, DML, 'normAutofit'), 'fontScale');
  if (value === null) return 1;
  const number = Number.parseFloat(value);
  if (!Number.isFinite(number) || number <= 0) return 1;
  return value.trim().endsWith('%') ? number / 100 : number / 100_000;
}

/** The default run properties (`a:defRPr`) every list style of the chain gives this level, in order. */
function levelDefaults(chain: TextStyleChain, level: number): XmlElement[] {
  const found: XmlElement[] = [];
  for (const source of chain.sources) {
    if (source.kind !== 'list') continue;
    for (const name of [`lvl${level + 1}pPr`, 'defPPr']) {
      const defaults = child(child(source.list, DML, name), DML, 'defRPr');
      if (defaults) found.push(defaults);
    }
  }
  return found;
}

function firstAttribute(elements: readonly XmlElement[], name: string): string | null {
  for (const element of elements) {
    const value = attribute(element, name);
    if (value !== null) return value;
  }
  return null;
}

function runPaint(
  properties: XmlElement | undefined,
  chain: TextStyleChain,
  level: number,
  link: string | null,
  context: SlideContext,
): Paint {
  if (link !== null && link !== '' && !keepsTextColor(properties)) {
    const color = context.colors.scheme('hlink');
    return color ? solid(color) : { kind: 'unknown' };
  }
  const own = fillElement(properties);
  if (own) return paintOf(own, context);
  // The chain again, in order, now with the font reference's colour in its place.
  for (const source of chain.sources) {
    if (source.kind === 'font-ref') {
      const color = resolveColor(source.color, context.colors);
      return color ? solid(color) : { kind: 'unknown' };
    }
    for (const name of [`lvl${level + 1}pPr`, 'defPPr']) {
      const fill = fillElement(child(child(source.list, DML, name), DML, 'defRPr'));
      if (fill) return paintOf(fill, context);
    }
  }
  const text = context.colors.scheme('tx1');
  return text ? solid(text) : { kind: 'unknown' };
}

function solid(color: Rgba): Paint {
  return { kind: 'colors', colors: [color], gradient: false };
}

/** Office 2019 and later: `<a:hlinkClick><a:extLst><a:ext><ahyp:hlinkClr val="tx"/>` keeps the text's own colour. */
function keepsTextColor(properties: XmlElement | undefined): boolean {
  const click = child(properties, DML, 'hlinkClick');
  for (const ext of child(click, DML, 'extLst')?.children ?? []) {
    for (const color of ext.children) {
      if (color.uri === HYPERLINK_COLOR_EXT && color.local === 'hlinkClr' && attribute(color, 'val') === 'tx') return true;
    }
  }
  return false;
}
