/**
 * A deck's pictures through two stages, many at a time: `prepare` (CPU work: decoding,
 * resizing, reading the text in the picture) at most `prepareAtOnce` at once, one per core,
 * and `finish` (the model's answer) for each picture as soon as it is prepared, however many
 * that is: the model requests' scheduler decides how many go out (request-scheduler.ts).
 *
 * Guarantees: jobs start in order; at most `ahead()` jobs are started and not finished, so the
 * prepared pictures waiting for the model stay few (memory stays flat however long the deck),
 * and the scheduler always has a few more than it can send, never the whole deck; `finish`es
 * run concurrently and end in any order. `onAllPrepared` is called once, when every job is
 * prepared and some still wait for their answer. When a stage throws or the caller's signal
 * aborts, no new job starts, the signal given to the stages aborts (the model requests still
 * out stop), the error is thrown once everything started has ended, and the failures of the
 * others are not reported as unhandled.
 *
 * Written here because p-map and p-queue bound one stage's concurrency, not a bounded
 * read-ahead feeding an unbounded second stage.
 */
export interface PicturePipelineOptions {
  readonly prepareAtOnce: number;
  /** How many jobs may be started and not finished; read again as jobs end (the model's capacity changes). */
  readonly ahead: () => number;
  readonly signal?: AbortSignal;
  readonly onAllPrepared?: () => void;
}

export async function runPicturePipeline<Job, Prepared>(
  jobs: readonly Job[],
  prepare: (job: Job, signal: AbortSignal) => Promise<Prepared>,
  finish: (job: Job, prepared: Prepared, signal: AbortSignal) => Promise<void>,
  options: PicturePipelineOptions,
): Promise<void> {
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  signal.throwIfAborted();
  let next = 0;
  let preparing = 0;
  let prepared = 0;
  let open = 0;
  let failure: { error: unknown } | null = null;
  return new Promise<void>((resolve, reject) => {
    const fail = (error: unknown): void => {
      failure ??= { error };
      if (!stop.signal.aborted) stop.abort(error);
      settleIfDone();
    };
    const settleIfDone = (): void => {
      if (open > 0) return;
      if (failure) reject(failure.error);
      else if (next >= jobs.length) resolve();
    };
    const startMore = (): void => {
      while (!failure && next < jobs.length && preparing < Math.max(1, options.prepareAtOnce) && open < Math.max(1, options.ahead())) {
        const job = jobs[next] as Job;
        next += 1;
        preparing += 1;
        open += 1;
        void run(job);
      }
      settleIfDone();
    };
    const run = async (job: Job): Promise<void> => {
      try {
        let ready: Prepared;
        try {
          ready = await prepare(job, signal);
        } finally {
          preparing -= 1;
        }
        prepared += 1;
        if (prepared === jobs.length && !failure) options.onAllPrepared?.();
        startMore();
        if (failure) return;
        await finish(job, ready, signal);
      } catch (error) {
        failure ??= { error };
        if (!stop.signal.aborted) stop.abort(error);
      } finally {
        open -= 1;
        startMore();
      }
    };
    options.signal?.addEventListener('abort', () => fail(options.signal?.reason), { once: true });
    startMore();
  });
}
