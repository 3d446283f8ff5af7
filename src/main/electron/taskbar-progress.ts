import type { BridgeEvent } from '../../shared/ipc-contract';
import { progressFraction } from './batch-feedback';

/**
 * The taskbar's (dock's) progress bar for the batch, from the events the window is sent: the
 * share of files done while the batch is active, shown paused (Windows draws it yellow) while
 * the batch waits for the model server or the user paused it, and no bar once it has ended.
 * Pure, so that it is tested without Electron; it keeps only whether the batch is paused.
 */
export interface TaskbarBar {
  /** 0..1, or -1 for no bar (BrowserWindow.setProgressBar). */
  readonly progress: number;
  readonly mode: 'normal' | 'paused';
}

export class TaskbarProgress {
  private paused = false;

  /** The bar after `event`, or null when the event changes nothing the bar shows. */
  next(event: BridgeEvent): TaskbarBar | null {
    if (event.event === 'batch:snapshot-replaced') {
      const snapshot = event.payload;
      this.paused = snapshot !== null && (snapshot.pause !== null || snapshot.user_paused === true);
      const active = snapshot !== null && (snapshot.state === 'running' || snapshot.state === 'stopping');
      return this.bar(snapshot ? progressFraction(snapshot.counts, active) : -1);
    }
    if (event.event !== 'batch:changed') return null;
    const change = event.payload;
    switch (change.type) {
      case 'item:progressed':
      case 'batch:warned':
        return null;
      case 'batch:paused':
        this.paused = true;
        break;
      case 'batch:continued':
        this.paused = false;
        break;
      case 'batch:pause-changed':
        this.paused = change.paused;
        break;
      case 'batch:stopped':
      case 'batch:finished':
        this.paused = false;
        return this.bar(-1);
      default:
        break;
    }
    return this.bar(progressFraction(change.clock.counts, true));
  }

  private bar(progress: number): TaskbarBar {
    return { progress, mode: this.paused && progress >= 0 ? 'paused' : 'normal' };
  }
}
