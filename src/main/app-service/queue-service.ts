import path from 'node:path';
import { assertNever } from '../../shared/assert-never';
import { batchEndNotice, type Notice } from '../../shared/batch-end-notice';
import type { BridgeEvent, DeckLog, RequestOf, WhenDone } from '../../shared/ipc-contract';
import type { BatchRunner } from '../batch/batch-runner';
import { readDeckLog } from '../batch/deck-log';
import { batchIdFromFileName } from '../batch/manifest-store';
import type { QueueEdit } from '../batch/queue-edits';
import { editStoppedBatch } from '../batch/queue-edits';
import type { ActiveRun } from './active-run';
import type { BatchTracker } from './batch-tracker';
import { BridgeFailure } from './bridge-failure';

/**
 * The queue as people know it from HandBrake, for both hosts: pause and go on, move a pending
 * deck to the front, skip or remove it, put it back, read a deck's log, and what happens when a
 * batch is done. A change to the running batch goes to its runner; one to a batch that is not
 * running is made in its manifest, under its lock (batch/queue-edits.ts), and the batch's
 * picture is shown again.
 */

/** What only the host does when a batch is done; without them the page is asked to notify, and quitting is not offered. */
export interface WhenDoneHost {
  /** Shows a desktop notification (Electron). */
  readonly notify?: (notice: Notice) => void;
  /** Quits the app (Electron), once the batch has released its manifest. */
  readonly quit?: () => void;
}

export interface QueueServiceOptions {
  readonly host: WhenDoneHost;
  readonly activeRun: () => ActiveRun | null;
  readonly emit: (event: BridgeEvent) => void;
  /** The batch at `manifestPath` changed while it was not running: show it again if it is the current one. */
  readonly showAgain: (manifestPath: string) => Promise<void>;
}

type QueueChannel = 'queue:move-to-front' | 'queue:skip-file' | 'queue:remove-file' | 'queue:put-back-file';

function editOf(channel: QueueChannel): QueueEdit {
  switch (channel) {
    case 'queue:move-to-front':
      return 'move-to-front';
    case 'queue:skip-file':
      return 'skip';
    case 'queue:remove-file':
      return 'remove';
    case 'queue:put-back-file':
      return 'put-back';
    default:
      return assertNever(channel, 'queue channel');
  }
}

function applyTo(runner: BatchRunner, edit: QueueEdit, index: number): Promise<void> {
  switch (edit) {
    case 'move-to-front':
      return runner.moveToFront(index);
    case 'skip':
      return runner.skip(index);
    case 'remove':
      return runner.remove(index);
    case 'put-back':
      return runner.putBack(index);
    default:
      return assertNever(edit, 'queue edit');
  }
}

export class QueueService {
  private whenDone: WhenDone;

  constructor(private readonly options: QueueServiceOptions) {
    // The desktop app has always said when a batch ends; the browser asks for permission first.
    this.whenDone = options.host.notify ? 'notify' : 'nothing';
  }

  get choice(): WhenDone {
    return this.whenDone;
  }

  setWhenDone(choice: WhenDone): WhenDone {
    if (choice === 'quit' && !this.options.host.quit) {
      throw new BridgeFailure('ENOT_AVAILABLE', 'Quitting when the batch is done works in the desktop app only; here, close the tab yourself.');
    }
    this.whenDone = choice;
    return choice;
  }

  /** A run has settled (its manifest closed): notify or quit as the user asked, unless they stopped it themselves. */
  afterRun(tracker: BatchTracker | null): void {
    if (!tracker || this.whenDone === 'nothing') return;
    const snapshot = tracker.snapshot();
    const notice = batchEndNotice(snapshot.stop_reason ?? 'finished', snapshot.counts, snapshot.dry_run);
    if (!notice) return;
    switch (this.whenDone) {
      case 'notify':
        if (this.options.host.notify) this.options.host.notify(notice);
        else this.options.emit({ event: 'app:notification-requested', payload: notice });
        return;
      case 'quit':
        this.options.host.quit?.();
        return;
      default:
        assertNever(this.whenDone, 'when done');
    }
  }

  /** The running batch, if its runner still takes changes (not once it has reported its end). */
  private async runnerFor(manifestPath: string | null): Promise<BatchRunner | null> {
    const active = this.options.activeRun();
    if (!active) return null;
    if (active.ended) {
      await active.done;
      return null;
    }
    return manifestPath === null || active.currentTracker?.manifestPath === manifestPath ? active.runner : null;
  }

  async setPaused(paused: boolean): Promise<void> {
    const runner = await this.runnerFor(null);
    if (!runner) return;
    if (paused) await runner.pause();
    else await runner.continue();
  }

  async edit(channel: QueueChannel, request: RequestOf<QueueChannel>): Promise<null> {
    const manifestPath = path.resolve(request.manifest_path);
    const edit = editOf(channel);
    const runner = await this.runnerFor(manifestPath);
    if (runner) {
      await applyTo(runner, edit, request.index);
      return null;
    }
    await editStoppedBatch(manifestPath, edit, request.index);
    await this.options.showAgain(manifestPath);
    return null;
  }

  async log(request: RequestOf<'batch:get-log'>): Promise<DeckLog> {
    const manifestPath = path.resolve(request.manifest_path);
    const batchId = batchIdFromFileName(path.basename(manifestPath));
    if (batchId === null) throw new BridgeFailure('EBAD_REQUEST', `${manifestPath} is not a batch manifest.`);
    return readDeckLog(path.dirname(manifestPath), batchId, request.index);
  }
}
