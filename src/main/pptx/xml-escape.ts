/**
 * Text as XML 1.0 markup: the one escaper of the PPTX layer, for attribute values (alt text
 * in `descr`, names in new parts) and element text (the runs of a notes block).
 *
 * Markup characters become entities. Characters XML 1.0 cannot carry at all (C0 controls but
 * tab, line feed and carriage return; lone surrogates; U+FFFE, U+FFFF) are dropped. In an
 * attribute value, the quote becomes an entity, and tab, line feed, carriage return and the
 * C1 controls become character references: a parser would turn the first three into spaces
 * otherwise. In element text (DrawingML's `a:t`, where a line break is an `a:br` element),
 * line feed and carriage return are dropped too; a tab is kept.
 */

export type Quote = '"' | "'";

/** `value` inside an attribute quoted with `quote`. */
export function escapeAttributeValue(value: string, quote: Quote = '"'): string {
  return escape(value, quote);
}

/** `text` as the content of an element. */
export function escapeElementText(text: string): string {
  return escape(text, null);
}

function escape(text: string, quote: Quote | null): string {
  let escaped = '';
  for (const character of text) {
    const code = character.codePointAt(0) as number;
    if (character === '&') escaped += '&amp;';
    else if (character === '<') escaped += '&lt;';
    else if (character === '>') escaped += '&gt;';
    else if (quote !== null && character === '"') escaped += '&quot;';
    else if (quote === "'" && character === "'") escaped += '&apos;';
    else if (quote !== null && (code === 0x9 || code === 0xa || code === 0xd || (code >= 0x7f && code <= 0x9f))) {
      escaped += `&#x${code.toString(16).toUpperCase()};`;
    } else if ((code < 0x20 && code !== 0x9 && code !== 0xa && code !== 0xd) || (code >= 0xd800 && code <= 0xdfff) || code === 0xfffe || code === 0xffff) {
      continue;
    } else escaped += character;
  }
  return escaped;
}
