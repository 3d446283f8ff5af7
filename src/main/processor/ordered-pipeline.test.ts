import { describe, expect, it } from 'vitest';
import { runOrderedPipeline } from './ordered-pipeline';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runOrderedPipeline', () => {
  it('prepares ahead while finishing in order, one at a time, never more than the lookahead ahead', async () => {
    const log: string[] = [];
    let preparing = 0;
    let mostPreparing = 0;
    let finishing = 0;
    const results = await runOrderedPipeline(
      [30, 5, 20, 1, 10],
      async (ms) => {
        preparing += 1;
        mostPreparing = Math.max(mostPreparing, preparing);
        log.push(`prepare ${ms}`);
        await delay(ms);
        preparing -= 1;
        return ms * 2;
      },
      async (_ms, prepared, index) => {
        finishing += 1;
        expect(finishing).toBe(1);
        await delay(5);
        finishing -= 1;
        return `${index}:${prepared}`;
      },
      { lookahead: 2 },
    );
    expect(results).toEqual(['0:60', '1:10', '2:40', '3:2', '4:20']);
    expect(mostPreparing).toBe(3);
    expect(log.slice(0, 3)).toEqual(['prepare 30', 'prepare 5', 'prepare 20']);
  });

  it('stops starting work when finish fails, and swallows the failures of work already started', async () => {
    const started: number[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await expect(
        runOrderedPipeline(
          [0, 1, 2, 3, 4, 5],
          async (n) => {
            started.push(n);
            if (n > 0) throw new Error(`prepare ${n} failed`);
            return n;
          },
          async () => {
            throw new Error('model gone');
          },
          { lookahead: 1 },
        ),
      ).rejects.toThrow('model gone');
      await delay(20);
      expect(started).toEqual([0, 1]);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('reports a failed preparation when its turn comes, and honours an abort', async () => {
    await expect(runOrderedPipeline([1], async () => Promise.reject(new Error('bad picture')), async () => 1, { lookahead: 3 })).rejects.toThrow('bad picture');
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await expect(runOrderedPipeline([1], async () => 1, async () => 1, { lookahead: 1, signal: controller.signal })).rejects.toThrow('stopped');
  });
});
