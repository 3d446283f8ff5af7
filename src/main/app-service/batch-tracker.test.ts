import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BatchClock } from '../../shared/batch-events';
import type { ManifestDocument, QueueItem } from '../../shared/batch-types';
import { applyBatchEvent, batchViewFrom, snapshotOf } from '../../shared/batch-fold';
import type { BatchEvent } from '../../shared/batch-events';
import { newItem, transition } from '../../shared/item-state';
import { queueRowFromItem } from '../../shared/queue-row';
import { BatchTracker } from './batch-tracker';

const ROOT = path.resolve('/lectures');
const MANIFEST = path.resolve('/out/batch_20260101_120000_abcdef12_manifest.json');
const AT = '2026-01-01T12:00:00.000+00:00';
const BATCH = '20260101_120000_abcdef12';

function item(name: string): QueueItem {
  return newItem(path.join(ROOT, name), AT);
}

function document(items: readonly QueueItem[], extra: Partial<ManifestDocument> = {}): ManifestDocument {
  return {
    version: '1.0',
    batch_id: BATCH,
    output_dir: path.dirname(MANIFEST),
    input_root: ROOT,
    start_time: '2026-01-01T12:00:00.000+00:00',
    end_time: null,
    metadata: { processor: 'x', dry_run: false, max_workers: 2 },
    queue: { items },
    ...extra,
  };
}

const clock = (elapsed: number, eta: number | null = null): BatchClock => ({
  counts: { total: 2, pending: 2, processing: 0, complete: 0, failed: 0, skipped: 0 },
  elapsed_ms: elapsed,
  eta_ms: eta,
});

describe('the tracker’s rows (queueRowFromItem)', () => {
  it('shows a finished deck with its output, final picture counts and duration', () => {
    const started = transition(item('year1/a.pptx'), { type: 'start', at: '2026-01-01T12:00:00.000+00:00' });
    const done = transition(started, {
      type: 'complete',
      at: '2026-01-01T12:00:04.500+00:00',
      result: { output_path: '/out/year1/a.pptx', pictures: 5, described: 3, preserved: 1, decorative: 0, skipped: 1, reports: ['/out/year1/a.alt-text.json'] },
      fingerprint: null,
    });
    expect(queueRowFromItem(3, done, ROOT)).toMatchObject({
      index: 3,
      relative_path: path.join('year1', 'a.pptx'),
      status: 'complete',
      pictures_done: 4,
      pictures_total: 5,
      duration_ms: 4500,
      output_path: '/out/year1/a.pptx',
      reports: ['/out/year1/a.alt-text.json'],
    });
    expect(queueRowFromItem(0, item('a.pptx'), null).relative_path).toBe(path.join(ROOT, 'a.pptx'));
    expect(queueRowFromItem(0, { ...item('x.pptx'), path: '/elsewhere/x.pptx' }, ROOT).relative_path).toBe('/elsewhere/x.pptx');
  });
});

describe('BatchTracker', () => {
  it('shows an idle batch from its manifest: stopped while files remain, its stop reason and warnings', () => {
    const a = transition(transition(item('a.pptx'), { type: 'start', at: AT }), { type: 'fail', at: '2026-01-01T12:00:10.000+00:00', code: 'ETIMEOUT', error: 'took too long' });
    const tracker = new BatchTracker(
      document([a, item('b.pptx')], { metadata: { processor: 'x', dry_run: false, max_workers: 2, stop_reason: 'stop-now', stop_message: 'Stopped at your request.', warnings: ['disk almost full', 3] } }),
      MANIFEST,
      { running: false },
    );
    expect(tracker.snapshot()).toMatchObject({
      state: 'stopped',
      stop_reason: 'stop-now',
      stop_message: 'Stopped at your request.',
      warnings: ['disk almost full'],
      elapsed_ms: 10_000,
      eta_ms: null,
      output_dir: path.dirname(MANIFEST),
      counts: { total: 2, failed: 1, pending: 1 },
      totals: null,
    });
    expect(tracker.isActive).toBe(false);
  });

  it('follows a run: progress on processing rows only, the clock still counting between events, and the end', () => {
    const tracker = new BatchTracker(document([item('a.pptx'), item('b.pptx')]), MANIFEST, { running: true, clock: clock(0), now: 1000 });
    const start = transition(item('a.pptx'), { type: 'start', at: AT });
    tracker.apply({ type: 'item:updated', batch_id: BATCH, index: 0, item: start, clock: clock(100) }, 1100);
    tracker.apply({ type: 'item:progressed', batch_id: BATCH, index: 0, path: start.path, progress: { type: 'progress', pictures_found: 4, pictures_done: 1 } }, 1200);
    tracker.apply({ type: 'item:progressed', batch_id: BATCH, index: 1, path: 'b', progress: { type: 'progress', pictures_found: 9 } }, 1200);
    let snapshot = tracker.snapshot(1600);
    expect(snapshot.rows[0]).toMatchObject({ status: 'processing', pictures_done: 1, pictures_total: 4 });
    expect(snapshot.rows[1]).toMatchObject({ status: 'pending', pictures_total: null });
    expect(snapshot.elapsed_ms).toBe(600);
    expect(snapshot.state).toBe('running');

    tracker.markStopping();
    expect(tracker.snapshot().state).toBe('stopping');
    tracker.apply({ type: 'batch:warned', batch_id: BATCH, message: 'careful' });
    tracker.apply({ type: 'batch:stopped', batch_id: BATCH, reason: 'error-threshold', message: 'Too many failures.', clock: clock(2000) }, 3000);
    tracker.apply({ type: 'batch:finished', batch_id: BATCH, reason: 'error-threshold', clock: clock(2000, 500) }, 3000);
    snapshot = tracker.snapshot(9000);
    expect(snapshot).toMatchObject({ state: 'stopped', stop_reason: 'error-threshold', stop_message: 'Too many failures.', elapsed_ms: 2000, eta_ms: null, warnings: ['careful'] });
  });

  it('has stopped, and is no longer active, once the runner says it stopped', () => {
    const tracker = new BatchTracker(document([item('a.pptx'), item('b.pptx')]), MANIFEST, { running: true, clock: clock(0), now: 0 });
    tracker.markStopping();
    tracker.apply({ type: 'batch:stopped', batch_id: BATCH, reason: 'stop-now', message: 'Stopped at your request.', clock: clock(700) }, 700);
    expect(tracker.isActive).toBe(false);
    expect(tracker.snapshot(5000)).toMatchObject({ state: 'stopped', stop_reason: 'stop-now', stop_message: 'Stopped at your request.', elapsed_ms: 700 });
  });

  it('tells the same story as the renderer’s store, event by event', () => {
    const tracker = new BatchTracker(document([item('a.pptx'), item('b.pptx')]), MANIFEST, { running: true, clock: clock(0), now: 0 });
    let view = batchViewFrom(tracker.snapshot(0), 0);
    const started = transition(item('a.pptx'), { type: 'start', at: AT });
    const events: BatchEvent[] = [
      { type: 'batch:started', batch_id: BATCH, manifest_path: MANIFEST, resumed: false, dry_run: false, max_workers: 2, clock: clock(0) },
      { type: 'item:updated', batch_id: BATCH, index: 0, item: started, clock: clock(100) },
      { type: 'item:progressed', batch_id: BATCH, index: 0, path: started.path, progress: { type: 'progress', pictures_found: 4, pictures_done: 1 } },
      { type: 'item:updated', batch_id: BATCH, index: 0, item: started, clock: clock(150) },
      { type: 'batch:warned', batch_id: BATCH, message: 'careful' },
      { type: 'batch:warned', batch_id: BATCH, message: 'careful' },
      { type: 'batch:paused', batch_id: BATCH, reason: 'model-unavailable', message: 'Gone.', wait_until: '2026-01-01T12:30:00.000+00:00', clock: clock(200) },
      { type: 'batch:continued', batch_id: BATCH, message: 'Back.', clock: clock(300) },
      { type: 'batch:stopped', batch_id: BATCH, reason: 'error-threshold', message: 'Too many failures.', clock: clock(400) },
      { type: 'batch:finished', batch_id: BATCH, reason: 'error-threshold', clock: clock(400) },
    ];
    for (const [step, event] of events.entries()) {
      const at = 1000 * (step + 1);
      tracker.apply(event, at);
      view = applyBatchEvent(view, event, at);
      expect(tracker.snapshot(at + 500), event.type).toEqual(snapshotOf(view, at + 500));
    }
    expect(tracker.snapshot().rows[0]).toMatchObject({ pictures_done: 1, pictures_total: 4 });
  });

  it('ends a run that lost its manifest as stopped, with the reason', () => {
    const tracker = new BatchTracker(document([item('a.pptx')]), MANIFEST, { running: true, clock: clock(50), now: 0 });
    tracker.markAborted('The disk is full.', 250);
    expect(tracker.snapshot(1000)).toMatchObject({ state: 'stopped', stop_reason: 'interrupted', stop_message: 'The disk is full.', elapsed_ms: 300 });
  });

  it('adds up a dry run: decks inspected, pictures, and pictures missing alt text', () => {
    const inspected = (name: string, pictures: number, missing: number) =>
      transition(transition(item(name), { type: 'start', at: AT }), {
        type: 'complete',
        at: AT,
        result: { dry_run: true, inspection: { slides: 3, pictures, pictures_missing_alt: missing, entries: 10, uncompressed_bytes: 1 } },
        fingerprint: null,
      });
    const skipped = transition(item('old.ppt'), { type: 'skip', at: AT, code: 'ELEGACY_FORMAT', reason: 'legacy' });
    const tracker = new BatchTracker(
      document([inspected('a.pptx', 4, 1), inspected('b.pptx', 2, 2), skipped], { metadata: { processor: null, dry_run: true, max_workers: 1 } }),
      MANIFEST,
      { running: false },
    );
    const snapshot = tracker.snapshot();
    expect(snapshot.totals).toEqual({ decks: 2, pictures: 6, pictures_missing_alt: 3, pictures_for_model: 3 });
    expect(snapshot.rows[0]).toMatchObject({ pictures_total: 4, pictures_missing_alt: 1, pictures_done: null });
    expect(snapshot.state).toBe('finished');
  });
});
