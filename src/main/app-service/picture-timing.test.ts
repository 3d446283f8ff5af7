import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import { clock, item } from '../../shared/testing/batch-fixtures';
import { PictureTiming } from './picture-timing';

let dir: string;
let timing: PictureTiming;
const LLAVA = DEFAULT_CONFIG.model;
const OTHER = { ...DEFAULT_CONFIG.model, name: 'qwen2.5vl' };

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-timing-'));
  timing = new PictureTiming(path.join(dir, 'data', 'picture-timing.json'));
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('PictureTiming', () => {
  it('knows nothing before a run measured a model, and keeps each model’s time apart', async () => {
    expect(await timing.msPerPicture(LLAVA)).toBeNull();
    await timing.record(LLAVA, 30_000, 3);
    expect(await timing.msPerPicture(LLAVA)).toBe(10_000);
    expect(await timing.msPerPicture(OTHER)).toBeNull();
  });

  it('follows a faster computer: older measurements weigh as at most 100 pictures', async () => {
    await timing.record(LLAVA, 1_000 * 20_000, 1_000);
    await timing.record(LLAVA, 100 * 2_000, 100);
    expect(await timing.msPerPicture(LLAVA)).toBe(11_000);
  });

  it('reads a damaged file as nothing measured, and replaces it with the next measurement', async () => {
    await fs.mkdir(path.dirname(timing.file), { recursive: true });
    await fs.writeFile(timing.file, '{ not json');
    expect(await timing.msPerPicture(LLAVA)).toBeNull();
    await timing.record(LLAVA, 5_000, 1);
    expect(await timing.msPerPicture(LLAVA)).toBe(5_000);
  });

  it('measures a run from the time of its complete decks that asked the model, over their calls, and a dry run not at all', async () => {
    const done = (seconds: number, calls: number) => ({
      type: 'item:updated' as const,
      batch_id: 'b',
      index: 0,
      item: item('/in/a.pptx', 'complete', { result: { duration_seconds: seconds, model_calls: calls } }),
      clock: clock({ total: 1, complete: 1 }),
    });
    const finished = { type: 'batch:finished' as const, batch_id: 'b', reason: 'finished' as const, clock: clock({ total: 1, complete: 1 }) };
    const dryRun = timing.meter(LLAVA);
    dryRun.observe({ type: 'batch:started', batch_id: 'b', manifest_path: '/out/m.json', resumed: false, dry_run: true, max_workers: 1, clock: clock({ total: 1 }) });
    dryRun.observe(done(9, 3));
    dryRun.observe(finished);
    const run = timing.meter(LLAVA);
    run.observe({ type: 'batch:started', batch_id: 'b', manifest_path: '/out/m.json', resumed: false, dry_run: false, max_workers: 1, clock: clock({ total: 2 }) });
    run.observe(done(12, 3));
    run.observe(done(8, 0));
    run.observe(finished);
    // The deck the cache answered entirely says nothing about the model's time.
    await expect.poll(() => timing.msPerPicture(LLAVA)).toBe(4_000);
  });
});
