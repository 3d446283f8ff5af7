import { describe, expect, it } from 'vitest';
import { batchElapsedMs } from './batch-elapsed';
import type { ManifestDocument, QueueItem } from './batch-types';
import { item } from './testing/batch-fixtures';

function manifest(metadata: Record<string, unknown>, times: { start?: string; end?: string } = {}, items: QueueItem[] = []): ManifestDocument {
  return {
    version: '1.0',
    batch_id: '20261128_100000_abcdef01',
    output_dir: '/out',
    input_root: '/in',
    start_time: times.start ?? null,
    end_time: times.end ?? null,
    metadata: { processor: null, dry_run: false, max_workers: 1, ...metadata },
    queue: { items },
  };
}

describe('batchElapsedMs', () => {
  it('is the total of the runs that ended, however long the batch sat between them', () => {
    expect(batchElapsedMs(manifest({ elapsed_ms: 95_000, run_started_at: null }, { start: '2026-11-01T10:00:00+00:00', end: '2026-11-28T10:00:00+00:00' }))).toBe(95_000);
  });

  it('adds a run that was killed, up to the last change it recorded', () => {
    const items = [
      item('/in/a.pptx', 'complete', { started_at: '2026-11-28T10:00:00+00:00', completed_at: '2026-11-28T10:00:30+00:00' }),
      item('/in/b.pptx', 'processing', { started_at: '2026-11-28T10:00:31+00:00' }),
      // A change from an earlier run does not count for this one.
      item('/in/c.pptx', 'complete', { started_at: '2026-11-27T09:00:00+00:00', completed_at: '2026-11-27T09:10:00+00:00' }),
    ];
    expect(batchElapsedMs(manifest({ elapsed_ms: 60_000, run_started_at: '2026-11-28T10:00:00+00:00' }, {}, items))).toBe(91_000);
  });

  it('reads manifests from before it was kept (and the Python tool’s) from start to end, or to the last completion', () => {
    expect(batchElapsedMs(manifest({}, { start: '2026-11-28T10:00:00+00:00', end: '2026-11-28T10:02:00+00:00' }))).toBe(120_000);
    const items = [item('/in/a.pptx', 'complete', { started_at: '2026-11-28T10:00:00', completed_at: '2026-11-28T10:00:45' })];
    expect(batchElapsedMs(manifest({}, { start: '2026-11-28T10:00:00' }, items))).toBe(45_000);
    expect(batchElapsedMs(manifest({}))).toBe(0);
  });
});
