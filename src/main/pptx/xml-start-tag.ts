import { escapeAttributeValue, type Quote } from './xml-escape';

/**
 * Byte-minimal edits of one start tag's text: set one attribute, leave everything else
 * (other attributes, their order, quotes, whitespace, line breaks) exactly as written.
 * The tag must come from a well-formed document; the caller has parsed it.
 */


export interface StartTagAttribute {
  readonly name: string;
  /** Offsets in the tag text: the value lies between the quotes at `valueStart - 1` and `valueEnd`. */
  readonly valueStart: number;
  readonly valueEnd: number;
  readonly quote: Quote;
}

export interface StartTag {
  readonly name: string;
  /** Offset just past the element name. */
  readonly nameEnd: number;
  readonly attributes: readonly StartTagAttribute[];
  readonly selfClosing: boolean;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

export function parseStartTag(tag: string): StartTag {
  if (!tag.startsWith('<') || !tag.endsWith('>')) throw new Error(`Not a start tag: ${tag.slice(0, 40)}`);
  let at = 1;
  const readName = (): string => {
    const from = at;
    while (at < tag.length && !WHITESPACE.has(tag[at] as string) && !'=/>'.includes(tag[at] as string)) at += 1;
    return tag.slice(from, at);
  };
  const skipWhitespace = (): void => {
    while (WHITESPACE.has(tag[at] as string)) at += 1;
  };
  const name = readName();
  const nameEnd = at;
  const attributes: StartTagAttribute[] = [];
  for (skipWhitespace(); tag[at] !== '/' && tag[at] !== '>'; skipWhitespace()) {
    const attributeName = readName();
    skipWhitespace();
    if (attributeName === '' || tag[at] !== '=') throw new Error(`Malformed attribute in start tag: ${tag.slice(0, 40)}`);
    at += 1;
    skipWhitespace();
    const quote = tag[at];
    if (quote !== '"' && quote !== "'") throw new Error(`Unquoted attribute in start tag: ${tag.slice(0, 40)}`);
    const valueEnd = tag.indexOf(quote, at + 1);
    if (valueEnd < 0) throw new Error(`Unterminated attribute in start tag: ${tag.slice(0, 40)}`);
    attributes.push({ name: attributeName, valueStart: at + 1, valueEnd, quote });
    at = valueEnd + 1;
  }
  return { name, nameEnd, attributes, selfClosing: tag[at] === '/' };
}

/**
 * `tag` with attribute `name` set to `value` (plain text; escaped here for the quote in
 * use). An existing attribute keeps its place and quotes; a new one goes right after the
 * attribute `after` when present, else after the last attribute, quoted like its neighbour.
 */
export function setAttribute(tag: string, name: string, value: string, options: { readonly after?: string } = {}): string {
  const parsed = parseStartTag(tag);
  const existing = parsed.attributes.find((candidate) => candidate.name === name);
  if (existing) {
    return tag.slice(0, existing.valueStart) + escapeAttributeValue(value, existing.quote) + tag.slice(existing.valueEnd);
  }
  const anchor =
    parsed.attributes.find((candidate) => candidate.name === options.after) ?? parsed.attributes[parsed.attributes.length - 1];
  const quote = anchor?.quote ?? '"';
  const insertAt = anchor ? anchor.valueEnd + 1 : parsed.nameEnd;
  return `${tag.slice(0, insertAt)} ${name}=${quote}${escapeAttributeValue(value, quote)}${quote}${tag.slice(insertAt)}`;
}
