import { describe, expect, it } from 'vitest';
import { counts } from '../../../shared/testing/batch-fixtures';
import { windowTitle } from './title-text';

describe('windowTitle', () => {
  it('puts an active batch’s progress first, where a taskbar or a tab shows it', () => {
    expect(windowTitle({ phase: 'running', dryRun: false, counts: counts({ total: 12, complete: 4, failed: 1, pending: 7 }) })).toBe('41% (5 of 12) done — AltGen Desktop');
    expect(windowTitle({ phase: 'paused', dryRun: false, counts: counts({ total: 4, complete: 1, pending: 3 }) })).toBe('Paused at 25% (1 of 4) — AltGen Desktop');
    expect(windowTitle({ phase: 'running', dryRun: true, counts: counts({ total: 2, complete: 1, pending: 1 }) })).toBe('50% (1 of 2) checked — AltGen Desktop');
  });

  it('is the app’s name without a batch, and says when a batch is over', () => {
    expect(windowTitle(null)).toBe('AltGen Desktop');
    expect(windowTitle({ phase: 'finished', dryRun: false, counts: counts({ total: 2, complete: 2 }) })).toBe('Finished — AltGen Desktop');
  });
});
