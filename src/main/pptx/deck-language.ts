/**
 * The language a deck is written in, from its own XML: every text run carries a `lang`
 * attribute (`<a:rPr lang="de-DE">`), set by PowerPoint from the author's keyboard or proofing
 * language. The language most of the slides' text is marked with wins, weighted by the run's
 * text length; the presentation's default text style decides when the slides say nothing.
 *
 * Not guaranteed: a deck typed with a wrong proofing language reports that language, as
 * PowerPoint's own spell checker would. `alt_text.language` overrides this.
 */

const RUN = /<(?:[\w.-]+:)?r>\s*<(?:[\w.-]+:)?rPr\b([^>]*)>[\s\S]*?<(?:[\w.-]+:)?t>([^<]*)<\/(?:[\w.-]+:)?t>/g;
const LANG_ATTRIBUTE = /\slang="([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)"/;
const DEFAULT_STYLE_LANG = /<(?:[\w.-]+:)?defRPr\b[^>]*\slang="([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)"/;

/** Office writes `x-none` and similar for "no language"; those are not languages. */
function usable(tag: string | undefined): string | null {
  if (!tag || /^x-/i.test(tag) || /^(und|zxx|mul)$/i.test(tag)) return null;
  return tag;
}

/** Text length per language tag over the runs of the given slide parts. */
export function languageWeights(slideXmls: Iterable<string>): Map<string, number> {
  const weights = new Map<string, number>();
  for (const xml of slideXmls) {
    for (const match of xml.matchAll(RUN)) {
      const tag = usable(LANG_ATTRIBUTE.exec(match[1] ?? '')?.[1]);
      const length = (match[2] ?? '').trim().length;
      if (tag && length > 0) weights.set(tag, (weights.get(tag) ?? 0) + length);
    }
  }
  return weights;
}

/**
 * `configured` is `alt_text.language`: a tag is used as given; `auto` looks at the deck.
 * Returns a BCP 47 tag, `en` when nothing says otherwise.
 */
export function deckLanguage(configured: string, slideXmls: Iterable<string>, presentationXml: string): string {
  if (configured !== 'auto') return configured;
  let best: string | null = null;
  let bestWeight = 0;
  for (const [tag, weight] of languageWeights(slideXmls)) {
    if (weight > bestWeight) {
      best = tag;
      bestWeight = weight;
    }
  }
  return best ?? usable(DEFAULT_STYLE_LANG.exec(presentationXml)?.[1]) ?? 'en';
}
