import { describe, expect, it } from 'vitest';
import { classifyAltText, needsAltText } from './alt-text-quality';

describe('classifyAltText', () => {
  it.each([
    [undefined, 'missing'],
    ['', 'missing'],
    ['   \n ', 'missing'],
    ['Picture 3', 'weak'],
    ['Content Placeholder 4', 'weak'],
    ['IMG_2041.JPG', 'weak'],
    ['C:\\Users\\jsmith\\Pictures\\heart.png', 'weak'],
    ['/Users/jsmith/Desktop/slide-image.jpeg', 'weak'],
    ['A picture containing text, diagram. Description automatically generated', 'weak'],
    ['Heart', 'weak'],
    ['Coronal CT of the chest showing a right lower lobe consolidation', 'human'],
    ['Sagittal MRI of the knee', 'human'],
  ] as const)('%j is %s', (descr, expected) => {
    expect(classifyAltText(descr)).toBe(expected);
  });

  it('needs alt text for missing and weak text only', () => {
    expect(needsAltText('Picture 1')).toBe(true);
    expect(needsAltText('Bar chart of mortality by decade')).toBe(false);
  });
});
