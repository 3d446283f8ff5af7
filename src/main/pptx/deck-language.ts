import { majorityScript } from '../text/writing-script';

/**
 * The language a deck is written in, from its own XML: every text run carries a `lang`
 * attribute (`<a:rPr lang="de-DE">`), set by PowerPoint from the author's keyboard or proofing
 * language. The language most of the slides' text is marked with wins, weighted by the run's
 * text length; the presentation's default text style decides when the slides say nothing.
 *
 * Right-to-left text is often marked with another language: Arabic or Hebrew typed or pasted
 * while the proofing language is English keeps `lang="en-US"`, with the real language at
 * best in `altLang` (and only its complex-script font in `a:cs`). A run written mostly in a
 * script that its `lang` cannot be written in counts for its `altLang` when that language
 * uses the script, else for the script's main language (`SCRIPTS`).
 *
 * Not guaranteed: a deck typed with a wrong proofing language in the right script reports
 * that language, as PowerPoint's own spell checker would. `alt_text.language` overrides this.
 */

const RUN = /<(?:[\w.-]+:)?r>\s*<(?:[\w.-]+:)?rPr\b([^>]*)>[\s\S]*?<(?:[\w.-]+:)?t>([^<]*)<\/(?:[\w.-]+:)?t>/g;
const TAG = '([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)';
const LANG_ATTRIBUTE = new RegExp(`\\slang="${TAG}"`);
const ALT_LANG_ATTRIBUTE = new RegExp(`\\saltLang="${TAG}"`);
const DEFAULT_STYLE_LANG = new RegExp(`<(?:[\\w.-]+:)?defRPr\\b[^>]*\\slang="${TAG}"`);

interface ScriptLanguages {
  /** One letter of the script. */
  readonly letter: RegExp;
  /** Primary subtags of the languages written in it. */
  readonly languages: ReadonlySet<string>;
  /** The language a run in this script is taken for when its tags name none of `languages`. */
  readonly main: string;
}

/** Scripts that say which language a run is in better than a tag for another script does. */
const SCRIPTS: readonly ScriptLanguages[] = [
  { letter: /\p{Script=Arabic}/u, languages: new Set(['ar', 'fa', 'ur', 'ps', 'sd', 'ug', 'ckb', 'ku']), main: 'ar' },
  { letter: /\p{Script=Hebrew}/u, languages: new Set(['he', 'iw', 'yi', 'lad']), main: 'he' },
];


/** Office writes `x-none` and similar for "no language"; those are not languages. */
function usable(tag: string | undefined): string | null {
  if (!tag || /^x-/i.test(tag) || /^(und|zxx|mul)$/i.test(tag)) return null;
  return tag;
}

function primary(tag: string | null): string {
  return (tag ?? '').split('-')[0]?.toLowerCase() ?? '';
}

/** The script most of the run's letters are in, if it is one of `SCRIPTS`. */
function scriptOf(text: string): ScriptLanguages | null {
  return majorityScript(text, SCRIPTS);
}

/** The run's language: its `lang`, unless its text is in a script that `lang` is not written in. */
function runLanguage(attributes: string, text: string): string | null {
  const lang = usable(LANG_ATTRIBUTE.exec(attributes)?.[1]);
  const script = scriptOf(text);
  if (!script || script.languages.has(primary(lang))) return lang;
  const altLang = usable(ALT_LANG_ATTRIBUTE.exec(attributes)?.[1]);
  return altLang && script.languages.has(primary(altLang)) ? altLang : script.main;
}

/** Text length per language tag over the runs of the given slide parts. */
export function languageWeights(slideXmls: Iterable<string>): Map<string, number> {
  const weights = new Map<string, number>();
  for (const xml of slideXmls) {
    for (const match of xml.matchAll(RUN)) {
      const text = (match[2] ?? '').trim();
      const tag = text === '' ? null : runLanguage(match[1] ?? '', text);
      if (tag) weights.set(tag, (weights.get(tag) ?? 0) + text.length);
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
