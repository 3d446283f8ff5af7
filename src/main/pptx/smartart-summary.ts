import { contentChildren } from './xml-markup-compatibility';
import { DIAGRAM } from './xml-namespaces';
import { attribute, child, parseXml, type XmlElement } from './xml-tree';
import { altTextLanguage, type AltTextLanguageOption } from '../text/alt-text-phrases';
import type { SmartArtLayout } from '../text/graphic-kinds';
import { ELLIPSIS, truncateAtWord } from '../text/plain-text';
import { paragraphTexts } from './paragraph-text';

/**
 * What a SmartArt graphic says, read from its data model part, and the alt text made from
 * that in the deck's language (`alt-text-phrases.ts`).
 *
 * Reading guarantees:
 * - The text tree is the data model's (`dgm:dataModel`): points of type node (the default) and
 *   asst, connected by `parOf` connections (the default type), children in `srcOrd` order,
 *   starting from the `doc` point. Presentation points and connections (`pres`, `presOf`,
 *   `presParOf`) and transitions are not content and are ignored.
 * - A node without text is left out and its children take its place; a connection loop or a
 *   node reached twice is followed once; at most `MAX_NODES` nodes are read.
 * - A matrix keeps the four items its quadrants show (`quadrants`); the text PowerPoint keeps
 *   for other layouts but does not draw is left out.
 * - The layout kind comes from the layout part's category (`dgm:cat`, the lowest `pri` wins),
 *   else its `uniqueId`, else the data model's own `loCatId`/`loTypeId`.
 * - Elements are matched by namespace URI (transitional and ISO-Strict). Parts that are not
 *   well-formed or have a DOCTYPE throw `XmlParseError`.
 *
 * Not read: the drawing part PowerPoint caches (`dsp:`), pictures in picture layouts, colours
 * and shapes. The text is what the text pane shows, not how the layout arranges it.
 */

export interface SmartArtNode {
  /** The node's paragraphs, joined with ' / '. */
  readonly text: string;
  readonly children: readonly SmartArtNode[];
}

export interface SmartArtFacts {
  readonly layout: SmartArtLayout;
  /** The top-level nodes in order (the children of the document point). */
  readonly nodes: readonly SmartArtNode[];
}

export interface SmartArtTextOptions extends AltTextLanguageOption {
  readonly charLimit: number;
}

export const MAX_NODES = 1000;
const MAX_DEPTH = 32;

// ---------------------------------------------------------------------------------------------
// Reading

/** The layout kind a layout part (`dgm:layoutDef`) declares, or null if it declares none we know. */
export function readSmartArtLayout(layoutXml: string, source = 'SmartArt layout part'): SmartArtLayout | null {
  const root = parseXml(layoutXml, source);
  if (!DIAGRAM.has(root.uri) || root.local !== 'layoutDef') return null;
  let best: { layout: SmartArtLayout; priority: number } | null = null;
  for (const category of diagramChildren(child(root, DIAGRAM, 'catLst'), 'cat')) {
    const layout = categoryLayout(attribute(category, 'type'));
    const priority = Number(attribute(category, 'pri') ?? Number.MAX_SAFE_INTEGER);
    if (layout && (best === null || priority < best.priority)) best = { layout, priority };
  }
  return best?.layout ?? layoutFromId(attribute(root, 'uniqueId'));
}

/**
 * The text tree of a data model part (`dgm:dataModel`). `layout` is what the layout part
 * declares; without it the data model's own record of its layout is used.
 */
export function readSmartArtFacts(dataXml: string, layout: SmartArtLayout | null, source = 'SmartArt data part'): SmartArtFacts {
  const root = parseXml(dataXml, source);
  if (!DIAGRAM.has(root.uri) || root.local !== 'dataModel') return { layout: layout ?? 'other', nodes: [] };
  const points = diagramChildren(child(root, DIAGRAM, 'ptLst'), 'pt');
  const types = new Map<string, string>();
  for (const point of points) {
    const id = attribute(point, 'modelId');
    if (id !== null && !types.has(id)) types.set(id, attribute(point, 'type') ?? 'node');
  }
  const pointById = new Map(points.map((point) => [attribute(point, 'modelId') ?? '', point] as const));

  const childIds = new Map<string, { id: string; order: number }[]>();
  const hasParent = new Set<string>();
  for (const connection of diagramChildren(child(root, DIAGRAM, 'cxnLst'), 'cxn')) {
    if ((attribute(connection, 'type') ?? 'parOf') !== 'parOf') continue;
    const source = attribute(connection, 'srcId');
    const destination = attribute(connection, 'destId');
    if (source === null || destination === null) continue;
    const order = Number(attribute(connection, 'srcOrd') ?? 0);
    const list = childIds.get(source) ?? [];
    list.push({ id: destination, order: Number.isFinite(order) ? order : 0 });
    childIds.set(source, list);
    hasParent.add(destination);
  }
  for (const list of childIds.values()) list.sort((a, b) => a.order - b.order);

  const document = points.find((point) => attribute(point, 'type') === 'doc');
  const rootIds = document
    ? (childIds.get(attribute(document, 'modelId') ?? '') ?? []).map((entry) => entry.id)
    : [...types].filter(([id, type]) => isContent(type) && !hasParent.has(id)).map(([id]) => id);

  const visited = new Set<string>();
  const build = (ids: readonly string[], depth: number): SmartArtNode[] => {
    const nodes: SmartArtNode[] = [];
    for (const id of ids) {
      if (visited.has(id) || visited.size >= MAX_NODES || depth > MAX_DEPTH || !isContent(types.get(id))) continue;
      visited.add(id);
      const children = build((childIds.get(id) ?? []).map((entry) => entry.id), depth + 1);
      const text = paragraphTexts(child(pointById.get(id), DIAGRAM, 't')).join(' / ');
      if (text === '') nodes.push(...children);
      else nodes.push({ text, children });
    }
    return nodes;
  };
  const resolved = layout ?? documentLayout(document);
  const nodes = build(rootIds, 0);
  return { layout: resolved, nodes: resolved === 'matrix' ? quadrants(nodes) : nodes };
}

/** Every matrix layout draws four quadrants. */
const QUADRANTS = 4;

/**
 * What a matrix shows: its first four items, which are the top nodes, or the nodes under a
 * single top node (a titled matrix's title). PowerPoint keeps the rest for other layouts but
 * does not draw them.
 */
function quadrants(nodes: readonly SmartArtNode[]): SmartArtNode[] {
  const [title] = nodes;
  if (nodes.length === 1 && title) return [{ text: title.text, children: title.children.slice(0, QUADRANTS) }];
  return nodes.slice(0, QUADRANTS);
}

function isContent(type: string | undefined): boolean {
  return type === 'node' || type === 'asst';
}

function diagramChildren(element: XmlElement | undefined, local: string): XmlElement[] {
  return element ? [...contentChildren(element)].filter((c) => DIAGRAM.has(c.uri) && c.local === local) : [];
}

/** The doc point's `dgm:prSet` records the layout it was made with. */
function documentLayout(document: XmlElement | undefined): SmartArtLayout {
  const properties = child(document, DIAGRAM, 'prSet');
  return categoryLayout(attribute(properties, 'loCatId')) ?? layoutFromId(attribute(properties, 'loTypeId')) ?? 'other';
}

const CATEGORIES: ReadonlySet<string> = new Set(['list', 'process', 'cycle', 'hierarchy', 'relationship', 'matrix', 'pyramid']);

function categoryLayout(category: string | null): SmartArtLayout | null {
  return category !== null && CATEGORIES.has(category) ? (category as SmartArtLayout) : null;
}

/** Known words in layout ids (`…/layout/cycle2#1`, `…/layout/orgChart1`), most specific first. */
const LAYOUT_WORDS: readonly (readonly [RegExp, SmartArtLayout])[] = [
  [/cycle|circle|gear/i, 'cycle'],
  [/hierarchy|orgchart/i, 'hierarchy'],
  [/pyramid/i, 'pyramid'],
  [/matrix/i, 'matrix'],
  [/process|arrow|chevron|timeline|step/i, 'process'],
  [/venn|radial|target|balance|equation|funnel|relationship/i, 'relationship'],
  [/list/i, 'list'],
];

function layoutFromId(uniqueId: string | null): SmartArtLayout | null {
  const name = (uniqueId ?? '').replace(/#.*$/, '').split('/').pop() ?? '';
  return LAYOUT_WORDS.find(([pattern]) => pattern.test(name))?.[1] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Text

/** Whether the graphic has any text at all. */
export function hasSmartArtContent(facts: SmartArtFacts): boolean {
  return facts.nodes.length > 0;
}

/**
 * The short alt text: "Cycle: A → B → C", "List: A (a1, a2); B", "Hierarchy: Root — A (a1,
 * a2); B (b1)". A single top node with nodes under it is a title over its items in every
 * layout but a process or cycle: an org chart's head, a titled matrix's title over its
 * quadrants, a radial's centre.
 *
 * Fitting is breadth first: as many items as fit are named (what does not fit is marked with
 * '…'), then each item in order gets as many of its children, in parentheses, as still fit.
 * Deeper levels are left to the long description.
 */
export function smartArtAltText(facts: SmartArtFacts, options: SmartArtTextOptions): string {
  const limit = options.charLimit;
  const phrases = altTextLanguage(options.language).phrases;
  const label = `${phrases.smartArtLayouts[facts.layout]}${phrases.colon}`;
  const [onlyRoot] = facts.nodes;
  // A process or cycle of one step lists that step's points, which are not steps themselves.
  const titled = facts.nodes.length === 1 && onlyRoot !== undefined && !isSequence(facts.layout);
  if (titled && onlyRoot.children.length === 0) return truncateAtWord(`${label}${onlyRoot.text}`, limit);
  const head = titled ? `${label}${onlyRoot.text} — ` : label;
  const items = titled ? onlyRoot.children : facts.nodes;
  const separator = isSequence(facts.layout) ? ' → ' : phrases.semicolon;

  const chosen: string[] = [];
  let length = head.length;
  for (const [index, node] of items.entries()) {
    const complete = index === items.length - 1;
    const added = (chosen.length > 0 ? separator.length : 0) + itemText(node).length;
    if (length + added + (complete ? 0 : separator.length + ELLIPSIS.length) > limit) break;
    chosen.push(itemText(node));
    length += added;
  }
  if (chosen.length === 0) {
    const first = items[0] ? itemText(items[0]) : '';
    return truncateAtWord(items.length > 1 ? `${head}${first}${separator}${ELLIPSIS}` : `${head}${first}`, limit);
  }
  const complete = chosen.length === items.length;
  if (!complete) length += separator.length + ELLIPSIS.length;
  chosen.forEach((bare, index) => {
    const node = items[index];
    const fuller = node ? withChildren(node, limit - (length - bare.length), phrases.comma) : null;
    if (fuller === null) return;
    chosen[index] = fuller;
    length += fuller.length - bare.length;
  });
  return `${head}${chosen.join(separator)}${complete ? '' : `${separator}${ELLIPSIS}`}`;
}

/** Layouts whose items are steps in order. */
function isSequence(layout: SmartArtLayout): layout is 'process' | 'cycle' {
  return layout === 'process' || layout === 'cycle';
}

/**
 * "A (a1, a2)" with all the node's children, else with as many as fit in `room` characters and
 * '…' ("A (a1, …)"); null when it has none or not even one fits.
 */
function withChildren(node: SmartArtNode, room: number, comma: string): string | null {
  if (node.children.length === 0) return null;
  const texts = node.children.map(itemText);
  const all = `${itemText(node)} (${texts.join(comma)})`;
  if (all.length <= room) return all;
  let best: string | null = null;
  let listed = '';
  for (const text of texts) {
    listed = listed === '' ? text : `${listed}${comma}${text}`;
    const candidate = `${itemText(node)} (${listed}${comma}${ELLIPSIS})`;
    if (candidate.length > room) break;
    best = candidate;
  }
  return best;
}

/** A node's text without the end punctuation that would clash with the separators. */
function itemText(node: SmartArtNode): string {
  return node.text.replace(/[.,;:]+$/, '') || node.text;
}

/** The whole tree, one node a line: numbered steps for processes and cycles, indented levels. */
export function smartArtLongDescription(facts: SmartArtFacts, options: AltTextLanguageOption = {}): string {
  const phrases = altTextLanguage(options.language).phrases;
  const numbered = isSequence(facts.layout);
  const heading = isSequence(facts.layout) ? phrases.smartArtSteps[facts.layout] : phrases.smartArtLayouts[facts.layout];
  const lines = [`${heading}${phrases.colon.trimEnd()}`];
  const visit = (nodes: readonly SmartArtNode[], depth: number): void => {
    nodes.forEach((node, index) => {
      const bullet = depth === 0 && numbered ? `${index + 1}.` : '-';
      lines.push(`${'  '.repeat(depth)}${bullet} ${node.text}`);
      visit(node.children, depth + 1);
    });
  };
  visit(facts.nodes, 0);
  return lines.join('\n');
}
