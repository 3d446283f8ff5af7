import type { BridgeError, ResponseOf, ReviewData } from '../../../shared/ipc-contract';
import type { SliceCreator } from './app-state';
import { toBridgeError } from './bridge-error';

export interface ReviewTarget {
  readonly manifest_path: string;
  readonly index: number;
}

export interface ReviewSlice {
  readonly reviewTarget: ReviewTarget | null;
  readonly review: ReviewData | null;
  readonly reviewLoading: boolean;
  readonly reviewError: BridgeError | null;
  /** Edited descriptions by picture key; only keys whose text differs from the report are applied. */
  readonly reviewEdits: Readonly<Record<string, string>>;
  readonly reviewApplying: boolean;
  readonly reviewApplied: ResponseOf<'review:apply'> | null;
  readonly openReview: (target: ReviewTarget) => Promise<void>;
  readonly editDescription: (key: string, text: string) => void;
  readonly applyReviewEdits: () => Promise<void>;
}

/** The edits that change something, in the order of the report's pictures. */
export function changedEdits(review: ReviewData, edits: Readonly<Record<string, string>>): { key: string; descr: string }[] {
  const changed: { key: string; descr: string }[] = [];
  for (const picture of review.pictures) {
    const edit = edits[picture.key];
    if (edit !== undefined && edit.trim() !== (picture.after ?? '').trim()) changed.push({ key: picture.key, descr: edit.trim() });
  }
  return changed;
}

export const createReviewSlice: SliceCreator<ReviewSlice> =
  ({ bridge }) =>
  (set, get) => {
    const fetchReview = async (target: ReviewTarget) => {
      const review = await bridge.invoke('review:get', target);
      if (get().reviewTarget === target) set({ review, reviewEdits: {} });
    };

    return {
      reviewTarget: null,
      review: null,
      reviewLoading: false,
      reviewError: null,
      reviewEdits: {},
      reviewApplying: false,
      reviewApplied: null,
      openReview: async (target) => {
        set({ reviewTarget: target, review: null, reviewEdits: {}, reviewError: null, reviewApplied: null, reviewLoading: true });
        get().showView('review');
        try {
          await fetchReview(target);
        } catch (error) {
          if (get().reviewTarget === target) set({ reviewError: toBridgeError(error) });
        } finally {
          if (get().reviewTarget === target) set({ reviewLoading: false });
        }
      },
      editDescription: (key, text) => set((state) => ({ reviewEdits: { ...state.reviewEdits, [key]: text }, reviewApplied: null })),
      applyReviewEdits: async () => {
        const { review, reviewTarget, reviewEdits } = get();
        if (!review || !reviewTarget) return;
        const edits = changedEdits(review, reviewEdits);
        if (edits.length === 0) {
          set({ reviewError: { code: 'ENO_EDITS', message: 'Nothing to apply: no description was changed.' } });
          return;
        }
        set({ reviewApplying: true, reviewError: null });
        try {
          const applied = await bridge.invoke('review:apply', { ...reviewTarget, edits });
          set({ reviewApplied: applied });
          get().announce(`Applied ${applied.changed} edited description${applied.changed === 1 ? '' : 's'} to ${applied.output_path}.`);
          await fetchReview(reviewTarget);
        } catch (error) {
          set({ reviewError: toBridgeError(error) });
        } finally {
          set({ reviewApplying: false });
        }
      },
    };
  };
