import { describe, expect, it } from 'vitest';
import { applyBatchEvent, batchPhase, batchViewFrom, isForOtherBatch, liveElapsedMs, snapshotOf, withStopRequested } from './batch-fold';
import type { BatchView } from './batch-fold';
import type { BatchEvent } from './batch-events';
import type { BatchSnapshot } from './ipc-contract';
import { CHUNK_SIZE, rowAt } from './row-table';
import { ROOT, clock, item, snapshot } from './testing/batch-fixtures';

const ID = '20261128_100000_abcdef01';

function updated(index: number, status: 'processing' | 'complete' | 'failed' | 'skipped', extra: object = {}): BatchEvent {
  return {
    type: 'item:updated',
    batch_id: ID,
    index,
    item: item(`${ROOT}/deck-${String(index).padStart(5, '0')}.pptx`, status, extra),
    clock: clock({ total: 10_000, pending: 9_999, [status]: 1 }, 5000, 60_000),
  };
}

describe('applyBatchEvent', () => {
  it('rebuilds the batch from a snapshot with its rows keyed by index', () => {
    const batch = batchViewFrom(snapshot(3), 42);
    expect(batch.rows.length).toBe(3);
    expect(rowAt(batch.rows, 2)?.relative_path).toBe('deck-00002.pptx');
    expect(batch.clock_at).toBe(42);
  });

  it('shows a batch waiting for the model server as paused, with its diagnosis as one plain sentence and until when, and running again when the server is back', () => {
    const batch = batchViewFrom(snapshot(3), 0);
    const message = 'Cannot reach the Ollama server at http://127.0.0.1:11434 (connect ECONNREFUSED). Start Ollama with `ollama serve`, then run the batch again.';
    const paused = applyBatchEvent(
      batch,
      { type: 'batch:paused', batch_id: ID, reason: 'model-unavailable', message, wait_until: '2026-11-28T10:30:00.000+00:00', clock: clock({ total: 3, pending: 3 }, 1000, null) },
      5,
    )!;
    expect(batchPhase(paused)).toBe('paused');
    expect(paused.pause).toEqual({
      reason: 'model-unavailable',
      message: 'Cannot reach the Ollama server at http://127.0.0.1:11434 (connect ECONNREFUSED).',
      until: '2026-11-28T10:30:00.000+00:00',
    });
    // A pause is not a stop: nothing is said about why it stopped.
    expect(paused.stop_reason).toBeNull();
    expect(paused.stop_message).toBeNull();
    const continued = applyBatchEvent(paused, { type: 'batch:continued', batch_id: ID, message: 'Model server is back; resuming', clock: clock({ total: 3, pending: 3 }, 9000, null) }, 9)!;
    expect(batchPhase(continued)).toBe('running');
    expect(continued.pause).toBeNull();
    expect(continued.elapsed_ms).toBe(9000);
    // A batch that stops while it waits is stopped, no longer paused.
    const stopped = applyBatchEvent(paused, { type: 'batch:stopped', batch_id: ID, reason: 'model-unavailable', message: 'It did not come back.', clock: clock({ total: 3, pending: 3 }) }, 9)!;
    expect(batchPhase(stopped)).toBe('stopped');
    expect(stopped.pause).toBeNull();
  });

  it('shows a batch the user paused as paused, and running again when they let it go on', () => {
    const batch = batchViewFrom(snapshot(2), 0);
    const held = applyBatchEvent(batch, { type: 'batch:pause-changed', batch_id: ID, paused: true, clock: clock({ total: 2, pending: 2 }) }, 1)!;
    expect(batchPhase(held)).toBe('paused');
    const going = applyBatchEvent(held, { type: 'batch:pause-changed', batch_id: ID, paused: false, clock: clock({ total: 2, pending: 2 }) }, 2)!;
    expect(batchPhase(going)).toBe('running');
  });

  it('knows which rows are being processed, in the order they started, from the snapshot and then row by row', () => {
    let batch = batchViewFrom(snapshot(4, { rows: [0, 1, 2, 3].map((i) => ({ ...snapshot(4).rows[i]!, status: i === 2 ? ('processing' as const) : ('pending' as const) })) }), 0);
    expect(batch.processing).toEqual([2]);
    batch = applyBatchEvent(batch, updated(0, 'processing'), 0)!;
    expect(batch.processing).toEqual([2, 0]);
    const same = applyBatchEvent(batch, updated(0, 'processing'), 0)!;
    expect(same.processing).toBe(batch.processing);
    batch = applyBatchEvent(batch, updated(2, 'complete'), 0)!;
    expect(batch.processing).toEqual([0]);
  });

  it('applies item:updated to its row slot and takes the counts, elapsed time and ETA from the event', () => {
    const batch = batchViewFrom(snapshot(10_000), 0);
    const next = applyBatchEvent(batch, updated(4_321, 'processing', { started_at: '2026-11-28T10:00:01.000+00:00' }), 7)!;
    expect(rowAt(next.rows, 4_321)?.status).toBe('processing');
    expect(rowAt(next.rows, 4_320)).toBe(rowAt(batch.rows, 4_320));
    expect(next.counts.processing).toBe(1);
    expect(next.elapsed_ms).toBe(5000);
    expect(next.eta_ms).toBe(60_000);
    expect(next.clock_at).toBe(7);
    // Only the changed chunk is new.
    const changedChunks = next.rows.chunks.filter((chunk, i) => chunk !== batch.rows.chunks[i]);
    expect(changedChunks).toHaveLength(1);
  });

  it('keeps what the processor counted for a complete file (skipped pictures by why included) on its row, and nothing of a result’s paths', () => {
    const batch = batchViewFrom(snapshot(1), 0);
    const done = applyBatchEvent(
      batch,
      updated(0, 'complete', {
        result: { pictures: 6, described: 3, preserved: 1, skipped: 2, skipped_reasons: { 'in-layout': 2 }, model_calls: 3, output_path: '/out/a.pptx', reports: ['/out/a.alt-text.json'] },
      }),
      0,
    )!;
    expect(rowAt(done.rows, 0)?.result_counts).toEqual({ pictures: 6, described: 3, preserved: 1, skipped: 2, skipped_reasons: { 'in-layout': 2 }, model_calls: 3 });
    expect(rowAt(done.rows, 0)?.plan).toBeNull();
  });

  it('turns a completed item into a row with its pictures, time and output', () => {
    const batch = batchViewFrom(snapshot(2), 0);
    const done = applyBatchEvent(
      batch,
      updated(1, 'complete', {
        started_at: '2026-11-28T10:00:00.000+00:00',
        completed_at: '2026-11-28T10:00:03.000+00:00',
        result: { pictures: 4, described: 2, preserved: 1, decorative: 0, needs_review: 1, output_path: '/out/deck-00001.pptx', duration_seconds: 2.5 },
      }),
      0,
    )!;
    expect(rowAt(done.rows, 1)).toMatchObject({
      status: 'complete',
      pictures_done: 3,
      pictures_total: 4,
      duration_ms: 2500,
      output_path: '/out/deck-00001.pptx',
      relative_path: 'deck-00001.pptx',
    });
  });

  it('keeps a dry run’s totals current from its rows, one row at a time', () => {
    const none = { decks: 0, pictures: 0, pictures_missing_alt: 0, pictures_for_model: 0 };
    const start = batchViewFrom(snapshot(4, { dry_run: true, totals: none }), 0);
    const plan = (toDescribe: number, graphics: number) => ({
      pictures: toDescribe + graphics + 1,
      to_describe: toDescribe,
      graphics_to_describe: graphics,
      to_keep: 1,
      decorative: 0,
      to_mark_decorative: 0,
      skipped: { 'in-layout': 0, linked: 0, 'no-image': 0, 'unreadable-image': 0, 'nothing-to-describe': 0 },
    });
    const inspected = (index: number, pictures: number, missing: number, planned?: ReturnType<typeof plan>): BatchEvent =>
      updated(index, 'complete', {
        result: { dry_run: true, inspection: { slides: 2, pictures, pictures_missing_alt: missing, entries: 20, uncompressed_bytes: 1000, ...(planned ? { plan: planned } : {}) } },
      });
    let batch = applyBatchEvent(start, inspected(0, 4, 3, plan(2, 1)), 0)!;
    batch = applyBatchEvent(batch, inspected(1, 4, 0, plan(0, 0)), 0)!;
    // A dry run made before there was a plan: every picture needing alt text is one for the model.
    batch = applyBatchEvent(batch, inspected(2, 2, 2), 0)!;
    batch = applyBatchEvent(batch, updated(3, 'failed', { error: 'Damaged.' }), 0)!;
    expect(batch.totals).toEqual({ decks: 3, pictures: 10, pictures_missing_alt: 5, pictures_for_model: 4 });
    expect(rowAt(batch.rows, 0)).toMatchObject({ pictures_total: 4, pictures_missing_alt: 3, plan: plan(2, 1) });
    // A snapshot's own totals are recounted from its rows.
    const { rows: _table, clock_at: _at, processing: _processing, ...header } = batch;
    const rows = [0, 1, 2, 3].map((i) => rowAt(batch.rows, i)!);
    expect(batchViewFrom({ ...header, totals: none, rows }, 0).totals).toEqual(batch.totals);
  });

  it('counts the pictures described, needing review (the model could not describe them) and drafted, one row at a time', () => {
    const start = batchViewFrom(snapshot(3), 0);
    expect(start.pictures).toEqual({ described: 0, needs_review: 0, model_failed: 0, drafted: 0 });
    const done = (index: number, result: object): BatchEvent => updated(index, 'complete', { result: { pictures: 6, ...result } });
    let batch = applyBatchEvent(start, done(0, { described: 4, needs_review: 2, model_failed: 2, drafted: 0 }), 0)!;
    batch = applyBatchEvent(batch, done(1, { described: 0, needs_review: 5, model_failed: 4, drafted: 1 }), 0)!;
    expect(batch.pictures).toEqual({ described: 4, needs_review: 7, model_failed: 6, drafted: 1 });
    expect(rowAt(batch.rows, 1)?.picture_counts).toEqual({ described: 0, needs_review: 5, model_failed: 4, drafted: 1 });
    // A deck asked again (back to processing) no longer counts, until it completes again.
    batch = applyBatchEvent(batch, updated(1, 'processing'), 0)!;
    expect(batch.pictures).toEqual({ described: 4, needs_review: 2, model_failed: 2, drafted: 0 });
    // A snapshot recounts them from its rows.
    const { rows: _table, clock_at: _at, processing: _processing, ...header } = batch;
    const rows = [0, 1, 2].map((i) => rowAt(batch.rows, i)!);
    expect(batchViewFrom({ ...header, pictures: null, rows }, 0).pictures).toEqual(batch.pictures);
  });

  it('keeps the error and its code on a failed row', () => {
    const batch = batchViewFrom(snapshot(1), 0);
    const failed = applyBatchEvent(batch, updated(0, 'failed', { error: 'It broke.', error_code: 'EPROCESSOR_FAILED' }), 0)!;
    expect(rowAt(failed.rows, 0)).toMatchObject({ status: 'failed', error: 'It broke.', error_code: 'EPROCESSOR_FAILED' });
  });

  it('applies item:progressed to a processing row only, and changes nothing when the numbers are the same', () => {
    let batch = batchViewFrom(snapshot(2), 0);
    const progress: BatchEvent = {
      type: 'item:progressed',
      batch_id: ID,
      index: 0,
      path: `${ROOT}/deck-00000.pptx`,
      progress: { type: 'progress', pictures_found: 5, pictures_done: 2 },
    };
    expect(applyBatchEvent(batch, progress, 0)).toBe(batch);
    batch = applyBatchEvent(batch, updated(0, 'processing'), 0)!;
    const moved = applyBatchEvent(batch, progress, 0)!;
    expect(rowAt(moved.rows, 0)).toMatchObject({ pictures_done: 2, pictures_total: 5 });
    expect(applyBatchEvent(moved, progress, 0)).toBe(moved);
    // Progress survives the processing → processing update the runner may send.
    expect(rowAt(applyBatchEvent(moved, updated(0, 'processing'), 0)!.rows, 0)).toMatchObject({ pictures_done: 2 });
  });

  it('records batch:stopped with its reason and message, and batch:finished ends the batch', () => {
    const batch = batchViewFrom(snapshot(4), 0);
    const stopped = applyBatchEvent(
      batch,
      { type: 'batch:stopped', batch_id: ID, reason: 'error-threshold', message: 'Too many failed.', clock: clock({ total: 4, failed: 3, pending: 1 }) },
      0,
    )!;
    expect(stopped).toMatchObject({ state: 'stopped', stop_reason: 'error-threshold', stop_message: 'Too many failed.' });
    const finished = applyBatchEvent(stopped, { type: 'batch:finished', batch_id: ID, reason: 'error-threshold', clock: clock({ total: 4, failed: 3, pending: 1 }) }, 0)!;
    expect(finished).toMatchObject({ state: 'stopped', stop_reason: 'error-threshold', stop_message: 'Too many failed.' });

    const done = applyBatchEvent(batch, { type: 'batch:finished', batch_id: ID, reason: 'finished', clock: clock({ total: 4, complete: 4 }) }, 0)!;
    expect(done).toMatchObject({ state: 'finished', stop_reason: 'finished', stop_message: null });
    expect(done.counts.complete).toBe(4);
    expect(done.rows).toBe(batch.rows);
  });

  it('marks a resumed batch running again and clears the old stop reason', () => {
    const stopped = batchViewFrom(snapshot(2, { state: 'stopped', stop_reason: 'stop-now', stop_message: 'Stopped.' }), 0);
    const started = applyBatchEvent(
      stopped,
      { type: 'batch:started', batch_id: ID, manifest_path: stopped.manifest_path, resumed: true, dry_run: false, max_workers: 2, clock: clock({ total: 2, pending: 2 }) },
      0,
    )!;
    expect(started).toMatchObject({ state: 'running', stop_reason: null, stop_message: null, max_workers: 2 });
  });

  it('adds each warning once', () => {
    const batch = batchViewFrom(snapshot(1), 0);
    const warned = applyBatchEvent(batch, { type: 'batch:warned', batch_id: ID, message: 'Low disk space.' }, 0)!;
    expect(warned.warnings).toEqual(['Low disk space.']);
    expect(applyBatchEvent(warned, { type: 'batch:warned', batch_id: ID, message: 'Low disk space.' }, 0)).toBe(warned);
  });

  it('leaves the batch alone for events of another batch, and says a snapshot is needed', () => {
    const batch = batchViewFrom(snapshot(1), 0);
    const other: BatchEvent = { type: 'batch:warned', batch_id: 'other', message: 'x' };
    expect(applyBatchEvent(batch, other, 0)).toBe(batch);
    expect(isForOtherBatch(batch, other)).toBe(true);
    expect(isForOtherBatch(null, other)).toBe(true);
    expect(applyBatchEvent(null, other, 0)).toBeNull();
  });

  it('ignores an item:updated for an index the batch does not have', () => {
    const batch = batchViewFrom(snapshot(1), 0);
    const next = applyBatchEvent(batch, updated(5, 'complete'), 0)!;
    expect(next.rows).toBe(batch.rows);
  });

  it('shows a running batch as stopping once the user asks it to stop', () => {
    const batch = batchViewFrom(snapshot(1), 0);
    expect(withStopRequested(batch)?.state).toBe('stopping');
    const finished = { ...batch, state: 'finished' as const };
    expect(withStopRequested(finished)).toBe(finished);
  });

  it('applies 10,000 item events to a 10,000-row batch quickly, copying one chunk per event', () => {
    let batch = batchViewFrom(snapshot(10_000), 0);
    const events = Array.from({ length: 10_000 }, (_, index) => updated(index, 'complete', { result: { pictures: 1, described: 1 } }));
    // CPU time, not wall time: CI's two cores may be busy with other suites.
    const started = process.cpuUsage();
    for (const event of events) batch = applyBatchEvent(batch, event, 0)!;
    const spent = process.cpuUsage(started);
    const elapsed = (spent.user + spent.system) / 1000;
    expect(rowAt(batch.rows, 9_999)?.status).toBe('complete');
    expect(rowAt(batch.rows, 0)?.status).toBe('complete');
    // Copying all 10,000 rows per event would be 10^8 slot copies; one chunk is ~CHUNK_SIZE + 79.
    expect(elapsed).toBeLessThan(1500);
    expect(CHUNK_SIZE).toBeLessThanOrEqual(256);
  });
});

/** A run's last events, as a table: where a batch stands after each sequence, from a running or stopping batch. */
describe('applyBatchEvent over the end of a run', () => {
  const end = clock({ total: 4, complete: 2, pending: 2 }, 8000, 4000);
  const stopped = (reason: 'error-threshold' | 'stop-now', message: string): BatchEvent => ({ type: 'batch:stopped', batch_id: ID, reason, message, clock: end });
  const finished = (reason: 'finished' | 'error-threshold' | 'stop-now'): BatchEvent => ({ type: 'batch:finished', batch_id: ID, reason, clock: end });
  const paused: BatchEvent = {
    type: 'batch:paused',
    batch_id: ID,
    reason: 'model-unavailable',
    message: 'The model server does not answer.',
    wait_until: '2026-11-28T10:30:00.000+00:00',
    clock: end,
  };

  it.each([
    { name: 'stopped by the error threshold', from: 'running', events: [stopped('error-threshold', 'Too many failed.')], state: 'stopped', reason: 'error-threshold', message: 'Too many failed.', eta: 4000 },
    { name: 'stopped at the user’s request', from: 'stopping', events: [stopped('stop-now', 'Stopped at your request.')], state: 'stopped', reason: 'stop-now', message: 'Stopped at your request.', eta: 4000 },
    { name: 'stopped, then finished', from: 'running', events: [stopped('error-threshold', 'Too many failed.'), finished('error-threshold')], state: 'stopped', reason: 'error-threshold', message: 'Too many failed.', eta: null },
    { name: 'finished', from: 'running', events: [finished('finished')], state: 'finished', reason: 'finished', message: null, eta: 0 },
    { name: 'finished after a stop request with nothing left to stop', from: 'stopping', events: [finished('finished')], state: 'finished', reason: 'finished', message: null, eta: 0 },
    { name: 'paused for the model server', from: 'running', events: [paused], state: 'running', reason: null, message: null, eta: 4000 },
    { name: 'paused, then finished', from: 'running', events: [paused, finished('finished')], state: 'finished', reason: 'finished', message: null, eta: 0 },
  ] as const)('$from, $name: $state', ({ from, events, state, reason, message, eta }) => {
    let view: BatchView = batchViewFrom(snapshot(4, { state: from }), 0);
    for (const event of events) view = applyBatchEvent(view, event, 100);
    expect(view).toMatchObject({ state, stop_reason: reason, stop_message: message, eta_ms: eta, elapsed_ms: 8000, clock_at: 100 });
    // An ended batch's clock stands still.
    if (state !== 'running') expect(liveElapsedMs(view, 60_000)).toBe(8000);
  });
});

describe('batchViewFrom and snapshotOf', () => {
  const inspected = (pictures: number, missing: number | null) =>
    item(`${ROOT}/x.pptx`, 'complete', {
      result: { dry_run: true, ...(missing === null ? {} : { inspection: { slides: 1, pictures, pictures_missing_alt: missing, entries: 9, uncompressed_bytes: 1 } }) },
    });

  it('counts in a dry run’s totals only the decks that were inspected', () => {
    const start = batchViewFrom(snapshot(3, { dry_run: true }), 0);
    let view = applyBatchEvent(start, { type: 'item:updated', batch_id: ID, index: 0, item: inspected(3, 1), clock: clock({ total: 3 }) }, 0);
    view = applyBatchEvent(view, { type: 'item:updated', batch_id: ID, index: 1, item: inspected(0, null), clock: clock({ total: 3 }) }, 0);
    expect(view.totals).toEqual({ decks: 1, pictures: 3, pictures_missing_alt: 1, pictures_for_model: 1 });
    expect(batchViewFrom(snapshotOf(view, 0), 0).totals).toEqual(view.totals);
  });

  it('gives back the snapshot it was built from, with a running batch’s clock moved on to now', () => {
    const original: BatchSnapshot = snapshot(300, { elapsed_ms: 1000, warnings: ['Low disk space.'] });
    const view = batchViewFrom(original, 5000);
    expect(snapshotOf(view, 5000)).toEqual({ ...original, pictures: { described: 0, needs_review: 0, model_failed: 0, drafted: 0 } });
    expect(snapshotOf(view, 7500).elapsed_ms).toBe(3500);
    expect(snapshotOf({ ...view, state: 'stopped' }, 7500).elapsed_ms).toBe(1000);
  });
});
