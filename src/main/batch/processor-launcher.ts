/**
 * Runs one processor process for one deck and reports how it ended.
 *
 * Guaranteed:
 * - No shell: argv[0] is executed directly with argv[1..] as its arguments.
 * - stdin is /dev/null ('ignore'): a processor that reads stdin sees end-of-file at once
 *   instead of waiting for input nobody will send until the timeout.
 * - On POSIX the processor leads its own process group, and every kill (timeout, abort,
 *   {@link killAllProcessors}) goes to the whole group: SIGTERM, then SIGKILL after a grace
 *   period. When the processor exits, whatever it left running in its group is SIGKILLed,
 *   so a stray grandchild can neither outlive it nor hold its stdout open.
 * - Memory stays bounded whatever the processor prints: stdout is read line by line, a line
 *   longer than `maxLineBytes` is discarded as it streams past (never buffered whole), and
 *   only a tail of stderr (`maxStderrTailBytes`) and of stdout's non-event lines is kept.
 * - The promise resolves for every way the process can end, a failed spawn included
 *   (`spawnError`); it rejects only for a programming error (empty argv, `onEvent` throwing).
 * - If the host process exits (`process.exit`, an uncaught exception), live groups are
 *   SIGKILLed from a synchronous 'exit' hook.
 * - With `maxMemoryBytes`, a processor whose resident memory grows past it is SIGKILLed at
 *   once (sampled every `memoryCheckMs`; Linux reads /proc, macOS asks `ps`), and the
 *   outcome says so (`memoryExceeded`), so a leak ends as that and not as a timeout minutes
 *   later, after the whole machine has been pushed into swap.
 *
 * Not guaranteed:
 * - A descendant that leaves the group (`setsid`, or a daemon that double-forks into a new
 *   session) escapes the kill.
 * - If the host dies by SIGKILL, processors keep running (until they next write to the
 *   closed stdout); `onSpawn` lets the caller record them so that a later run can stop them
 *   (the batch runner does, with processor-registry.ts).
 * - On Windows there are no process groups: `taskkill /T /F` kills the tree while the
 *   processor lives, but children it leaves behind after exiting normally are not found.
 * - The memory cap counts the processor's own process, not children it starts, and a burst
 *   faster than the sampling interval can overshoot it until the next sample. On Windows
 *   memory is not sampled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import {
  parseProcessorLine,
  PROCESSOR_EXIT,
  type ProcessorErrorEvent,
  type ProcessorEvent,
  type ProcessorResultEvent,
} from '../../shared/processor-protocol';
import type { ItemErrorCode } from '../../shared/error-codes';

export interface RunProcessorOptions {
  readonly argv: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Wall-clock limit for this file; then the group is killed and `timedOut` is set. */
  readonly timeoutMs: number;
  /**
   * Time the processor may take beyond `timeoutMs`, asked when the limit is reached (the batch
   * was paused meanwhile, and the processor waited the pause out): the limit moves by as much.
   */
  readonly extraTimeMs?: () => number;
  /** The user's "stop now": the group is killed and `aborted` is set. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: ProcessorEvent) => void;
  /** Bytes of stderr kept for error messages (default 8 KiB). */
  readonly maxStderrTailBytes?: number;
  /** Longest stdout line still parsed; longer lines are skipped (default 1 MiB). */
  readonly maxLineBytes?: number;
  /** Time between SIGTERM and SIGKILL (default 2 s). */
  readonly killGraceMs?: number;
  /** Resident memory the processor may use; above it, it is SIGKILLed (default: no limit). */
  readonly maxMemoryBytes?: number;
  /** How often memory is sampled when `maxMemoryBytes` is set (default 250 ms). */
  readonly memoryCheckMs?: number;
  /** Called with the processor's pid once it has been started. */
  readonly onSpawn?: (pid: number) => void;
}

export interface ProcessorOutcome {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  /** Killed on request: the `signal` option fired or {@link killAllProcessors} ran. */
  readonly aborted: boolean;
  /** Killed for using more than `maxMemoryBytes` (that limit). */
  readonly memoryExceeded?: { readonly limitBytes: number };
  /** The last `result` event. */
  readonly result: ProcessorResultEvent | null;
  /** The last `error` event. */
  readonly lastError: ProcessorErrorEvent | null;
  readonly stderrTail: string;
  /** The last few stdout lines that were not protocol events. */
  readonly stdoutTail: string;
  readonly durationMs: number;
  readonly spawnError?: { readonly code: string; readonly message: string };
}

export type Classified =
  | { readonly kind: 'success'; readonly result: ProcessorResultEvent | null }
  | { readonly kind: 'input-problem'; readonly message: string; readonly code: ItemErrorCode }
  | { readonly kind: 'output-problem'; readonly code: 'EOUTPUT'; readonly message: string }
  | { readonly kind: 'model-unavailable'; readonly message: string }
  | { readonly kind: 'model-missing'; readonly message: string }
  | { readonly kind: 'model-unusable'; readonly message: string }
  | { readonly kind: 'crashed'; readonly code: 'ECRASHED'; readonly message: string }
  | { readonly kind: 'timed-out'; readonly code: 'ETIMEOUT'; readonly message: string }
  | { readonly kind: 'memory-exceeded'; readonly code: 'ECRASHED'; readonly message: string }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'failed'; readonly code: 'EPROCESSOR_FAILED'; readonly message: string }
  | { readonly kind: 'spawn-failed'; readonly code: string; readonly message: string };

export const DEFAULT_MAX_STDERR_TAIL_BYTES = 8 * 1024;
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
export const DEFAULT_KILL_GRACE_MS = 2_000;
export const DEFAULT_MEMORY_CHECK_MS = 250;

const IS_WINDOWS = process.platform === 'win32';
/** After the processor exits, how long its stdout/stderr may take to deliver what is left. */
const DRAIN_AFTER_EXIT_MS = 1_000;
/** setTimeout fires at once for anything longer (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;
const STDOUT_TAIL_LINES = 5;
const STDOUT_TAIL_LINE_CHARS = 500;
const MESSAGE_MAX_CHARS = 300;

/** A running processor as killAllProcessors and the host's exit hook see it (processor-pool.ts registers its own). */
export interface LiveProcessor {
  stop(): void;
  readonly settled: Promise<unknown>;
  readonly pid: number;
}

const live = new Set<LiveProcessor>();

/** Kills every running processor tree (SIGTERM, then SIGKILL) and waits until all have ended. */
export async function killAllProcessors(): Promise<void> {
  const running = [...live];
  for (const processor of running) processor.stop();
  await Promise.allSettled(running.map((processor) => processor.settled));
}

function killGroupsOnHostExit(): void {
  for (const processor of live) killTree(processor.pid, 'SIGKILL');
}

export function register(processor: LiveProcessor): void {
  if (live.size === 0) process.on('exit', killGroupsOnHostExit);
  live.add(processor);
}

export function unregister(processor: LiveProcessor): void {
  live.delete(processor);
  if (live.size === 0) process.off('exit', killGroupsOnHostExit);
}

/** Runs `argv` as a processor; see the module comment for what is guaranteed. */
export function runProcessor(opts: RunProcessorOptions): Promise<ProcessorOutcome> {
  const [program, ...args] = opts.argv;
  if (program === undefined || program === '') {
    return Promise.reject(new TypeError('runProcessor: argv must name a program'));
  }
  const startedAt = performance.now();
  const elapsed = (): number => Math.round(performance.now() - startedAt);

  if (opts.signal?.aborted) {
    return Promise.resolve(emptyOutcome({ aborted: true, durationMs: 0 }));
  }

  let child: ChildProcess;
  try {
    child = spawn(program, args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: !IS_WINDOWS,
      windowsHide: true,
    });
  } catch (error) {
    return Promise.resolve(
      emptyOutcome({ spawnError: describeSpawnError(error, program, opts.cwd), durationMs: elapsed() }),
    );
  }

  return new Promise<ProcessorOutcome>((resolve, reject) => {
    const killGraceMs = opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
    const stderrTail = new ByteTail(opts.maxStderrTailBytes ?? DEFAULT_MAX_STDERR_TAIL_BYTES);
    const stdoutTail: string[] = [];
    let result: ProcessorResultEvent | null = null;
    let lastError: ProcessorErrorEvent | null = null;
    let callbackError: { error: unknown } | null = null;

    const onLine = (line: string): void => {
      const event = parseProcessorLine(line);
      if (event === null) {
        const text = line.trim();
        if (text !== '') pushBounded(stdoutTail, truncate(text, STDOUT_TAIL_LINE_CHARS), STDOUT_TAIL_LINES);
        return;
      }
      if (event.type === 'result') result = event;
      else if (event.type === 'error') lastError = event;
      if (opts.onEvent === undefined || callbackError !== null) return;
      try {
        opts.onEvent(event);
      } catch (error) {
        callbackError = { error };
        stop('aborted');
      }
    };
    const lines = new NdjsonLineReader(opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, onLine, (bytes) =>
      pushBounded(stdoutTail, `[skipped a stdout line of ${bytes} bytes]`, STDOUT_TAIL_LINES),
    );

    let exited = false;
    let settled = false;
    let stopReason: 'timedOut' | 'aborted' | 'memoryExceeded' | null = null;
    let graceTimer: NodeJS.Timeout | undefined;
    let timeoutTimer: NodeJS.Timeout | undefined;
    const armTimeout = (ms: number): void => {
      timeoutTimer = setTimeout(() => {
        const left = Math.max(opts.timeoutMs, 0) + (opts.extraTimeMs?.() ?? 0) - elapsed();
        if (left > 0) armTimeout(left);
        else stop('timedOut');
      }, Math.min(Math.max(ms, 0), MAX_TIMER_MS));
    };
    if (Number.isFinite(opts.timeoutMs)) armTimeout(opts.timeoutMs);

    function stop(reason: 'timedOut' | 'aborted' | 'memoryExceeded'): void {
      if (exited || stopReason !== null || child.pid === undefined) return;
      stopReason = reason;
      const pid = child.pid;
      // A process eating memory gets no grace: every moment of it pushes the machine into swap.
      if (reason === 'memoryExceeded') {
        killTree(pid, 'SIGKILL');
        return;
      }
      killTree(pid, 'SIGTERM');
      graceTimer = setTimeout(() => killTree(pid, 'SIGKILL'), killGraceMs);
    }
    const memoryWatch =
      opts.maxMemoryBytes !== undefined && Number.isFinite(opts.maxMemoryBytes) && child.pid !== undefined && !IS_WINDOWS
        ? watchMemory(child.pid, opts.maxMemoryBytes, opts.memoryCheckMs ?? DEFAULT_MEMORY_CHECK_MS, () => stop('memoryExceeded'))
        : null;
    const onAbort = (): void => stop('aborted');
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    let resolveSettled: () => void = () => {};
    const entry: LiveProcessor | null =
      child.pid === undefined
        ? null
        : {
            pid: child.pid,
            stop: () => stop('aborted'),
            settled: new Promise<void>((done) => {
              resolveSettled = done;
            }),
          };
    if (entry !== null) register(entry);
    if (child.pid !== undefined && opts.onSpawn) {
      try {
        opts.onSpawn(child.pid);
      } catch {
        // The caller's bookkeeping must not leave a processor running unwatched.
      }
    }

    const cleanUp = (): void => {
      memoryWatch?.stop();
      clearTimeout(timeoutTimer);
      clearTimeout(graceTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (entry !== null) unregister(entry);
      resolveSettled();
    };

    child.stdout?.on('data', (chunk: Buffer) => lines.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderrTail.push(chunk));
    // A read error on a pipe is followed by 'close'; unheard, it would crash the host.
    child.stdout?.on('error', () => {});
    child.stderr?.on('error', () => {});

    child.on('error', (error) => {
      // After a successful spawn, 'error' only reports a failed kill; 'exit' still follows.
      if (settled || child.pid !== undefined) return;
      settled = true;
      cleanUp();
      resolve(emptyOutcome({ spawnError: describeSpawnError(error, program, opts.cwd), durationMs: elapsed() }));
    });

    child.once('exit', (exitCode, signal) => {
      // A failed spawn may also report an 'exit'; the 'error' handler owns that case.
      if (child.pid === undefined) return;
      exited = true;
      // Stragglers in the group would otherwise live on and keep the pipes open. On Windows
      // the pid may already belong to an unrelated process, so nothing is killed there.
      if (!IS_WINDOWS) killTree(child.pid, 'SIGKILL');
      void drained(child).then(() => {
        if (settled) return;
        settled = true;
        lines.end();
        cleanUp();
        if (callbackError !== null) {
          reject(callbackError.error);
          return;
        }
        resolve({
          exitCode,
          signal,
          timedOut: stopReason === 'timedOut',
          aborted: stopReason === 'aborted',
          ...(stopReason === 'memoryExceeded' && opts.maxMemoryBytes !== undefined ? { memoryExceeded: { limitBytes: opts.maxMemoryBytes } } : {}),
          result,
          lastError,
          stderrTail: stderrTail.toString(),
          stdoutTail: stdoutTail.join('\n'),
          durationMs: elapsed(),
        });
      });
    });
  });
}

/** Samples the resident memory of `pid` until stopped; calls `onExceeded` once it is above `limit`. */
export function watchMemory(pid: number, limit: number, everyMs: number, onExceeded: () => void): { stop(): void } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const sample = async (): Promise<void> => {
    const bytes = await residentBytes(pid);
    if (stopped) return;
    if (bytes !== null && bytes > limit) {
      onExceeded();
      return;
    }
    timer = setTimeout(() => void sample(), everyMs);
  };
  timer = setTimeout(() => void sample(), everyMs);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** Resident set size of one process, or null when it cannot be read (gone, or no way to ask). */
export async function residentBytes(pid: number): Promise<number | null> {
  if (process.platform === 'linux') {
    const status = await fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const kib = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kib === undefined ? null : Number(kib) * 1024;
  }
  return new Promise((resolve) => {
    const ps = spawn('ps', ['-o', 'rss=', '-p', String(pid)], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    ps.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    ps.on('error', () => resolve(null));
    ps.on('close', () => {
      const kib = Number(out.trim());
      resolve(out.trim() !== '' && Number.isFinite(kib) ? kib * 1024 : null);
    });
  });
}

/** Waits for stdout and stderr to close, but not longer than {@link DRAIN_AFTER_EXIT_MS}. */
export function drained(child: ChildProcess): Promise<void> {
  const streams = [child.stdout, child.stderr].filter((s) => s !== null && !s.closed);
  if (streams.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    let open = streams.length;
    const finish = (): void => {
      clearTimeout(timer);
      for (const stream of streams) stream?.destroy();
      resolve();
    };
    const timer = setTimeout(finish, DRAIN_AFTER_EXIT_MS);
    for (const stream of streams) {
      stream?.once('close', () => {
        open -= 1;
        if (open === 0) finish();
      });
    }
  });
}

export function killTree(pid: number, signal: 'SIGTERM' | 'SIGKILL'): void {
  if (IS_WINDOWS) {
    const taskkill = spawn('taskkill', ['/pid', String(pid), '/T', '/F'], {
      stdio: 'ignore',
      windowsHide: true,
    });
    taskkill.on('error', () => {});
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch (error) {
    // ESRCH: the group is already gone. Anything else (EPERM): at least try the leader.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') {
      try {
        process.kill(pid, signal);
      } catch {
        // Gone in the meantime.
      }
    }
  }
}

export function emptyOutcome(fields: Partial<ProcessorOutcome> & { durationMs: number }): ProcessorOutcome {
  return {
    exitCode: null,
    signal: null,
    timedOut: false,
    aborted: false,
    result: null,
    lastError: null,
    stderrTail: '',
    stdoutTail: '',
    ...fields,
  };
}

export function describeSpawnError(
  error: unknown,
  program: string,
  cwd: string | undefined,
): { code: string; message: string } {
  const code = (error as NodeJS.ErrnoException).code ?? 'ESPAWN';
  switch (code) {
    case 'ENOENT':
      // spawn reports a missing working directory as a missing program.
      if (cwd !== undefined && !existsSync(cwd)) {
        return { code, message: `processor working directory not found: ${cwd}` };
      }
      return { code, message: `processor command not found: ${program}` };
    case 'EACCES':
      return { code, message: `processor command is not executable (permission denied): ${program}` };
    default:
      return { code, message: `could not start processor ${program}: ${(error as Error).message}` };
  }
}

/**
 * Splits a byte stream into lines without ever holding more than `maxLineBytes` of one line
 * (plus the chunk being scanned): a longer line is dropped as soon as it outgrows the limit
 * and the rest of it is skipped up to its newline.
 */
export class NdjsonLineReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private skipping = false;
  private skippedBytes = 0;
  /** Most bytes of an unfinished line held at once; lets tests check the bound. */
  peakBufferedBytes = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: (line: string) => void,
    private readonly onSkippedLine: (bytes: number) => void = () => {},
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      this.take(chunk.subarray(start, end));
      if (newline === -1) return;
      this.finishLine();
      start = newline + 1;
    }
  }

  /** Delivers a last line that had no trailing newline. */
  end(): void {
    if (this.pendingBytes > 0 || this.skipping) this.finishLine();
  }

  private take(part: Buffer): void {
    if (part.length === 0) return;
    if (this.skipping) {
      this.skippedBytes += part.length;
      return;
    }
    if (this.pendingBytes + part.length > this.maxLineBytes) {
      this.skipping = true;
      this.skippedBytes = this.pendingBytes + part.length;
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    // Copy so that a short tail does not keep the whole chunk it came from alive.
    this.pending.push(Buffer.from(part));
    this.pendingBytes += part.length;
    this.peakBufferedBytes = Math.max(this.peakBufferedBytes, this.pendingBytes);
  }

  private finishLine(): void {
    if (this.skipping) {
      this.skipping = false;
      this.onSkippedLine(this.skippedBytes);
      this.skippedBytes = 0;
      return;
    }
    const line = Buffer.concat(this.pending, this.pendingBytes).toString('utf8');
    this.pending = [];
    this.pendingBytes = 0;
    this.onLine(line);
  }
}

/** Keeps the last `capacity` bytes written to it, in a fixed ring. */
export class ByteTail {
  private readonly ring: Buffer;
  private writeAt = 0;
  private total = 0;

  constructor(private readonly capacity: number) {
    this.ring = Buffer.alloc(Math.max(0, capacity));
  }

  push(chunk: Buffer): void {
    const capacity = this.capacity;
    this.total += chunk.length;
    if (capacity === 0) return;
    const data = chunk.length > capacity ? chunk.subarray(chunk.length - capacity) : chunk;
    const first = Math.min(data.length, capacity - this.writeAt);
    data.copy(this.ring, this.writeAt, 0, first);
    data.copy(this.ring, 0, first);
    this.writeAt = (this.writeAt + data.length) % capacity;
  }

  /** Forgets what was kept (a long-lived processor's next deck starts a new tail). */
  clear(): void {
    this.writeAt = 0;
    this.total = 0;
  }

  /** The kept bytes as UTF-8; a character cut in half at the start is dropped. */
  toString(): string {
    if (this.total <= this.capacity) return this.ring.toString('utf8', 0, this.total);
    const bytes = Buffer.concat([this.ring.subarray(this.writeAt), this.ring.subarray(0, this.writeAt)]);
    let skip = 0;
    while (skip < 3 && skip < bytes.length && ((bytes[skip] ?? 0) & 0xc0) === 0x80) skip += 1;
    return bytes.toString('utf8', skip);
  }
}

/** What the runner should do with a finished processor run. Pure. */
export function classifyOutcome(outcome: ProcessorOutcome, timeoutMs: number): Classified {
  if (outcome.spawnError !== undefined) {
    return { kind: 'spawn-failed', code: outcome.spawnError.code, message: oneLine(outcome.spawnError.message) };
  }
  if (outcome.aborted) return { kind: 'aborted' };
  if (outcome.memoryExceeded) {
    const megabytes = Math.round(outcome.memoryExceeded.limitBytes / (1024 * 1024));
    return {
      kind: 'memory-exceeded',
      code: 'ECRASHED',
      message: `the processor used more than ${megabytes} MB of memory and was stopped`,
    };
  }
  if (outcome.timedOut) {
    return { kind: 'timed-out', code: 'ETIMEOUT', message: `took longer than ${formatSeconds(timeoutMs)} s; stopped` };
  }
  if (outcome.signal !== null) {
    const hint = outcome.signal === 'SIGKILL' ? ', often because the system ran out of memory' : '';
    const stderrLine = lastNonEmptyLine(outcome.stderrTail);
    const detail = stderrLine === null ? '' : `: ${stderrLine}`;
    return {
      kind: 'crashed',
      code: 'ECRASHED',
      message: oneLine(`the processor crashed (killed by ${outcome.signal}${hint})${detail}`),
    };
  }
  const exitCode = outcome.exitCode;
  if (exitCode === null) {
    return { kind: 'failed', code: 'EPROCESSOR_FAILED', message: failureReason(outcome, 'exited without a status') };
  }
  switch (exitCode) {
    case PROCESSOR_EXIT.ok:
      return { kind: 'success', result: outcome.result };
    case PROCESSOR_EXIT.inputProblem:
      // The processor's own code (EENCRYPTED, EZIP_LIMITS, …) says more than "rejected".
      return { kind: 'input-problem', message: failureReason(outcome, 'the processor rejected the input file'), code: inputProblemCode(outcome.lastError?.code) };
    case PROCESSOR_EXIT.outputProblem:
      return { kind: 'output-problem', code: 'EOUTPUT', message: failureReason(outcome, 'the processor could not write the copy') };
    case PROCESSOR_EXIT.modelUnavailable:
      return { kind: 'model-unavailable', message: failureReason(outcome, 'the model server could not be reached') };
    case PROCESSOR_EXIT.modelUnusable:
      return { kind: 'model-unusable', message: failureReason(outcome, 'the model answers, but none of its answers could be used') };
    case PROCESSOR_EXIT.modelMissing:
      return {
        kind: 'model-missing',
        message: failureReason(outcome, 'the configured model is not installed on the model server'),
      };
    default:
      return { kind: 'failed', code: 'EPROCESSOR_FAILED', message: failureReason(outcome, `exited with code ${exitCode}`) };
  }
}

/** The processor's own words: its last error event, else stderr, else stdout, else `fallback`. */
/** The input-problem codes a processor may report; anything else is recorded as EINPUT_REJECTED. */
const INPUT_PROBLEM_CODES: ReadonlySet<string> = new Set<ItemErrorCode>([
  'EEMPTY',
  'ENOT_ZIP',
  'EENCRYPTED',
  'ELEGACY_FORMAT',
  'EUNSUPPORTED_TYPE',
  'EZIP_LIMITS',
  'ECORRUPT',
  'ENOT_PRESENTATION',
  'EUNSAFE_XML',
]);

function inputProblemCode(code: string | undefined): ItemErrorCode {
  return code !== undefined && INPUT_PROBLEM_CODES.has(code) ? (code as ItemErrorCode) : 'EINPUT_REJECTED';
}

function failureReason(outcome: ProcessorOutcome, fallback: string): string {
  const candidates = [
    outcome.lastError?.message ?? null,
    uncaughtErrorLine(outcome.stderrTail) ?? lastNonEmptyLine(outcome.stderrTail),
    lastNonEmptyLine(outcome.stdoutTail),
  ];
  for (const candidate of candidates) {
    if (candidate !== null && candidate.trim() !== '') return oneLine(candidate);
  }
  return fallback;
}

/**
 * The error line of a Node.js process that died of an uncaught exception, whose stderr ends
 * with the stack, the error's properties and a `Node.js v20.x` banner, none of them a reason:
 * the last `SomeError: message` line before the banner.
 */
function uncaughtErrorLine(text: string): string | null {
  const lines = text.split(/\r?\n/);
  const banner = lines.findLastIndex((line) => /^Node\.js v\d+\.\d+/.test(line.trim()));
  if (banner === -1) return null;
  for (let i = banner - 1; i >= 0; i -= 1) {
    const line = lines[i]?.trim() ?? '';
    if (/^([A-Z]\w*)?(Error|Exception)( \[\w+\])?: \S/.test(line)) return line;
  }
  return null;
}

function lastNonEmptyLine(text: string): string | null {
  const lines = text.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const line = lines[i]?.trim();
    if (line) return line;
  }
  return null;
}

function oneLine(text: string): string {
  return truncate(text.replace(/\s+/g, ' ').trim(), MESSAGE_MAX_CHARS);
}

function truncate(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}

function formatSeconds(ms: number): string {
  return String(Number((ms / 1000).toFixed(3)));
}

function pushBounded(list: string[], item: string, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}
