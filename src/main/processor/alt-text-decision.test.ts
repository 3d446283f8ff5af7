import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import type { DecorativeCandidate, PictureFacts } from './alt-text-decision';
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

  it.each([
    ['WD Talent Card pg 2.JPG', 'Weak alt text (a file name, path or web address).'],
    ['File:Heart diagram (labelled).svg', 'Weak alt text (a file name, path or web address).'],
    ['Рисунок 60', "Weak alt text (PowerPoint's default shape name)."],
    ['A picture containing person. Description generated with very high confidence', "Weak alt text (Office's automatic description)."],
    ['A diagram of a heart\n\nAI-generated content may be incorrect.', "Weak alt text (Office's automatic description)."],
    ['Изображение выглядит как текст. Автоматически созданное описание', "Weak alt text (Office's automatic description)."],
    ['Aorta', 'Weak alt text (shorter than 8 characters).'],
  ])('describes %j under preserve and says why: %s', (descr, reason) => {
    expect(decidePicture(facts({ descr }), base)).toEqual({ decision: 'describe', quality: 'weak', reason });
  });

  it('keeps human alt text that mentions a file type or a figure under preserve', () => {
    for (const descr of ['Chest X-ray, PA view (see figure 2)', 'A GIF animation of the cardiac cycle']) {
      expect(decidePicture(facts({ descr }), base), descr).toEqual({ decision: 'preserve', quality: 'human', reason: 'Has real alt text: kept.' });
    }
  });
});

describe('decorativeSuggestions', () => {
  const picture = (key: string, slideNumber: number, imageHash: string, size: number, over: Partial<DecorativeCandidate> = {}): DecorativeCandidate => ({
    key,
    slideNumber,
    imageHash,
    widthPx: size,
    heightPx: size,
    media: false,
    slideShare: 0.05,
    ...over,
  });

  it('suggests tiny images and an image repeated on most slides, not ordinary pictures', () => {
    const suggestions = decorativeSuggestions(
      [
        { key: 'bullet', slideNumber: 1, imageHash: 'b', widthPx: 16, heightPx: 16, media: false, slideShare: 0.001 },
        ...[1, 2, 3, 4].map((n) => ({ key: `logo${n}`, slideNumber: n, imageHash: 'logo', widthPx: 200, heightPx: 80, media: false, slideShare: 0.02 })),
        { key: 'xray', slideNumber: 2, imageHash: 'x', widthPx: 1024, heightPx: 768, media: false, slideShare: 0.4 },
        { key: 'xray-again', slideNumber: 3, imageHash: 'x', widthPx: 1024, heightPx: 768, media: false, slideShare: 0.4 },
      ],
      5,
      base,
    );
    expect(suggestions.get('bullet')).toMatch(/tiny/);
    expect(suggestions.get('logo1')).toMatch(/4 of 5 slides/);
    expect(suggestions.has('xray')).toBe(false);
    expect(suggestions.has('xray-again')).toBe(false);
  });

  it('never suggests a media object, however small or repeated', () => {
    const suggestions = decorativeSuggestions(
      [
        picture('speaker', 1, 'speaker-icon', 32, { media: true }),
        ...[1, 2, 3, 4].map((n) => picture(`video${n}`, n, 'poster', 640, { media: true })),
        ...[1, 2, 3, 4].map((n) => picture(`photo${n}`, n, `photo${n}`, 800)),
      ],
      4,
      base,
    );
    expect([...suggestions.keys()]).toEqual([]);
  });

  it('does not call one picture on one slide of a two-slide deck repeated', () => {
    expect(decorativeSuggestions([picture('photo', 2, 'photo', 1200)], 2, base).size).toBe(0);
    expect(decorativeSuggestions([picture('photo', 1, 'photo', 1200)], 2, { ...base, repeated_image_min_share: 0 }).size).toBe(0);
  });

  it('does not call a large picture on every slide of a short deck a logo, nor one whose size is unknown', () => {
    const photo = [1, 2, 3].map((n) => picture(`photo${n}`, n, 'photo', 1600, { slideShare: 0.45 }));
    expect(decorativeSuggestions(photo, 3, base).size).toBe(0);
    const unknown = [1, 2, 3].map((n) => picture(`placeholder${n}`, n, 'photo', 1600, { slideShare: null }));
    expect(decorativeSuggestions(unknown, 3, base).size).toBe(0);
    const corner = [1, 2, 3].map((n) => picture(`corner${n}`, n, 'logo', 300, { slideShare: 0.1 }));
    expect(decorativeSuggestions(corner, 3, base).size).toBe(3);
  });

  it('calls an image on several distinct slides meeting the share a logo, and counts distinct slides only', () => {
    const logo = [1, 2, 3].map((n) => picture(`logo${n}`, n, 'logo', 200));
    expect(decorativeSuggestions([...logo, picture('xray', 2, 'xray', 1024)], 4, base).get('logo1')).toBe('the same small image is on 3 of 4 slides, like a logo');
    expect(decorativeSuggestions(logo, 7, base).size).toBe(0);
    const threeOnOneSlide = [1, 2, 3].map((n) => picture(`copy${n}`, 1, 'logo', 200));
    expect(decorativeSuggestions([...threeOnOneSlide, picture('xray', 2, 'xray', 1024)], 2, base).size).toBe(0);
  });
});
