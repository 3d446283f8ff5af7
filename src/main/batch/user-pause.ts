/**
 * The user's pause of a running batch: while it lasts no deck starts (the runner's workers wait
 * here) and no picture starts (the processors wait on the run folder's pause file, see
 * processor/pause-gate.ts); what runs finishes. It also keeps the time paused, so that a deck
 * that waited the pause out is not stopped for taking too long.
 */
export class UserPause {
  private since: number | null = null;
  private pausedBefore = 0;
  private release: (() => void) | null = null;
  private waitingFor: Promise<void> | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  get paused(): boolean {
    return this.since !== null;
  }

  /** What workers wait on while the batch is paused; null when it is not. Ends early when `stopping` fires. */
  waiting(stopping: AbortSignal): Promise<void> | null {
    if (this.since === null || stopping.aborted) return null;
    this.waitingFor ??= new Promise<void>((resolve) => {
      const done = () => {
        stopping.removeEventListener('abort', done);
        this.waitingFor = null;
        this.release = null;
        resolve();
      };
      this.release = done;
      stopping.addEventListener('abort', done, { once: true });
    });
    return this.waitingFor;
  }

  /** False when it was paused already. */
  pause(): boolean {
    if (this.since !== null) return false;
    this.since = this.now();
    return true;
  }

  /** False when it was not paused. */
  continue(): boolean {
    if (this.since === null) return false;
    this.pausedBefore += this.now() - this.since;
    this.since = null;
    this.release?.();
    return true;
  }

  /** Milliseconds paused in all, the pause going on included: pass it to {@link pausedSince} later. */
  mark(): number {
    return this.pausedBefore + (this.since === null ? 0 : this.now() - this.since);
  }

  /** Milliseconds paused since `mark` was taken. */
  pausedSince(mark: number): number {
    return this.mark() - mark;
  }
}
