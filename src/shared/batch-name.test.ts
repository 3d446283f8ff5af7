import { describe, expect, it } from 'vitest';
import { batchNameFor } from './batch-name';

describe('batchNameFor', () => {
  it.each([
    ['/home/ann/Lectures/Fall 2026/Cardiology', 'Fall 2026 – Cardiology'],
    ['/home/ann/Lectures/Fall 2026/Cardiology/', 'Fall 2026 – Cardiology'],
    ['/home/ann/Lectures', 'Lectures'],
    ['/home/ann', 'ann'],
    ['/Lectures', 'Lectures'],
    ['C:\\Users\\Ann\\Lectures\\Year 1', 'Lectures – Year 1'],
    ['D:\\Year 1', 'Year 1'],
    ['\\\\server\\share\\Cardiology', 'share – Cardiology'],
  ])('names %s "%s"', (folder, name) => {
    expect(batchNameFor(folder, '/home/ann')).toBe(name);
  });

  it('leaves out the home folder on Windows too', () => {
    expect(batchNameFor('C:\\Users\\Ann\\Lectures', 'C:\\Users\\Ann')).toBe('Lectures');
  });

  it('names a batch of decks from several folders as such', () => {
    expect(batchNameFor(null, '/home/ann')).toBe('Decks from several folders');
  });
});
