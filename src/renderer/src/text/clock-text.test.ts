import { describe, expect, it } from 'vitest';
import { liveElapsedMs } from '../../../shared/batch-fold';
import type { BatchState } from '../../../shared/ipc-contract';
import { elapsedText, etaText, roughDuration, runEstimateText } from './clock-text';

/**
 * The batch clock between events, as a table: the last event's clock (taken at `clock_at`)
 * and the time now → the elapsed time and the estimate shown. Running and stopping batches
 * count on; stopped and finished ones hold still.
 */
const AT = 1_000_000;
const clock = (state: BatchState, elapsed_ms: number, eta_ms: number | null) => ({ state, elapsed_ms, eta_ms, clock_at: AT });

describe('the batch clock', () => {
  it.each([
    { case: 'running: elapsed counts on, the estimate counts down', clock: clock('running', 10_000, 60_000), now: AT + 5_000, elapsed: '15s', eta: 'about 55s' },
    { case: 'stopping after the current files: still counting', clock: clock('stopping', 10_000, 60_000), now: AT + 5_000, elapsed: '15s', eta: 'about 55s' },
    { case: 'running, at the moment of the event', clock: clock('running', 0, 1_000), now: AT, elapsed: '0s', eta: 'about 1s' },
    { case: 'running, before the first file finishes', clock: clock('running', 4_000, null), now: AT + 1_000, elapsed: '5s', eta: 'estimating…' },
    { case: 'running, the estimate under a second', clock: clock('running', 0, 999), now: AT, elapsed: '0s', eta: 'almost done' },
    { case: 'running, the estimate used up', clock: clock('running', 0, 5_000), now: AT + 10_000, elapsed: '10s', eta: 'almost done' },
    { case: 'running, no time left at all', clock: clock('running', 0, 0), now: AT, elapsed: '0s', eta: 'almost done' },
    { case: 'running, the clock went back: nothing is taken off', clock: clock('running', 10_000, 60_000), now: AT - 30_000, elapsed: '10s', eta: 'about 1m 00s' },
    { case: 'running for days', clock: clock('running', 50 * 3_600_000, 26 * 3_600_000), now: AT + 3_600_000, elapsed: '51h 00m', eta: 'about 25h 00m' },
    { case: 'stopped: the clock holds still', clock: clock('stopped', 10_000, 60_000), now: AT + 99_000, elapsed: '10s', eta: 'none while the batch is stopped' },
    { case: 'stopped before any estimate', clock: clock('stopped', 10_000, null), now: AT + 99_000, elapsed: '10s', eta: 'none while the batch is stopped' },
    { case: 'finished: the clock holds still', clock: clock('finished', 10_000, 0), now: AT + 99_000, elapsed: '10s', eta: 'none, the batch is finished' },
    { case: 'finished without an estimate', clock: clock('finished', 125_000, null), now: AT + 99_000, elapsed: '2m 05s', eta: 'none, the batch is finished' },
  ])('$case', ({ clock: batchClock, now, elapsed, eta }) => {
    expect(elapsedText(batchClock, now)).toBe(elapsed);
    expect(etaText(batchClock, batchClock.state, now)).toBe(eta);
  });

  it('says a paused batch’s estimate is paused instead of counting it down', () => {
    expect(etaText(clock('running', 10_000, 60_000), 'paused', AT + 30_000)).toBe('paused');
  });

  it.each([
    { state: 'running', elapsed: 15_000 },
    { state: 'stopping', elapsed: 15_000 },
    { state: 'stopped', elapsed: 10_000 },
    { state: 'finished', elapsed: 10_000 },
  ] as const)('liveElapsedMs of a $state batch 5 s after its last event is $elapsed ms', ({ state, elapsed }) => {
    expect(liveElapsedMs(clock(state, 10_000, null), AT + 5_000)).toBe(elapsed);
  });
});

describe('the dry run’s estimate of the run', () => {
  it('multiplies the pictures for the model by one picture’s time here, shared by the workers', () => {
    expect(runEstimateText(75, 20_000, 1)).toBe('Describing 75 pictures should take about 25 minutes on this computer.');
    expect(runEstimateText(75, 20_000, 2)).toBe('Describing 75 pictures should take about 13 minutes on this computer.');
  });

  it('says a first guess is a guess until a run has timed this computer', () => {
    expect(runEstimateText(1, null, 1)).toBe('Describing 1 picture should take less than a minute (a first guess of 20 s a picture; the first run measures this computer).');
    expect(runEstimateText(0, null, 1)).toBe('No picture needs the model: the run should take a moment.');
  });

  it.each([
    [30_000, 'less than a minute'],
    [60_000, 'about 1 minute'],
    [89 * 60_000, 'about 89 minutes'],
    [150 * 60_000, 'about 2.5 hours'],
  ])('rounds %d ms as %s', (ms, words) => {
    expect(roughDuration(ms)).toBe(words);
  });
});
