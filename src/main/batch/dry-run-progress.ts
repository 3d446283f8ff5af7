/**
 * What a dry-run thread shares with its pool (dry-run-pool.ts) about the request in hand,
 * without a message: the index of the deck it is reading (Int32, written and read with
 * Atomics) and when it began it (Float64, `now()`; written before the index, so that a new
 * index is seen with its time). The pool sets deck 0 and the time it sends the request, so a
 * deck's time runs, as it always did, from when it was handed over.
 */

export const PROGRESS_BYTES = 16;

export interface ProgressViews {
  readonly deck: Int32Array;
  readonly since: Float64Array;
}

export function progressViews(shared: SharedArrayBuffer): ProgressViews {
  return { deck: new Int32Array(shared, 0, 1), since: new Float64Array(shared, 8, 1) };
}

/**
 * Milliseconds since the epoch from each thread's monotonic clock: comparable between threads
 * (to well under a millisecond) and, unlike Date.now(), never set back.
 */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** The pool, as it sends a request: deck 0, from now. */
export function handOver(views: ProgressViews): void {
  views.since[0] = now();
  Atomics.store(views.deck, 0, 0);
}

/** The thread, as it begins deck `index` (> 0) of its request. */
export function beginDeck(views: ProgressViews, index: number): void {
  views.since[0] = now();
  Atomics.store(views.deck, 0, index);
}

/** The deck in hand and when it began (the index is read first: its time is at least as new). */
export function deckInHand(views: ProgressViews): { readonly deck: number; readonly since: number } {
  const deck = Atomics.load(views.deck, 0);
  return { deck, since: views.since[0] ?? 0 };
}
