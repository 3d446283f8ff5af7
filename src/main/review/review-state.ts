import { assertNever } from '../../shared/assert-never';
import type { ReviewFilter, ReviewItem } from '../../shared/review-types';
import type { PictureDecision } from '../processor/apply-edits';
import type { JournalAction, ReviewRecord } from './review-journal';
import type { ReviewReportPicture } from './review-target';

/**
 * The review's state, pure: the journal's records folded per picture, and each picture as the
 * queue shows it, from its report row (what the copy holds now) and its state (what the
 * reviewer decided). The state holds values, not changes: what the copy should say.
 */

export interface Regenerated {
  readonly alt: string;
  readonly hint: string | null;
  readonly model: string;
  readonly long_description: string | null;
  readonly at: string;
}

export interface PictureReviewState {
  readonly reviewed_at: string | null;
  /** The alt text decided in the review; undefined: as the report has it. */
  readonly alt?: string | null;
  readonly decorative?: boolean;
  readonly long_description?: string;
  /** A person changed the text or the decorative flag (a revert undoes that). */
  readonly edited: boolean;
  readonly regenerated: Regenerated | null;
  readonly hint: string | null;
}

const EMPTY: PictureReviewState = { reviewed_at: null, edited: false, regenerated: null, hint: null };

export function pictureId(deck: string, key: string): string {
  return `${deck}\u0000${key}`;
}

export function applyAction(state: PictureReviewState | undefined, action: JournalAction, at: string): PictureReviewState {
  const current = state ?? EMPTY;
  switch (action.type) {
    case 'accept':
      return { ...current, reviewed_at: at };
    case 'edit':
      return { ...current, alt: action.alt, edited: true, reviewed_at: at };
    case 'edit-long':
      return { ...current, long_description: action.text, reviewed_at: at };
    case 'decorative':
      return { ...current, decorative: action.decorative, edited: true, reviewed_at: at };
    case 'revert':
      return { ...current, alt: action.alt, decorative: action.decorative, edited: false, reviewed_at: at };
    case 'regenerated': {
      const regenerated: Regenerated = { alt: action.alt, hint: action.hint, model: action.model, long_description: action.long_description, at };
      // New words from the model are a draft again until a person has looked at them.
      return {
        ...current,
        alt: action.alt,
        decorative: false,
        edited: false,
        regenerated,
        hint: action.hint,
        reviewed_at: null,
        ...(action.long_description !== null ? { long_description: action.long_description } : {}),
      };
    }
    case 'slide':
      // A slide item's decision: folded apart (slide-items.ts), it is no picture's state.
      return current;
    default:
      return assertNever(action, 'review action');
  }
}

export function foldJournal(records: readonly ReviewRecord[]): Map<string, PictureReviewState> {
  const states = new Map<string, PictureReviewState>();
  for (const record of records) {
    if (record.action.type === 'slide') continue;
    const id = pictureId(record.deck, record.key);
    states.set(id, applyAction(states.get(id), record.action, record.at));
  }
  return states;
}

const GRAPHIC_KINDS: ReadonlySet<string> = new Set(['chart', 'smartart', 'table']);
/** Decisions where AltGen wrote, or could not write, the text: a person should look at them. */
const ALTGEN_DECIDED: ReadonlySet<string> = new Set(['described', 'drafted', 'needs-review', 'marked-decorative']);

export function isDecorativeDecision(decision: string): boolean {
  return decision === 'decorative' || decision === 'marked-decorative';
}

function oneLine(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** What AltGen wrote for the picture: the regenerated text, else the report's. */
export function generatedOf(picture: ReviewReportPicture, state: PictureReviewState | undefined): string | null {
  if (state?.regenerated) return state.regenerated.alt;
  if (picture.generated !== undefined) return picture.generated;
  return picture.decision === 'described' || picture.decision === 'drafted' ? picture.after : null;
}

/** The values a revert sets, or null when there is nothing to go back to. */
export function revertValues(picture: ReviewReportPicture, state: PictureReviewState | undefined, to: 'original' | 'generated'): { alt: string | null; decorative: boolean } | null {
  switch (to) {
    case 'original':
      return { alt: picture.before, decorative: picture.decision === 'decorative' };
    case 'generated': {
      const generated = generatedOf(picture, state);
      if (picture.decision === 'marked-decorative' && !state?.regenerated && picture.generated === undefined) return { alt: null, decorative: true };
      return generated === null ? null : { alt: generated, decorative: false };
    }
    default:
      return assertNever(to, 'revert target');
  }
}

export interface DeckOfItem {
  readonly deck: string;
  readonly deck_name: string;
}

export function reviewItem(deck: DeckOfItem, picture: ReviewReportPicture, state: PictureReviewState | undefined): ReviewItem {
  const writtenDecorative = isDecorativeDecision(picture.decision);
  const decorative = state?.decorative ?? writtenDecorative;
  const alt = state?.alt !== undefined ? state.alt : writtenDecorative ? null : picture.after;
  const longChanged = state?.long_description !== undefined && oneLine(state.long_description) !== oneLine(picture.long_description);
  const pending = decorative !== writtenDecorative || (!decorative && oneLine(alt) !== oneLine(picture.after)) || longChanged;
  const reviewed_at = state?.reviewed_at ?? picture.reviewed_at ?? null;
  const regenerated = state?.regenerated != null;
  const needs_review = reviewed_at === null && (picture.needs_review || ALTGEN_DECIDED.has(picture.decision) || regenerated);
  const edited = state ? state.edited : picture.decision === 'edited';
  const filters: ReviewFilter[] = ['all'];
  if (needs_review) filters.push('needs-review');
  if (picture.decision === 'drafted' && !regenerated) filters.push('drafted');
  if ((picture.decision === 'described' && !GRAPHIC_KINDS.has(picture.kind)) || regenerated) filters.push('described');
  if (picture.decision === 'preserved') filters.push('preserved');
  if (decorative) filters.push('decorative');
  if (GRAPHIC_KINDS.has(picture.kind)) filters.push('graphics');
  if (edited) filters.push('edited');
  return {
    deck: deck.deck,
    deck_name: deck.deck_name,
    key: picture.key,
    slide: picture.slide,
    shape_name: picture.shape_name,
    kind: picture.kind,
    decision: picture.decision,
    alt,
    decorative,
    reviewed_at,
    needs_review,
    edited,
    regenerated,
    pending,
    filters,
  };
}

/** The state's differences from the report, as the values the copy should get (apply-edits.ts). */
export function decisionOf(picture: ReviewReportPicture, state: PictureReviewState | undefined): PictureDecision | null {
  if (!state) return null;
  const item = reviewItem({ deck: '', deck_name: '' }, picture, state);
  const reviewedAt = state.reviewed_at ?? undefined;
  const recordReview = reviewedAt !== undefined && reviewedAt !== picture.reviewed_at;
  if (!item.pending && !recordReview) return null;
  return {
    key: picture.key,
    ...(item.pending ? { decorative: item.decorative, ...(item.decorative ? {} : { descr: item.alt ?? '' }) } : {}),
    ...(state.long_description !== undefined ? { longDescription: state.long_description } : {}),
    ...(reviewedAt !== undefined ? { reviewedAt } : {}),
  };
}
