import { describe, expect, it } from 'vitest';
import { elapsedText, etaText } from './clock-text';

describe('the batch clock', () => {
  const running = { state: 'running' as const, elapsed_ms: 10_000, eta_ms: 60_000, clock_at: 1_000 };

  it('keeps counting elapsed time and counts the estimate down between events while running', () => {
    expect(elapsedText(running, 6_000)).toBe('15s');
    expect(etaText(running, 6_000)).toBe('about 55s');
  });

  it('says why there is no estimate', () => {
    expect(etaText({ ...running, eta_ms: null }, 1_000)).toBe('estimating… (after the first file finishes)');
    expect(etaText({ ...running, state: 'stopped' }, 1_000)).toBe('none while the batch is stopped');
    expect(etaText({ ...running, state: 'finished' }, 1_000)).toBe('none, the batch is finished');
    expect(elapsedText({ ...running, state: 'finished' }, 99_000)).toBe('10s');
  });
});
