import type { ModelConfig } from '../../shared/config-schema';
import { createScheduler, type ProviderOptions } from '../describe/create-provider';
import type { ModelError } from '../describe/model-errors';
import type { BrokerAnswer } from '../describe/model-broker-protocol';
import { parseAsk, requestOf } from '../describe/model-broker-protocol';
import type { RequestScheduler, SchedulerOptions } from '../describe/request-scheduler';

/**
 * The batch's one model scheduler (describe/request-scheduler.ts), kept by the runner for the
 * whole run, and its end of every long-lived processor's channel (model-broker-protocol.ts).
 *
 * Why here: pictures from every running deck feed one scheduler, so it keeps each server's
 * slots busy whatever the number of workers, one picture shown by two decks at the same time
 * costs one call, and a server that goes away is set aside for all decks at once. The decks
 * themselves stay in their own processes (reading untrusted files, decoding, writing); only
 * bounded, checked requests cross over, and a processor's requests are withdrawn when it ends.
 */
export class ModelBroker {
  /** Called after each answer (or failure) goes back to a processor: a slot may be free. */
  private onSettled: (() => void) | null = null;

  private constructor(private readonly scheduler: RequestScheduler) {}

  /** The broker for these settings; null for `provider: offline`, which asks no model. */
  static create(model: ModelConfig, env: NodeJS.ProcessEnv = process.env, options: ProviderOptions & SchedulerOptions = {}): ModelBroker | null {
    const scheduler = createScheduler(model, env, options);
    return scheduler ? new ModelBroker(scheduler) : null;
  }

  /** How many requests the servers take at once now. */
  capacity(): number {
    return this.scheduler.capacity();
  }

  /** Requests out to the servers, and prepared pictures waiting for a turn. */
  load(): ReturnType<RequestScheduler['load']> {
    return this.scheduler.load();
  }

  /** The batch hears when a request ends, so that it can start another deck while the servers have room. */
  whenSettled(listener: () => void): void {
    this.onSettled = listener;
  }

  servers(): ReturnType<RequestScheduler['servers']> {
    return this.scheduler.servers();
  }

  /**
   * One processor's channel: `receive` takes what it sent (true when it was a model request or
   * cancel), `detach` withdraws what it still waits for once it has ended.
   */
  attach(send: (answer: BrokerAnswer) => void): { receive(message: unknown): boolean; detach(): void } {
    const out = new Map<number, AbortController>();
    let attached = true;
    const answer = (message: BrokerAnswer): void => {
      if (attached) send(message);
    };
    return {
      receive: (message) => {
        const ask = parseAsk(message);
        if (!ask) return false;
        if (ask.type === 'model-cancel') {
          out.get(ask.id)?.abort(new Error('withdrawn by its processor'));
          out.delete(ask.id);
          return true;
        }
        if (out.has(ask.id)) return true;
        const controller = new AbortController();
        out.set(ask.id, controller);
        this.scheduler.ask(requestOf(ask), controller.signal).then(
          (reply) => {
            out.delete(ask.id);
            answer({ type: 'model-reply', id: ask.id, reply, capacity: this.capacity() });
            this.onSettled?.();
          },
          (error: unknown) => {
            out.delete(ask.id);
            if (!controller.signal.aborted) {
              const { code, message, shared } = error as ModelError;
              answer({ type: 'model-error', id: ask.id, code: code ?? 'EMODEL_REQUEST', message: message ?? String(error), shared: shared === true, capacity: this.capacity() });
            }
            // A withdrawn request frees its slot too.
            this.onSettled?.();
          },
        );
        return true;
      },
      detach: () => {
        attached = false;
        for (const controller of out.values()) controller.abort(new Error('its processor ended'));
        out.clear();
      },
    };
  }

  /** The batch found its model server answering again after an outage: the next request asks the servers at once. */
  serversBack(): void {
    this.scheduler.forgetOutage();
  }

  close(): void {
    this.scheduler.close();
  }
}
