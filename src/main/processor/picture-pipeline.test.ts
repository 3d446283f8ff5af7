import { describe, expect, it } from 'vitest';
import { runPicturePipeline } from './picture-pipeline';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('runPicturePipeline', () => {
  it('prepares a few at a time, in order, and waits for many answers at once', async () => {
    const answers = Array.from({ length: 8 }, () => deferred());
    let preparing = 0;
    let mostPreparing = 0;
    let waiting = 0;
    let mostWaiting = 0;
    const started: number[] = [];
    const run = runPicturePipeline(
      [0, 1, 2, 3, 4, 5, 6, 7],
      async (job) => {
        started.push(job);
        preparing += 1;
        mostPreparing = Math.max(mostPreparing, preparing);
        await tick();
        preparing -= 1;
        return job;
      },
      async (job) => {
        waiting += 1;
        mostWaiting = Math.max(mostWaiting, waiting);
        await answers[job]!.promise;
        waiting -= 1;
      },
      { prepareAtOnce: 2, ahead: () => 6 },
    );
    while (waiting < 6) await tick();
    // Six out at once (`ahead`), none more until one is answered.
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    answers[3]!.resolve();
    while (started.length < 7) await tick();
    for (const answer of answers) answer.resolve();
    await run;
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(mostPreparing).toBe(2);
    expect(mostWaiting).toBe(6);
  });

  it('says once when every picture is prepared and answers are still awaited', async () => {
    const answer = deferred();
    const calls: string[] = [];
    const run = runPicturePipeline(
      ['a', 'b'],
      async (job) => job,
      async (job) => {
        calls.push(`finish ${job}`);
        await answer.promise;
      },
      { prepareAtOnce: 1, ahead: () => 4, onAllPrepared: () => calls.push('all prepared') },
    );
    while (calls.length < 3) await tick();
    expect(calls).toEqual(['finish a', 'all prepared', 'finish b']);
    answer.resolve();
    await run;
  });

  it('stops starting, aborts the stages, and throws the first error once the others have ended', async () => {
    const seen: string[] = [];
    const failure = new Error('model server gone');
    const run = runPicturePipeline(
      [0, 1, 2, 3, 4],
      async (job) => job,
      async (job, _prepared, signal) => {
        if (job === 1) throw failure;
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        seen.push(`${job} stopped`);
        throw new Error(`late failure of ${job}`);
      },
      { prepareAtOnce: 5, ahead: () => 3 },
    );
    await expect(run).rejects.toBe(failure);
    expect(seen.sort()).toEqual(['0 stopped', '2 stopped']);
  });

  it("stops when the caller's signal aborts", async () => {
    const controller = new AbortController();
    const reason = new Error('batch stopped');
    const run = runPicturePipeline(
      [0, 1, 2],
      async (job) => job,
      (_job, _prepared, signal) => new Promise<void>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true })),
      { prepareAtOnce: 1, ahead: () => 3, signal: controller.signal },
    );
    await tick();
    controller.abort(reason);
    await expect(run).rejects.toBe(reason);
  });
});
