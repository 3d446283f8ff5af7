import type { ConcurrencyLimit, LimitStamp } from './concurrency-limit';
import { AdaptiveLimit, FixedLimit } from './concurrency-limit';
import { ModelError, modelErrorOf, ModelMissingError, ModelRequestError, ModelUnavailableError } from './model-errors';
import type { AttemptFailure, RequestClock } from './model-http';
import { backoffDelay, failureError, PROBE_TIMEOUT_MAX_MS, serverErrorMessage, silentServerError } from './model-http';
import type { DescribeRequest, ModelReply, ModelRequests, ModelServer } from './model-provider';

/** How many answers the scheduler keeps for decks asking for a picture just answered. */
const REMEMBERED_ANSWERS = 2_000;

/**
 * The model requests of a processor, or of a whole batch, over one or more model servers.
 *
 * What it guarantees:
 * - A server never has more requests out than its limit (`model.parallel_requests`, or what
 *   its AdaptiveLimit found, concurrency-limit.ts); requests wait their turn in the order they
 *   were asked, and go to the least loaded server that answers.
 * - Requests for the same picture (the same `key`, the description cache key) asked while one
 *   is out share that one, and one asked just after it was answered gets its answer: one call per
 *   picture, whichever decks ask for it at the same time.
 * - A request's timeout (`model.timeout_seconds`) counts from the moment fewer requests sent
 *   before it to the same server are unanswered than the server has slots: time spent in the
 *   server's own queue is not a description taking too long. Requests sent within a second of
 *   each other may reach the server in another order (each goes on its own connection), so
 *   one sent just after it may have taken the slot first: when one of those leaves the server
 *   while its clock runs, its timeout counts afresh (once for each, so it stays bounded).
 * - A server that cannot be reached, or that accepts a picture and then answers nothing, not
 *   even a minimal request (a wedged Ollama), is set aside: its requests go to the others at
 *   once, without counting a retry, and it is asked again in the background (a minimal request,
 *   after 2 s, doubling to 30 s) until it answers, when it takes requests again. Only when no
 *   server answers does a request fail, with ModelUnavailableError (the batch pauses); a
 *   refused connection gets one short retry first, as a server restarting refuses a moment.
 * - "Busy" (429, or 503 with Retry-After): the server gets nothing more before the time it
 *   asked for (or a backoff), its limit drops by a quarter, and the request goes elsewhere or
 *   waits; it does not count as a retry, but a picture waits out at most `maxBusyAnswers` of them.
 * - A timeout (when the server still answers a minimal request), an HTTP 5xx, or a connection
 *   dropped is retried `model.max_retries` times with growing pauses (and Retry-After when the
 *   server sends one), on another server when one is free; then the request fails with the
 *   error that says why (model-http.ts `failureError`).
 * - A server without the model is set aside for good when others have it; with none left, the
 *   request fails with ModelMissingError. Other answers that say what is wrong (a bad key, a
 *   model that cannot see) fail the request at once, as does the caller's own abort.
 *
 * Not guaranteed: fairness between decks (requests are served in the order asked), and the
 * right limit on a server other clients use too (see concurrency-limit.ts).
 */

export interface SchedulerOptions {
  /** Pauses between background re-checks of a server that went away (default 2 s doubling to 30 s). */
  readonly recheck?: { readonly firstMs: number; readonly maxMs: number };
  /** Most busy answers (429, or 503 with Retry-After) one request waits out (default 10). */
  readonly maxBusyAnswers?: number;
}

export const RECHECK_FIRST_MS = 2_000;
export const RECHECK_MAX_MS = 30_000;
export const MAX_BUSY_ANSWERS = 10;
/** The longest Retry-After honoured: a rate limit of a minute, and a little more. */
export const MAX_RETRY_AFTER_MS = 120_000;

/** The model ids of these servers as the description cache keys them (see ModelRequests.id). */
export function poolId(servers: readonly Pick<ModelServer, 'id'>[]): string {
  return [...new Set(servers.map((server) => server.id))].sort().join(' + ');
}

type Health =
  | { readonly kind: 'healthy' }
  | {
      readonly kind: 'down';
      readonly error: ModelUnavailableError;
      /** When it was last found gone or asked again. */
      lastCheck: number;
      /** A refused connection earns one short retry before the request fails. */
      shortRetryDue: boolean;
      delayMs: number;
      timer: NodeJS.Timeout | null;
      checking: Promise<void> | null;
      /** Someone else found it answering (forgetOutage): the next request asks it at once, afresh. */
      askAtOnce: boolean;
    }
  | { readonly kind: 'missing'; readonly error: ModelMissingError };

/** A request's timeout clock, which the scheduler starts (and may start again: see ServerState.startClocks). */
class SlotClock implements RequestClock {
  started = false;
  private readonly starts: (() => void)[] = [];

  onStart(start: () => void): void {
    this.starts.push(start);
    if (this.started) start();
  }

  start(): void {
    this.started = true;
    for (const start of this.starts) start();
  }
}

interface Sent {
  readonly at: number;
  readonly stamp: LimitStamp;
  readonly clock: SlotClock;
  /**
   * Requests sent within REORDER_WINDOW_MS after this one: they may have reached the server
   * first and taken the slot it was believed to have. Each restarts its clock once, as it leaves.
   */
  readonly overtakers: Set<Sent>;
  /** Aborted when its server is set aside: the request moves to another one. */
  readonly moved: AbortController;
}

/** Requests sent this close together may reach the server in either order. */
const REORDER_WINDOW_MS = 1_000;

/** The reason a request out to a server that has just been set aside is stopped with. */
const MOVED = new Error('moved to another model server');

class ServerState {
  health: Health = { kind: 'healthy' };
  /** Nothing is sent before this time (performance.now ms): the server asked to wait. */
  coolUntil = 0;
  readonly out: Sent[] = [];
  readonly limit: ConcurrencyLimit;

  constructor(readonly server: ModelServer) {
    this.limit = server.parallelRequests !== null ? new FixedLimit(server.parallelRequests) : new AdaptiveLimit();
  }

  get usable(): boolean {
    return this.health.kind === 'healthy';
  }

  hasRoom(now: number): boolean {
    return this.usable && this.coolUntil <= now && this.out.length < this.limit.limit;
  }

  /** Starts the timeout of the requests that a free slot is (believed to be) working on. */
  startClocks(): void {
    const slots = Math.max(1, this.limit.capacity);
    for (const [position, sent] of this.out.entries()) {
      if (position >= slots) break;
      if (!sent.clock.started) sent.clock.start();
    }
  }

  /** `done` left the server: the requests it may have overtaken count their timeout afresh. */
  left(done: Sent): void {
    for (const sent of this.out) if (sent.overtakers.delete(done) && sent.clock.started) sent.clock.start();
  }
}

interface Waiter {
  readonly resolve: (reply: ModelReply) => void;
  readonly reject: (error: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

interface Job {
  readonly request: DescribeRequest;
  readonly waiters: Set<Waiter>;
  readonly controller: AbortController;
}

interface Turn {
  readonly job: Job;
  /** The server that just failed this request: another one is preferred when free. */
  readonly avoid: ServerState | null;
  readonly resolve: (picked: { state: ServerState; sent: Sent }) => void;
  readonly reject: (error: unknown) => void;
}

export class RequestScheduler implements ModelRequests {
  readonly id: string;
  private readonly states: ServerState[];
  private readonly jobs = new Map<string, Job>();
  /**
   * The latest answers by picture key. A deck that asks a moment after another deck's request
   * for the same picture was answered, before that deck's processor has put the answer in the
   * description cache, gets it from here: one call per picture holds across that gap too.
   */
  private readonly answered = new Map<string, ModelReply>();
  private readonly turns: Turn[] = [];
  private readonly recheck: { readonly firstMs: number; readonly maxMs: number };
  private readonly maxBusyAnswers: number;
  private coolTimer: NodeJS.Timeout | null = null;
  private noServerPending: Promise<void> | null = null;
  private closed = false;

  constructor(servers: readonly ModelServer[], options: SchedulerOptions = {}) {
    if (servers.length === 0) throw new TypeError('RequestScheduler needs at least one model server');
    this.states = servers.map((server) => new ServerState(server));
    this.id = poolId(servers);
    this.recheck = options.recheck ?? { firstMs: RECHECK_FIRST_MS, maxMs: RECHECK_MAX_MS };
    this.maxBusyAnswers = options.maxBusyAnswers ?? MAX_BUSY_ANSWERS;
  }

  capacity(): number {
    const usable = this.states.filter((state) => state.usable);
    return Math.max(1, usable.reduce((sum, state) => sum + state.limit.limit, 0));
  }

  /**
   * Requests out to a server, and requests (prepared pictures) waiting for a turn at one: what
   * tells the batch whether the servers have room for another deck's pictures.
   */
  load(): { readonly inFlight: number; readonly waiting: number } {
    return { inFlight: this.states.reduce((sum, state) => sum + state.out.length, 0), waiting: this.turns.length };
  }

  /** How each server stands, for the bench and the tests. */
  servers(): readonly { readonly id: string; readonly url: string; readonly health: Health['kind']; readonly limit: number; readonly capacity: number; readonly out: number }[] {
    return this.states.map((state) => ({
      id: state.server.id,
      url: state.server.description.baseUrl,
      health: state.health.kind,
      limit: state.limit.limit,
      capacity: state.limit.capacity,
      out: state.out.length,
    }));
  }

  ask(request: DescribeRequest, signal?: AbortSignal): Promise<ModelReply> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const known = request.key !== undefined ? this.answered.get(request.key) : undefined;
    if (known) return Promise.resolve({ ...known, shared: true });
    const shared = request.key !== undefined ? this.jobs.get(request.key) : undefined;
    const job: Job = shared ?? { request, waiters: new Set(), controller: new AbortController() };
    const answer = new Promise<ModelReply>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (reply) => resolve(shared ? { ...reply, shared: true } : reply),
        // The failure of the request this one shared: said so, so that it is not counted twice.
        reject: (error) => reject(shared && error instanceof ModelError ? modelErrorOf(error.code, error.message, true) : error),
        signal,
        onAbort: () => {
          job.waiters.delete(waiter);
          reject(signal?.reason);
          // Nobody waits for it any more (its deck stopped): the request stops too.
          if (job.waiters.size === 0) job.controller.abort(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      job.waiters.add(waiter);
    });
    if (!shared) {
      if (request.key !== undefined) this.jobs.set(request.key, job);
      void this.run(job).then(
        (reply) => {
          if (request.key !== undefined) this.remember(request.key, reply);
          this.settle(job, (waiter) => waiter.resolve(reply));
        },
        (error: unknown) => this.settle(job, (waiter) => waiter.reject(error)),
      );
    }
    return answer;
  }

  /** Stops the background re-checks; requests still waiting for a server fail. */
  close(): void {
    this.closed = true;
    if (this.coolTimer) clearTimeout(this.coolTimer);
    for (const state of this.states) if (state.health.kind === 'down' && state.health.timer) clearTimeout(state.health.timer);
    for (const turn of this.turns.splice(0)) turn.reject(closedError());
  }

  /**
   * Someone else found the servers answering again (the batch's own check after an outage): the
   * next request that finds every server set aside asks them again at once, with a new request,
   * instead of failing on their last background re-check, which may be only a moment old or
   * still waiting for an answer the server will never send (a wedged server's).
   */
  forgetOutage(): void {
    for (const state of this.states) if (state.health.kind === 'down') state.health.askAtOnce = true;
  }

  private remember(key: string, reply: ModelReply): void {
    this.answered.set(key, reply);
    // The gap it covers is short: the newest answers are enough, and memory stays bounded.
    if (this.answered.size > REMEMBERED_ANSWERS) this.answered.delete(this.answered.keys().next().value as string);
  }

  private settle(job: Job, each: (waiter: Waiter) => void): void {
    if (job.request.key !== undefined && this.jobs.get(job.request.key) === job) this.jobs.delete(job.request.key);
    for (const waiter of job.waiters) {
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      each(waiter);
    }
    job.waiters.clear();
  }

  private async run(job: Job): Promise<ModelReply> {
    const signal = job.controller.signal;
    let retries = 0;
    let busy = 0;
    let tries = 0;
    let avoid: ServerState | null = null;
    for (;;) {
      const { state, sent } = await this.turn(job, avoid);
      const { server } = state;
      tries += 1;
      let result;
      try {
        result = await server.send(job.request, AbortSignal.any([signal, sent.moved.signal]), sent.clock);
      } catch (error) {
        this.release(state, sent, false);
        // Its server was set aside while it was out (another request found it gone): elsewhere, uncounted.
        if (error === MOVED && !signal.aborted) {
          avoid = null;
          continue;
        }
        if (error instanceof ModelMissingError && this.states.some((other) => other !== state && other.health.kind !== 'missing')) {
          // Another server may have the model: this one is set aside for the rest of the run.
          state.health = { kind: 'missing', error };
          this.pump();
          avoid = null;
          continue;
        }
        throw error;
      }
      this.release(state, sent, result.ok);
      if (result.ok) return { text: result.text, model: server.id, shared: false };
      const failure = result.failure;
      if (failure.kind === 'unreachable') {
        // Gone: its requests go elsewhere at once, no retry counted.
        this.setAside(state, failureError(failure, tries, server.description, server.policy) as ModelUnavailableError, true);
        avoid = null;
        continue;
      }
      if (failure.kind === 'timeout') {
        // Answered: the server is only slow on this picture, so retry as usual. Not answered:
        // it has stopped answering, an outage rather than this picture's problem.
        const probe = await server.probe(Math.min(server.policy.timeoutMs, PROBE_TIMEOUT_MAX_MS), signal);
        if (!probe.answering) {
          this.setAside(state, silentServerError(server.description, server.policy, probe), false);
          avoid = null;
          continue;
        }
      }
      if (failure.kind === 'server-error' && isBusy(failure)) {
        busy += 1;
        if (busy > this.maxBusyAnswers) throw busyError(server, failure, busy);
        const wait = Math.max(backoffDelay(server.policy, Math.min(busy - 1, 8)), Math.min(failure.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
        state.coolUntil = Math.max(state.coolUntil, performance.now() + wait);
        state.limit.busy();
        avoid = state;
        continue;
      }
      if (retries >= server.policy.maxRetries) throw failureError(failure, tries, server.description, server.policy);
      let delay = backoffDelay(server.policy, retries);
      if (failure.kind === 'server-error' && failure.retryAfterMs !== null) delay = Math.max(delay, Math.min(failure.retryAfterMs, server.policy.maxDelayMs));
      retries += 1;
      avoid = state;
      await sleep(delay, signal);
    }
  }

  /** Waits for this request's turn at a server with room, and reserves it. */
  private turn(job: Job, avoid: ServerState | null): Promise<{ state: ServerState; sent: Sent }> {
    return new Promise((resolve, reject) => {
      const signal = job.controller.signal;
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      if (this.closed) {
        reject(closedError());
        return;
      }
      const turn: Turn = {
        job,
        avoid,
        resolve: (picked) => {
          signal.removeEventListener('abort', onAbort);
          resolve(picked);
        },
        reject: (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      const onAbort = (): void => {
        const at = this.turns.indexOf(turn);
        if (at >= 0) this.turns.splice(at, 1);
        reject(signal.reason);
        this.pump();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.turns.push(turn);
      this.pump();
    });
  }

  /** Gives waiting requests, in order, the least loaded server with room. */
  private pump(): void {
    if (this.closed) return;
    const now = performance.now();
    while (this.turns.length > 0) {
      const turn = this.turns[0] as Turn;
      const state = this.pick(now, turn.avoid);
      if (!state) break;
      this.turns.shift();
      turn.resolve({ state, sent: this.reserve(state, now) });
    }
    if (this.turns.length === 0) return;
    if (this.states.every((state) => !state.usable)) {
      void this.noServer();
      return;
    }
    // Servers that asked to wait: come back when the first may take requests again.
    const cooling = this.states.filter((state) => state.usable && state.coolUntil > now).map((state) => state.coolUntil);
    if (cooling.length > 0 && !this.coolTimer) {
      this.coolTimer = setTimeout(
        () => {
          this.coolTimer = null;
          this.pump();
        },
        Math.max(1, Math.min(...cooling) - now),
      );
    }
  }

  /** The least loaded server with room; the one that just failed this request only when no other has room. */
  private pick(now: number, avoid: ServerState | null): ServerState | null {
    const withRoom = this.states.filter((state) => state.hasRoom(now));
    const others = withRoom.filter((state) => state !== avoid);
    const candidates = others.length > 0 ? others : withRoom;
    let best: ServerState | null = null;
    for (const state of candidates) if (!best || load(state) < load(best)) best = state;
    return best;
  }

  private reserve(state: ServerState, now: number): Sent {
    const sent: Sent = { at: now, stamp: state.limit.sent(state.out.length + 1, now), clock: new SlotClock(), overtakers: new Set(), moved: new AbortController() };
    for (const earlier of state.out) if (now - earlier.at <= REORDER_WINDOW_MS) earlier.overtakers.add(sent);
    state.out.push(sent);
    state.startClocks();
    return sent;
  }

  private release(state: ServerState, sent: Sent, answered: boolean): void {
    const at = state.out.indexOf(sent);
    if (at >= 0) state.out.splice(at, 1);
    state.left(sent);
    if (answered) state.limit.answered(sent.stamp, state.out.length + 1, performance.now() - sent.at);
    state.startClocks();
    // A slot free and no request waiting: this round says nothing about what the server can do.
    if (this.turns.length === 0 && state.out.length < state.limit.limit) state.limit.idle();
    this.pump();
  }

  /** A server that went away: others carry on; it is asked again with backoff until it answers. */
  private setAside(state: ServerState, error: ModelUnavailableError, refused: boolean): void {
    if (state.health.kind === 'down') {
      state.health.lastCheck = performance.now();
      this.pump();
      return;
    }
    state.health = { kind: 'down', error, lastCheck: performance.now(), shortRetryDue: refused, delayMs: this.recheck.firstMs, timer: null, checking: null, askAtOnce: false };
    // What it still has out would only wait for it (a wedged server answers none of them).
    for (const sent of [...state.out]) sent.moved.abort(MOVED);
    this.scheduleRecheck(state);
    this.pump();
  }

  private scheduleRecheck(state: ServerState): void {
    const health = state.health;
    if (health.kind !== 'down' || this.closed) return;
    health.timer = setTimeout(() => {
      health.timer = null;
      void this.askAgain(state).then(() => {
        if (state.health === health) {
          health.delayMs = Math.min(health.delayMs * 2, this.recheck.maxMs);
          this.scheduleRecheck(state);
        }
      });
    }, health.delayMs);
    health.timer.unref();
  }

  /**
   * One minimal request to a server set aside; when it answers, it takes requests again. Asks
   * share the one out, unless `fresh`: then a new one goes, whatever the one out will say.
   */
  private askAgain(state: ServerState, fresh = false): Promise<void> {
    const health = state.health;
    if (health.kind !== 'down') return Promise.resolve();
    if (fresh) health.askAtOnce = false;
    if (health.checking && !fresh) return health.checking;
    const checking: Promise<void> = state.server
      .probe(Math.min(state.server.policy.timeoutMs, PROBE_TIMEOUT_MAX_MS))
      .then((probe) => {
        health.lastCheck = performance.now();
        if (!probe.answering || state.health !== health) return;
        if (health.timer) clearTimeout(health.timer);
        state.health = { kind: 'healthy' };
        this.pump();
      })
      .finally(() => {
        if (health.checking === checking) health.checking = null;
      });
    health.checking = checking;
    return checking;
  }

  /**
   * No server takes requests. Those set aside long enough ago, or refused a moment ago (one
   * short retry), are asked again now; if none answers, the waiting requests fail.
   */
  private noServer(): Promise<void> {
    this.noServerPending ??= (async () => {
      const now = performance.now();
      const asks: Promise<void>[] = [];
      for (const state of this.states) {
        const health = state.health;
        if (health.kind !== 'down') continue;
        if (health.shortRetryDue) {
          health.shortRetryDue = false;
          const wait = health.lastCheck + state.server.policy.refusedRetryDelayMs - now;
          asks.push(sleep(Math.max(0, wait), undefined).then(() => this.askAgain(state)));
        } else if (health.askAtOnce || health.checking || now - health.lastCheck >= this.recheck.firstMs) {
          asks.push(this.askAgain(state, health.askAtOnce));
        }
      }
      await Promise.all(asks);
    })().finally(() => {
      this.noServerPending = null;
      if (this.states.some((state) => state.usable)) {
        this.pump();
        return;
      }
      const error = this.noServerError();
      for (const turn of this.turns.splice(0)) turn.reject(error);
    });
    return this.noServerPending;
  }

  /** Why nothing can take a request: the first server gone, else (every one lacks the model) the first missing. */
  private noServerError(): Error {
    const down = this.states.map((state) => state.health).find((health) => health.kind === 'down');
    if (down && down.kind === 'down') {
      if (this.states.length === 1) return down.error;
      return new ModelUnavailableError(`None of the ${this.states.length} model servers answers: ${down.error.message}`);
    }
    const missing = this.states.map((state) => state.health).find((health) => health.kind === 'missing');
    return missing && missing.kind === 'missing' ? missing.error : new ModelUnavailableError('No model server is configured.');
  }
}

/** Requests out ÷ the server's limit: the least loaded server gets the next request. */
function load(state: ServerState): number {
  return state.out.length / state.limit.limit;
}

type ServerError = Extract<AttemptFailure, { kind: 'server-error' }>;

/** 429, or 503 with Retry-After: the server asks us to come back later, not that it failed. */
function isBusy(failure: ServerError): boolean {
  return failure.status === 429 || (failure.status === 503 && failure.retryAfterMs !== null);
}

function busyError(server: ModelServer, failure: ServerError, answers: number): ModelRequestError {
  const detail = serverErrorMessage(failure.text);
  return new ModelRequestError(
    `The model server at ${server.description.baseUrl} kept answering that it is busy (HTTP ${failure.status}, ${answers} times)${detail ? `: ${detail}` : '.'} ` +
      'Lower model.parallel_requests, or ask whoever runs the server about its rate limit.',
  );
}

function closedError(): ModelUnavailableError {
  return new ModelUnavailableError('The batch stopped before a model server could take this picture.');
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
