import { SaxesParser } from 'saxes';
import type { ItemErrorCode } from '../../shared/error-codes';
import type { NamespaceSet } from './xml-namespaces';

/**
 * A small read-only element tree of one XML part, with the character offsets of every tag,
 * so that readers can point at the exact text a writer will later edit.
 *
 * Guarantees:
 * - The whole text is checked for well-formedness (saxes, namespaces on): a part that is not
 *   well-formed, binds no namespace to a prefix it uses, or has a DOCTYPE is refused with an
 *   `XmlParseError`; nothing is half-read.
 * - Offsets are UTF-16 code-unit indexes into the string that was parsed (a leading BOM
 *   counts as one), so `xml.slice(el.start, el.startTagEnd)` is the element's start tag.
 * - Attribute values and text are entity-decoded.
 *
 * Not kept: comments, processing instructions, and the order of text relative to child
 * elements (an element's `text` is all of its own character data, concatenated).
 */

export interface XmlAttribute {
  /** The qualified name as written (`r:embed`). */
  readonly name: string;
  readonly prefix: string;
  readonly local: string;
  /** '' for an unprefixed attribute. */
  readonly uri: string;
  readonly value: string;
}

export interface XmlElement {
  /** The qualified name as written (`p:cNvPr`). */
  readonly name: string;
  readonly prefix: string;
  readonly local: string;
  readonly uri: string;
  /** In document order, without the namespace declarations. */
  readonly attributes: readonly XmlAttribute[];
  /** Namespace declarations made on this element; the default namespace has prefix ''. */
  readonly declarations: ReadonlyMap<string, string>;
  readonly parent: XmlElement | null;
  readonly children: readonly XmlElement[];
  readonly text: string;
  /** Offset of the `<` of the start tag. */
  readonly start: number;
  /** Offset just past the start tag's `>` (the whole element when self-closing). */
  readonly startTagEnd: number;
  /** Offset of the `<` of the end tag; equals `startTagEnd` when self-closing. */
  readonly endTagStart: number;
  /** Offset just past the element. */
  readonly end: number;
  readonly selfClosing: boolean;
}

export class XmlParseError extends Error {
  readonly code: Extract<ItemErrorCode, 'ECORRUPT' | 'EUNSAFE_XML'>;

  constructor(message: string, code: XmlParseError['code'] = 'ECORRUPT') {
    super(message);
    this.name = 'XmlParseError';
    this.code = code;
  }
}

/** Deeper nesting than any real deck has; refusing it keeps recursive readers off the stack limit. */
const MAX_DEPTH = 256;
const XMLNS = 'http://www.w3.org/2000/xmlns/';

type MutableElement = { -readonly [K in keyof XmlElement]: XmlElement[K] };

/** Parses one part. `source` names it in error messages (`ppt/slides/slide3.xml`). */
export function parseXml(xml: string, source = 'XML part'): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: MutableElement[] = [];
  let root: MutableElement | null = null;

  parser.on('error', (error) => {
    throw new XmlParseError(`${source} is not well-formed XML: ${error.message}`);
  });
  parser.on('doctype', () => {
    throw new XmlParseError(`${source} has a DOCTYPE, which a PowerPoint part never has`, 'EUNSAFE_XML');
  });
  parser.on('opentag', (tag) => {
    const startTagEnd = parser.position;
    const parent = stack[stack.length - 1] ?? null;
    if (stack.length >= MAX_DEPTH) throw new XmlParseError(`${source} nests elements more than ${MAX_DEPTH} deep`);
    // saxes makes a fresh object per attribute with exactly these fields: kept as they are,
    // since copying each was a measurable share of the dry run's garbage (docs/benchmarks.md).
    const attributes: XmlAttribute[] = [];
    for (const key in tag.attributes) {
      const attribute = tag.attributes[key];
      if (attribute && attribute.uri !== XMLNS) attributes.push(attribute);
    }
    const element: MutableElement = {
      name: tag.name,
      prefix: tag.prefix,
      local: tag.local,
      uri: tag.uri,
      attributes,
      declarations: declarationsOf(tag.ns),
      parent,
      children: [],
      text: '',
      start: xml.lastIndexOf('<', startTagEnd - 1),
      startTagEnd,
      endTagStart: startTagEnd,
      end: startTagEnd,
      selfClosing: tag.isSelfClosing,
    };
    if (parent) (parent.children as XmlElement[]).push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('closetag', () => {
    const element = stack.pop();
    if (!element || element.selfClosing) return;
    element.end = parser.position;
    element.endTagStart = xml.lastIndexOf('<', element.end - 1);
  });
  const onText = (text: string) => {
    const element = stack[stack.length - 1];
    if (element) element.text += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);

  parser.write(xml).close();
  if (!root) throw new XmlParseError(`${source} has no root element`);
  return root;
}

/** Most elements declare no namespace: they share one empty map instead of each making one. */
const NO_DECLARATIONS: ReadonlyMap<string, string> = new Map();

function declarationsOf(ns: Record<string, string>): ReadonlyMap<string, string> {
  // saxes gives each element its own prototype-less object: a key in it is a declaration there.
  for (const _prefix in ns) return new Map(Object.entries(ns));
  return NO_DECLARATIONS;
}

function isElement(element: XmlElement | undefined, ns: NamespaceSet, local: string): element is XmlElement {
  return element !== undefined && element.local === local && ns.has(element.uri);
}

/** The first child `ns:local`; accepts `undefined` so lookups chain. */
export function child(element: XmlElement | undefined, ns: NamespaceSet, local: string): XmlElement | undefined {
  return element?.children.find((candidate) => isElement(candidate, ns, local));
}

/** The value of an unprefixed attribute (`descr`, `name`), or null. */
export function attribute(element: XmlElement | undefined, local: string): string | null {
  return element?.attributes.find((a) => a.uri === '' && a.local === local)?.value ?? null;
}

/** The value of a namespaced attribute (`r:embed`), or null. */
export function attributeIn(element: XmlElement | undefined, ns: NamespaceSet, local: string): string | null {
  return element?.attributes.find((a) => a.local === local && ns.has(a.uri))?.value ?? null;
}

/** The namespace `prefix` is bound to at `element` ('' asks for the default namespace). */
export function lookupNamespace(element: XmlElement, prefix: string): string | null {
  if (prefix === 'xml') return 'http://www.w3.org/XML/1998/namespace';
  for (let at: XmlElement | null = element; at; at = at.parent) {
    const uri = at.declarations.get(prefix);
    if (uri !== undefined) return uri;
  }
  return null;
}

/** Every prefix in scope at `element` with the namespace it resolves to there. */
export function namespacesInScope(element: XmlElement): Map<string, string> {
  const scope = new Map<string, string>();
  for (let at: XmlElement | null = element; at; at = at.parent) {
    for (const [prefix, uri] of at.declarations) if (!scope.has(prefix)) scope.set(prefix, uri);
  }
  return scope;
}

/** Every element below `element`, in document order. */
export function* descendants(element: XmlElement): Generator<XmlElement> {
  const pending: XmlElement[] = [...element.children].reverse();
  for (let next = pending.pop(); next; next = pending.pop()) {
    yield next;
    for (let i = next.children.length - 1; i >= 0; i -= 1) pending.push(next.children[i] as XmlElement);
  }
}
