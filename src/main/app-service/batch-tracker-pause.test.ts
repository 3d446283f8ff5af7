import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BatchClock } from '../../shared/batch-events';
import type { ManifestDocument } from '../../shared/batch-types';
import { newItem } from '../../shared/item-state';
import { BatchTracker } from './batch-tracker';

const MANIFEST = path.resolve('/out/batch_20260101_120000_abcdef12_manifest.json');
const BATCH = '20260101_120000_abcdef12';

const doc: ManifestDocument = {
  version: '1.0',
  batch_id: BATCH,
  output_dir: path.dirname(MANIFEST),
  input_root: path.resolve('/lectures'),
  start_time: '2026-01-01T12:00:00.000+00:00',
  end_time: null,
  metadata: { processor: 'x', dry_run: false, max_workers: 1 },
  queue: { items: [newItem(path.resolve('/lectures/a.pptx'), '2026-01-01T12:00:00.000+00:00')] },
};

const clock = (elapsed: number): BatchClock => ({
  counts: { total: 1, pending: 1, processing: 0, complete: 0, failed: 0, skipped: 0 },
  elapsed_ms: elapsed,
  eta_ms: null,
});

describe('BatchTracker while the batch waits for the model server', () => {
  it('stays running, shows what it waits for until when, and clears that once the server is back', () => {
    const tracker = new BatchTracker(doc, MANIFEST, { running: true, now: 0 });
    tracker.apply(
      {
        type: 'batch:paused',
        batch_id: BATCH,
        reason: 'model-unavailable',
        message: 'Could not reach the model server at http://127.0.0.1:11434 (connection refused).',
        wait_until: '2026-01-01T12:30:00.000+00:00',
        clock: clock(1000),
      },
      1000,
    );
    expect(tracker.snapshot(1500)).toMatchObject({
      state: 'running',
      stop_reason: 'model-unavailable',
      stop_message:
        'Could not reach the model server at http://127.0.0.1:11434 (connection refused). Waiting for it to come back until 12:30; the batch goes on by itself as soon as it answers.',
      elapsed_ms: 1500,
    });
    tracker.apply({ type: 'batch:continued', batch_id: BATCH, message: 'The model server is back; resuming.', clock: clock(9000) }, 9000);
    expect(tracker.snapshot(9000)).toMatchObject({ state: 'running', stop_reason: null, stop_message: null, elapsed_ms: 9000 });
  });
});
