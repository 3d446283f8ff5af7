import type { ItemStatus, ProcessorCounts } from './batch-types';
import type { ProcessorProgressEvent } from './processor-protocol';

/**
 * The time a batch has left: the pictures still to describe × the time one picture takes here,
 * shared out over the workers. A file's time is nearly all model time, so a deck's duration over
 * the pictures the model described in it measures "one picture on this computer"; how many
 * pictures a pending deck has comes from the dry run that planned it, else from the average deck
 * of this run so far. Decks that ask no model (offline drafts, a processor that reports no model
 * calls, a dry run) fall back to the mean time of a deck × the decks left.
 *
 * Before this run has timed a picture, the time measured in earlier runs on this computer stands
 * in (`priorMsPerPicture`). Null while there is nothing to go on: no guess is better than a
 * wrong one. Pure bookkeeping, fed by the runner with every item transition and progress event;
 * its cost per event does not grow with the batch.
 */

/** One picture's time before this computer has been measured: a 7B vision model on a laptop's CPU. */
export const DEFAULT_MS_PER_PICTURE = 20_000;

export interface PictureEtaOptions {
  /** Files processed at the same time. */
  readonly workers: number;
  /** Pictures the model will be asked about in the file at `index`, when a dry run planned it. */
  readonly planned?: (index: number) => number | null;
  /** The time of one picture measured in earlier runs on this computer, or null. */
  readonly priorMsPerPicture?: number | null;
}

interface RunningDeck {
  readonly startedAt: number;
  /** Pictures the model will be asked about, when known (the plan, or the processor's progress). */
  toDescribe: number | null;
  found: number | null;
  done: number;
}

export class PictureEta {
  private pendingDecks = 0;
  /** Σ planned pictures of the pending decks that have a plan. */
  private plannedPictures = 0;
  private unplannedDecks = 0;
  private readonly running = new Map<number, RunningDeck>();
  /** Decks completed in this run whose processor counted its model calls. */
  private timedMs = 0;
  private timedPictures = 0;
  private timedDecks = 0;
  private deckMsTotal = 0;
  private deckCount = 0;

  constructor(private readonly options: PictureEtaOptions) {}

  /** A file pending when the run starts. */
  queued(index: number): void {
    this.enterPending(index);
  }

  /** A file changed status at `now`; `result` is a completed file's counts. */
  moved(index: number, from: ItemStatus, to: ItemStatus, now: number, result?: ProcessorCounts | null): void {
    if (from === to) return;
    if (from === 'pending') this.leavePending(index);
    if (to === 'pending') this.enterPending(index);
    if (from === 'processing') {
      const deck = this.running.get(index);
      this.running.delete(index);
      if (deck && (to === 'complete' || to === 'failed')) this.finished(now - deck.startedAt, to === 'complete' ? result : null);
    }
    if (to === 'processing') this.running.set(index, { startedAt: now, toDescribe: this.planOf(index), found: null, done: 0 });
  }

  /** A running file's processor reported its pictures. */
  progressed(index: number, progress: Pick<ProcessorProgressEvent, 'pictures_found' | 'pictures_done' | 'pictures_to_describe'>): void {
    const deck = this.running.get(index);
    if (!deck) return;
    if (progress.pictures_to_describe !== undefined) deck.toDescribe = progress.pictures_to_describe;
    if (progress.pictures_found !== undefined) deck.found = progress.pictures_found;
    if (progress.pictures_done !== undefined) deck.done = progress.pictures_done;
  }

  /** The time left at `now`, or null when there is nothing to go on yet. */
  estimateMs(now: number): number | null {
    const decksLeft = this.pendingDecks + this.running.size;
    if (decksLeft === 0) return this.deckCount > 0 || this.timedDecks > 0 ? 0 : null;
    const parallel = Math.max(1, Math.min(this.options.workers, decksLeft));
    const rate = this.msPerPicture(now);
    const pictures = this.picturesLeft();
    if (rate !== null && pictures !== null) return (pictures * rate) / parallel;
    if (this.deckCount === 0) return null;
    return ((this.deckMsTotal / this.deckCount) * decksLeft) / parallel;
  }

  /**
   * One picture's time: this run's decks (finished, and running ones by their progress), else
   * earlier runs'. Null when neither has timed one.
   */
  msPerPicture(now: number): number | null {
    let ms = this.timedMs;
    let pictures = this.timedPictures;
    for (const deck of this.running.values()) {
      const described = deck.toDescribe === null ? 0 : Math.min(deck.done, deck.toDescribe);
      if (described > 0) {
        ms += now - deck.startedAt;
        pictures += described;
      }
    }
    if (pictures > 0) return ms / pictures;
    return this.options.priorMsPerPicture ?? null;
  }

  /** Pictures still to describe; null when a deck's share cannot be told yet. */
  private picturesLeft(): number | null {
    const average = this.timedDecks > 0 ? this.timedPictures / this.timedDecks : null;
    if (this.unplannedDecks > 0 && average === null) return null;
    let pictures = this.plannedPictures + this.unplannedDecks * (average ?? 0);
    for (const deck of this.running.values()) {
      const total = deck.toDescribe ?? deck.found ?? average;
      if (total === null) return null;
      pictures += Math.max(0, total - deck.done);
    }
    return pictures;
  }

  private finished(durationMs: number, result: ProcessorCounts | null | undefined): void {
    this.deckMsTotal += durationMs;
    this.deckCount += 1;
    const calls = result?.model_calls;
    if (typeof calls !== 'number') return;
    this.timedDecks += 1;
    // A deck the cache answered entirely took time but described nothing: it counts as a deck
    // (the average deck), and its time goes with the pictures of the others.
    this.timedMs += durationMs;
    this.timedPictures += calls;
  }

  private planOf(index: number): number | null {
    return this.options.planned?.(index) ?? null;
  }

  private enterPending(index: number): void {
    this.pendingDecks += 1;
    const planned = this.planOf(index);
    if (planned === null) this.unplannedDecks += 1;
    else this.plannedPictures += planned;
  }

  private leavePending(index: number): void {
    this.pendingDecks -= 1;
    const planned = this.planOf(index);
    if (planned === null) this.unplannedDecks -= 1;
    else this.plannedPictures -= planned;
  }
}
