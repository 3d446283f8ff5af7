import type { PromptCategory } from '../../shared/config-schema';
import { assertNever } from '../../shared/assert-never';
import type { RecognisedText } from './ocr';
import { distinctLabels } from './ocr-context';
import { boundedText } from './prompts';

/**
 * Alt-text drafts without a model (`provider: offline`), made only of what is known for sure:
 * the text read in the picture and the slide it is on. A draft never claims to describe what
 * the picture looks like; the caller marks it for review. Pure.
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
  const noun = pictureNoun(input.category);
  if (labels.length > 0) return { text: labelDraft(noun, labels, heading, input.charLimit), basis: 'text-in-image' };
  if (heading) return { text: boundedText(`${noun} on the slide "${heading}"`, input.charLimit), basis: 'slide-context' };
  return null;
}

function slideHeading(slideTitle: string | null, slideText: string): string | null {
  const title = boundedText(slideTitle, TITLE_MAX_CHARS);
  if (title !== '') return title;
  const lines = slideText.split('\n').filter((line) => line.trim() !== '');
  const caption = lines.length === 1 ? boundedText(lines[0], TITLE_MAX_CHARS) : '';
  return caption !== '' && caption.length <= CAPTION_MAX_CHARS ? caption : null;
}

function pictureNoun(category: PromptCategory | undefined): string {
  switch (category) {
    case undefined:
    case 'auto':
    case 'default':
      return 'Image';
    case 'anatomical':
      return 'Anatomical illustration';
    case 'diagnostic':
      return 'Medical image';
    case 'chart':
      return 'Chart';
    case 'diagram':
      return 'Diagram';
    case 'clinical_photo':
      return 'Clinical photograph';
    default:
      return assertNever(category, 'category');
  }
}

/** Whole labels first: the slide suffix goes before any label does, and a cut ends in "…". */
function labelDraft(noun: string, labels: readonly string[], heading: string | null, charLimit: number): string {
  const short = labels.every((label) => label.split(' ').length <= LABEL_MAX_WORDS);
  const head = short ? `${noun} labelled: ` : `${noun} with the text: `;
  const separator = !short || labels.some((label) => label.includes(',')) ? '; ' : ', ';
  const all = labels.join(separator);
  const candidates = [heading ? `${head}${all} (slide: ${heading})` : null, `${head}${all}`];
  for (let count = labels.length - 1; count >= 1; count--) {
    candidates.push(`${head}${labels.slice(0, count).join(separator)}${separator}…`);
  }
  return candidates.find((text) => text !== null && text.length <= charLimit) ?? boundedText(`${head}${all}`, charLimit);
}
