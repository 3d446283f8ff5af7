import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import type { PictureFacts } from './alt-text-decision';
import { decidePicture, decorativeSuggestions } from './alt-text-decision';

const base = DEFAULT_CONFIG.alt_text;
const facts = (over: Partial<PictureFacts>): PictureFacts => ({ descr: null, decorative: false, unavailable: null, suggestedDecorative: null, ...over });
const HUMAN = 'Axial CT of the abdomen showing a ruptured appendix';

describe('decidePicture', () => {
  it.each([
    ['preserve', null, 'describe'],
    ['preserve', 'Picture 3', 'describe'],
    ['preserve', HUMAN, 'preserve'],
    ['overwrite', HUMAN, 'describe'],
    ['overwrite', null, 'describe'],
    ['missing-only', null, 'describe'],
    ['missing-only', 'IMG_0042.jpg', 'preserve'],
    ['missing-only', HUMAN, 'preserve'],
  ] as const)('policy %s with alt text %j → %s', (policy, descr, expected) => {
    expect(decidePicture(facts({ descr }), { ...base, policy }).decision).toBe(expected);
  });

  it('never describes or changes a picture already marked decorative, whatever the policy', () => {
    for (const policy of ['preserve', 'overwrite', 'missing-only'] as const) {
      expect(decidePicture(facts({ decorative: true }), { ...base, policy }).decision).toBe('decorative');
    }
  });

  it('skips a picture that cannot be described, with the reason', () => {
    const decision = decidePicture(facts({ unavailable: 'Linked picture: the image is not in the deck.' }), base);
    expect(decision).toMatchObject({ decision: 'skip', reason: 'Linked picture: the image is not in the deck.' });
  });

  it('marks suggested decorative pictures only in apply mode, and never over human alt text', () => {
    const logo = facts({ suggestedDecorative: 'on 9 of 10 slides' });
    expect(decidePicture(logo, base).decision).toBe('describe');
    expect(decidePicture(logo, { ...base, decorative: 'apply' }).decision).toBe('mark-decorative');
    expect(decidePicture({ ...logo, descr: 'School of Medicine logo' }, { ...base, decorative: 'apply' }).decision).toBe('preserve');
  });

  it('treats text matching a configured weak pattern as weak', () => {
    const config = { ...base, weak_patterns: ['^slide \\d+ image$'] };
    expect(decidePicture(facts({ descr: 'Slide 12 image' }), config).decision).toBe('describe');
    expect(decidePicture(facts({ descr: 'Slide 12 image' }), base).decision).toBe('preserve');
  });
});

describe('decorativeSuggestions', () => {
  it('suggests tiny images and an image repeated on most slides, not ordinary pictures', () => {
    const suggestions = decorativeSuggestions(
      [
        { key: 'bullet', slideNumber: 1, imageHash: 'b', widthPx: 16, heightPx: 16 },
        ...[1, 2, 3, 4].map((n) => ({ key: `logo${n}`, slideNumber: n, imageHash: 'logo', widthPx: 200, heightPx: 80 })),
        { key: 'xray', slideNumber: 2, imageHash: 'x', widthPx: 1024, heightPx: 768 },
        { key: 'xray-again', slideNumber: 3, imageHash: 'x', widthPx: 1024, heightPx: 768 },
      ],
      5,
      base,
    );
    expect(suggestions.get('bullet')).toMatch(/tiny/);
    expect(suggestions.get('logo1')).toMatch(/4 of 5 slides/);
    expect(suggestions.has('xray')).toBe(false);
    expect(suggestions.has('xray-again')).toBe(false);
  });
});
