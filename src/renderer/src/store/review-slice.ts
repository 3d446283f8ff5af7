import type { BridgeError } from '../../../shared/ipc-contract';
import type {
  ReviewAction,
  ReviewExportFormat,
  ReviewFilter,
  ReviewImage,
  ReviewItem,
  ReviewPictureDetail,
  ReviewQueue,
  ReviewSlideItem,
  ReviewSlideQueue,
  ReviewSummary,
  SlideDecision,
} from '../../../shared/review-types';
import { rowAt } from '../../../shared/row-table';
import type { SliceCreator } from './app-state';
import { toBridgeError } from './bridge-error';

/**
 * The review of a whole batch: the queue of every picture (main's, patched by the answers to
 * each action), the filter, the picture being reviewed and what is shown of it. Details of the
 * next pictures are fetched ahead, so that moving on shows the next picture at once. The
 * batch's slide items (issue 16: missing title, reading order, low contrast) are a second
 * queue beside the pictures, shown under the `slides` filter and decided one by one.
 */

/** The queue's filters: the pictures' (main's), and the slide items. */
export type QueueFilter = ReviewFilter | 'slides';

export interface ReviewTarget {
  readonly manifest_path: string;
  readonly index: number;
}

export interface PictureRef {
  readonly deck: string;
  readonly key: string;
}

export type ReviewBusy = 'act' | 'decide' | 'regenerate' | 'apply' | 'undo' | 'export';

export interface ReviewMessage {
  readonly id: number;
  readonly text: string;
  /** A file the message names (an export), for Open and Show in folder. */
  readonly path: string | null;
}

export interface ReviewSlice {
  readonly reviewManifest: string | null;
  readonly reviewQueue: ReviewQueue | null;
  readonly reviewLoading: boolean;
  readonly reviewError: BridgeError | null;
  readonly reviewFilter: QueueFilter;
  readonly reviewCurrent: PictureRef | null;
  /** The batch's slide items; null until loaded. */
  readonly reviewSlides: ReviewSlideQueue | null;
  /** The slide item shown under the `slides` filter (`deck` and its `key`). */
  readonly reviewSlideCurrent: PictureRef | null;
  readonly reviewDetail: ReviewPictureDetail | null;
  readonly reviewImage: ReviewImage | null;
  readonly reviewZoomed: boolean;
  readonly reviewBusy: ReviewBusy | null;
  readonly reviewMessage: ReviewMessage | null;
  /** How far each batch's review is, by manifest path (the queue and History show it). */
  readonly reviewSummaries: Readonly<Record<string, ReviewSummary>>;
  readonly loadReviewSummary: (manifestPath: string) => Promise<void>;
  /** The text field being edited, once the edit is allowed (text a person wrote asks first). */
  readonly reviewEditing: 'alt' | 'long' | null;
  /** The question before editing alt text a person wrote is on screen. */
  readonly reviewAskingEdit: boolean;
  /** Edit the current picture's alt text (`alt`) or long description (`long`); a person's text asks first. */
  readonly startReviewEdit: (field: 'alt' | 'long') => void;
  readonly answerReviewEdit: (edit: boolean) => void;
  readonly endReviewEdit: () => void;
  /** Opens the review of the batch a queue row belongs to, at that deck's first picture. */
  readonly openReview: (target: ReviewTarget) => Promise<void>;
  readonly openBatchReview: (manifestPath: string, deck?: string) => Promise<void>;
  readonly setReviewFilter: (filter: QueueFilter) => void;
  readonly selectPicture: (picture: PictureRef) => void;
  readonly selectSlideItem: (item: PictureRef) => void;
  /** Records the reviewer's decision on the slide item shown. */
  readonly decideSlide: (decision: SlideDecision) => Promise<boolean>;
  /**
   * Moves through the filtered queue, across decks (the slide items under `slides`);
   * `needsReview` skips to the next picture that needs review, or slide item not decided yet.
   */
  readonly movePicture: (step: 1 | -1, needsReview?: boolean) => void;
  readonly reviewAct: (action: ReviewAction) => Promise<boolean>;
  readonly regeneratePicture: (hint: string) => Promise<boolean>;
  readonly applyReview: () => Promise<void>;
  readonly undoReviewApply: () => Promise<void>;
  readonly exportReview: (format: ReviewExportFormat) => Promise<void>;
  readonly setReviewZoom: (zoomed: boolean) => void;
}

export function pictureId(picture: PictureRef): string {
  return `${picture.deck}\u0000${picture.key}`;
}

/** The pictures under a filter (none under `slides`). */
export function filteredItems(queue: ReviewQueue | null, filter: QueueFilter): readonly ReviewItem[] {
  if (!queue || filter === 'slides') return [];
  return filter === 'all' ? queue.items : queue.items.filter((item) => item.filters.includes(filter));
}

/** The slide item `step` away from `current` (or the next one not decided yet); null at either end. */
export function slideItemAfter(items: readonly ReviewSlideItem[], current: PictureRef | null, step: 1 | -1, undecided = false): ReviewSlideItem | null {
  const at = current ? items.findIndex((item) => item.deck === current.deck && item.key === current.key) : -1;
  for (let index = at + step; index >= 0 && index < items.length; index += step) {
    const item = items[index];
    if (item && (!undecided || item.decision === null)) return item;
  }
  return null;
}

/** The slide queue with one item as main answered it, and its counts again. */
export function withSlideItem(slides: ReviewSlideQueue, changed: ReviewSlideItem): ReviewSlideQueue {
  const items = slides.items.map((old) => (old.deck === changed.deck && old.key === changed.key ? changed : old));
  return { items, reviewed: items.filter((item) => item.decision !== null).length, pending: items.filter((item) => item.pending).length };
}

/** What the review counts in "N of M reviewed": the pictures and the slide items together. */
export function reviewTotals(summary: ReviewSummary, slides: ReviewSlideQueue | null): { readonly reviewed: number; readonly items: number; readonly pending: number } {
  return {
    reviewed: summary.reviewed + (slides?.reviewed ?? 0),
    items: summary.pictures + (slides?.items.length ?? 0),
    pending: summary.pending + (slides?.pending ?? 0),
  };
}

/** The picture `step` away from `current` in `items` (or the next one that needs review); null at either end. */
export function pictureAfter(items: readonly ReviewItem[], current: PictureRef | null, step: 1 | -1, needsReview = false): ReviewItem | null {
  const at = current ? items.findIndex((item) => item.deck === current.deck && item.key === current.key) : -1;
  for (let index = at + step; index >= 0 && index < items.length; index += step) {
    const item = items[index];
    if (item && (!needsReview || item.needs_review)) return item;
  }
  return null;
}

/** How many pictures are fetched ahead of the one shown. */
const PREFETCH = 3;
/** How long a picture is shown before its full image is asked for. */
const FULL_IMAGE_DELAY_MS = 150;
/** Details kept for going back and forth. */
const KEPT_DETAILS = 64;

export const createReviewSlice: SliceCreator<ReviewSlice> =
  ({ bridge }) =>
  (set, get) => {
    let nextMessage = 1;
    const details = new Map<string, Promise<ReviewPictureDetail>>();
    /** The details that have come, so that a picture fetched ahead shows in the same update as the move. */
    const arrived = new Map<string, ReviewPictureDetail>();

    const forget = (id: string) => {
      details.delete(id);
      arrived.delete(id);
    };
    const forgetAll = () => {
      details.clear();
      arrived.clear();
    };

    const fetchDetail = (manifestPath: string, picture: PictureRef): Promise<ReviewPictureDetail> => {
      const id = pictureId(picture);
      let detail = details.get(id);
      if (!detail) {
        detail = bridge.invoke('review:get-picture', { manifest_path: manifestPath, ...picture });
        details.set(id, detail);
        detail.then(
          (value) => {
            if (details.get(id) === detail) arrived.set(id, value);
          },
          () => details.delete(id),
        );
        while (details.size > KEPT_DETAILS) forget(details.keys().next().value as string);
      }
      return detail;
    };

    const prefetchAround = (manifestPath: string, picture: PictureRef) => {
      const items = filteredItems(get().reviewQueue, get().reviewFilter);
      let from: PictureRef | null = picture;
      for (let i = 0; i < PREFETCH && from; i += 1) {
        const next = pictureAfter(items, from, 1);
        from = next ? { deck: next.deck, key: next.key } : null;
        if (from) void fetchDetail(manifestPath, from).catch(() => undefined);
      }
    };

    const show = async (picture: PictureRef | null) => {
      const manifestPath = get().reviewManifest;
      const ready = picture ? (arrived.get(pictureId(picture)) ?? null) : null;
      set({ reviewCurrent: picture, ...(ready ? { reviewDetail: ready } : {}), reviewImage: null, reviewZoomed: false, reviewError: null, reviewEditing: null, reviewAskingEdit: false });
      if (!picture || !manifestPath) {
        set({ reviewDetail: null });
        return;
      }
      const isCurrent = () => {
        const current = get().reviewCurrent;
        return current !== null && pictureId(current) === pictureId(picture);
      };
      try {
        const detail = ready ?? (await fetchDetail(manifestPath, picture));
        if (isCurrent() && detail !== ready) set({ reviewDetail: detail });
      } catch (error) {
        set({ reviewError: toBridgeError(error) });
      }
      prefetchAround(manifestPath, picture);
      // The picture large: its thumbnail shows at once, the full image once the reviewer stays
      // on it, so that moving on quickly is not held up behind images nobody looks at.
      await new Promise((resolve) => setTimeout(resolve, FULL_IMAGE_DELAY_MS));
      if (!isCurrent()) return;
      try {
        const image = await bridge.invoke('review:get-image', { manifest_path: manifestPath, ...picture });
        if (isCurrent()) set({ reviewImage: image });
      } catch {
        // The thumbnail stays; enlarging says why when asked.
      }
    };

    /** An answer to an action: the picture's row and the summary change, its detail is fetched again. */
    const changed = (item: ReviewItem, summary: ReviewSummary) => {
      forget(pictureId(item));
      set((state) => ({
        reviewQueue: state.reviewQueue
          ? { ...state.reviewQueue, summary, items: state.reviewQueue.items.map((old) => (old.deck === item.deck && old.key === item.key ? item : old)) }
          : null,
        reviewSummaries: state.reviewManifest ? { ...state.reviewSummaries, [state.reviewManifest]: summary } : state.reviewSummaries,
      }));
    };

    const refreshCurrent = async () => {
      const { reviewCurrent, reviewManifest } = get();
      if (!reviewCurrent || !reviewManifest) return;
      forget(pictureId(reviewCurrent));
      const detail = await fetchDetail(reviewManifest, reviewCurrent);
      if (get().reviewCurrent === reviewCurrent) set({ reviewDetail: detail });
    };

    const say = (text: string, path: string | null = null) => {
      set({ reviewMessage: { id: nextMessage++, text, path } });
      get().announce(text);
    };

    const busy = async <T>(kind: ReviewBusy, work: () => Promise<T>): Promise<T | null> => {
      if (get().reviewBusy) return null;
      set({ reviewBusy: kind, reviewError: null });
      try {
        return await work();
      } catch (error) {
        set({ reviewError: toBridgeError(error) });
        return null;
      } finally {
        set({ reviewBusy: null });
      }
    };

    const reloadQueue = async (manifestPath: string) => {
      forgetAll();
      const [queue, slides] = await Promise.all([
        bridge.invoke('review:get-queue', { manifest_path: manifestPath }),
        bridge.invoke('review:get-slides', { manifest_path: manifestPath }),
      ]);
      if (get().reviewManifest === manifestPath) {
        set((state) => ({ reviewQueue: queue, reviewSlides: slides, reviewSummaries: { ...state.reviewSummaries, [manifestPath]: queue.summary } }));
      }
      return queue;
    };

    return {
      reviewManifest: null,
      reviewQueue: null,
      reviewLoading: false,
      reviewError: null,
      reviewFilter: 'all',
      reviewCurrent: null,
      reviewSlides: null,
      reviewSlideCurrent: null,
      reviewDetail: null,
      reviewImage: null,
      reviewZoomed: false,
      reviewBusy: null,
      reviewMessage: null,
      reviewEditing: null,
      reviewAskingEdit: false,
      reviewSummaries: {},

      loadReviewSummary: async (manifestPath) => {
        try {
          const summary = await bridge.invoke('review:get-summary', { manifest_path: manifestPath });
          set((state) => ({ reviewSummaries: { ...state.reviewSummaries, [manifestPath]: summary } }));
        } catch {
          // A batch whose manifest or reports cannot be read shows no review line; its own screens say why.
        }
      },

      startReviewEdit: (field) => {
        const detail = get().reviewDetail;
        if (!detail) return;
        if (field === 'alt' && detail.item.decorative) {
          set({ reviewError: { code: 'EREVIEW_REFUSED', message: 'This picture is marked decorative, so it gets no alt text: press D to mark it as not decorative first.' } });
          return;
        }
        if (field === 'alt' && detail.human_alt && !detail.item.edited) set({ reviewAskingEdit: true, reviewEditing: null });
        else set({ reviewEditing: field, reviewAskingEdit: false, reviewError: null });
      },
      answerReviewEdit: (edit) => set({ reviewAskingEdit: false, reviewEditing: edit ? 'alt' : null }),
      endReviewEdit: () => set({ reviewEditing: null, reviewAskingEdit: false }),

      openReview: async (target) => {
        const batch = get().batch;
        const row = batch && batch.manifest_path === target.manifest_path ? rowAt(batch.rows, target.index) : undefined;
        await get().openBatchReview(target.manifest_path, row?.path);
      },

      openBatchReview: async (manifestPath, deck) => {
        forgetAll();
        set({ reviewManifest: manifestPath, reviewQueue: null, reviewSlides: null, reviewSlideCurrent: null, reviewCurrent: null, reviewDetail: null, reviewError: null, reviewMessage: null, reviewFilter: 'all', reviewLoading: true });
        get().showView('review');
        try {
          const queue = await reloadQueue(manifestPath);
          if (get().reviewManifest !== manifestPath) return;
          // A batch without pictures but with slide items opens at those.
          if (queue.items.length === 0 && (get().reviewSlides?.items.length ?? 0) > 0) {
            get().setReviewFilter('slides');
            return;
          }
          const first = queue.items.find((item) => item.deck === deck && item.needs_review) ?? queue.items.find((item) => item.deck === deck) ?? queue.items.find((item) => item.needs_review) ?? queue.items[0] ?? null;
          await show(first ? { deck: first.deck, key: first.key } : null);
        } catch (error) {
          if (get().reviewManifest === manifestPath) set({ reviewError: toBridgeError(error) });
        } finally {
          if (get().reviewManifest === manifestPath) set({ reviewLoading: false });
        }
      },

      setReviewFilter: (filter) => {
        set({ reviewFilter: filter });
        if (filter === 'slides') {
          const slides = get().reviewSlides?.items ?? [];
          const current = get().reviewSlideCurrent;
          if (!current || !slides.some((item) => item.deck === current.deck && item.key === current.key)) {
            const first = slides.find((item) => item.decision === null) ?? slides[0];
            set({ reviewSlideCurrent: first ? { deck: first.deck, key: first.key } : null, reviewError: null });
          }
          return;
        }
        const items = filteredItems(get().reviewQueue, filter);
        const current = get().reviewCurrent;
        const stays = current && items.some((item) => item.deck === current.deck && item.key === current.key);
        if (!stays) {
          const first = items[0];
          void show(first ? { deck: first.deck, key: first.key } : null);
        }
      },

      selectPicture: (picture) => void show(picture),

      selectSlideItem: (item) => set({ reviewSlideCurrent: item, reviewError: null }),

      decideSlide: async (decision) => {
        const { reviewSlideCurrent, reviewManifest } = get();
        if (!reviewSlideCurrent || !reviewManifest) return false;
        const answer = await busy('decide', () => bridge.invoke('review:decide-slide', { manifest_path: reviewManifest, ...reviewSlideCurrent, decision }));
        if (!answer) return false;
        set((state) => ({ reviewSlides: state.reviewSlides ? withSlideItem(state.reviewSlides, answer) : null }));
        return true;
      },

      movePicture: (step, needsReview = false) => {
        if (get().reviewFilter === 'slides') {
          const next = slideItemAfter(get().reviewSlides?.items ?? [], get().reviewSlideCurrent, step, needsReview);
          if (next) {
            set({ reviewSlideCurrent: { deck: next.deck, key: next.key }, reviewError: null });
            return;
          }
          say(needsReview ? 'No slide item after this one is still to decide.' : step === 1 ? 'This is the last slide item.' : 'This is the first slide item.');
          return;
        }
        const items = filteredItems(get().reviewQueue, get().reviewFilter);
        const next = pictureAfter(items, get().reviewCurrent, step, needsReview);
        if (next) {
          void show({ deck: next.deck, key: next.key });
          return;
        }
        say(needsReview ? 'No picture after this one needs review.' : step === 1 ? 'This is the last picture.' : 'This is the first picture.');
      },

      reviewAct: async (action) => {
        const { reviewCurrent, reviewManifest } = get();
        if (!reviewCurrent || !reviewManifest) return false;
        const answer = await busy('act', () => bridge.invoke('review:act', { manifest_path: reviewManifest, ...reviewCurrent, action }));
        if (!answer) return false;
        changed(answer.item, answer.summary);
        await refreshCurrent().catch((error: unknown) => set({ reviewError: toBridgeError(error) }));
        return true;
      },

      regeneratePicture: async (hint) => {
        const { reviewCurrent, reviewManifest } = get();
        if (!reviewCurrent || !reviewManifest) return false;
        const trimmed = hint.trim();
        const answer = await busy('regenerate', () => bridge.invoke('review:regenerate', { manifest_path: reviewManifest, ...reviewCurrent, hint: trimmed === '' ? null : trimmed }));
        if (!answer) return false;
        changed(answer.item, answer.summary);
        await refreshCurrent().catch((error: unknown) => set({ reviewError: toBridgeError(error) }));
        say(`The model described the picture again: ${answer.item.alt ?? ''}`);
        return true;
      },

      applyReview: async () => {
        const manifestPath = get().reviewManifest;
        if (!manifestPath) return;
        const slidesBefore = get().reviewSlides?.pending ?? 0;
        const applied = await busy('apply', () => bridge.invoke('review:apply-all', { manifest_path: manifestPath }));
        if (!applied) return;
        await reloadQueue(manifestPath);
        await refreshCurrent().catch(() => undefined);
        // The slide fixes written are the accepted ones that were pending before and are not now.
        const slideFixes = Math.max(0, slidesBefore - (get().reviewSlides?.pending ?? 0));
        const pictures = `${applied.changed} picture${applied.changed === 1 ? '' : 's'} changed`;
        const fixes = `${slideFixes} slide fix${slideFixes === 1 ? '' : 'es'} written`;
        const what = slideFixes === 0 ? pictures : applied.changed === 0 ? fixes : `${pictures}, ${fixes}`;
        say(
          applied.decks === 0
            ? 'Nothing to apply: every copy already holds the review.'
            : `Applied the review to ${applied.decks} deck${applied.decks === 1 ? '' : 's'}: ${what}. Undo puts the previous copies back.`,
        );
      },

      undoReviewApply: async () => {
        const manifestPath = get().reviewManifest;
        if (!manifestPath) return;
        const undone = await busy('undo', () => bridge.invoke('review:undo-apply', { manifest_path: manifestPath }));
        if (!undone) return;
        await reloadQueue(manifestPath);
        await refreshCurrent().catch(() => undefined);
        say(`Undone: the previous copies of ${undone.decks} deck${undone.decks === 1 ? ' are' : 's are'} back. The review's decisions are kept; Apply writes them again.`);
      },

      exportReview: async (format) => {
        const manifestPath = get().reviewManifest;
        if (!manifestPath) return;
        const exported = await busy('export', () => bridge.invoke('review:export', { manifest_path: manifestPath, format }));
        if (exported) say(`Exported the review${format === 'docx' ? ' as a Word document' : ' as CSV'}: ${exported.path}`, exported.path);
      },

      setReviewZoom: (zoomed) => set({ reviewZoomed: zoomed }),
    };
  };
