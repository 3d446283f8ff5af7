import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../shared/config-schema';
import type { AppInfo } from '../../../shared/ipc-contract';
import type { ReviewItem, ReviewPictureDetail, ReviewQueue, ReviewSlideItem, ReviewSlideQueue, ReviewSummary } from '../../../shared/review-types';
import { FakeBridge } from '../testing/fake-bridge';
import { createAppStore } from './app-store';
import { filteredItems, pictureAfter, reviewTotals } from './review-slice';

const WEB: AppInfo = { version: '0.1.0', host: 'web', platform: 'linux', config_path: null };
const MANIFEST = '/out/batch_20261128_100000_abcdef01_manifest.json';

function item(deck: string, key: string, overrides: Partial<ReviewItem> = {}): ReviewItem {
  return {
    deck: `/l/${deck}`,
    deck_name: deck,
    key,
    slide: 1,
    shape_name: key,
    kind: 'picture',
    decision: 'described',
    alt: `alt of ${key}`,
    decorative: false,
    reviewed_at: null,
    needs_review: true,
    edited: false,
    regenerated: false,
    pending: false,
    filters: ['all', 'needs-review', 'described'],
    ...overrides,
  };
}

const SUMMARY: ReviewSummary = { pictures: 4, reviewed: 1, needs_review: 3, pending: 0, decks: [], undo: null };

function queue(): ReviewQueue {
  return {
    manifest_path: MANIFEST,
    batch_id: '20261128_100000_abcdef01',
    items: [
      item('a.pptx', 'a1', { reviewed_at: '2026-01-01T10:00:00', needs_review: false, filters: ['all', 'described'] }),
      item('a.pptx', 'a2', { decision: 'preserved', needs_review: false, filters: ['all', 'preserved'] }),
      item('b.pptx', 'b1'),
      item('b.pptx', 'b2'),
    ],
    summary: SUMMARY,
    problems: [],
    char_limit: 125,
  };
}

function slideItem(key: string, overrides: Partial<ReviewSlideItem> = {}): ReviewSlideItem {
  return {
    deck: '/l/a.pptx',
    deck_name: 'a.pptx',
    key,
    slide: 1,
    check: 'missing-slide-title',
    shape_name: null,
    message: 'Slide 1 has no title.',
    advice: 'Give every slide a unique title.',
    suggestion: { text: "The first text box reads 'Cardiac cycle': use it as the title?", value: 'Cardiac cycle' },
    decisions: ['accept', 'leave', 'to-fix'],
    decision: null,
    reviewed_at: null,
    applied: false,
    pending: false,
    ...overrides,
  };
}

/** A decided title, the title to decide, and a low contrast. */
function slideQueue(): ReviewSlideQueue {
  return {
    items: [
      slideItem('ppt/slides/slide2.xml#missing-slide-title', { slide: 2, decision: 'leave', reviewed_at: '2026-01-01T10:00:00' }),
      slideItem('ppt/slides/slide1.xml#missing-slide-title'),
      slideItem('ppt/slides/slide3.xml#3#low-contrast', { slide: 3, check: 'low-contrast', shape_name: 'Faint note', suggestion: null, decisions: ['checked', 'to-fix'], message: 'Contrast 1.9:1' }),
    ],
    reviewed: 1,
    pending: 0,
  };
}

function detailOf(picture: ReviewItem): ReviewPictureDetail {
  return { item: picture, before: null, generated: picture.alt, written: picture.alt, reason: '', long_description: null, text_in_image: null, thumbnail: null, model: null, hint: null, slide: null, position: null, size_px: null, human_alt: false };
}

function mainSide(): FakeBridge {
  const items = queue().items;
  return new FakeBridge({
    'app:get-info': () => WEB,
    'batch:get-current': () => null,
    'batches:list': () => [],
    'settings:get': () => ({ config: DEFAULT_CONFIG, path: '/c.yaml' }),
    'review:get-queue': () => queue(),
    'review:get-slides': () => slideQueue(),
    'review:get-picture': ({ deck, key }) => detailOf(items.find((candidate) => candidate.deck === deck && candidate.key === key) ?? item('x', 'x')),
    'review:get-image': () => null,
    'review:act': ({ deck, key }) => ({ item: { ...item(deck.slice(3), key), reviewed_at: '2026-01-01T11:00:00', needs_review: false, filters: ['all', 'described'] }, summary: { ...SUMMARY, reviewed: 2, needs_review: 2 } }),
    'review:apply-all': () => ({ decks: 2, changed: 3, summary: SUMMARY }),
  });
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}

describe('the review slice', () => {
  it('opens the batch at the first picture that needs review, and moves across decks', async () => {
    const bridge = mainSide();
    const store = createAppStore(bridge);
    await store.getState().openBatchReview(MANIFEST);
    expect(store.getState().view).toBe('review');
    expect(store.getState().reviewCurrent).toEqual({ deck: '/l/b.pptx', key: 'b1' });
    store.getState().movePicture(-1);
    expect(store.getState().reviewCurrent).toEqual({ deck: '/l/a.pptx', key: 'a2' });
    store.getState().movePicture(1, true);
    expect(store.getState().reviewCurrent).toEqual({ deck: '/l/b.pptx', key: 'b1' });
    await settle();
    expect(store.getState().reviewDetail?.item.key).toBe('b1');
    // The next picture's details were fetched ahead.
    expect(bridge.callsTo('review:get-picture')).toContainEqual({ manifest_path: MANIFEST, deck: '/l/b.pptx', key: 'b2' });
  });

  it('opens at the deck of the queue row the review was asked from', async () => {
    const store = createAppStore(mainSide());
    await store.getState().openBatchReview(MANIFEST, '/l/a.pptx');
    expect(store.getState().reviewCurrent).toEqual({ deck: '/l/a.pptx', key: 'a1' });
  });

  it('keeps a filter and its counts, and moves to a picture of the filter when the shown one is not in it', async () => {
    const store = createAppStore(mainSide());
    await store.getState().openBatchReview(MANIFEST, '/l/a.pptx');
    store.getState().setReviewFilter('needs-review');
    expect(store.getState().reviewCurrent).toEqual({ deck: '/l/b.pptx', key: 'b1' });
    expect(filteredItems(store.getState().reviewQueue, 'preserved').map((i) => i.key)).toEqual(['a2']);
    expect(pictureAfter(filteredItems(store.getState().reviewQueue, 'needs-review'), { deck: '/l/b.pptx', key: 'b2' }, 1)).toBeNull();
  });

  it('patches the picture and the summary with the answer to an action', async () => {
    const bridge = mainSide();
    const store = createAppStore(bridge);
    await store.getState().openBatchReview(MANIFEST);
    expect(await store.getState().reviewAct({ type: 'accept' })).toBe(true);
    expect(bridge.callsTo('review:act')).toEqual([{ manifest_path: MANIFEST, deck: '/l/b.pptx', key: 'b1', action: { type: 'accept' } }]);
    const b1 = store.getState().reviewQueue?.items.find((i) => i.key === 'b1');
    expect(b1).toMatchObject({ needs_review: false, reviewed_at: '2026-01-01T11:00:00' });
    expect(store.getState().reviewQueue?.summary.reviewed).toBe(2);
  });

  it('asks before editing alt text a person wrote', async () => {
    const bridge = mainSide();
    bridge.handle('review:get-picture', ({ deck, key }) => ({ ...detailOf(item(deck.slice(3), key)), human_alt: true, before: 'A sketch' }));
    const store = createAppStore(bridge);
    await store.getState().openBatchReview(MANIFEST);
    await settle();
    store.getState().startReviewEdit('alt');
    expect(store.getState()).toMatchObject({ reviewAskingEdit: true, reviewEditing: null });
    store.getState().answerReviewEdit(true);
    expect(store.getState()).toMatchObject({ reviewAskingEdit: false, reviewEditing: 'alt' });
  });

  it('applies the whole batch and says what it did', async () => {
    const bridge = mainSide();
    const store = createAppStore(bridge);
    await store.getState().openBatchReview(MANIFEST);
    await store.getState().applyReview();
    expect(bridge.callsTo('review:apply-all')).toEqual([{ manifest_path: MANIFEST }]);
    expect(store.getState().reviewMessage?.text).toBe('Applied the review to 2 decks: 3 pictures changed. Undo puts the previous copies back.');
    expect(bridge.callsTo('review:get-queue')).toHaveLength(2);
  });

  it('shows the slide items under the Slides filter, moves through them and records a decision, counting it as reviewed', async () => {
    const bridge = mainSide();
    const decided = { ...slideItem('ppt/slides/slide1.xml#missing-slide-title'), decision: 'accept' as const, reviewed_at: '2026-01-01T11:00:00', pending: true };
    bridge.handle('review:decide-slide', () => decided);
    const store = createAppStore(bridge);
    await store.getState().openBatchReview(MANIFEST);
    expect(reviewTotals(SUMMARY, store.getState().reviewSlides)).toEqual({ reviewed: 2, items: 7, pending: 0 });
    store.getState().setReviewFilter('slides');
    // The first slide item still to decide, not the one decided already.
    expect(store.getState().reviewSlideCurrent).toEqual({ deck: '/l/a.pptx', key: 'ppt/slides/slide1.xml#missing-slide-title' });
    expect(filteredItems(store.getState().reviewQueue, 'slides')).toEqual([]);
    // The picture shown is kept for going back to the pictures.
    expect(store.getState().reviewCurrent).toEqual({ deck: '/l/b.pptx', key: 'b1' });
    expect(await store.getState().decideSlide('accept')).toBe(true);
    expect(bridge.callsTo('review:decide-slide')).toEqual([{ manifest_path: MANIFEST, deck: '/l/a.pptx', key: 'ppt/slides/slide1.xml#missing-slide-title', decision: 'accept' }]);
    expect(store.getState().reviewSlides).toMatchObject({ reviewed: 2, pending: 1 });
    expect(store.getState().reviewSlides?.items[1]).toEqual(decided);
    expect(reviewTotals(SUMMARY, store.getState().reviewSlides)).toEqual({ reviewed: 3, items: 7, pending: 1 });
    // The decision keeps the item shown; moving goes through the slide items, not the pictures.
    expect(store.getState().reviewSlideCurrent?.key).toBe('ppt/slides/slide1.xml#missing-slide-title');
    store.getState().movePicture(1);
    expect(store.getState().reviewSlideCurrent?.key).toBe('ppt/slides/slide3.xml#3#low-contrast');
    store.getState().movePicture(1);
    expect(store.getState().reviewMessage?.text).toBe('This is the last slide item.');
    store.getState().movePicture(-1, true);
    expect(store.getState().reviewSlideCurrent?.key).toBe('ppt/slides/slide3.xml#3#low-contrast');
    store.getState().setReviewFilter('all');
    expect(store.getState().reviewCurrent).toEqual({ deck: '/l/b.pptx', key: 'b1' });
  });

  it('shows a refused decision and keeps the item as it was', async () => {
    const bridge = mainSide();
    bridge.handle('review:decide-slide', () => {
      throw Object.assign(new Error("Slide 3 cannot be marked 'accept' for this finding: choose one of checked, to-fix."), { code: 'EREVIEW_REFUSED' });
    });
    const store = createAppStore(bridge);
    await store.getState().openBatchReview(MANIFEST);
    store.getState().setReviewFilter('slides');
    store.getState().selectSlideItem({ deck: '/l/a.pptx', key: 'ppt/slides/slide3.xml#3#low-contrast' });
    expect(await store.getState().decideSlide('accept')).toBe(false);
    expect(store.getState().reviewError?.code).toBe('EREVIEW_REFUSED');
    expect(store.getState().reviewSlides).toEqual(slideQueue());
  });

  it('opens a batch without pictures at its slide items', async () => {
    const bridge = mainSide();
    bridge.handle('review:get-queue', () => ({ ...queue(), items: [], summary: { ...SUMMARY, pictures: 0, reviewed: 0, needs_review: 0 } }));
    const store = createAppStore(bridge);
    await store.getState().openBatchReview(MANIFEST);
    expect(store.getState().reviewFilter).toBe('slides');
    expect(store.getState().reviewSlideCurrent?.key).toBe('ppt/slides/slide1.xml#missing-slide-title');
  });

  it('says how many accepted slide fixes Apply wrote', async () => {
    const bridge = mainSide();
    const accepted = (applied: boolean): ReviewSlideQueue => {
      const items = slideQueue().items.map((one) => (one.slide === 1 ? { ...one, decision: 'accept' as const, reviewed_at: '2026-01-01T11:00:00', applied, pending: !applied } : one));
      return { items, reviewed: 2, pending: applied ? 0 : 1 };
    };
    let written = false;
    bridge.handle('review:get-slides', () => accepted(written));
    bridge.handle('review:apply-all', () => {
      written = true;
      return { decks: 1, changed: 0, summary: SUMMARY };
    });
    const store = createAppStore(bridge);
    await store.getState().openBatchReview(MANIFEST);
    await store.getState().applyReview();
    expect(store.getState().reviewMessage?.text).toBe('Applied the review to 1 deck: 1 slide fix written. Undo puts the previous copies back.');
    expect(store.getState().reviewSlides?.items[1]).toMatchObject({ applied: true, pending: false });
  });
});
