import { describe, expect, it } from 'vitest';
import type { BatchEvent } from '../../shared/batch-events';
import type { BridgeEvent } from '../../shared/ipc-contract';
import { clock, snapshot } from '../../shared/testing/batch-fixtures';
import { TaskbarProgress } from './taskbar-progress';

const ID = '20261128_100000_abcdef01';
const changed = (payload: BatchEvent): BridgeEvent => ({ event: 'batch:changed', payload });
const halfway = clock({ total: 4, complete: 2, pending: 2 });

describe('TaskbarProgress', () => {
  it('shows the share of files done, paused while the batch waits for the model server, and no bar once it ended', () => {
    const bar = new TaskbarProgress();
    expect(bar.next({ event: 'batch:snapshot-replaced', payload: snapshot(4) })).toEqual({ progress: 0, mode: 'normal' });
    expect(bar.next(changed({ type: 'batch:paused', batch_id: ID, reason: 'model-unavailable', message: 'Gone.', wait_until: '2026-11-28T10:30:00.000+00:00', clock: halfway }))).toEqual({
      progress: 0.5,
      mode: 'paused',
    });
    expect(bar.next(changed({ type: 'item:progressed', batch_id: ID, index: 0, path: '/a', progress: { type: 'progress' } }))).toBeNull();
    expect(bar.next(changed({ type: 'batch:continued', batch_id: ID, message: 'Back.', clock: halfway }))).toEqual({ progress: 0.5, mode: 'normal' });
    expect(bar.next(changed({ type: 'batch:pause-changed', batch_id: ID, paused: true, clock: halfway }))?.mode).toBe('paused');
    expect(bar.next(changed({ type: 'batch:finished', batch_id: ID, reason: 'finished', clock: halfway }))).toEqual({ progress: -1, mode: 'normal' });
  });

  it('takes a paused batch’s state from a snapshot, as when the window opens mid-wait', () => {
    const bar = new TaskbarProgress();
    const paused = snapshot(4, { pause: { reason: 'model-unavailable', message: 'Gone.', until: '2026-11-28T10:30:00.000+00:00' } });
    expect(bar.next({ event: 'batch:snapshot-replaced', payload: paused })?.mode).toBe('paused');
    expect(bar.next({ event: 'batch:snapshot-replaced', payload: null })).toEqual({ progress: -1, mode: 'normal' });
  });
});
