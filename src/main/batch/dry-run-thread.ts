import { parentPort, workerData } from 'node:worker_threads';
import type { AltgenConfig } from '../../shared/config-schema';
import { fingerprintOfSync } from './input-fingerprint';
import { inspectDeck } from './inspect-deck';
import type { DryRunReply, DryRunRequest } from './dry-run-pool';

/**
 * One thread of the dry-run pool (dry-run-pool.ts): inspects the decks it is sent, one at a
 * time, under the settings it was started with, and answers each with its outcome (or, for a
 * bug, the error's message).
 */

const port = parentPort;
if (!port) throw new Error('dry-run-thread.ts runs as a worker thread of the dry-run pool');
const config = (workerData as { readonly config: AltgenConfig }).config;

port.on('message', (request: DryRunRequest) => {
  // This thread reads one deck at a time and serves nothing else: synchronous reads block
  // nothing here and cost a tenth of the CPU time of the thread pool's (file-reads.ts).
  inspectDeck(request.path, config, { syncReads: true }).then(
    // The fingerprint is taken here too, so that the runner's thread makes no call per deck.
    (outcome) => port.postMessage({ id: request.id, outcome: outcome.ok ? { ...outcome, fingerprint: fingerprintOfSync(request.path) } : outcome } satisfies DryRunReply),
    (error: unknown) => port.postMessage({ id: request.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies DryRunReply),
  );
});
port.postMessage({ ready: true } satisfies DryRunReply);
