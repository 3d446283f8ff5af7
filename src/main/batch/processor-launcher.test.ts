import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProcessorEvent, ProcessorResultEvent } from '../../shared/processor-protocol';
import {
  ByteTail,
  classifyOutcome,
  killAllProcessors,
  NdjsonLineReader,
  runProcessor,
  type ProcessorOutcome,
  type RunProcessorOptions,
} from './processor-launcher';

const SCRIPT = fileURLToPath(new URL('./test-processors/scripted-processor.mjs', import.meta.url));
const IS_WINDOWS = process.platform === 'win32';

let dir: string;
let input: string;
let output: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'altgen-launcher-'));
  input = join(dir, 'Week 1 deck.pptx');
  output = join(dir, 'Week 1 deck.altgen.pptx.tmp');
  writeFileSync(input, 'not really a deck, but bytes to copy');
});

afterEach(async () => {
  await killAllProcessors();
  rmSync(dir, { recursive: true, force: true });
});

function run(
  mode: string,
  options: Partial<RunProcessorOptions> = {},
  extraArgs: readonly string[] = [],
): { outcome: Promise<ProcessorOutcome>; events: ProcessorEvent[] } {
  const events: ProcessorEvent[] = [];
  const outcome = runProcessor({
    argv: [process.execPath, SCRIPT, mode, input, output, ...extraArgs],
    cwd: dir,
    timeoutMs: 20_000,
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { outcome, events };
}

/** True once the pid is gone or a zombie (PID 1 in a container may never reap orphans). */
function isDead(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  if (process.platform !== 'linux') return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

async function expectDead(pids: readonly number[]): Promise<void> {
  const deadline = Date.now() + 3_000;
  while (pids.some((pid) => !isDead(pid)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(pids.filter((pid) => !isDead(pid))).toEqual([]);
}

/** The two pids the `hang` mode reports in its progress message. */
function hangPids(events: readonly ProcessorEvent[]): number[] {
  for (const event of events) {
    const match = event.type === 'progress' ? /processor pid (\d+), grandchild pid (\d+)/.exec(event.message ?? '') : null;
    if (match) return [Number(match[1]), Number(match[2])];
  }
  throw new Error(`hang mode reported no pids: ${JSON.stringify(events)}`);
}

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('runProcessor', () => {
  it('delivers progress and result events in order and copies the deck', async () => {
    const { outcome, events } = run('succeed', {}, []);
    const done = await outcome;

    expect(events.map((e) => e.type)).toEqual(['progress', 'progress', 'result']);
    expect(events[0]).toMatchObject({ pictures_found: 2, pictures_done: 0 });
    expect(events[1]).toMatchObject({ pictures_found: 2, pictures_done: 2 });
    expect(done).toMatchObject({ exitCode: 0, signal: null, timedOut: false, aborted: false, lastError: null });
    expect(done.result).toMatchObject({ type: 'result', pictures: 2, described: 1, preserved: 1, output });
    expect(done.result).toBe(events[2]);
    expect(readFileSync(output, 'utf8')).toBe('not really a deck, but bytes to copy');
    expect(classifyOutcome(done, 20_000)).toEqual({ kind: 'success', result: done.result });
  });

  it('takes the failure message from the last non-empty stderr line', async () => {
    const done = await run('fail').outcome;
    expect(done.exitCode).toBe(1);
    expect(classifyOutcome(done, 20_000)).toEqual({
      kind: 'failed',
      code: 'EPROCESSOR_FAILED',
      message: 'scripted failure: could not process Week 1 deck.pptx',
    });
  });

  it('takes the error line, not the Node.js banner, from a processor that died of an uncaught exception', async () => {
    const script = `require('node:fs').copyFileSync(${JSON.stringify(join(dir, 'missing.pptx'))}, ${JSON.stringify(output)})`;
    const done = await runProcessor({ argv: [process.execPath, '-e', script], timeoutMs: 20_000 });
    expect(done.stderrTail.trim().split('\n').at(-1)).toMatch(/^Node\.js v\d+/);
    expect(classifyOutcome(done, 20_000)).toMatchObject({
      kind: 'failed',
      message: expect.stringMatching(/^Error: ENOENT: no such file or directory, copyfile '.*missing\.pptx'/),
    });
  });

  it('prefers the message of an error event over stderr', async () => {
    const { outcome, events } = run('error-event');
    const done = await outcome;
    expect(events.map((e) => e.type)).toEqual(['progress', 'error']);
    expect(done.lastError).toMatchObject({ code: 'ESCRIPTED' });
    expect(classifyOutcome(done, 20_000)).toEqual({
      kind: 'failed',
      code: 'EPROCESSOR_FAILED',
      message: 'scripted error event for Week 1 deck.pptx',
    });
  });

  it.each([
    ['input-problem', 65, { kind: 'input-problem', message: 'input rejected: Week 1 deck.pptx is not a valid PowerPoint file', code: 'ECORRUPT' }],
    ['model-unavailable', 69, { kind: 'model-unavailable', message: 'could not reach the model server at http://127.0.0.1:11434' }],
    ['model-missing', 78, { kind: 'model-missing', message: 'model llava not found: run ollama pull llava' }],
  ])('classifies %s (exit %i)', async (mode, exitCode, classified) => {
    const done = await run(mode).outcome;
    expect(done.exitCode).toBe(exitCode);
    expect(classifyOutcome(done, 20_000)).toEqual(classified);
  });

  it('reports success without a result for a processor that prints nothing', async () => {
    const { outcome, events } = run('no-output');
    const done = await outcome;
    expect(events).toEqual([]);
    expect(classifyOutcome(done, 20_000)).toEqual({ kind: 'success', result: null });
    expect(existsSync(output)).toBe(false);
  });

  it('runs a slow processor to the end within its timeout', async () => {
    const { outcome, events } = run('slow', { env: { ...process.env, ALTGEN_TEST_DELAY_MS: '250' } });
    const done = await outcome;
    expect(done.exitCode).toBe(0);
    expect(done.durationMs).toBeGreaterThanOrEqual(200);
    expect(events.filter((e) => e.type === 'progress')).toHaveLength(7);
    expect(events.at(-1)?.type).toBe('result');
  });

  it('picks each deck’s behaviour from ALTGEN_TEST_MODE_FILE in by-file mode', async () => {
    const modeFile = join(dir, 'modes.json');
    const callLog = join(dir, 'calls.log');
    writeFileSync(modeFile, JSON.stringify({ 'Week 1 deck.pptx': 'model-missing', '*': 'fail' }));
    const env = { ...process.env, ALTGEN_TEST_MODE_FILE: modeFile, ALTGEN_TEST_CALL_LOG: callLog };

    const first = await run('by-file', { env }).outcome;
    input = join(dir, 'other.pptx');
    writeFileSync(input, 'x');
    const second = await run('by-file', { env }).outcome;

    expect(first.exitCode).toBe(78);
    expect(second.exitCode).toBe(1);
    expect(readFileSync(callLog, 'utf8')).toBe('Week 1 deck.pptx model-missing\nother.pptx fail\n');
  });

  it.skipIf(IS_WINDOWS)('kills the processor and its grandchild at the timeout', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const { outcome, events } = run('hang', { timeoutMs: 800, killGraceMs: 1_000 }, ['--pid-file', pidFile]);
    const done = await outcome;

    expect(done).toMatchObject({ timedOut: true, aborted: false, exitCode: null, signal: 'SIGTERM' });
    // Hang bounds below are generous (CI's cores may be busy): the failure they catch is a
    // tree left running until the 20 s timeout of run(), or for ever.
    expect(done.durationMs).toBeLessThan(10_000);
    const [processorPid, grandchildPid] = hangPids(events);
    expect(readFileSync(pidFile, 'utf8')).toBe(String(grandchildPid));
    await expectDead([processorPid!, grandchildPid!]);
    expect(classifyOutcome(done, 300_000)).toEqual({
      kind: 'timed-out',
      code: 'ETIMEOUT',
      message: 'took longer than 300 s; stopped',
    });
  });

  it.skipIf(IS_WINDOWS)('escalates to SIGKILL when the tree ignores SIGTERM', async () => {
    const { outcome, events } = run('hang', { timeoutMs: 500, killGraceMs: 300 }, ['--ignore-sigterm']);
    const done = await outcome;

    expect(done).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
    expect(done.durationMs).toBeGreaterThanOrEqual(750);
    await expectDead(hangPids(events));
  });

  it.skipIf(IS_WINDOWS)('kills the tree when the abort signal fires', async () => {
    const controller = new AbortController();
    const { outcome, events } = run('hang', { signal: controller.signal });
    await waitFor(() => events.length > 0);
    const pids = hangPids(events);
    expect(pids.filter(isDead)).toEqual([]);
    controller.abort();
    const done = await outcome;

    expect(done).toMatchObject({ aborted: true, timedOut: false });
    expect(classifyOutcome(done, 20_000)).toEqual({ kind: 'aborted' });
    await expectDead(pids);
  });

  it('does not start a processor when the signal has already fired', async () => {
    const done = await run('succeed', { signal: AbortSignal.abort() }).outcome;
    expect(done).toMatchObject({ aborted: true, exitCode: null });
    expect(existsSync(output)).toBe(false);
  });

  it.skipIf(IS_WINDOWS)('killAllProcessors stops every running tree', async () => {
    const a = run('hang');
    const b = run('hang', {}, ['--ignore-sigterm']);
    await waitFor(() => a.events.length > 0 && b.events.length > 0);

    const started = Date.now();
    await killAllProcessors();
    const [doneA, doneB] = await Promise.all([a.outcome, b.outcome]);

    expect(Date.now() - started).toBeLessThan(12_000);
    expect(doneA.aborted).toBe(true);
    expect(doneB).toMatchObject({ aborted: true, signal: 'SIGKILL' });
    await expectDead([...hangPids(a.events), ...hangPids(b.events)]);
  });

  it.skipIf(IS_WINDOWS)('kills what a processor leaves running when it exits, without waiting for it', async () => {
    const pidFile = join(dir, 'straggler.pid');
    const script = [
      "const { spawn } = require('node:child_process');",
      "const straggler = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'inherit' });",
      `require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(straggler.pid));`,
      "console.log(JSON.stringify({ type: 'result', pictures: 0 }));",
      'process.exit(0);',
    ].join('\n');
    const done = await runProcessor({ argv: [process.execPath, '-e', script], timeoutMs: 20_000 });

    expect(done.exitCode).toBe(0);
    expect(done.result).toMatchObject({ pictures: 0 });
    expect(done.durationMs).toBeLessThan(10_000);
    await expectDead([Number(readFileSync(pidFile, 'utf8'))]);
  });

  it('reads a last line that has no trailing newline', async () => {
    const script = "process.stdout.write('noise\\n' + JSON.stringify({ type: 'result', pictures: 4 }))";
    const done = await runProcessor({ argv: [process.execPath, '-e', script], timeoutMs: 20_000 });
    expect(done.result).toMatchObject({ pictures: 4 });
    expect(done.stdoutTail).toBe('noise');
  });

  it.skipIf(IS_WINDOWS)('reports a crash with the signal and the last stderr line', async () => {
    const done = await run('crash').outcome;
    expect(['SIGSEGV', 'SIGKILL']).toContain(done.signal);
    const classified = classifyOutcome(done, 20_000);
    expect(classified).toMatchObject({ kind: 'crashed', code: 'ECRASHED' });
    expect(classified).toHaveProperty('message', expect.stringContaining(`killed by ${done.signal}`));
    expect(classified).toHaveProperty('message', expect.stringContaining('crashing on purpose'));
  });

  it('survives 200 MB on stdout without a newline and without buffering it', async () => {
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    const { outcome, events } = run('flood');
    const done = await outcome;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);

    expect(done.exitCode).toBe(0);
    expect(events.map((e) => e.type)).toEqual(['progress', 'progress', 'result']);
    expect(done.stdoutTail).toMatch(/^\[skipped a stdout line of 2\d{8} bytes\]\nplain text after the flood$/);
    // Streaming past it costs ~30-50 MB of short-lived read buffers here; holding the line
    // whole costs its 200 MB at least (about 590 MB measured, with the decoded string).
    expect(peak - before).toBeLessThan(120 * 1024 * 1024);
  });

  it('keeps a bounded stderr tail of a 200 MB flood, ending with the final line', async () => {
    const done = await run('flood-stderr').outcome;
    expect(done.exitCode).toBe(1);
    expect(Buffer.byteLength(done.stderrTail)).toBeLessThanOrEqual(8 * 1024);
    expect(done.stderrTail.endsWith('xxx\nflood-stderr: final line\n')).toBe(true);
    expect(classifyOutcome(done, 20_000)).toMatchObject({ kind: 'failed', message: 'flood-stderr: final line' });
  });

  it('respects a custom stderr tail size', async () => {
    const done = await run('flood-stderr', { maxStderrTailBytes: 100 }, ['--mb', '1']).outcome;
    expect(Buffer.byteLength(done.stderrTail)).toBe(100);
  });

  it('stops a leaking processor at the timeout', async () => {
    const done = await run('leak', { timeoutMs: 700, killGraceMs: 500 }).outcome;
    expect(done.timedOut).toBe(true);
    expect(classifyOutcome(done, 700)).toMatchObject({ kind: 'timed-out', message: 'took longer than 0.7 s; stopped' });
  });

  it.skipIf(IS_WINDOWS)('kills a processor at once when it uses more than maxMemoryBytes, and says so', async () => {
    const spawned: number[] = [];
    const { outcome } = run('leak', { maxMemoryBytes: 200 * 1024 * 1024, onSpawn: (pid) => spawned.push(pid) }, ['--step-mb', '32']);
    const done = await outcome;
    expect(done).toMatchObject({ memoryExceeded: { limitBytes: 200 * 1024 * 1024 }, timedOut: false, signal: 'SIGKILL' });
    expect(done.durationMs).toBeLessThan(12_000);
    expect(spawned).toHaveLength(1);
    await expectDead(spawned);
    expect(classifyOutcome(done, 20_000)).toEqual({
      kind: 'memory-exceeded',
      code: 'ECRASHED',
      message: 'the processor used more than 200 MB of memory and was stopped',
    });
  });

  it('lets a processor under its memory limit finish', async () => {
    const done = await run('succeed', { maxMemoryBytes: 512 * 1024 * 1024, memoryCheckMs: 5 }).outcome;
    expect(done.exitCode).toBe(0);
    expect(done.memoryExceeded).toBeUndefined();
  });

  it('resolves with spawnError when the program does not exist', async () => {
    const done = await runProcessor({ argv: ['altgen-no-such-processor', 'x'], timeoutMs: 5_000 });
    expect(done.spawnError).toEqual({
      code: 'ENOENT',
      message: 'processor command not found: altgen-no-such-processor',
    });
    expect(classifyOutcome(done, 5_000)).toEqual({
      kind: 'spawn-failed',
      code: 'ENOENT',
      message: 'processor command not found: altgen-no-such-processor',
    });
  });

  it.skipIf(IS_WINDOWS)('resolves with spawnError when the program is not executable', async () => {
    const program = join(dir, 'not-executable');
    writeFileSync(program, '#!/bin/sh\nexit 0\n');
    chmodSync(program, 0o644);
    const done = await runProcessor({ argv: [program], timeoutMs: 5_000 });
    expect(done.spawnError?.code).toBe('EACCES');
    expect(done.spawnError?.message).toContain('permission denied');
  });

  it('says so when the working directory is missing', async () => {
    const done = await runProcessor({ argv: [process.execPath], cwd: join(dir, 'gone'), timeoutMs: 5_000 });
    expect(done.spawnError?.message).toBe(`processor working directory not found: ${join(dir, 'gone')}`);
  });

  it('rejects and kills the processor when onEvent throws', async () => {
    const failure = new Error('runner bug');
    const { outcome } = run('slow', {
      env: { ...process.env, ALTGEN_TEST_DELAY_MS: '30000' },
      onEvent: () => {
        throw failure;
      },
    });
    const started = Date.now();
    await expect(outcome).rejects.toBe(failure);
    // Killed at once, not left to run its 30 s (a generous bound: CI's cores may be busy).
    expect(Date.now() - started).toBeLessThan(12_000);
  });
});

describe('NdjsonLineReader', () => {
  it('skips an overlong line as it streams past, holding at most maxLineBytes of it', () => {
    const lines: string[] = [];
    const skipped: number[] = [];
    const reader = new NdjsonLineReader(1024 * 1024, (line) => lines.push(line), (bytes) => skipped.push(bytes));
    const chunk = Buffer.alloc(64 * 1024, 'x');
    for (let i = 0; i < 160; i += 1) reader.push(chunk);
    reader.push(Buffer.from('tail\n{"type":"progress"}\n'));

    expect(reader.peakBufferedBytes).toBeLessThanOrEqual(1024 * 1024);
    expect(skipped).toEqual([160 * 64 * 1024 + 4]);
    expect(lines).toEqual(['{"type":"progress"}']);
  });

  it('joins lines and multi-byte characters split across chunks', () => {
    const lines: string[] = [];
    const reader = new NdjsonLineReader(1024, (line) => lines.push(line));
    const bytes = Buffer.from('first\nGrüße €\r\nlast');
    for (let i = 0; i < bytes.length; i += 1) reader.push(bytes.subarray(i, i + 1));
    reader.end();
    expect(lines).toEqual(['first', 'Grüße €\r', 'last']);
  });

  it('keeps a line of exactly maxLineBytes', () => {
    const lines: string[] = [];
    const reader = new NdjsonLineReader(4, (line) => lines.push(line));
    reader.push(Buffer.from('abcd\nabcde\nok\n'));
    expect(lines).toEqual(['abcd', 'ok']);
  });
});

describe('ByteTail', () => {
  it('keeps the last bytes across wrap-arounds', () => {
    const tail = new ByteTail(8);
    tail.push(Buffer.from('abc'));
    expect(tail.toString()).toBe('abc');
    tail.push(Buffer.from('defgh'));
    tail.push(Buffer.from('ij'));
    expect(tail.toString()).toBe('cdefghij');
    tail.push(Buffer.from('0123456789'));
    expect(tail.toString()).toBe('23456789');
  });

  it('drops a character cut in half at the start', () => {
    const tail = new ByteTail(4);
    tail.push(Buffer.from('x€ab')); // '€' is 3 bytes: the tail keeps its last 2 bytes
    expect(tail.toString()).toBe('ab');
  });
});

describe('classifyOutcome', () => {
  const base: ProcessorOutcome = {
    exitCode: 0,
    signal: null,
    timedOut: false,
    aborted: false,
    result: null,
    lastError: null,
    stderrTail: '',
    stdoutTail: '',
    durationMs: 10,
  };
  const result: ProcessorResultEvent = { type: 'result', pictures: 3, described: 3 };

  it.each<[string, Partial<ProcessorOutcome>, ReturnType<typeof classifyOutcome>]>([
    ['exit 0 with a result', { result }, { kind: 'success', result }],
    ['exit 0 without a result', {}, { kind: 'success', result: null }],
    ['exit 65', { exitCode: 65, stderrTail: 'encrypted deck\n' }, { kind: 'input-problem', message: 'encrypted deck', code: 'EINPUT_REJECTED' }],
    ['exit 65, silent', { exitCode: 65 }, { kind: 'input-problem', message: 'the processor rejected the input file', code: 'EINPUT_REJECTED' }],
    [
      'exit 65 with its own code',
      { exitCode: 65, lastError: { type: 'error', code: 'EENCRYPTED', message: 'The deck is password-protected.' } },
      { kind: 'input-problem', message: 'The deck is password-protected.', code: 'EENCRYPTED' },
    ],
    [
      'exit 65 with a code that is not an input problem',
      { exitCode: 65, lastError: { type: 'error', code: 'ETIMEOUT', message: 'odd' } },
      { kind: 'input-problem', message: 'odd', code: 'EINPUT_REJECTED' },
    ],
    ['exit 69', { exitCode: 69 }, { kind: 'model-unavailable', message: 'the model server could not be reached' }],
    [
      'exit 78',
      { exitCode: 78, lastError: { type: 'error', message: 'model llava not found: run ollama pull llava' } },
      { kind: 'model-missing', message: 'model llava not found: run ollama pull llava' },
    ],
    [
      'SIGSEGV',
      { exitCode: null, signal: 'SIGSEGV', stderrTail: 'loading\n  segfault in libfoo  \n\n' },
      { kind: 'crashed', code: 'ECRASHED', message: 'the processor crashed (killed by SIGSEGV): segfault in libfoo' },
    ],
    [
      'SIGKILL from outside',
      { exitCode: null, signal: 'SIGKILL' },
      {
        kind: 'crashed',
        code: 'ECRASHED',
        message: 'the processor crashed (killed by SIGKILL, often because the system ran out of memory)',
      },
    ],
    [
      'a timeout',
      { exitCode: null, signal: 'SIGTERM', timedOut: true },
      { kind: 'timed-out', code: 'ETIMEOUT', message: 'took longer than 300 s; stopped' },
    ],
    ['an abort', { exitCode: null, signal: 'SIGTERM', aborted: true }, { kind: 'aborted' }],
    [
      'exit 1 with an error event and stderr',
      { exitCode: 1, lastError: { type: 'error', message: 'bad\n  thing' }, stderrTail: 'other\n' },
      { kind: 'failed', code: 'EPROCESSOR_FAILED', message: 'bad thing' },
    ],
    [
      'exit 1 with stderr',
      { exitCode: 1, stderrTail: 'Traceback\n  File "x.py"\nValueError: boom\n\n' },
      { kind: 'failed', code: 'EPROCESSOR_FAILED', message: 'ValueError: boom' },
    ],
    [
      'exit 2 with only stdout text',
      { exitCode: 2, stdoutTail: 'usage: proc <file>' },
      { kind: 'failed', code: 'EPROCESSOR_FAILED', message: 'usage: proc <file>' },
    ],
    ['exit 3, silent', { exitCode: 3 }, { kind: 'failed', code: 'EPROCESSOR_FAILED', message: 'exited with code 3' }],
    [
      'a spawn failure',
      { exitCode: null, spawnError: { code: 'ENOENT', message: 'processor command not found: foo' } },
      { kind: 'spawn-failed', code: 'ENOENT', message: 'processor command not found: foo' },
    ],
  ])('maps %s', (_name, fields, expected) => {
    expect(classifyOutcome({ ...base, ...fields }, 300_000)).toEqual(expected);
  });

  it('caps messages at about 300 characters on one line', () => {
    const classified = classifyOutcome({ ...base, exitCode: 1, stderrTail: `${'word '.repeat(200)}\n` }, 1_000);
    expect(classified).toMatchObject({ kind: 'failed' });
    const message = (classified as { message: string }).message;
    expect(message.length).toBeLessThanOrEqual(300);
    expect(message).toMatch(/^word word .*…$/);
  });
});
