/**
 * The batch's built-in processors, kept alive from one deck to the next (processor/deck-service.ts):
 * starting Node and loading the processor's modules costs about 0.3 s a deck otherwise.
 *
 * Guaranteed, as for processors started per deck (processor-launcher.ts `runProcessor`):
 * - One deck at a time per processor; `run` resolves with the same ProcessorOutcome, so
 *   `classifyOutcome` reads it the same way. A processor that crashes, runs out of time
 *   (then its whole process group is killed: SIGTERM, then SIGKILL after a grace period), is
 *   stopped by the signal, or uses more than `maxMemoryBytes`, ends with its deck; the next deck
 *   gets a new processor.
 * - No shell; stdin is /dev/null; each processor leads its own process group, and when it
 *   exits whatever it left in its group is SIGKILLed; killAllProcessors and the host's exit
 *   stop idle ones too.
 * - A processor is retired (its channel closed, which makes it exit) after `decksPerProcessor`
 *   decks, or when it holds more than `recycleAboveBytes` after a deck, so that memory one deck
 *   left behind never builds up.
 * - Its model requests go to `broker` (the runner's scheduler) and are withdrawn when it ends.
 * - If the runner dies, even by SIGKILL, each processor sees its channel close and exits.
 *
 * Not guaranteed: as for runProcessor (a descendant that leaves the group; Windows, where
 * there are no process groups and memory is not sampled).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { ProcessorErrorEvent, ProcessorEvent, ProcessorResultEvent } from '../../shared/processor-protocol';
import type { ServiceCommand, ServiceMessage } from '../processor/deck-service';
import type { ModelBroker } from './model-broker';
import type { ProcessorOutcome } from './processor-launcher';
import {
  ByteTail,
  DEFAULT_KILL_GRACE_MS,
  DEFAULT_MAX_STDERR_TAIL_BYTES,
  DEFAULT_MEMORY_CHECK_MS,
  describeSpawnError,
  drained,
  emptyOutcome,
  killTree,
  register,
  residentBytes,
  unregister,
  watchMemory,
  type LiveProcessor,
} from './processor-launcher';

export interface ProcessorPoolOptions {
  /** The processor's command in deck-service mode (`… process-decks --config <settings>`). */
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Resident memory a processor may use; above it, it is SIGKILLed (default: no limit). */
  readonly maxMemoryBytes?: number;
  readonly memoryCheckMs?: number;
  readonly killGraceMs?: number;
  /** The runner's model scheduler; null when no model is used. */
  readonly broker: ModelBroker | null;
  /** A processor has been started (the runner records it, so that a resume can stop it after a crash). */
  readonly onSpawn?: (pid: number) => Promise<void>;
  /** A processor has ended. */
  readonly onExit?: (pid: number) => Promise<void>;
  /** Decks one processor works on before it is retired (default 200). */
  readonly decksPerProcessor?: number;
  /** A processor holding more than this after a deck is retired (default 512 MiB). */
  readonly recycleAboveBytes?: number;
}

export interface PoolDeck {
  readonly input: string;
  /** Where the processor writes the copy (the runner's temp name). */
  readonly output: string;
  /** The name the copy will have (recorded in the report). */
  readonly finalOutput: string;
  readonly timeoutMs: number;
  /** Time the deck may take beyond `timeoutMs`, asked when the limit is reached (a pause it waited out). */
  readonly extraTimeMs?: () => number;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: ProcessorEvent) => void;
}

const DEFAULT_DECKS_PER_PROCESSOR = 200;
const DEFAULT_RECYCLE_ABOVE_BYTES = 512 * 1024 * 1024;
const MAX_TIMER_MS = 2 ** 31 - 1;
const STDOUT_TAIL_BYTES = 2 * 1024;

type StopReason = 'timedOut' | 'aborted' | 'memoryExceeded';

interface DeckState {
  readonly deck: PoolDeck;
  readonly startedAt: number;
  readonly finish: (outcome: ProcessorOutcome) => void;
  readonly fail: (error: unknown) => void;
  result: ProcessorResultEvent | null;
  lastError: ProcessorErrorEvent | null;
  stopReason: StopReason | null;
  callbackError: { error: unknown } | null;
  timer: NodeJS.Timeout | undefined;
  graceTimer: NodeJS.Timeout | undefined;
  readonly onAbort: () => void;
}

class DeckProcessor {
  decks = 0;
  current: DeckState | null = null;
  exited = false;
  private readonly stderrTail: ByteTail;
  private readonly stdoutTail: ByteTail;
  private readonly memory: { stop(): void } | null;
  private readonly channel: { receive(message: unknown): boolean; detach(): void } | null;
  readonly settled: Promise<void>;
  private readonly live: LiveProcessor;

  constructor(
    readonly child: ChildProcess,
    readonly pid: number,
    private readonly options: ProcessorPoolOptions,
    private readonly onGone: (processor: DeckProcessor) => void,
  ) {
    this.stderrTail = new ByteTail(DEFAULT_MAX_STDERR_TAIL_BYTES);
    this.stdoutTail = new ByteTail(STDOUT_TAIL_BYTES);
    child.stdout?.on('data', (chunk: Buffer) => this.stdoutTail.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.stderrTail.push(chunk));
    // A read error on a pipe is followed by 'close'; unheard, it would crash the host.
    child.stdout?.on('error', () => {});
    child.stderr?.on('error', () => {});
    child.on('error', () => {});
    this.channel = options.broker ? options.broker.attach((answer) => this.send(answer)) : null;
    child.on('message', (message: ServiceMessage) => this.onMessage(message));
    this.memory =
      options.maxMemoryBytes !== undefined && Number.isFinite(options.maxMemoryBytes) && process.platform !== 'win32'
        ? watchMemory(pid, options.maxMemoryBytes, options.memoryCheckMs ?? DEFAULT_MEMORY_CHECK_MS, () => this.stop('memoryExceeded'))
        : null;
    this.settled = new Promise<void>((resolve) => {
      child.once('exit', (exitCode, signal) => {
        this.exited = true;
        // Stragglers in the group would otherwise live on and keep the pipes open.
        if (process.platform !== 'win32') killTree(pid, 'SIGKILL');
        this.memory?.stop();
        this.channel?.detach();
        unregister(this.live);
        void drained(child).then(() => {
          this.ended(exitCode, signal);
          this.onGone(this);
          resolve();
        });
      });
    });
    this.live = { pid, settled: this.settled, stop: () => this.stop('aborted') };
    register(this.live);
  }

  send(message: ServiceCommand): void {
    if (this.child.connected) this.child.send(message);
  }

  run(deck: PoolDeck): Promise<ProcessorOutcome> {
    this.decks += 1;
    this.stderrTail.clear();
    this.stdoutTail.clear();
    return new Promise<ProcessorOutcome>((resolve, reject) => {
      const state: DeckState = {
        deck,
        startedAt: performance.now(),
        finish: resolve,
        fail: reject,
        result: null,
        lastError: null,
        stopReason: null,
        callbackError: null,
        timer: undefined,
        graceTimer: undefined,
        onAbort: () => this.stop('aborted'),
      };
      this.current = state;
      const elapsed = (): number => performance.now() - state.startedAt;
      const arm = (ms: number): void => {
        state.timer = setTimeout(
          () => {
            const left = Math.max(deck.timeoutMs, 0) + (deck.extraTimeMs?.() ?? 0) - elapsed();
            if (left > 0) arm(left);
            else this.stop('timedOut');
          },
          Math.min(Math.max(ms, 0), MAX_TIMER_MS),
        );
      };
      if (Number.isFinite(deck.timeoutMs)) arm(deck.timeoutMs);
      deck.signal?.addEventListener('abort', state.onAbort, { once: true });
      this.send({ type: 'deck', input: deck.input, output: deck.output, finalOutput: deck.finalOutput, capacity: this.options.broker?.capacity() ?? 1 });
    });
  }

  /** Stops the processor (and with it the deck it works on): SIGTERM, then SIGKILL; at once for memory. */
  stop(reason: StopReason): void {
    if (this.exited) return;
    const state = this.current;
    if (state) {
      if (state.stopReason !== null) return;
      state.stopReason = reason;
    }
    // A process eating memory gets no grace: every moment of it pushes the machine into swap.
    if (reason === 'memoryExceeded') {
      killTree(this.pid, 'SIGKILL');
      return;
    }
    killTree(this.pid, 'SIGTERM');
    const grace = setTimeout(() => killTree(this.pid, 'SIGKILL'), this.options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
    if (state) state.graceTimer = grace;
    else grace.unref();
  }

  /** Retires an idle processor: its channel closes, and it exits by itself (or is killed after the grace period). */
  retire(): void {
    if (this.exited) return;
    if (this.child.connected) this.child.disconnect();
    const grace = setTimeout(() => killTree(this.pid, 'SIGKILL'), this.options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
    grace.unref();
    void this.settled.then(() => clearTimeout(grace));
  }

  /** Whether it should take another deck: not too many decks, not too much memory kept. */
  async fresh(): Promise<boolean> {
    if (this.exited || this.decks >= (this.options.decksPerProcessor ?? DEFAULT_DECKS_PER_PROCESSOR)) return false;
    const resident = await residentBytes(this.pid);
    return resident === null || resident <= (this.options.recycleAboveBytes ?? DEFAULT_RECYCLE_ABOVE_BYTES);
  }

  private onMessage(message: ServiceMessage): void {
    if (this.channel?.receive(message)) return;
    const state = this.current;
    if (!state || typeof message !== 'object' || message === null) return;
    if (message.type === 'deck-done') {
      this.settle(state, { exitCode: message.exitCode, signal: null });
      return;
    }
    if (message.type !== 'event') return;
    const { event } = message;
    if (event.type === 'result') state.result = event;
    else if (event.type === 'error') state.lastError = event;
    if (!state.deck.onEvent || state.callbackError) return;
    try {
      state.deck.onEvent(event);
    } catch (error) {
      state.callbackError = { error };
      this.stop('aborted');
    }
  }

  private ended(exitCode: number | null, signal: NodeJS.Signals | null): void {
    const state = this.current;
    if (state) this.settle(state, { exitCode, signal });
  }

  private settle(state: DeckState, how: { exitCode: number | null; signal: NodeJS.Signals | null }): void {
    if (this.current !== state) return;
    this.current = null;
    clearTimeout(state.timer);
    clearTimeout(state.graceTimer);
    state.deck.signal?.removeEventListener('abort', state.onAbort);
    if (state.callbackError) {
      state.fail(state.callbackError.error);
      return;
    }
    const limit = this.options.maxMemoryBytes;
    state.finish({
      exitCode: how.exitCode,
      signal: how.signal,
      timedOut: state.stopReason === 'timedOut',
      aborted: state.stopReason === 'aborted',
      ...(state.stopReason === 'memoryExceeded' && limit !== undefined ? { memoryExceeded: { limitBytes: limit } } : {}),
      result: state.result,
      lastError: state.lastError,
      stderrTail: this.stderrTail.toString(),
      stdoutTail: this.stdoutTail.toString().trim(),
      durationMs: Math.round(performance.now() - state.startedAt),
    });
  }
}

export class ProcessorPool {
  private readonly idle: DeckProcessor[] = [];
  private readonly all = new Set<DeckProcessor>();
  private closed = false;

  constructor(private readonly options: ProcessorPoolOptions) {}

  /** Processors alive now, working or idle. */
  get size(): number {
    return this.all.size;
  }

  /** Runs one deck on an idle processor, or a new one; resolves however the deck ended. */
  async run(deck: PoolDeck): Promise<ProcessorOutcome> {
    if (deck.signal?.aborted) return emptyOutcome({ aborted: true, durationMs: 0 });
    const startedAt = performance.now();
    let processor: DeckProcessor | undefined;
    while ((processor = this.idle.pop()) !== undefined && !(await processor.fresh())) processor.retire();
    if (!processor) {
      const started = this.start();
      if ('spawnError' in started) return emptyOutcome({ spawnError: started.spawnError, durationMs: Math.round(performance.now() - startedAt) });
      processor = started.processor;
    }
    const outcome = await processor.run(deck);
    if (!processor.exited && !this.closed && (outcome.exitCode !== null || outcome.signal !== null) && !outcome.timedOut && !outcome.aborted) {
      this.idle.push(processor);
    } else if (!processor.exited) {
      processor.retire();
    }
    return outcome;
  }

  /** Retires every processor and waits until they have ended. */
  async close(): Promise<void> {
    this.closed = true;
    for (const processor of this.idle.splice(0)) processor.retire();
    await Promise.allSettled([...this.all].map((processor) => processor.settled));
  }

  private start(): { processor: DeckProcessor } | { spawnError: { code: string; message: string } } {
    const [program, ...args] = this.options.argv;
    if (program === undefined || program === '') throw new TypeError('ProcessorPool: argv must name a program');
    let child: ChildProcess;
    try {
      child = spawn(program, args, {
        cwd: this.options.cwd,
        env: this.options.env,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        // Pictures cross as bytes, not as base64 text.
        serialization: 'advanced',
        detached: process.platform !== 'win32',
        windowsHide: true,
      });
    } catch (error) {
      return { spawnError: describeSpawnError(error, program, this.options.cwd) };
    }
    if (child.pid === undefined) {
      // The spawn failed (program not found): 'error' comes on the next tick.
      return { spawnError: describeSpawnError(Object.assign(new Error('spawn failed'), { code: 'ENOENT' }), program, this.options.cwd) };
    }
    const pid = child.pid;
    const recorded = this.options.onSpawn?.(pid).catch(() => undefined);
    const processor = new DeckProcessor(child, pid, this.options, (gone) => {
      this.all.delete(gone);
      const at = this.idle.indexOf(gone);
      if (at >= 0) this.idle.splice(at, 1);
      void Promise.resolve(recorded).then(() => this.options.onExit?.(pid).catch(() => undefined));
    });
    this.all.add(processor);
    return { processor };
  }
}
