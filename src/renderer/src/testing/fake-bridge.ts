import type { AltgenBridge, EventChannel, EventContract, InvokeChannel, RequestOf, ResponseOf } from '../../../shared/ipc-contract';

type Handler<C extends InvokeChannel> = (request: RequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>>;
type Handlers = { [C in InvokeChannel]?: Handler<C> };

/**
 * A bridge for unit tests: answers invokes from the handlers it is given (an unhandled
 * channel rejects like main would), records every call, and lets the test push events.
 */
export class FakeBridge implements AltgenBridge {
  readonly calls: { channel: InvokeChannel; request: unknown }[] = [];
  private readonly listeners = new Map<EventChannel, Set<(payload: never) => void>>();

  constructor(private readonly handlers: Handlers = {}) {}

  handle<C extends InvokeChannel>(channel: C, handler: Handler<C>): void {
    (this.handlers as Record<string, unknown>)[channel] = handler;
  }

  async invoke<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    this.calls.push({ channel, request });
    const handler = this.handlers[channel] as Handler<C> | undefined;
    if (!handler) throw Object.assign(new Error(`No handler for ${channel} in this test.`), { code: 'ETEST_UNHANDLED' });
    return handler(request);
  }

  on<E extends EventChannel>(channel: E, listener: (payload: EventContract[E]) => void): () => void {
    const set = this.listeners.get(channel) ?? new Set();
    set.add(listener as (payload: never) => void);
    this.listeners.set(channel, set);
    return () => set.delete(listener as (payload: never) => void);
  }

  emit<E extends EventChannel>(channel: E, payload: EventContract[E]): void {
    for (const listener of this.listeners.get(channel) ?? []) (listener as (payload: EventContract[E]) => void)(payload);
  }

  listenerCount(channel: EventChannel): number {
    return this.listeners.get(channel)?.size ?? 0;
  }

  pathForFile(): string | null {
    return null;
  }

  callsTo(channel: InvokeChannel): unknown[] {
    return this.calls.filter((call) => call.channel === channel).map((call) => call.request);
  }
}
