import { describe, expect, it } from 'vitest';
import { AdaptiveLimit, FixedLimit, INITIAL_LIMIT, MAX_ADAPTIVE_LIMIT, type LimitStamp } from './concurrency-limit';
import { seededRandom } from '../batch/testing/altgen-cli';

/**
 * The limit against a simulated server in virtual time: `slots` requests at once, each taking
 * `latencyMs` (± `jitter`, seeded), the rest waiting in arrival order, as the stand-in server
 * (testing/fake-model-server.ts `capacity`) and Ollama do. The client keeps `limit` requests in
 * flight, as the scheduler does with pictures always waiting.
 */
interface Simulation {
  readonly limits: number[];
  /** The first answer after which the limit has stopped searching (start-up over). */
  readonly settledAfter: number | null;
  readonly peakWaiting: number;
}

function simulate(
  limit: AdaptiveLimit | FixedLimit,
  server: { slots: number; latencyMs: number; jitter?: number; lastSentFirst?: boolean },
  answers: number,
  seed = 1,
): Simulation {
  const random = seededRandom(seed);
  const latency = () => server.latencyMs * (1 + (server.jitter ?? 0) * (random() * 2 - 1));
  let now = 0;
  const inService: { sentAt: number; stamp: LimitStamp; doneAt: number }[] = [];
  const waiting: { sentAt: number; stamp: LimitStamp }[] = [];
  const limits: number[] = [];
  let settledAfter: number | null = null;
  let peakWaiting = 0;
  const inFlight = () => inService.length + waiting.length;
  // `lastSentFirst`: requests sent together reach the server in reverse order (each on its own connection).
  const next = () => (server.lastSentFirst ? waiting.pop() : waiting.shift());
  const fill = () => {
    while (inFlight() < limit.limit) waiting.push({ sentAt: now, stamp: limit.sent(inFlight() + 1, now) });
    peakWaiting = Math.max(peakWaiting, waiting.length - Math.max(0, server.slots - inService.length));
    while (inService.length < server.slots && waiting.length > 0) inService.push({ ...next()!, doneAt: now + latency() });
  };
  fill();
  for (let answer = 1; answer <= answers; answer += 1) {
    inService.sort((a, b) => a.doneAt - b.doneAt);
    const done = inService.shift()!;
    now = done.doneAt;
    const after = next();
    if (after !== undefined) inService.push({ ...after, doneAt: now + latency() });
    limit.answered(done.stamp, inFlight() + 1, now - done.sentAt);
    limits.push(limit.limit);
    if (settledAfter === null && !limit.searching) settledAfter = answer;
    fill();
  }
  return { limits, settledAfter, peakWaiting };
}

describe('AdaptiveLimit', () => {
  it.each([1, 4, 16])('converges to a %i-slot server within a bounded number of answers, and stays there', (slots) => {
    const limit = new AdaptiveLimit();
    const run = simulate(limit, { slots, latencyMs: 1000 }, 400);
    // Start-up doubles from 4 and measures one round past the slots: a few rounds of answers.
    expect(run.settledAfter).not.toBeNull();
    expect(run.settledAfter!).toBeLessThanOrEqual(10 * slots + 20);
    expect(limit.capacity).toBe(slots);
    // Settled, the limit is the slots, with a probe of one more now and then.
    const after = run.limits.slice(run.settledAfter!);
    expect(new Set(after)).toEqual(new Set(slots === 1 ? [1, 2] : [slots, slots + 1]));
    expect(after.filter((value) => value === slots).length).toBeGreaterThan(after.length / 2);
  });

  it.each([1, 4, 16])('finds a %i-slot server whose answers vary by ±30 %', (slots) => {
    const limit = new AdaptiveLimit();
    simulate(limit, { slots, latencyMs: 1000, jitter: 0.3 }, 600, slots);
    expect(limit.capacity).toBeGreaterThanOrEqual(slots - Math.max(1, slots / 8));
    expect(limit.capacity).toBeLessThanOrEqual(slots + Math.max(1, slots / 8));
  });

  it('piles nothing onto a 1-slot server past the first round', () => {
    const run = simulate(new AdaptiveLimit(), { slots: 1, latencyMs: 30_000 }, 60);
    // The first round sends INITIAL_LIMIT at once; after it, a probe adds one now and then.
    expect(run.peakWaiting).toBe(INITIAL_LIMIT - 1);
    expect(run.limits.slice(8).every((value) => value <= 2)).toBe(true);
  });

  it.each([4, 16])('grows to a %i-slot server when the requests come in bursts, with slots free between them', (slots) => {
    // A batch whose decks send their pictures together: the limit's worth goes out at once, and
    // the next burst only once all are answered, so every round had a slot free with nothing to send.
    const limit = new AdaptiveLimit();
    let answers = 0;
    while (answers < 20 * slots) {
      const burst = limit.limit;
      const stamps = Array.from({ length: burst }, (_, at) => limit.sent(at + 1, 0));
      for (const [at, stamp] of stamps.entries()) {
        // Answered in order; those past the slots waited a turn in the server's queue.
        const rtt = 1000 * (1 + Math.floor(at / slots));
        limit.answered(stamp, burst - at, rtt);
        if (at < burst - 1) limit.idle();
        answers += 1;
      }
    }
    expect(limit.capacity).toBe(slots);
    expect(limit.limit).toBe(slots);
  });

  it('finds more slots when the server gains them (probing one more at a time)', () => {
    const limit = new AdaptiveLimit();
    simulate(limit, { slots: 4, latencyMs: 500 }, 100);
    expect(limit.capacity).toBe(4);
    simulate(limit, { slots: 6, latencyMs: 500 }, 200);
    expect(limit.capacity).toBe(6);
  });

  it('never passes its maximum, however many slots the server has', () => {
    const limit = new AdaptiveLimit();
    const run = simulate(limit, { slots: 1000, latencyMs: 100 }, 2000);
    expect(Math.max(...run.limits)).toBeLessThanOrEqual(MAX_ADAPTIVE_LIMIT);
    expect(limit.limit).toBe(MAX_ADAPTIVE_LIMIT);
  });

  it('takes a quarter off when the server says it is busy, and does not judge rounds it could not fill', () => {
    const limit = new AdaptiveLimit();
    simulate(limit, { slots: 16, latencyMs: 100 }, 200);
    expect(limit.capacity).toBe(16);
    limit.busy();
    expect(limit.limit).toBe(12);
    const before = limit.limit;
    // A round with a free slot and nothing to send: a slow round, not the server's limit.
    limit.idle();
    for (let i = 0; i < 12; i += 1) limit.answered(limit.sent(12, 0), 12, 5_000);
    expect(limit.limit).toBe(before);
  });
});

describe('FixedLimit', () => {
  it('keeps the number set whatever the server does', () => {
    const limit = new FixedLimit(3);
    limit.busy();
    limit.answered(limit.sent(1, 0), 1, 100);
    expect([limit.limit, limit.searching]).toEqual([3, false]);
  });

  it.each([
    [1, false],
    [1, true],
    [2, false],
    [2, true],
    [4, false],
    [4, true],
  ])("believes in the slots it has seen answer without waiting, not in the number set (%i slots, last sent served first: %s)", (slots, lastSentFirst) => {
    for (const seed of [1, 2, 3]) {
      const limit = new FixedLimit(3);
      expect(limit.capacity).toBe(1);
      simulate(limit, { slots, latencyMs: 1000, jitter: 0.2, lastSentFirst }, 20, seed);
      expect(limit.capacity).toBe(Math.min(slots, 3));
    }
  });

  it('is not fooled by a first answer slowed by a cold start', () => {
    // One slot. The first answer takes 1.4 s (the model loading), the others 1 s; three out at
    // once: answered at 1.4, 2.4 and 3.4 s, the second one sent with two out, in 1.7× the fastest.
    const limit = new FixedLimit(3);
    const stamps = [1, 2, 3].map((out) => limit.sent(out, 0));
    limit.answered(stamps[0]!, 3, 1_400);
    limit.answered(stamps[1]!, 2, 2_400);
    limit.answered(stamps[2]!, 1, 3_400);
    expect(limit.capacity).toBe(1);
  });
});
