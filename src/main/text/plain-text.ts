/**
 * Fitting text, for any language: cut at a word, capitalise, collapse whitespace. Pure; the
 * words AltGen writes are in alt-text-phrases.ts.
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
