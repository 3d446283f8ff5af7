import { promises as fs } from 'node:fs';
import type { ModelRequests } from '../describe/model-provider';

/**
 * The batch's pause, as a processor sees it: while the file named by ALTGEN_PAUSE_FILE exists
 * (the runner creates it in its run folder when the user pauses the batch, and removes it when
 * they let it go on), no request to the model starts; one already under way finishes. The
 * processor only waits: it keeps its deck, and the runner does not count the pause against the
 * deck's time limit.
 *
 * Not guaranteed: a picture asked about twice (its alt text, then a long description) may pause
 * between its two requests; offline drafts and the work before the first request (opening the
 * deck, decoding pictures) do not wait.
 */

export const PAUSE_FILE_ENV = 'ALTGEN_PAUSE_FILE';

/** How often a paused processor looks whether the batch goes on. */
const POLL_MS = 250;

export class PauseGate {
  constructor(
    private readonly pauseFile: string,
    private readonly pollMs = POLL_MS,
  ) {}

  static fromEnvironment(env: NodeJS.ProcessEnv): PauseGate | null {
    const file = env[PAUSE_FILE_ENV];
    return file ? new PauseGate(file) : null;
  }

  private async paused(): Promise<boolean> {
    return fs.access(this.pauseFile).then(
      () => true,
      () => false,
    );
  }

  /** Resolves once the batch is not paused (at once when it is not); rejects with the signal's reason when it aborts. */
  async waitWhilePaused(signal?: AbortSignal): Promise<void> {
    while (await this.paused()) {
      signal?.throwIfAborted();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.pollMs);
        function done(): void {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        }
        signal?.addEventListener('abort', done, { once: true });
      });
    }
    signal?.throwIfAborted();
  }
}

/**
 * The model's requests, with every one waiting for the batch's pause to end before it starts.
 * Everything else is the provider's own (a proxy, so members a provider gains later pass
 * through, bound to the proxy so that a provider's `describe` asks through the gate too).
 */
export function pausableProvider<T extends ModelRequests>(provider: T, gate: PauseGate): T {
  const ask: ModelRequests['ask'] = async (request, signal) => {
    await gate.waitWhilePaused(signal);
    return provider.ask(request, signal);
  };
  return new Proxy(provider, {
    get(target, property, receiver) {
      if (property === 'ask') return ask;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(receiver) : value;
    },
  });
}
