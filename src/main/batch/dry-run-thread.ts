import { parentPort, workerData } from 'node:worker_threads';
import type { AltgenConfig } from '../../shared/config-schema';
import { fingerprintOfSync } from './input-fingerprint';
import { inspectDeck } from './inspect-deck';
import type { DryRunAnswer, DryRunReply, DryRunRequest } from './dry-run-pool';
import { beginDeck, progressViews } from './dry-run-progress';

/**
 * One thread of the dry-run pool (dry-run-pool.ts): inspects the decks it is sent, one at a
 * time, under the settings it was started with, and answers each request with the outcome of
 * each of its decks (or, for a bug, the error's message), saying in the memory it shares with
 * the pool which deck it is reading and since when.
 */

const port = parentPort;
if (!port) throw new Error('dry-run-thread.ts runs as a worker thread of the dry-run pool');
const { config, findings, progress: shared } = workerData as { readonly config: AltgenConfig; readonly findings: boolean; readonly progress: SharedArrayBuffer };
const progress = progressViews(shared);

async function answer(path: string): Promise<DryRunAnswer> {
  try {
    // This thread reads one deck at a time and serves nothing else: synchronous reads block
    // nothing here and cost a tenth of the CPU time of the thread pool's (file-reads.ts).
    const outcome = await inspectDeck(path, config, { syncReads: true }, { findings });
    // The fingerprint is taken here too, so that the runner's thread makes no call per deck.
    return { outcome: outcome.ok ? { ...outcome, fingerprint: fingerprintOfSync(path) } : outcome };
  } catch (error) {
    return { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

port.on('message', (request: DryRunRequest) => {
  void (async () => {
    const answers: DryRunAnswer[] = [];
    for (const [i, path] of request.paths.entries()) {
      // The pool set deck 0 and its time when it sent the request.
      if (i > 0) beginDeck(progress, i);
      answers.push(await answer(path));
    }
    port.postMessage({ id: request.id, answers } satisfies DryRunReply);
  })();
});
port.postMessage({ ready: true } satisfies DryRunReply);
