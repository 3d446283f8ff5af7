import { majorityScript } from '../text/writing-script';

/**
 * Which language a piece of slide text is written in, when that is clear, to compare with the
 * language its runs are marked with.
 *
 * - By script first: text mostly in Arabic, Hebrew, Cyrillic, Greek, Thai, Devanagari, Hangul
 *   or Japanese kana is in a language written in that script; a run marked with a language not
 *   written in it is marked wrongly, whatever else is true (Chinese characters alone are not
 *   told apart from Japanese: no verdict).
 * - Latin text by its function words, for the languages AltGen writes in besides Arabic and
 *   Hebrew (English, German, French, Spanish, Italian, Dutch, Portuguese): words that are
 *   frequent in one of them and not words of the others. A verdict needs at least
 *   `MIN_HITS` such words, and twice as many as the next language has.
 *
 * Lecture slides are terse, so most slides get no verdict; what gets one is text with
 * sentences in it, where a wrong mark matters most (a screen reader reads it with the wrong
 * pronunciation rules).
 */

export interface LanguageGuess {
  /** ISO 639-1 code of the language (`de`), or of the script's languages' usual one. */
  readonly language: string;
  /** The primary subtags a run marked with any of them is marked correctly (`ar`, `fa`, `ur` for Arabic script). */
  readonly accepted: ReadonlySet<string>;
}

const MIN_HITS = 4;

interface Script {
  readonly letter: RegExp;
  readonly language: string;
  readonly accepted: readonly string[];
}

const SCRIPTS: readonly Script[] = [
  { letter: /\p{Script=Arabic}/u, language: 'ar', accepted: ['ar', 'fa', 'ur', 'ps', 'sd', 'ug', 'ckb', 'ku'] },
  { letter: /\p{Script=Hebrew}/u, language: 'he', accepted: ['he', 'iw', 'yi', 'lad'] },
  { letter: /\p{Script=Cyrillic}/u, language: 'ru', accepted: ['ru', 'uk', 'be', 'bg', 'sr', 'mk', 'kk', 'ky', 'tg', 'mn', 'tt', 'ba', 'cv', 'ce', 'os', 'sah', 'cu'] },
  { letter: /\p{Script=Greek}/u, language: 'el', accepted: ['el', 'grc'] },
  { letter: /\p{Script=Thai}/u, language: 'th', accepted: ['th'] },
  { letter: /\p{Script=Devanagari}/u, language: 'hi', accepted: ['hi', 'mr', 'ne', 'sa', 'kok', 'mai', 'bho', 'doi', 'brx'] },
  { letter: /\p{Script=Hangul}/u, language: 'ko', accepted: ['ko'] },
  { letter: /[\p{Script=Hiragana}\p{Script=Katakana}]/u, language: 'ja', accepted: ['ja'] },
];

/**
 * Frequent words of each language. A word listed for two languages (`que`, `entre`, `la`) is
 * a word of neither: only the words that tell the languages apart count.
 */
const FUNCTION_WORDS: Readonly<Record<string, readonly string[]>> = {
  en: ['the', 'and', 'of', 'with', 'is', 'are', 'was', 'were', 'which', 'this', 'that', 'from', 'for', 'by', 'not', 'or', 'to', 'be', 'has', 'have', 'it', 'its', 'at', 'these', 'their', 'can', 'may', 'should', 'between', 'after', 'into', 'when', 'how', 'what', 'than', 'also'],
  de: ['der', 'die', 'das', 'und', 'als', 'ist', 'sind', 'mit', 'nicht', 'ein', 'eine', 'einer', 'eines', 'dem', 'den', 'des', 'von', 'zu', 'auf', 'für', 'bei', 'nach', 'wird', 'werden', 'durch', 'oder', 'auch', 'sich', 'wie', 'zwischen', 'über', 'unter', 'kann', 'können', 'wenn', 'im', 'zum', 'zur'],
  fr: ['le', 'la', 'les', 'des', 'et', 'est', 'sont', 'une', 'du', 'au', 'aux', 'dans', 'pour', 'par', 'sur', 'avec', 'qui', 'que', 'ne', 'pas', 'plus', 'ou', 'ce', 'cette', 'ces', 'leur', 'entre', 'après', 'chez', 'peut', 'être', 'sans', 'dont', 'il', 'non', 'mais', 'à'],
  es: ['el', 'la', 'los', 'las', 'y', 'es', 'son', 'una', 'del', 'al', 'en', 'por', 'para', 'con', 'que', 'se', 'su', 'sus', 'como', 'más', 'pero', 'entre', 'sobre', 'cuando', 'puede', 'está', 'están', 'este', 'esta', 'estos', 'hay', 'muy', 'sin'],
  it: ['il', 'lo', 'gli', 'al', 'del', 'della', 'delle', 'dei', 'degli', 'nella', 'nelle', 'nel', 'sono', 'una', 'e', 'è', 'con', 'per', 'che', 'non', 'come', 'più', 'anche', 'tra', 'fra', 'questo', 'questa', 'alla', 'alle', 'dal', 'dalla', 'sul', 'sulla', 'può'],
  nl: ['het', 'een', 'en', 'van', 'is', 'zijn', 'met', 'niet', 'voor', 'op', 'aan', 'bij', 'naar', 'wordt', 'worden', 'door', 'ook', 'als', 'dat', 'deze', 'dit', 'tussen', 'na', 'kan', 'kunnen', 'hun', 'uit', 'wel', 'geen'],
  pt: ['o', 'os', 'e', 'é', 'são', 'uma', 'da', 'dos', 'das', 'na', 'nos', 'nas', 'em', 'por', 'para', 'com', 'que', 'não', 'mais', 'como', 'ao', 'à', 'entre', 'sobre', 'pode', 'está', 'também', 'seu', 'sua', 'se'],
};

/** Each word, with the languages it counts for: a word in two lists counts for neither. */
const WORD_LANGUAGE: ReadonlyMap<string, string> = (() => {
  const seen = new Map<string, string | null>();
  for (const [language, words] of Object.entries(FUNCTION_WORDS)) {
    for (const word of words) seen.set(word, seen.has(word) && seen.get(word) !== language ? null : language);
  }
  return new Map([...seen].filter((entry): entry is [string, string] => entry[1] !== null));
})();

const ASCII = /^[\x00-\x7f]*$/;

/** The language `text` is written in, or null when that is not clear. */
export function guessLanguage(text: string): LanguageGuess | null {
  const script = dominantScript(text);
  if (script) return { language: script.language, accepted: new Set(script.accepted) };
  const hits = new Map<string, number>();
  for (const word of text.toLowerCase().split(/[^\p{L}]+/u)) {
    const language = WORD_LANGUAGE.get(word);
    if (language) hits.set(language, (hits.get(language) ?? 0) + 1);
  }
  const [first, second] = [...hits].sort((a, b) => b[1] - a[1]);
  if (!first || first[1] < MIN_HITS || (second && first[1] < second[1] * 2)) return null;
  return { language: first[0], accepted: new Set([first[0]]) };
}

/** The script most letters of `text` are in, when that is one of `SCRIPTS` and covers more than half of them. */
function dominantScript(text: string): Script | null {
  // Most slide text is plain ASCII: no letter of it is in any of these scripts.
  if (ASCII.test(text)) return null;
  return majorityScript(text, SCRIPTS);
}

/** `de-DE` → `de`. */
export function primaryLanguage(tag: string): string {
  const dash = tag.indexOf('-');
  return (dash < 0 ? tag : tag.slice(0, dash)).toLowerCase();
}

/** English names for the languages a finding names; the tag itself for others. */
const NAMES: Readonly<Record<string, string>> = {
  en: 'English',
  de: 'German',
  fr: 'French',
  es: 'Spanish',
  it: 'Italian',
  nl: 'Dutch',
  pt: 'Portuguese',
  ar: 'Arabic',
  he: 'Hebrew',
  ru: 'Russian (or another language in Cyrillic)',
  el: 'Greek',
  th: 'Thai',
  hi: 'Hindi (or another language in Devanagari)',
  ko: 'Korean',
  ja: 'Japanese',
};

export function languageName(tag: string): string {
  return NAMES[primaryLanguage(tag)] ?? tag;
}
