import path from 'node:path';
import { assertNever } from '../../shared/assert-never';
import type { BatchEvent } from '../../shared/batch-events';
import type { ManifestDocument } from '../../shared/batch-types';
import type { BatchRunner } from '../batch/batch-runner';
import { ManifestStore } from '../batch/manifest-store';
import { BatchTracker } from './batch-tracker';

/**
 * One batch run, from the moment it is claimed until its runner has settled. The runner
 * reports nothing for what it records before `batch:started` (dispositions, resume checks),
 * so the tracker is built from the manifest once the batch has started; events that arrive
 * while it is read are applied after it, so the first snapshot already reflects them.
 */

export type StopMode = 'after-current' | 'now' | 'quit';

type StartedEvent = Extract<BatchEvent, { type: 'batch:started' }>;

export interface RunHooks {
  /** The batch has started: its tracker is built and holds every event so far. */
  readonly onStarted: (tracker: BatchTracker, started: StartedEvent) => void;
  /** An event after the start, already applied to the tracker. */
  readonly onEvent: (event: BatchEvent) => void;
  /** The run ended without its final event (e.g. the manifest could no longer be written). */
  readonly onAborted: (tracker: BatchTracker) => void;
}

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** A stand-in when the manifest cannot be read at the start: rows then come from events. */
function emptyDocument(started: StartedEvent): ManifestDocument {
  return {
    version: '1.0',
    batch_id: started.batch_id,
    output_dir: path.dirname(started.manifest_path),
    input_root: null,
    start_time: null,
    end_time: null,
    metadata: { processor: null, dry_run: started.dry_run, max_workers: started.max_workers },
    queue: { items: [] },
  };
}

export class ActiveRun {
  private runnerOfRun: BatchRunner | null = null;
  private stopMode: StopMode | null = null;
  private started: StartedEvent | null = null;
  private tracker: BatchTracker | null = null;
  private buffered: BatchEvent[] = [];
  private abortMessage: string | null = null;
  private readonly warnings: string[] = [];
  private readonly ready = deferred<BatchTracker>();
  private readonly settled = deferred<void>();

  constructor(private readonly hooks: RunHooks) {}

  /** The tracker once the batch has started, else null. */
  get currentTracker(): BatchTracker | null {
    return this.tracker;
  }

  /** The runner once the batch has started, for the user's changes to its queue (queue-service.ts). */
  get runner(): BatchRunner | null {
    return this.tracker ? this.runnerOfRun : null;
  }

  /** The batch has reported its end; the runner is only closing its manifest. */
  get ended(): boolean {
    return this.tracker !== null && !this.tracker.isActive;
  }

  /** Resolves when the runner has settled (its manifest closed and its lock released), or the run was abandoned. */
  get done(): Promise<void> {
    return this.settled.promise;
  }

  /** The run never began (its runner could not be built). */
  abandon(): void {
    this.settled.resolve();
  }

  readonly onEvent = (event: BatchEvent): void => {
    if (this.tracker) {
      this.tracker.apply(event);
      this.hooks.onEvent(event);
    } else if (this.started) {
      this.buffered.push(event);
    } else if (event.type === 'batch:warned') {
      this.warnings.push(event.message);
    } else if (event.type === 'batch:started') {
      this.started = event;
      void this.build(event);
    }
  };

  /** Runs the batch; resolves with its tracker once it has started, rejects if it cannot start. */
  begin(runner: BatchRunner): Promise<BatchTracker> {
    this.runnerOfRun = runner;
    if (this.stopMode) this.applyStop(this.stopMode);
    const running = runner.run();
    running.catch((error: unknown) => {
      if (!this.started) {
        this.ready.reject(error);
        return;
      }
      this.abortMessage = `The batch stopped unexpectedly: ${(error as Error).message}`;
      if (this.tracker) this.abort(this.tracker);
    });
    const afterStart = () => this.ready.promise.then(() => undefined, () => undefined);
    running.then(afterStart, afterStart).then(() => this.settled.resolve());
    return this.ready.promise;
  }

  /** The user's "Try now" while the batch waits for the model server; false when nothing waits or it still does not answer. */
  tryModelNow(): Promise<boolean> {
    return this.runnerOfRun?.tryModelNow() ?? Promise.resolve(false);
  }

  stop(mode: StopMode): void {
    this.stopMode = mode === 'after-current' ? (this.stopMode ?? mode) : mode;
    if (this.runnerOfRun) this.applyStop(mode);
    this.tracker?.markStopping();
  }

  private applyStop(mode: StopMode): void {
    const runner = this.runnerOfRun;
    if (!runner) return;
    switch (mode) {
      case 'after-current':
        runner.stopAfterCurrent();
        return;
      case 'now':
        runner.stopNow();
        return;
      case 'quit':
        runner.stopNow('interrupted', 'Interrupted because AltGen was closed; resume the batch to finish it.');
        return;
      default:
        assertNever(mode, 'stop mode');
    }
  }

  private async build(started: StartedEvent): Promise<void> {
    let document: ManifestDocument;
    try {
      document = (await ManifestStore.open(started.manifest_path)).snapshot();
    } catch (error) {
      this.warnings.push(`The batch's manifest could not be read to show its files (${(error as Error).message}); rows appear as files change.`);
      document = emptyDocument(started);
    }
    const tracker = new BatchTracker(document, started.manifest_path, { running: true, warnings: this.warnings, clock: started.clock });
    tracker.apply(started);
    for (const event of this.buffered) tracker.apply(event);
    this.buffered = [];
    if (this.stopMode) tracker.markStopping();
    this.tracker = tracker;
    this.hooks.onStarted(tracker, started);
    this.ready.resolve(tracker);
    if (this.abortMessage) this.abort(tracker);
  }

  private abort(tracker: BatchTracker): void {
    tracker.markAborted(this.abortMessage ?? 'The batch stopped unexpectedly.');
    this.hooks.onAborted(tracker);
  }
}
