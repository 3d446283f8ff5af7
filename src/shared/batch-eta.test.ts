import { describe, expect, it } from 'vitest';
import { PictureEta } from './batch-eta';

/** A run of `decks` pending decks, as the runner reports it. */
function etaOf(decks: number, options: Partial<ConstructorParameters<typeof PictureEta>[0]> = {}): PictureEta {
  const eta = new PictureEta({ workers: 1, ...options });
  for (let index = 0; index < decks; index += 1) eta.queued(index);
  return eta;
}

describe('PictureEta', () => {
  it('says nothing before it has anything to go on', () => {
    const eta = etaOf(3);
    expect(eta.estimateMs(0)).toBeNull();
    eta.moved(0, 'pending', 'processing', 0);
    expect(eta.estimateMs(5_000)).toBeNull();
  });

  it('estimates pictures still to describe × the measured time of one, not files × the mean file', () => {
    // Three decks planned by a dry run: 10, 1 and 1 pictures for the model.
    const planned = [10, 1, 1];
    const eta = etaOf(3, { planned: (index) => planned[index] ?? null });
    eta.moved(0, 'pending', 'processing', 0);
    eta.progressed(0, { pictures_found: 12, pictures_done: 0, pictures_to_describe: 10 });
    eta.moved(0, 'processing', 'complete', 50_000, { model_calls: 10 });
    // 5 s a picture, 2 pictures left; a per-file mean would say 2 × 50 s.
    expect(eta.estimateMs(50_000)).toBe(10_000);
  });

  it('counts a running deck’s pictures left from its progress, and times pictures while the deck still runs', () => {
    const eta = etaOf(1);
    eta.moved(0, 'pending', 'processing', 0);
    eta.progressed(0, { pictures_found: 8, pictures_done: 0, pictures_to_describe: 6 });
    expect(eta.estimateMs(1_000)).toBeNull();
    eta.progressed(0, { pictures_found: 8, pictures_done: 2, pictures_to_describe: 6 });
    // 2 pictures in 8 s: 4 s each, 4 left.
    expect(eta.estimateMs(8_000)).toBe(16_000);
  });

  it('takes the average deck of this run for decks no dry run planned', () => {
    const eta = etaOf(3);
    eta.moved(0, 'pending', 'processing', 0);
    eta.moved(0, 'processing', 'complete', 12_000, { model_calls: 4 });
    // 3 s a picture, 4 pictures a deck, 2 decks left.
    expect(eta.estimateMs(12_000)).toBe(24_000);
  });

  it('shares the pictures out over the workers, never over more workers than decks left', () => {
    const eta = etaOf(5, { workers: 4, planned: () => 2 });
    eta.moved(0, 'pending', 'processing', 0);
    eta.moved(0, 'processing', 'complete', 4_000, { model_calls: 2 });
    // 8 pictures at 2 s over 4 workers.
    expect(eta.estimateMs(4_000)).toBe(4_000);
    for (const index of [1, 2, 3]) {
      eta.moved(index, 'pending', 'processing', 4_000);
      eta.moved(index, 'processing', 'complete', 8_000, { model_calls: 2 });
    }
    // One deck left, one worker on it: 2 pictures at 2 s.
    expect(eta.estimateMs(8_000)).toBe(4_000);
  });

  it('uses the time measured on this computer before this run has timed a picture', () => {
    const eta = etaOf(2, { planned: () => 3, priorMsPerPicture: 7_000 });
    expect(eta.estimateMs(0)).toBe(42_000);
  });

  it('falls back to the mean time of a file when the decks ask no model', () => {
    const eta = etaOf(3);
    eta.moved(0, 'pending', 'processing', 0);
    eta.moved(0, 'processing', 'complete', 2_000, { described: 0 });
    expect(eta.estimateMs(2_000)).toBe(4_000);
  });

  it('forgets decks that leave the queue without running, and says 0 once nothing is left', () => {
    const eta = etaOf(2, { planned: () => 5, priorMsPerPicture: 1_000 });
    eta.moved(1, 'pending', 'skipped', 0);
    expect(eta.estimateMs(0)).toBe(5_000);
    eta.moved(0, 'pending', 'processing', 0);
    eta.moved(0, 'processing', 'complete', 5_000, { model_calls: 5 });
    expect(eta.estimateMs(5_000)).toBe(0);
  });

  it('puts a deck back in the queue (a pause, a stop now) with its pictures', () => {
    const eta = etaOf(1, { planned: () => 4, priorMsPerPicture: 1_000 });
    eta.moved(0, 'pending', 'processing', 0);
    eta.moved(0, 'processing', 'pending', 1_000);
    expect(eta.estimateMs(1_000)).toBe(4_000);
  });
});
