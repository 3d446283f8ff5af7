/**
 * Which writing system a text is in, for the readers that check a text's language against the
 * language it is marked with (pptx/deck-language.ts, audit/text-language.ts). Each keeps its own
 * table of scripts and the languages written in them; the counting is the same for both.
 */

const LETTER = /\p{L}/u;

/**
 * The entry of `scripts` whose letter pattern matches more than half of the letters of `text`,
 * or null (no letters, or no script has a majority).
 */
export function majorityScript<S extends { readonly letter: RegExp }>(text: string, scripts: readonly S[]): S | null {
  let letters = 0;
  const counts = new Map<S, number>();
  for (const character of text) {
    if (!LETTER.test(character)) continue;
    letters += 1;
    const script = scripts.find((candidate) => candidate.letter.test(character));
    if (script) counts.set(script, (counts.get(script) ?? 0) + 1);
  }
  for (const [script, count] of counts) if (count * 2 > letters) return script;
  return null;
}
