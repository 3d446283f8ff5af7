/**
 * How many requests one model server gets at once. A server answers a few requests at the same
 * time (Ollama's `OLLAMA_NUM_PARALLEL`, vLLM's batch, llama.cpp's slots) and queues the rest;
 * what the batch wants is all of its slots busy and nothing piled up behind them.
 *
 * `AdaptiveLimit` finds that number by watching throughput and latency, in rounds (a round is
 * as many answers as the limit, at least MIN_ROUND, to requests sent since the limit last
 * changed, so that a round measures one limit). Throughput comes from Little's law:
 * requests in flight (counted as each answer comes) ÷ their mean latency, which holds however
 * the answers bunch up (a server
 * whose slots start together answers in bursts, and answers ÷ time would depend on where a
 * round's end falls). The unqueued latency is the median latency of recent requests that
 * surely found a slot free (sent with no more requests out than the slots proven).
 * - Start-up, as TCP's slow start: the limit doubles each round while throughput grows by at
 *   least half as much as the limit did and the answers do not come back queued (one slower
 *   than twice the unqueued latency, or a mean above 1.2×). Then the slots are estimated by
 *   Little's law (throughput × unqueued latency), between the last limit that grew throughput
 *   and this one.
 * - Then additive increase: every PROBE_EVERY rounds the limit is one higher for a round, and
 *   kept when throughput grew with it by at least half a slot's worth and more than the
 *   rounds' noise. Decrease when latency grows without throughput: a round whose requests
 *   waited, on average, half a turn more than the unqueued latency (beyond noise) takes one
 *   off; one that took more than twice it sets the limit back to Little's estimate; an answer
 *   "busy" (429, or 503 with Retry-After) takes a quarter off.
 * Rounds in which a slot was free with nothing to send say nothing about the server's
 * throughput and are not judged, except in start-up: one that reached the limit with no answer
 * queued proves that many slots, and the limit doubles.
 *
 * Guaranteed: the limit stays within 1..max; it changes only at the end of a round or on a
 * busy answer. Not guaranteed: the right number for a server shared with other clients, whose
 * load changes under us; the limit then follows what this batch gets of it.
 *
 * `capacity` is the number of slots the limit believes in (a lower bound during start-up): the
 * scheduler starts a request's timeout only once fewer than that many requests sent before it
 * are still unanswered, so time spent in the server's queue is not a description timing out.
 *
 * Pure: latencies come in as numbers (ms), so tests drive it with a simulated server.
 */

/** What a limit notes about a request when it is sent. */
export interface LimitStamp {
  readonly generation: number;
  readonly inFlight: number;
  /** When it was sent (ms, the caller's clock). */
  readonly at: number;
}

export interface ConcurrencyLimit {
  /** How many requests may be in flight to the server now. */
  readonly limit: number;
  /** How many the server is believed to work on at once (at most `limit`). */
  readonly capacity: number;
  /** True while the limit is still searching (start-up); false once settled, and always for a fixed limit. */
  readonly searching: boolean;
  /** A request is sent at `atMs`, with `inFlight` requests (itself included) out to this server: the stamp to give back with its answer. */
  sent(inFlight: number, atMs: number): LimitStamp;
  /** The request stamped `stamp` answered `rttMs` after it was sent; `inFlight` are out now, itself included. */
  answered(stamp: LimitStamp, inFlight: number, rttMs: number): void;
  /** A slot was free and nothing was waiting for it: this round cannot tell what the server can do. */
  idle(): void;
  /** The server said it is busy (429, or 503 with Retry-After). */
  busy(): void;
}

/**
 * `model.parallel_requests`: the number the user set, never changed. The server may have fewer
 * slots than that: `capacity` is the most requests seen worked on together, 1 until then.
 * Requests were worked on together when each was answered within 1.5× the fastest latency
 * and all of them were out at once for more than half the fastest latency. A server with
 * fewer slots cannot do that: a request that waited for a slot was answered at least one whole
 * latency after the one it waited for, so the two were out together for at most half of one.
 * (How many were out when a request was sent proves nothing: requests sent together may reach
 * the server in any order, and the last sent may be served first.)
 */
export class FixedLimit implements ConcurrencyLimit {
  readonly searching = false;
  private proven = 1;
  private fastest = Number.POSITIVE_INFINITY;
  /** Recent answers that may not have waited: when each was sent and answered. */
  private readonly recent: { readonly from: number; readonly to: number }[] = [];

  constructor(readonly limit: number) {}

  get capacity(): number {
    return Math.min(this.proven, this.limit);
  }

  sent(inFlight: number, atMs: number): LimitStamp {
    return { generation: 0, inFlight, at: atMs };
  }

  answered(stamp: LimitStamp, _inFlight: number, rttMs: number): void {
    this.fastest = Math.min(this.fastest, rttMs);
    if (rttMs > this.fastest * UNQUEUED_ANSWER) return;
    this.recent.push({ from: stamp.at, to: stamp.at + rttMs });
    if (this.recent.length > LATENCY_WINDOW) this.recent.shift();
    const slowest = this.fastest * UNQUEUED_ANSWER;
    const unqueued = this.recent.filter((answer) => answer.to - answer.from <= slowest);
    const together = this.fastest * TOGETHER;
    // The most answers out together for longer than `together`: out from the latest of their sends.
    for (const { from: start } of unqueued) {
      const count = unqueued.filter((answer) => answer.from <= start && answer.to - start > together).length;
      this.proven = Math.max(this.proven, count);
    }
  }

  idle(): void {}

  busy(): void {}
}

/** Where adaptive limits start: Ollama's usual 4 slots, and a 1-slot laptop sees 3 requests queued once. */
export const INITIAL_LIMIT = 4;
/** The most an adaptive limit reaches; `parallel_requests` sets more. */
export const MAX_ADAPTIVE_LIMIT = 64;
/** Fewest answers in a round: one or two answers say too little about a noisy server. */
export const MIN_ROUND = 4;
/** Settled: one round in this many tries the limit one higher. */
export const PROBE_EVERY = 3;
/** Start-up: a round with one answer slower than this × the unqueued latency, or a mean above QUEUED_MEAN ×, was queued. */
const QUEUED_ANSWER = 2;
const QUEUED_MEAN = 1.2;
/** FixedLimit: an answer within this × the fastest may not have waited for a slot… */
const UNQUEUED_ANSWER = 1.5;
/** …and such answers out together for longer than this × the fastest were worked on together. */
const TOGETHER = 0.5;
/** Settled: a round whose mean is above this × the unqueued latency piled up in the server's queue. */
const QUEUED_WHEN_SETTLED = 2;
/** How many recent unqueued latencies are kept: enough for a median, few enough that the first (cold) requests soon drop out. */
const LATENCY_WINDOW = 32;

type Phase = 'start-up' | 'measuring' | 'settled' | 'probing';

/** A round's throughput (answers per ms) and how sure it is (its standard error). */
interface Rate {
  readonly value: number;
  readonly error: number;
}

export class AdaptiveLimit implements ConcurrencyLimit {
  private current: number;
  /** The slots proven (start-up: a lower bound) or estimated (settled). */
  private believed = 1;
  private phase: Phase = 'start-up';
  /** Start-up: the last round that grew throughput (its limit, and answers per ms). */
  private grew: { readonly limit: number; readonly rate: number } | null = null;
  /** Settled: the throughput of the last round at the settled limit. */
  private settledRate: Rate = { value: 0, error: 0 };
  private roundsSinceProbe = 0;
  /** Counts changes of the limit: only answers to requests sent since the last one make a round. */
  private generation = 0;
  private answers = 0;
  private inFlightSum = 0;
  private rttSum = 0;
  private rttSquares = 0;
  private rttMax = 0;
  /** The most requests out (as stamped when sent) among this round's. */
  private peakInFlight = 0;
  private wasIdle = false;
  private previousLimit: number;
  /** Latencies of recent requests that found a slot free. */
  private readonly unqueued: number[] = [];

  constructor(
    initial: number = INITIAL_LIMIT,
    private readonly max: number = MAX_ADAPTIVE_LIMIT,
  ) {
    this.current = clamp(initial, 1, max);
    this.previousLimit = this.current;
  }

  get limit(): number {
    return this.current;
  }

  get capacity(): number {
    return Math.min(this.believed, this.current);
  }

  get searching(): boolean {
    return this.phase === 'start-up' || this.phase === 'measuring';
  }

  /** The server's latency without a queue (0 before any answer). */
  get unqueuedRttMs(): number {
    return this.unqueued.length === 0 ? 0 : median(this.unqueued);
  }

  sent(inFlight: number, atMs: number): LimitStamp {
    return { generation: this.generation, inFlight, at: atMs };
  }

  answered(stamp: LimitStamp, inFlight: number, rttMs: number): void {
    const rtt = Math.max(1, rttMs);
    // No more requests out than the slots proven (start-up), or believed in even if one too
    // many (settled): it did not wait for a slot.
    if (stamp.inFlight <= (this.searching ? this.believed : Math.max(1, this.believed - 1))) {
      this.unqueued.push(rtt);
      if (this.unqueued.length > LATENCY_WINDOW) this.unqueued.shift();
    }
    if (stamp.generation !== this.generation) return;
    this.answers += 1;
    this.inFlightSum += inFlight;
    this.rttSum += rtt;
    this.rttSquares += rtt * rtt;
    this.rttMax = Math.max(this.rttMax, rtt);
    this.peakInFlight = Math.max(this.peakInFlight, stamp.inFlight);
    if (this.answers < Math.max(this.current, MIN_ROUND)) return;
    const meanRtt = this.rttSum / this.answers;
    const spread = Math.sqrt(Math.max(0, this.rttSquares / this.answers - meanRtt * meanRtt));
    // The very first round's requests left together into an idle server: answers ÷ the time the
    // last one took. Every later round: Little's law, requests in flight = throughput × latency.
    const value = this.generation === 0 ? this.answers / this.rttMax : this.inFlightSum / this.rttSum;
    const rate: Rate = { value, error: (value * spread) / meanRtt / Math.sqrt(this.answers) };
    const meanError = spread / Math.sqrt(this.answers);
    if (!this.wasIdle && this.unqueued.length > 0) this.judge(rate, meanRtt, meanError, this.rttMax);
    else if (this.wasIdle && this.unqueued.length > 0) this.growIfFilled(rate, meanRtt, this.rttMax);
    this.newRound();
  }

  idle(): void {
    this.wasIdle = true;
  }

  busy(): void {
    const base = this.searching ? this.current : this.believed;
    this.believed = Math.max(1, Math.floor(base * 0.75));
    this.current = this.believed;
    this.phase = 'settled';
    this.roundsSinceProbe = 0;
    this.settledRate = { value: 0, error: 0 };
    this.newRound();
  }

  private newRound(): void {
    // A new limit, or a round to measure afresh: requests sent before it do not count.
    if (this.current !== this.previousLimit || this.phase === 'measuring') {
      this.generation += 1;
      this.previousLimit = this.current;
    }
    this.answers = 0;
    this.inFlightSum = 0;
    this.rttSum = 0;
    this.rttSquares = 0;
    this.rttMax = 0;
    this.peakInFlight = 0;
    this.wasIdle = false;
  }

  /**
   * Start-up, a round in which a slot was at times free with nothing to send (a batch whose
   * pictures come in bursts): its throughput says nothing, but when the limit was reached and
   * no answer came back queued, the server answered that many at once: the limit still doubles.
   * When answers came back queued after a raise, the limit goes back to the one proven (settled).
   */
  private growIfFilled(rate: Rate, meanRtt: number, slowest: number): void {
    if (this.phase !== 'start-up' || this.peakInFlight < this.current) return;
    const unqueued = this.unqueuedRttMs;
    if (slowest > unqueued * QUEUED_ANSWER || meanRtt > unqueued * QUEUED_MEAN) {
      // Only once a raise proved the half (at the first limit, nothing is proven yet).
      if (this.believed * 2 >= this.current) this.settle(this.believed, rate);
      return;
    }
    if (this.current >= this.max) return;
    this.believed = this.current;
    this.current = Math.min(this.max, this.current * 2);
  }

  /** Slots by Little's law: answers per ms × the latency of an answer that did not wait. */
  private slotsAt(rate: number): number {
    return rate * this.unqueuedRttMs;
  }

  private judge(rate: Rate, meanRtt: number, meanError: number, slowest: number): void {
    const unqueued = this.unqueuedRttMs;
    switch (this.phase) {
      case 'start-up': {
        const queued = slowest > unqueued * QUEUED_ANSWER || meanRtt > unqueued * QUEUED_MEAN;
        const grewEnough = this.grew === null || rate.value >= this.grew.rate * (1 + (this.current / this.grew.limit - 1) / 2);
        if (!queued && grewEnough && this.current < this.max) {
          this.grew = { limit: this.current, rate: rate.value };
          this.believed = this.current;
          this.current = Math.min(this.max, this.current * 2);
          return;
        }
        // Full. The first round had no earlier requests to mix with: it can be judged as it is.
        // After a raise, it began with requests sent under the lower limit, so one more round,
        // of requests sent under this one alone, measures the server full.
        if (this.grew === null) this.settle(clamp(Math.round(this.slotsAt(rate.value)), 1, this.current), rate);
        else this.phase = 'measuring';
        return;
      }
      case 'measuring':
        // The slots are between the last limit that grew throughput and this one.
        this.settle(clamp(Math.round(this.slotsAt(rate.value)), this.grew?.limit ?? 1, this.current), rate);
        return;
      case 'settled': {
        if (meanRtt > unqueued * QUEUED_WHEN_SETTLED) {
          const slots = clamp(Math.round(this.slotsAt(rate.value)), 1, this.current);
          if (slots < this.believed) {
            this.settle(slots, rate);
            return;
          }
        }
        // Requests waiting half a turn on average, more than noise explains: one too many.
        const excess = meanRtt - unqueued;
        if (this.believed > 1 && excess > Math.max((unqueued * 0.5) / this.believed, 2 * meanError)) {
          this.settle(this.believed - 1, rate);
          return;
        }
        this.settledRate = rate;
        this.roundsSinceProbe += 1;
        if (this.roundsSinceProbe >= PROBE_EVERY && this.believed < this.max) {
          this.phase = 'probing';
          this.current = this.believed + 1;
        }
        return;
      }
      case 'probing': {
        // One more request in flight must bring at least half of one more slot's answers, and
        // more than the two rounds' noise could: a busy server with many slots gains little.
        const gain = rate.value - this.settledRate.value;
        const noise = 2 * Math.hypot(rate.error, this.settledRate.error);
        if (gain >= Math.max((this.settledRate.value * 0.5) / this.believed, noise)) {
          this.believed += 1;
          this.settledRate = rate;
          // It grew: try the next one at once (additive increase, a round at a time).
          this.current = Math.min(this.max, this.believed + 1);
          if (this.current === this.believed) this.phase = 'settled';
          return;
        }
        this.current = this.believed;
        this.phase = 'settled';
        this.roundsSinceProbe = 0;
        return;
      }
    }
  }

  /** `rate`: what the full server delivered, which the settled limit keeps. */
  private settle(slots: number, rate: Rate): void {
    this.believed = slots;
    this.current = slots;
    this.phase = 'settled';
    this.settledRate = rate;
    this.roundsSinceProbe = 0;
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(high, value));
}
