import type { BrokerAnswer, BrokerAsk } from './model-broker-protocol';
import { modelErrorOf } from './model-errors';
import type { DescribeRequest, ModelReply, ModelRequests } from './model-provider';

/**
 * A batch's processor's side of the runner's scheduler (model-broker-protocol.ts): `ask` sends
 * the picture to the runner and resolves with its answer, or rejects with the model error the
 * runner's scheduler ended with, exactly as a scheduler in this process would. An ask whose
 * signal aborts is withdrawn (the runner stops the request unless another deck waits for it).
 *
 * Guaranteed: every ask settles once: with the runner's answer, the signal's reason, or, when
 * the channel to the runner is gone (`disconnected`), a ModelUnavailableError.
 */
export class BrokerClient implements ModelRequests {
  private nextId = 1;
  private readonly waiting = new Map<number, { readonly resolve: (reply: ModelReply) => void; readonly reject: (error: unknown) => void }>();
  private known: number;

  constructor(
    readonly id: string,
    private readonly send: (message: BrokerAsk) => void,
    initialCapacity: number,
  ) {
    this.known = Math.max(1, initialCapacity);
  }

  capacity(): number {
    return this.known;
  }

  ask(request: DescribeRequest, signal?: AbortSignal): Promise<ModelReply> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = this.nextId++;
    return new Promise<ModelReply>((resolve, reject) => {
      const onAbort = (): void => {
        if (!this.waiting.delete(id)) return;
        this.send({ type: 'model-cancel', id });
        reject(signal?.reason);
      };
      this.waiting.set(id, {
        resolve: (reply) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(reply);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      const image = new Uint8Array(request.image.buffer, request.image.byteOffset, request.image.byteLength);
      this.send({ type: 'model-ask', id, image, mime: request.mime, prompt: request.prompt, system: request.system, ...(request.key !== undefined ? { key: request.key } : {}) });
    });
  }

  /** An answer from the runner. */
  receive(answer: BrokerAnswer): void {
    this.known = Math.max(1, answer.capacity);
    if (answer.type === 'model-capacity') return;
    const waiter = this.waiting.get(answer.id);
    if (!waiter) return;
    this.waiting.delete(answer.id);
    if (answer.type === 'model-reply') waiter.resolve(answer.reply);
    else waiter.reject(modelErrorOf(answer.code, answer.message, answer.shared === true));
  }

  /** The runner is gone: nothing waiting will be answered. */
  disconnected(): void {
    for (const waiter of this.waiting.values()) waiter.reject(modelErrorOf('EMODEL_UNAVAILABLE', 'The batch that started this processor has ended.'));
    this.waiting.clear();
  }
}
