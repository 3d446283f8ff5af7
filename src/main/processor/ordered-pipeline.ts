/**
 * Two-stage processing in order: `prepare` (CPU work: decoding, resizing, reading text in the
 * picture) runs up to `lookahead` items ahead, while `finish` (the model call) takes the items
 * one at a time, in order. With a real model the pictures are ready before the model is; with
 * a fast one, both cores decode at once.
 *
 * Guarantees: `finish` sees items in input order, one at a time; at most `lookahead + 1`
 * prepared results are held at once (memory stays flat however long the deck); when `finish`
 * throws or the signal aborts, no new `prepare` starts, and the failures of those already
 * running are not reported as unhandled.
 *
 * Written here because p-map and p-queue bound concurrency but do not pair a bounded
 * read-ahead with a strictly ordered, one-at-a-time second stage.
 */
export async function runOrderedPipeline<Job, Prepared, Result>(
  jobs: readonly Job[],
  prepare: (job: Job) => Promise<Prepared>,
  finish: (job: Job, prepared: Prepared, index: number) => Promise<Result>,
  options: { readonly lookahead: number; readonly signal?: AbortSignal },
): Promise<Result[]> {
  const pending = new Map<number, Promise<Prepared>>();
  const start = (index: number): void => {
    const job = jobs[index];
    if (job === undefined || pending.has(index)) return;
    const promise = prepare(job);
    promise.catch(() => undefined);
    pending.set(index, promise);
  };
  const results: Result[] = [];
  for (let index = 0; index < jobs.length; index += 1) {
    options.signal?.throwIfAborted();
    for (let ahead = index; ahead <= index + options.lookahead; ahead += 1) start(ahead);
    const prepared = await (pending.get(index) as Promise<Prepared>);
    pending.delete(index);
    results.push(await finish(jobs[index] as Job, prepared, index));
  }
  return results;
}
