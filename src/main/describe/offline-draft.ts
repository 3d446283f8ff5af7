import type { PromptCategory } from '../../shared/config-schema';
import { altTextLanguage, type AltTextPhrases } from '../text/alt-text-phrases';
import type { RecognisedText } from './ocr';
import { distinctLabels } from './ocr-context';
import { boundedText } from './prompts';

/**
 * Alt-text drafts without a model (`provider: offline`), made only of what is known for sure:
 * the text read in the picture and the slide it is on. A draft never claims to describe what
 * the picture looks like; the caller marks it for review. Pure. Its fixed words are in
 * `language` (English without it); the labels and the slide's title are as read.
 *
 *   Image labelled: Left ventricle, Aortic valve (slide: Cardiac anatomy)
 *   Image with the text: Drug Dose Route; Atenolol 50 mg Oral
 *   Image on the slide "Cardiac anatomy"
 */

export interface OfflineDraftInput {
  readonly recognisedText: RecognisedText | null;
  readonly slideTitle: string | null;
  /** The slide's other text, one paragraph a line; stands in for a missing title when it is one short line. */
  readonly slideText: string;
  readonly deckTitle: string;
  readonly charLimit: number;
  /** Names the picture ("Diagram labelled: …"); give it only when it is known, not guessed. */
  readonly category?: PromptCategory;
  /** A BCP 47 tag (`alt_text.language` resolved); English when absent. */
  readonly language?: string;
}

export type DraftBasis = 'text-in-image' | 'slide-context';

export interface OfflineDraft {
  readonly text: string;
  readonly basis: DraftBasis;
}

/** Labels of at most this many words read as "labelled: …"; longer text as "with the text: …". */
const LABEL_MAX_WORDS = 5;
/** A slide's only line of text longer than this is prose, not a caption that can stand for a title. */
const CAPTION_MAX_CHARS = 80;
const TITLE_MAX_CHARS = 120;

/** The draft, or null when neither the picture nor its slide gives anything to say. */
export function offlineDraft(input: OfflineDraftInput): OfflineDraft | null {
  const heading = slideHeading(input.slideTitle, input.slideText);
  // The reader already hears the slide and deck titles; a picture repeating them adds nothing.
  const labels = distinctLabels(input.recognisedText?.lines ?? [], [heading, input.deckTitle]);
  const phrases = altTextLanguage(input.language).phrases;
  const noun = phrases.pictureNouns[input.category === undefined || input.category === 'auto' ? 'default' : input.category];
  if (labels.length > 0) return { text: labelDraft(noun, labels, heading, input.charLimit, phrases), basis: 'text-in-image' };
  if (heading) return { text: fitText(phrases.onSlide(noun, heading), input.charLimit), basis: 'slide-context' };
  return null;
}

function slideHeading(slideTitle: string | null, slideText: string): string | null {
  const title = boundedText(slideTitle, TITLE_MAX_CHARS);
  if (title !== '') return title;
  const lines = slideText.split('\n').filter((line) => line.trim() !== '');
  const caption = lines.length === 1 ? boundedText(lines[0], TITLE_MAX_CHARS) : '';
  return caption !== '' && caption.length <= CAPTION_MAX_CHARS ? caption : null;
}

/** Whole labels first: the slide suffix goes before any label does, and a cut ends in "…". */
function labelDraft(noun: string, labels: readonly string[], heading: string | null, charLimit: number, phrases: AltTextPhrases): string {
  const short = labels.every((label) => label.split(' ').length <= LABEL_MAX_WORDS);
  const head = short ? phrases.labelled(noun) : phrases.withText(noun);
  const separator = !short || labels.some((label) => label.includes(',')) ? phrases.semicolon : phrases.comma;
  const all = labels.join(separator);
  const candidates = [heading ? `${head}${all}${phrases.slideSuffix(heading)}` : null, `${head}${all}`];
  for (let count = labels.length - 1; count >= 1; count--) {
    candidates.push(`${head}${labels.slice(0, count).join(separator)}${separator}…`);
  }
  return candidates.find((text) => text !== null && text.length <= charLimit) ?? fitText(`${head}${all}`, charLimit);
}

/**
 * `boundedText`, but keeping the non-breaking spaces French phrases put before ':' and inside
 * «…» (labels and headings come here with their whitespace already collapsed).
 */
function fitText(text: string, limit: number): string {
  const bounded = boundedText(text.replace(/\u00a0/g, '\ue000').replace(/\u202f/g, '\ue001'), limit);
  return bounded.replace(/[\ue000\ue001]+…$/, '…').replace(/\ue000/g, '\u00a0').replace(/\ue001/g, '\u202f');
}
