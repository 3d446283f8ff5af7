/**
 * The review of a whole batch, as the renderer and the CLI see it: one queue of every picture
 * and graphic of every complete deck, what a reviewer may do to one of them, and what the
 * review holds now. Main builds these from the decks' `<deck>.alt-text.json` reports and the
 * batch's review journal (src/main/review).
 */

/** The queue's filters; a picture may be in several. */
export const REVIEW_FILTERS = ['all', 'needs-review', 'drafted', 'described', 'preserved', 'decorative', 'graphics', 'edited'] as const;
export type ReviewFilter = (typeof REVIEW_FILTERS)[number];

/** One picture (or chart, SmartArt graphic, table) in the review queue. */
export interface ReviewItem {
  /** The deck's input path: with `key`, the picture's identity in every request. */
  readonly deck: string;
  /** The deck's path relative to the batch's input folder, for display. */
  readonly deck_name: string;
  /** `<part>#<shape id>`, as in the report. */
  readonly key: string;
  readonly slide: number;
  readonly shape_name: string;
  /** picture, shape (filled with a picture), media, chart, smartart or table. */
  readonly kind: string;
  /** The processor's decision, from the report (`described`, `preserved`, …). */
  readonly decision: string;
  /** The alt text the copy gets once applied (null: none; ignored while decorative). */
  readonly alt: string | null;
  /** Whether the copy marks it decorative once applied. */
  readonly decorative: boolean;
  /** When a person reviewed it; null: not yet. */
  readonly reviewed_at: string | null;
  /** AltGen wrote (or could not write) its text and no person has reviewed it yet. */
  readonly needs_review: boolean;
  /** A person changed its text or decorative flag. */
  readonly edited: boolean;
  /** The model was asked again about it in this review. */
  readonly regenerated: boolean;
  /** The copy does not hold the review's text, flag or long description yet: Apply writes it. */
  readonly pending: boolean;
  /** The filters it shows under (always `all`). */
  readonly filters: readonly ReviewFilter[];
}

/** The accessibility audit's findings a person decides on, one slide item each (issue 16). */
export const SLIDE_ITEM_CHECKS = ['missing-slide-title', 'reading-order', 'low-contrast'] as const;
export type SlideItemCheck = (typeof SLIDE_ITEM_CHECKS)[number];

/**
 * What a person decided about a slide item: `accept` the suggested fix (Apply writes it),
 * `leave` it as it is, `checked` (the contrast was looked at and is fine), `to-fix` (to fix in
 * PowerPoint by hand).
 */
export const SLIDE_DECISIONS = ['accept', 'leave', 'checked', 'to-fix'] as const;
export type SlideDecision = (typeof SLIDE_DECISIONS)[number];

/** One finding of a slide in the review queue: a missing title, a reading order, a low contrast. */
export interface ReviewSlideItem {
  readonly deck: string;
  readonly deck_name: string;
  /** `<part>#<check>`, or `<part>#<shape id>#<check>` for a shape's finding. */
  readonly key: string;
  readonly slide: number;
  readonly check: SlideItemCheck;
  readonly shape_name: string | null;
  /** What is wrong, and what to do, in one sentence each (the audit's). */
  readonly message: string;
  readonly advice: string;
  /** The fix proposed ("use it as the title?"); null when there is none to accept. */
  readonly suggestion: { readonly text: string; readonly value: string | readonly string[] } | null;
  /** The decisions this item offers, in the order the review shows them. */
  readonly decisions: readonly SlideDecision[];
  /** The person's decision; null: not reviewed yet. */
  readonly decision: SlideDecision | null;
  readonly reviewed_at: string | null;
  /** The copy holds the accepted fix. */
  readonly applied: boolean;
  /** Accepted but not in the copy yet: Apply writes it. */
  readonly pending: boolean;
}

export interface ReviewDeckSummary {
  readonly deck: string;
  readonly deck_name: string;
  readonly pictures: number;
  readonly reviewed: number;
  readonly needs_review: number;
  readonly pending: number;
}

/** The last apply, which Undo takes back (its previous copies are kept until the next apply). */
export interface ReviewUndo {
  readonly applied_at: string;
  readonly decks: number;
}

export interface ReviewSummary {
  readonly pictures: number;
  readonly reviewed: number;
  readonly needs_review: number;
  readonly pending: number;
  readonly decks: readonly ReviewDeckSummary[];
  readonly undo: ReviewUndo | null;
}

/** A deck of the batch that is complete but whose review report could not be read. */
export interface ReviewProblem {
  readonly deck: string;
  readonly deck_name: string;
  readonly message: string;
}

export interface ReviewQueue {
  readonly manifest_path: string;
  readonly batch_id: string;
  /** In the batch's order of decks, each deck's pictures in the report's order. */
  readonly items: readonly ReviewItem[];
  readonly summary: ReviewSummary;
  readonly problems: readonly ReviewProblem[];
  /** `alt_text.char_limit`: the length guidance the editor counts against. */
  readonly char_limit: number;
}

/** Where a picture sits on its slide, in EMU. */
export interface ReviewPosition {
  readonly x: number;
  readonly y: number;
  readonly cx: number;
  readonly cy: number;
  readonly slide_cx: number;
  readonly slide_cy: number;
}

/** The slide around a picture: what the model was given as context. */
export interface ReviewSlide {
  readonly number: number;
  readonly title: string | null;
  readonly text: string;
  readonly notes: string | null;
}

/** One picture with everything the review shows beside it. */
export interface ReviewPictureDetail {
  readonly item: ReviewItem;
  /** The alt text before AltGen (the original deck's). */
  readonly before: string | null;
  /** What AltGen wrote (the model, an offline draft, or a graphic's own data); null if nothing. */
  readonly generated: string | null;
  /** What the accessible copy holds now. */
  readonly written: string | null;
  readonly reason: string;
  /** The long description for the speaker notes, as the review has it. */
  readonly long_description: string | null;
  /** The text read in the picture. */
  readonly text_in_image: string | null;
  readonly thumbnail: string | null;
  readonly model: string | null;
  /** The hint of the last regenerate, if any. */
  readonly hint: string | null;
  readonly slide: ReviewSlide | null;
  readonly position: ReviewPosition | null;
  readonly size_px: { readonly width: number; readonly height: number } | null;
  /** The text is one a person wrote before AltGen ("existing alt text kept"): editing it asks first. */
  readonly human_alt: boolean;
}

/** The picture at its full resolution, for zoom and pan. */
export interface ReviewImage {
  /** A data: URL (PNG, JPEG, GIF or WebP). */
  readonly data_url: string;
  readonly width: number;
  readonly height: number;
}

/** What a reviewer does to one picture. */
export type ReviewAction =
  | { readonly type: 'accept' }
  | { readonly type: 'edit'; readonly alt: string }
  | { readonly type: 'edit-long'; readonly text: string }
  | { readonly type: 'decorative'; readonly decorative: boolean }
  | { readonly type: 'revert'; readonly to: 'original' | 'generated' };

export interface ReviewChange {
  readonly item: ReviewItem;
  readonly summary: ReviewSummary;
}

export interface ReviewSlideQueue {
  /** In the batch's order of decks, each deck's in the audit's order. */
  readonly items: readonly ReviewSlideItem[];
  readonly reviewed: number;
  readonly pending: number;
}

export interface ReviewApplied {
  /** Decks whose copies were written again. */
  readonly decks: number;
  /** Pictures whose alt text or decorative flag changed in them. */
  readonly changed: number;
  readonly summary: ReviewSummary;
}

export const REVIEW_EXPORT_FORMATS = ['docx', 'csv'] as const;
export type ReviewExportFormat = (typeof REVIEW_EXPORT_FORMATS)[number];
