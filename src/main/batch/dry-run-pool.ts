import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AltgenConfig } from '../../shared/config-schema';
import { outsideAsar } from '../files/outside-asar';
import { deckInHand, handOver, now, PROGRESS_BYTES, progressViews, type ProgressViews } from './dry-run-progress';
import { refused, type InspectionOutcome } from './inspect-deck';

/**
 * The dry run for a batch: `createDeckInspector(config).inspect(path)` inspects a deck as
 * `inspectDeck` does (opened and planned as the processor opens and plans it), in a thread of
 * its own, so that an untrusted deck cannot take the runner or the app down.
 *
 * Why threads, and what they bound: a deck is read in a worker thread whose JavaScript heap
 * is capped (`resourceLimits`, 512 MB by default: what the hostile-input suite allows the
 * whole processor). A deck whose reading exhausts it ends as that deck's failure (ECRASHED,
 * with the reason) and the thread is replaced; one that takes longer than
 * `file_timeout_seconds` is stopped (ETIMEOUT). Measured: a thread of the build starts in
 * ~0.14 s and reads a small deck in ~2 ms of CPU; a deck of 60,000 pictures that needs more
 * than 64 MB ends that way and the next deck is read by a new thread (dry-run-pool.test.ts).
 * Processes would isolate native code too, but start in the processor's time each and pass
 * every result through a pipe; a dry run runs no native code of its own (image sizes come
 * from image-size, plain JavaScript), only Node's zlib inflating bounded parts. Each thread
 * reads one deck at a time, so a failure is always the deck's that caused it; `parallel`
 * threads read `parallel` decks at once.
 *
 * Decks go to a thread in small batches (up to BATCH_DECKS, shared among the idle threads) and
 * come back in one message per batch: a message per deck woke the threads at every deck, and
 * fewer messages save ~0.1 ms of CPU per small deck on 2 cores (docs/benchmarks.md). The deck
 * in hand is still known deck by deck, without a message: the thread writes which deck of its
 * batch it is reading, and since when, into memory it shares with the pool
 * (dry-run-progress.ts). A timeout or a crash is that deck's alone; the decks of its batch read
 * before it (their outcomes were in the lost reply) and after it are read again by the next
 * thread, as if they had waited.
 */

export interface DeckInspector {
  inspect(path: string): Promise<InspectionOutcome>;
  /** Stops every thread; inspections still waiting are rejected. */
  close(): Promise<void>;
}

export interface DeckInspectorOptions {
  /** Decks read at once, each in its own thread (default: the cores, at most 4). */
  readonly parallel?: number;
  /** The JavaScript heap a thread may use, in MB (default 512). */
  readonly heapMb?: number;
  /** How long one deck may take (default: `batch_processing.file_timeout_seconds`). */
  readonly timeoutMs?: number;
  /** Answer with the accessibility audit's findings too (`altgen audit`), not only its counts (default false). */
  readonly findings?: boolean;
}

/** A message to a thread: inspect these decks, in order. */
export interface DryRunRequest {
  readonly id: number;
  readonly paths: readonly string[];
}

/** The outcome (or a bug's message) for one deck. */
export type DryRunAnswer = { readonly outcome: InspectionOutcome } | { readonly error: string };

/** A thread's answer: ready to take decks, or the answers for one request, deck by deck. */
export type DryRunReply = { readonly ready: true } | { readonly id: number; readonly answers: readonly DryRunAnswer[] };

const DEFAULT_DRY_RUN_HEAP_MB = 512;
/**
 * The most decks one request carries: the runner keeps 8 decks per thread in flight
 * (batch-runner.ts), so half of them can wait in the pool while a thread reads its 4, and a
 * thread that answers finds its next decks there instead of idling while the runner records
 * the ones it just got.
 */
const BATCH_DECKS = 4;
const MAX_DEFAULT_THREADS = 4;
/** The threads a batch's dry run reads decks with: one per core, at most 4. */
export const DRY_RUN_THREADS = Math.min(MAX_DEFAULT_THREADS, availableParallelism());

export function createDeckInspector(config: AltgenConfig, options: DeckInspectorOptions = {}): DeckInspector {
  return new DryRunPool(config, {
    parallel: Math.max(1, options.parallel ?? DRY_RUN_THREADS),
    heapMb: options.heapMb ?? DEFAULT_DRY_RUN_HEAP_MB,
    timeoutMs: options.timeoutMs ?? config.batch_processing.file_timeout_seconds * 1000,
    findings: options.findings ?? false,
  });
}

interface Job {
  readonly path: string;
  resolve(outcome: InspectionOutcome): void;
  reject(error: Error): void;
}

interface Thread {
  readonly worker: Worker;
  readonly progress: ProgressViews;
  ready: boolean;
  /** The request in hand: its id and decks, in the order sent; empty when idle. */
  requestId: number;
  jobs: Job[];
  timer: NodeJS.Timeout | null;
}

class DryRunPool implements DeckInspector {
  private readonly threads = new Set<Thread>();
  private readonly waiting: Job[] = [];
  private nextRequest = 0;
  private closed = false;

  constructor(
    private readonly config: AltgenConfig,
    private readonly options: Required<DeckInspectorOptions>,
  ) {}

  inspect(file: string): Promise<InspectionOutcome> {
    if (this.closed) return Promise.reject(new Error('The dry run has been closed.'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ path: file, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const stopped = new Error('The dry run was closed before the deck was read.');
    for (const job of this.waiting.splice(0)) job.reject(stopped);
    const threads = [...this.threads];
    this.threads.clear();
    for (const thread of threads) for (const job of thread.jobs) job.reject(stopped);
    await Promise.all(threads.map((thread) => this.stop(thread)));
  }

  /** Gives waiting decks to idle threads, shared among them, and starts threads (up to `parallel`) for the rest. */
  private dispatch(): void {
    const idle = [...this.threads].filter((thread) => thread.ready && thread.jobs.length === 0);
    for (const [i, thread] of idle.entries()) {
      const share = Math.min(BATCH_DECKS, Math.ceil(this.waiting.length / (idle.length - i)));
      if (share > 0) this.run(thread, this.waiting.splice(0, share));
    }
    let starting = [...this.threads].filter((thread) => !thread.ready).length;
    while (this.threads.size < this.options.parallel && this.waiting.length > starting) {
      this.start();
      starting += 1;
    }
  }

  private start(): void {
    const shared = new SharedArrayBuffer(PROGRESS_BYTES);
    const worker = new Worker(threadScript(), {
      workerData: { config: this.config, findings: this.options.findings, progress: shared },
      resourceLimits: { maxOldGenerationSizeMb: this.options.heapMb },
    });
    const thread: Thread = { worker, progress: progressViews(shared), ready: false, requestId: 0, jobs: [], timer: null };
    this.threads.add(thread);
    worker.unref();
    worker.on('message', (reply: DryRunReply) => this.receive(thread, reply));
    worker.on('error', (error: Error) => this.lost(thread, error));
    worker.on('exit', (code: number) => this.lost(thread, new Error(`the thread exited with code ${code}`)));
  }

  private run(thread: Thread, jobs: Job[]): void {
    this.nextRequest += 1;
    thread.requestId = this.nextRequest;
    thread.jobs = jobs;
    thread.worker.ref();
    handOver(thread.progress);
    this.watch(thread, this.options.timeoutMs);
    thread.worker.postMessage({ id: thread.requestId, paths: jobs.map((job) => job.path) } satisfies DryRunRequest);
  }

  /** Checks, when the deck in hand may have had its time, whether it has; else looks again when it would. */
  private watch(thread: Thread, delayMs: number): void {
    thread.timer = setTimeout(() => {
      const { deck, since } = deckInHand(thread.progress);
      const left = since + this.options.timeoutMs - now();
      if (left > 0) {
        this.watch(thread, left);
        return;
      }
      const seconds = Number((this.options.timeoutMs / 1000).toFixed(3));
      this.threads.delete(thread);
      this.endRequest(thread, deck, refused('ETIMEOUT', `Reading it took longer than ${seconds} s (file_timeout_seconds); stopped.`));
      void this.stop(thread);
      this.dispatch();
    }, delayMs);
  }

  private receive(thread: Thread, reply: DryRunReply): void {
    if ('ready' in reply) {
      thread.ready = true;
      this.dispatch();
      return;
    }
    if (reply.id !== thread.requestId) return;
    const jobs = thread.jobs;
    this.clear(thread);
    for (const [i, job] of jobs.entries()) {
      const answer = reply.answers[i];
      if (answer && 'outcome' in answer) job.resolve(answer.outcome);
      else job.reject(new Error(`The dry run failed on ${job.path}: ${answer ? answer.error : 'the thread gave no answer for it'}`));
    }
    this.dispatch();
  }

  /**
   * A thread that ends with a deck in hand ends as that deck's failure; one that ends before it
   * could take any deck is a fault of the pool itself, and every waiting deck is rejected.
   */
  private lost(thread: Thread, error: Error): void {
    if (!this.threads.delete(thread)) return;
    if (thread.jobs.length > 0) {
      const memory = (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.endRequest(
        thread,
        deckInHand(thread.progress).deck,
        memory
          ? refused('ECRASHED', `Reading it needed more than ${this.options.heapMb} MB of memory and was stopped: the deck is too large or too complex to read safely.`)
          : refused('ECRASHED', `Reading it stopped unexpectedly (${error.message}).`),
      );
    } else if (!thread.ready && !this.closed) {
      const failed = new Error(`The dry run could not start its reader: ${error.message}`);
      for (const waiting of this.waiting.splice(0)) waiting.reject(failed);
    }
    void this.stop(thread);
    if (!this.closed) this.dispatch();
  }

  /**
   * Ends the request of a thread that is stopped: the deck in hand gets `outcome`; the other
   * decks of the request go back to the front of the queue, in their order, to be read again.
   */
  private endRequest(thread: Thread, deck: number, outcome: InspectionOutcome): void {
    const jobs = thread.jobs;
    this.clear(thread);
    const inHand = jobs[Math.min(Math.max(deck, 0), jobs.length - 1)];
    this.waiting.unshift(...jobs.filter((job) => job !== inHand));
    inHand?.resolve(outcome);
  }

  private clear(thread: Thread): void {
    if (thread.timer) clearTimeout(thread.timer);
    thread.timer = null;
    thread.jobs = [];
    thread.worker.unref();
  }

  private async stop(thread: Thread): Promise<void> {
    this.clear(thread);
    thread.worker.removeAllListeners();
    thread.worker.on('error', () => undefined);
    await thread.worker.terminate();
  }
}

/**
 * The thread's script. From the build it is `dry-run-thread.js` beside the hosts' entries in
 * out/main (electron.vite.config.ts names it), while this module is in out/main or a chunk
 * below it; inside Electron's app.asar it runs from app.asar.unpacked, as the OCR thread does.
 * From source (tests, tsx) it is dry-run-thread.ts beside this file, loaded through tsx's
 * loader as the processor is from source.
 */
function threadScript(): URL {
  for (const candidate of ['./dry-run-thread.js', '../dry-run-thread.js']) {
    const file = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(file)) return pathToFileURL(outsideAsar(file));
  }
  const source = new URL('./dry-run-thread.ts', import.meta.url).href;
  const tsx = pathToFileURL(path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const bootstrap = `const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(source)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`);
}
