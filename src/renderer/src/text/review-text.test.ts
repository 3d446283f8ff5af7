import { describe, expect, it } from 'vitest';
import type { ReviewSlideItem } from '../../../shared/review-types';
import { progressText, slideItemName, slideStatusWords } from './review-text';

const TITLE: ReviewSlideItem = {
  deck: '/l/heart.pptx',
  deck_name: 'heart.pptx',
  key: 'ppt/slides/slide1.xml#missing-slide-title',
  slide: 1,
  check: 'missing-slide-title',
  shape_name: null,
  message: 'Slide 1 has no title.',
  advice: 'Give it a title.',
  suggestion: { text: "The first text box reads 'Cardiac cycle': use it as the title?", value: 'Cardiac cycle' },
  decisions: ['accept', 'leave', 'to-fix'],
  decision: null,
  reviewed_at: null,
  applied: false,
  pending: false,
};

describe('the words of slide items', () => {
  it('names a slide item by its slide, its problem and its shape', () => {
    expect(slideItemName(TITLE)).toBe('Slide 1: No title');
    expect(slideItemName({ slide: 3, check: 'low-contrast', shape_name: 'Faint note' })).toBe('Slide 3: Low contrast in Faint note');
    expect(slideItemName({ slide: 2, check: 'reading-order', shape_name: null })).toBe('Slide 2: Reading order');
  });

  it('says where a slide item stands: to decide, decided, accepted and applied or not', () => {
    expect(slideStatusWords(TITLE)).toBe('to decide');
    expect(slideStatusWords({ ...TITLE, decision: 'accept', pending: true })).toBe('accepted, not applied');
    expect(slideStatusWords({ ...TITLE, decision: 'accept', applied: true })).toBe('accepted, in the copy');
    expect(slideStatusWords({ ...TITLE, decision: 'to-fix' })).toBe('to fix in PowerPoint');
    expect(slideStatusWords({ ...TITLE, decision: 'leave' })).toBe('left as is');
  });

  it('counts pictures and slide items together', () => {
    expect(progressText({ reviewed: 3, items: 7, needs_review: 4, pending: 1 })).toBe('3 of 7 reviewed');
  });
});
