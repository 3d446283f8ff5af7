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
  it('stays running, paused with what it waits for (one plain sentence) and until when, and clears that once the server is back', () => {
    const tracker = new BatchTracker(doc, MANIFEST, { running: true, now: 0 });
    tracker.apply(
      {
        type: 'batch:paused',
        batch_id: BATCH,
        reason: 'model-unavailable',
        message: 'Could not reach the model server at http://127.0.0.1:11434 (connection refused). Start Ollama with `ollama serve`, then run the batch again.',
        wait_until: '2026-01-01T12:30:00.000+00:00',
        clock: clock(1000),
      },
      1000,
    );
    expect(tracker.snapshot(1500)).toMatchObject({
      state: 'running',
      pause: { reason: 'model-unavailable', message: 'Could not reach the model server at http://127.0.0.1:11434 (connection refused).', until: '2026-01-01T12:30:00.000+00:00' },
      stop_reason: null,
      stop_message: null,
      elapsed_ms: 1500,
    });
    tracker.apply({ type: 'batch:continued', batch_id: BATCH, message: 'The model server is back; resuming.', clock: clock(9000) }, 9000);
    expect(tracker.snapshot(9000)).toMatchObject({ state: 'running', pause: null, stop_reason: null, stop_message: null, elapsed_ms: 9000 });
  });

  it('shows an idle batch’s own time, every run of it added up, not its start to its end', () => {
    const resumedDaysLater = { ...doc, end_time: '2026-01-09T12:00:00.000+00:00', metadata: { ...doc.metadata, elapsed_ms: 95_000, run_started_at: null } };
    expect(new BatchTracker(resumedDaysLater, MANIFEST, { running: false }).snapshot().elapsed_ms).toBe(95_000);
  });
});
