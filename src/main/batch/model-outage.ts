import type { ModelConfig } from '../../shared/config-schema';
import { firstSentence } from '../../shared/plain-sentence';
import { localIsoTimestamp } from '../../shared/time-format';
import type { ItemDecision } from './item-decision';
import { modelServerAnswers } from './model-check';

/**
 * The batch's wait for a model server that went away: no deck fails for it. The first file to
 * find the server gone starts the wait (the others join it); the server is polled with backoff
 * (2 s doubling to 30 s) and must answer a minimal request, not only its model list (a wedged
 * Ollama still answers that). Files start again as soon as it does; if it has not come back
 * `model_wait_minutes` after it first went away (a completed file ends an outage), the batch
 * gives up and stops with reason `model-unavailable`.
 */

/** First and longest pause between two polls of a model server that has gone away. */
export const MODEL_POLL_FIRST_MS = 2_000;
export const MODEL_POLL_MAX_MS = 30_000;

export interface ModelOutageOptions {
  readonly model: ModelConfig;
  readonly waitMinutes: number;
  /** Pauses between polls (default 2 s doubling to 30 s; tests shorten them). */
  readonly poll?: { readonly firstMs: number; readonly maxMs: number };
  /** Fires when the batch is asked to stop: ends a wait at once. */
  readonly stopping: AbortSignal;
  /** Whether the batch is ending anyway (a stop or a fatal error): the wait ends without a word. */
  readonly ending: () => boolean;
  readonly onPaused: (message: string, waitUntil: string) => void;
  readonly onBack: () => void;
  /** The server did not come back in time: the batch stops with this message. */
  readonly onGaveUp: (message: string) => void;
}

export class ModelOutage {
  private wait: Promise<void> | null = null;
  /** When the server was first found gone in the current outage. */
  private since: number | null = null;
  private backs = 0;
  /** Ends the pause between two polls at once (the user's "Try now"). */
  private wakeUp: (() => void) | null = null;
  /** Per item: `backs` when it last found the server gone. */
  private readonly unreachableAt = new Map<number, number>();

  constructor(private readonly options: ModelOutageOptions) {}

  /** The wait in progress; workers start nothing until it ends. */
  get waiting(): Promise<void> | null {
    return this.wait;
  }

  /** How many times the server was found back after being gone. */
  get backCount(): number {
    return this.backs;
  }

  /** A file completed: whatever outage there was is over. */
  fileCompleted(): void {
    this.since = null;
  }

  /** The file at `index` found the server gone: the batch waits for it, the file back in the queue. */
  serverGone(index: number, message: string): ItemDecision {
    const pause = { reason: 'model-unavailable', message } as const;
    // Unreachable again for this file although the server answered in between: the file may
    // be what brings the server down (a model crashing on one picture), so it counts an
    // attempt instead of pausing the batch over and over.
    const before = this.unreachableAt.get(index);
    this.unreachableAt.set(index, this.backs);
    if (before !== undefined && before < this.backs) {
      return { event: { type: 'recover', at: localIsoTimestamp(), code: 'EMODEL_UNAVAILABLE', error: message }, pause };
    }
    return { event: { type: 'requeue' }, pause };
  }

  /**
   * Asks the server now instead of at the next poll (the user's "Try now"): when it answers, the
   * wait ends at once and files start again. False when it still does not, or nothing waits.
   */
  async tryNow(): Promise<boolean> {
    if (!this.wait) return false;
    const answers = await modelServerAnswers(this.options.model).catch(() => false);
    if (answers) this.wakeUp?.();
    return answers;
  }

  /** Starts the wait for the server, or joins the one in progress. */
  pause(message: string): Promise<void> {
    this.wait ??= this.waitFor(message).finally(() => {
      this.wait = null;
    });
    return this.wait;
  }

  private async waitFor(message: string): Promise<void> {
    const { options } = this;
    const minutes = options.waitMinutes;
    // The processor's diagnosis, without its own advice: the batch gives one piece of advice.
    const diagnosis = firstSentence(message);
    const giveUp = (waited: string) => `${waited}: ${diagnosis} Start the model server (for example with ollama serve), then resume the batch.`;
    const notBack = `The model server did not come back within ${minutes} minute${minutes === 1 ? '' : 's'}`;
    const waitMs = minutes * 60_000;
    this.since ??= Date.now();
    const deadline = this.since + waitMs;
    if (Date.now() >= deadline) {
      options.onGaveUp(giveUp(waitMs === 0 ? 'The model server is unavailable' : notBack));
      return;
    }
    options.onPaused(message, localIsoTimestamp(new Date(deadline)));
    const poll = options.poll ?? { firstMs: MODEL_POLL_FIRST_MS, maxMs: MODEL_POLL_MAX_MS };
    for (let pollMs = poll.firstMs; ; pollMs = Math.min(pollMs * 2, poll.maxMs)) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      const woken = new AbortController();
      this.wakeUp = () => woken.abort();
      await sleepUnless(AbortSignal.any([options.stopping, woken.signal]), Math.min(pollMs, remaining));
      this.wakeUp = null;
      if (options.ending()) return;
      if (await modelServerAnswers(options.model).catch(() => false)) {
        if (options.ending()) return;
        this.backs += 1;
        options.onBack();
        return;
      }
    }
    options.onGaveUp(giveUp(notBack));
  }
}

function sleepUnless(signal: AbortSignal, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
