import type { DeckAudit } from './accessibility-audit';
import { extensionOf, isDeckName } from './deck-extensions';

/**
 * `<deck>.alt-text.json`: what the processor did to every picture of a deck. It is the input
 * of the review screen and of `altgen apply` (a faculty member edits `after` and applies it),
 * so its field names are a contract.
 */
export const ALT_TEXT_REPORT_VERSION = 1;

export type ReportDecision =
  | 'described' // the model wrote new alt text (for charts, SmartArt and tables: their own data did)
  | 'drafted' // provider offline: a draft from the text in the picture and the slide was written; needs review
  | 'preserved' // existing alt text kept
  | 'decorative' // already decorative, untouched
  | 'marked-decorative' // decorative flag written
  | 'needs-review' // the model's answer was unusable (refusal, error text, empty): nothing written
  | 'skipped' // could not be described (linked, unsupported image, …)
  | 'edited'; // changed by a person through `altgen apply`

/** A graphic frame AltGen describes from its own data. */
export type ReportGraphicKind = 'chart' | 'smartart' | 'table';

/**
 * What the shape is: a picture; a shape filled with a picture ('shape'); the poster frame or
 * icon of a video or sound ('media'); or a graphic frame described from its own data.
 */
export type ReportShapeKind = 'picture' | 'shape' | 'media' | ReportGraphicKind;

export interface ReportPicture {
  /** Stable key: `<part>#<shape id>`. */
  readonly key: string;
  readonly kind: ReportShapeKind;
  readonly slide: number;
  readonly part: string;
  readonly shape_id: string;
  readonly shape_name: string;
  readonly in_group: boolean;
  readonly image_part: string | null;
  readonly image_hash: string | null;
  readonly size_px: { readonly width: number; readonly height: number } | null;
  readonly size_emu: { readonly cx: number; readonly cy: number } | null;
  /** The shape's `title` attribute, as it was; never changed. */
  readonly title: string | null;
  readonly before: string | null;
  readonly after: string | null;
  readonly decision: ReportDecision;
  readonly reason: string;
  readonly needs_review: boolean;
  /** An offline draft, not model output; always needs review. */
  readonly draft: boolean;
  /** The longer description written into the slide's speaker notes (`long_descriptions: notes`). */
  readonly long_description: string | null;
  /** The text read in the picture (OCR), when it was read and found any. */
  readonly text_in_image: string | null;
  readonly suggested_decorative: string | null;
  readonly model: string | null;
  readonly cached: boolean;
  readonly time: string;
  /** A small data: URL of the image, for the review page and screen. */
  readonly thumbnail: string | null;
  /**
   * What AltGen wrote, kept once a person's reviewed text is applied over it (the review's
   * "Revert to the generated text"); absent until then.
   */
  readonly generated?: string | null;
  /** When a person reviewed it in the app's review (applied with the review); absent until then. */
  readonly reviewed_at?: string;
}

export interface ReportCounts {
  readonly pictures: number;
  readonly described: number;
  readonly drafted: number;
  readonly preserved: number;
  readonly decorative: number;
  readonly skipped: number;
  readonly needs_review: number;
  readonly model_calls: number;
  readonly cache_hits: number;
}

export interface AltTextReport {
  readonly version: number;
  readonly deck: string;
  readonly output: string;
  readonly generated_at: string;
  readonly model: string | null;
  readonly prompt_version: number | null;
  readonly policy: string;
  readonly counts: ReportCounts;
  readonly warnings: readonly string[];
  readonly pictures: readonly ReportPicture[];
  /** The accessibility audit of the deck and what the run fixed (absent in reports made before it). */
  readonly accessibility?: DeckAudit;
}

export function reportPathsFor(outputDeck: string): { json: string; html: string } {
  const extension = extensionOf(outputDeck);
  const stem = isDeckName(outputDeck) ? outputDeck.slice(0, outputDeck.length - extension.length) : outputDeck;
  return { json: `${stem}.alt-text.json`, html: `${stem}.alt-review.html` };
}
