import { assertNever } from '../../../shared/assert-never';
import type { ReviewItem, ReviewSlideItem, SlideDecision, SlideItemCheck } from '../../../shared/review-types';
import type { QueueFilter } from '../store/review-slice';
import { plural } from './plural';

/** The processor's decision on a picture (`<deck>.alt-text.json`), in words. */
const DECISIONS: Readonly<Record<string, string>> = {
  described: 'Described by AltGen',
  drafted: 'Offline draft: check it before use',
  preserved: 'Existing alt text kept',
  decorative: 'Already marked decorative',
  'marked-decorative': 'Marked decorative by AltGen',
  'needs-review': 'Needs review: nothing was written',
  skipped: 'Skipped',
  edited: 'Edited by a person',
};

export function decisionWords(decision: string): string {
  return DECISIONS[decision] ?? decision;
}

/** The length guidance: a count against `char_limit`, and what to do when over it. */
export function charCountText(text: string, limit: number | null): string {
  const count = text.trim().length;
  if (limit === null) return `${count} characters`;
  return count > limit
    ? `${count} characters, over the guidance of ${limit}: say the one thing the picture teaches, and put the details in the long description.`
    : `${count} of ${limit} characters.`;
}

const SHAPE_KINDS: Readonly<Record<string, string>> = { shape: 'shape filled with a picture', media: 'video or sound', chart: 'chart', smartart: 'SmartArt', table: 'table' };

/** " (chart)" after a shape's name when it is not a picture. */
export function shapeKindSuffix(kind: string): string {
  const word = SHAPE_KINDS[kind];
  return word ? ` (${word})` : '';
}

export const FILTER_WORDS: Readonly<Record<QueueFilter, string>> = {
  all: 'All pictures',
  'needs-review': 'Needs review',
  drafted: 'Drafted (offline)',
  described: 'Described by the model',
  preserved: 'Existing alt text kept',
  decorative: 'Decorative',
  graphics: 'Charts, SmartArt and tables',
  edited: 'Edited',
  slides: 'Slides: titles, reading order, contrast',
};

/** How far the review is: pictures and slide items together. */
export interface ReviewCounts {
  readonly reviewed: number;
  readonly items: number;
  readonly needs_review: number;
  readonly pending: number;
}

/** "42 of 310 reviewed". */
export function progressText(counts: ReviewCounts): string {
  return `${counts.reviewed} of ${counts.items} reviewed`;
}

export function summaryDetails(counts: ReviewCounts): string {
  const parts = [`${counts.needs_review} still ${counts.needs_review === 1 ? 'needs' : 'need'} review`];
  parts.push(counts.pending === 0 ? 'every decision is in the copies' : `${plural(counts.pending, 'change')} not applied yet`);
  return parts.join(' · ');
}

/** What a slide item is about, as its list entry and its heading say it. */
export function slideCheckWords(check: SlideItemCheck): string {
  switch (check) {
    case 'missing-slide-title':
      return 'No title';
    case 'reading-order':
      return 'Reading order';
    case 'low-contrast':
      return 'Low contrast';
    default:
      return assertNever(check, 'slide item check');
  }
}

/** A slide item's name: "Slide 3: No title", "Slide 4: Low contrast in Faint note". */
export function slideItemName(item: Pick<ReviewSlideItem, 'slide' | 'check' | 'shape_name'>): string {
  return `Slide ${item.slide}: ${slideCheckWords(item.check)}${item.shape_name ? ` in ${item.shape_name}` : ''}`;
}

/** A decision on a slide item, as its button says it. */
export function slideDecisionWords(decision: SlideDecision): string {
  switch (decision) {
    case 'accept':
      return 'Accept the suggestion';
    case 'leave':
      return 'Leave as is';
    case 'checked':
      return 'Checked: the contrast is fine';
    case 'to-fix':
      return 'To fix in PowerPoint';
    default:
      return assertNever(decision, 'slide decision');
  }
}

/** A decision as the list and the badge say it once made, and as the pane's key hint names it. */
const SLIDE_DECIDED: Readonly<Record<SlideDecision, { readonly decided: string; readonly key: string }>> = {
  accept: { decided: 'accepted', key: 'accept' },
  leave: { decided: 'left as is', key: 'leave as is' },
  checked: { decided: 'checked', key: 'checked' },
  'to-fix': { decided: 'to fix in PowerPoint', key: 'to fix in PowerPoint' },
};

/** "accept" for the key hint of the pane ("A accept"). */
export function slideDecisionKeyWords(decision: SlideDecision): string {
  return SLIDE_DECIDED[decision].key;
}

/** Where a slide item stands, in words for the list and its badge. */
export function slideStatusWords(item: ReviewSlideItem): string {
  if (item.decision === null) return 'to decide';
  const decided = SLIDE_DECIDED[item.decision].decided;
  if (item.pending) return `${decided}, not applied`;
  if (item.decision === 'accept' && item.applied) return `${decided}, in the copy`;
  return decided;
}

/** A picture's name in the list and in its heading: "Slide 3: Picture 2 (chart)". */
export function pictureName(item: Pick<ReviewItem, 'slide' | 'shape_name' | 'kind'>): string {
  const where = item.slide > 0 ? `Slide ${item.slide}` : 'Slide layout';
  return `${where}: ${item.shape_name || 'unnamed shape'}${shapeKindSuffix(item.kind)}`;
}

/** Where the picture stands, in words for the list: reviewed, needs review, edited, not applied. */
export function itemStatusWords(item: ReviewItem): string {
  const words: string[] = [];
  if (item.reviewed_at) words.push('reviewed');
  else if (item.needs_review) words.push('needs review');
  if (item.decorative) words.push('decorative');
  if (item.edited) words.push('edited');
  if (item.regenerated) words.push('regenerated');
  if (item.pending) words.push('not applied');
  return words.join(', ');
}
