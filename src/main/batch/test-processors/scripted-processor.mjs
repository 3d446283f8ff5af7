#!/usr/bin/env node
/**
 * A processor for tests: behaves the way it is told, speaking the processor protocol
 * (NDJSON events on stdout, exit codes 0/1/65/69/78; see src/shared/processor-protocol.ts).
 *
 *   node scripted-processor.mjs <mode> <input> <output> [options...]
 *
 * Modes
 *   succeed            copy input to output; 2 progress events, then a result event with counts
 *   fail               a few lines on stderr, the last one the reason; exit 1
 *   error-event        {"type":"error","message":...} on stdout; exit 1
 *   hang               start a grandchild `node -e` that sleeps forever (sharing our stdout and
 *                      stderr), report both pids in a progress message ("processor pid N,
 *                      grandchild pid M"), then sleep forever
 *   crash              die by SIGSEGV sent to ourselves; if that has not killed us within 1 s
 *                      (a runtime that handles SIGSEGV), SIGKILL ourselves instead
 *   killed             die by SIGKILL at once, as when the system's out-of-memory killer picks us
 *   flood              ~200 MB on stdout in 1 MiB chunks without a newline, then a few lines,
 *                      then succeed
 *   flood-stderr       ~200 MB on stderr, then a final line; exit 1
 *   input-problem      error event + stderr "input rejected: ..."; exit 65
 *   model-unavailable  error event + stderr "could not reach the model server ..."; exit 69
 *   model-missing      error event + stderr "model llava not found: run ollama pull llava"; exit 78
 *   no-output          exit 0 without writing anything
 *   slow               emit progress for --delay-ms N (or $ALTGEN_TEST_DELAY_MS, default 1000) ms,
 *                      plus a random 0..--jitter-ms M (or $ALTGEN_TEST_JITTER_MS, default 0) ms,
 *                      then succeed
 *   gated-model-unavailable
 *                      like `gated`, then act as `model-unavailable` (a deck that finds the model
 *                      server gone only after it came back)
 *   gated              write "<pid>" to the file named by --started-file (if given), wait until the
 *                      file named by --gate exists (polling every 20 ms), then succeed: lets a test
 *                      change the world (rename a folder, fill a disk) while a deck is in work
 *   leak               allocate memory (--step-mb N, default 16, MiB every 100 ms) without bound
 *                      until killed
 *   rewrite-input      write the input over with its own bytes and a later modification time, as
 *                      a program saving it would, then fail as the built-in processor does on a
 *                      deck that changed under it (exit 65, ECORRUPT "… CRC-32 mismatch"); with
 *                      --count-file PATH and --changes N, only the first N runs (counted in PATH)
 *                      do so, later ones succeed
 *   pictures           like `succeed`, and before its result a `picture` event for each of its two
 *                      pictures (what the deck's log records) and a warning in the result
 *   pausable           like `slow`, but before each of its 5 steps (a stand-in for asking the model
 *                      about a picture) it waits while the file $ALTGEN_PAUSE_FILE exists, as the
 *                      built-in processor does; writes --started-file once it runs
 *   by-file            look the input's basename up in the JSON file named by
 *                      $ALTGEN_TEST_MODE_FILE: { "a.pptx": "fail", "b.pptx": ["slow", "--delay-ms",
 *                      "200"], "*": "succeed" }; "*" is the default, else `succeed`
 *
 * Options
 *   --delay-ms N       for `slow`
 *   --jitter-ms M      for `slow`: add a random delay of up to M ms
 *   --mb N             size of the floods in MB (default 200)
 *   --step-mb N        for `leak`: MiB allocated every 100 ms (default 16)
 *   --pid-file PATH    for `hang`: also write the grandchild's pid to PATH
 *   --ignore-sigterm   ignore SIGTERM (in `hang`, the grandchild ignores it too)
 *   --count-file PATH  for `rewrite-input`: where the runs so far are counted
 *   --changes N        for `rewrite-input`: how many runs rewrite the input (default: every run)
 *   --gate PATH        for `gated`: the file whose existence lets it go on
 *   --started-file P   for `gated`: written once it runs, before it waits
 *
 * Environment
 *   ALTGEN_TEST_MODE_FILE  the mode map for `by-file`
 *   ALTGEN_TEST_DELAY_MS   the default delay for `slow`
 *   ALTGEN_TEST_JITTER_MS  the default jitter for `slow`
 *   ALTGEN_TEST_CALL_LOG   if set, one line "<basename> <mode>" is appended per run (lets a test
 *                          count attempts per file)
 *   ALTGEN_TEST_ENV_LOG    if set, one line "<basename> <ALTGEN_DECODES> <MALLOC_ARENA_MAX>" is
 *                          appended per run (what the runner puts in a processor's environment)
 *   ALTGEN_TEST_SPAN_LOG   if set, "start <pid> <epoch ms> <input path>" is appended when a run
 *                          starts and "end <pid> <epoch ms> <input path>" when it exits normally
 *                          (lets a test check that no two runs of one deck overlapped)
 */
import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

const [requestedMode, input, output, ...rest] = process.argv.slice(2);
if (!requestedMode || !input || !output) {
  process.stderr.write('usage: scripted-processor.mjs <mode> <input> <output> [options...]\n');
  process.exit(2);
}

const { mode, options } = resolveMode(requestedMode, rest);
if (options.ignoreSigterm) process.on('SIGTERM', () => {});
if (process.env.ALTGEN_TEST_CALL_LOG) {
  appendFileSync(process.env.ALTGEN_TEST_CALL_LOG, `${basename(input)} ${mode}\n`);
}
if (process.env.ALTGEN_TEST_ENV_LOG) {
  appendFileSync(process.env.ALTGEN_TEST_ENV_LOG, `${basename(input)} ${process.env.ALTGEN_DECODES} ${process.env.MALLOC_ARENA_MAX}\n`);
}
const spanLog = process.env.ALTGEN_TEST_SPAN_LOG;
if (spanLog) {
  appendFileSync(spanLog, `start ${process.pid} ${Date.now()} ${input}\n`);
  process.on('exit', () => appendFileSync(spanLog, `end ${process.pid} ${Date.now()} ${input}\n`));
}

switch (mode) {
  case 'succeed':
    succeed();
    break;
  case 'fail':
    process.stderr.write(`reading ${basename(input)}\n\nscripted failure: could not process ${basename(input)}\n\n`);
    process.exitCode = 1;
    break;
  case 'error-event':
    emit({ type: 'progress', pictures_found: 3, pictures_done: 0 });
    emit({ type: 'error', code: 'ESCRIPTED', message: `scripted error event for ${basename(input)}` });
    process.stderr.write('this stderr line is not the reason\n');
    process.exitCode = 1;
    break;
  case 'hang':
    hang();
    break;
  case 'crash':
    emit({ type: 'progress', message: 'about to crash' });
    process.stderr.write('crashing on purpose\n');
    process.kill(process.pid, 'SIGSEGV');
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), 1000);
    break;
  case 'killed':
    process.kill(process.pid, 'SIGKILL');
    break;
  case 'flood':
    await flood(process.stdout, options.floodBytes);
    process.stdout.write('\nplain text after the flood\n');
    succeed();
    break;
  case 'flood-stderr':
    await flood(process.stderr, options.floodBytes);
    process.stderr.write('\nflood-stderr: final line\n');
    process.exitCode = 1;
    break;
  case 'input-problem':
    failWith(65, 'ECORRUPT', `input rejected: ${basename(input)} is not a valid PowerPoint file`);
    break;
  case 'model-unavailable':
    failWith(69, 'EMODEL_UNAVAILABLE', 'could not reach the model server at http://127.0.0.1:11434');
    break;
  case 'model-missing':
    failWith(78, 'EMODEL_MISSING', 'model llava not found: run ollama pull llava');
    break;
  case 'no-output':
    break;
  case 'slow':
    await slow(options.delayMs + Math.random() * options.jitterMs);
    succeed();
    break;
  case 'gated':
    await gated();
    succeed();
    break;
  case 'pictures':
    emit({ type: 'picture', slide: 1, shape: 'Picture 1', kind: 'picture', decision: 'described', reason: 'No alt text: described by the model.', model_ms: 1234, model_calls: 1, cached: false });
    emit({ type: 'picture', slide: 1, shape: 'Picture 2', kind: 'picture', decision: 'preserved', reason: 'Has real alt text.', model_ms: null, model_calls: 0, cached: false });
    succeed(['scripted warning: the deck was signed']);
    break;
  case 'pausable':
    if (options.startedFile) writeFileSync(options.startedFile, String(process.pid));
    await pausable(options.delayMs);
    succeed();
    break;
  case 'gated-model-unavailable':
    await gated();
    failWith(69, 'EMODEL_UNAVAILABLE', 'could not reach the model server at http://127.0.0.1:11434');
    break;
  case 'leak':
    leak();
    break;
  case 'rewrite-input':
    if (countRun() <= options.changes) {
      rewriteInput();
      failWith(65, 'ECORRUPT', 'Damaged file: a part’s compressed data is damaged (zip: CRC-32 mismatch). Use an intact copy of the deck.');
    } else {
      succeed();
    }
    break;
  default:
    process.stderr.write(`scripted-processor: unknown mode ${JSON.stringify(mode)}\n`);
    process.exitCode = 2;
}

function resolveMode(name, args) {
  if (name !== 'by-file') return { mode: name, options: parseOptions(args) };
  const file = process.env.ALTGEN_TEST_MODE_FILE;
  if (!file) {
    process.stderr.write('scripted-processor: by-file needs ALTGEN_TEST_MODE_FILE\n');
    process.exit(2);
  }
  const map = JSON.parse(readFileSync(file, 'utf8'));
  const entry = map[basename(input)] ?? map['*'] ?? 'succeed';
  const [mode, ...entryArgs] = Array.isArray(entry) ? entry : [entry];
  return { mode, options: parseOptions([...entryArgs, ...args]) };
}

function parseOptions(args) {
  const options = {
    delayMs: Number(process.env.ALTGEN_TEST_DELAY_MS ?? 1000),
    jitterMs: Number(process.env.ALTGEN_TEST_JITTER_MS ?? 0),
    floodBytes: 200 * 1e6,
    leakStepMb: 16,
    pidFile: null,
    ignoreSigterm: false,
    countFile: null,
    changes: Infinity,
    gate: null,
    startedFile: null,
  };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === '--delay-ms') options.delayMs = Number(args[++i]);
    else if (arg === '--jitter-ms') options.jitterMs = Number(args[++i]);
    else if (arg === '--mb') options.floodBytes = Number(args[++i]) * 1e6;
    else if (arg === '--step-mb') options.leakStepMb = Number(args[++i]);
    else if (arg === '--pid-file') options.pidFile = args[++i];
    else if (arg === '--ignore-sigterm') options.ignoreSigterm = true;
    else if (arg === '--count-file') options.countFile = args[++i];
    else if (arg === '--changes') options.changes = Number(args[++i]);
    else if (arg === '--gate') options.gate = args[++i];
    else if (arg === '--started-file') options.startedFile = args[++i];
  }
  return options;
}

function emit(event) {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function succeed(warnings = []) {
  emit({ type: 'progress', pictures_found: 2, pictures_done: 0 });
  copyFileSync(input, output);
  emit({ type: 'progress', pictures_found: 2, pictures_done: 2 });
  emit({
    type: 'result',
    pictures: 2,
    described: 1,
    preserved: 1,
    decorative: 0,
    skipped: 0,
    needs_review: 0,
    model_calls: 1,
    cache_hits: 0,
    output,
    reports: [],
    warnings,
  });
}

function failWith(exitCode, code, message) {
  emit({ type: 'error', code, message });
  process.stderr.write(`${message}\n`);
  process.exitCode = exitCode;
}

function hang() {
  const sleeper = options.ignoreSigterm
    ? "process.on('SIGTERM', () => {}); setInterval(() => {}, 1 << 30)"
    : 'setInterval(() => {}, 1 << 30)';
  // The grandchild shares our stdout/stderr, so the pipes stay open for as long as it lives.
  const grandchild = spawn(process.execPath, ['-e', sleeper], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (options.pidFile) writeFileSync(options.pidFile, String(grandchild.pid));
  emit({ type: 'progress', message: `processor pid ${process.pid}, grandchild pid ${grandchild.pid}` });
  setInterval(() => {}, 1 << 30);
}

async function flood(stream, totalBytes) {
  const chunk = Buffer.alloc(1024 * 1024, 'x');
  for (let written = 0; written < totalBytes; written += chunk.length) {
    if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
  }
}

async function slow(delayMs) {
  const steps = 5;
  for (let step = 0; step < steps; step += 1) {
    emit({ type: 'progress', pictures_found: steps, pictures_done: step, message: 'working slowly' });
    await new Promise((resolve) => setTimeout(resolve, delayMs / steps));
  }
}

async function pausable(delayMs) {
  const steps = 5;
  const pauseFile = process.env.ALTGEN_PAUSE_FILE;
  for (let step = 0; step < steps; step += 1) {
    while (pauseFile && existsSync(pauseFile)) await new Promise((resolve) => setTimeout(resolve, 20));
    emit({ type: 'progress', pictures_found: steps, pictures_done: step });
    await new Promise((resolve) => setTimeout(resolve, delayMs / steps));
  }
}

async function gated() {
  if (!options.gate) {
    process.stderr.write('scripted-processor: gated needs --gate PATH\n');
    process.exit(2);
  }
  if (options.startedFile) writeFileSync(options.startedFile, String(process.pid));
  while (!existsSync(options.gate)) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** This run's number (1 for the first), counted in --count-file; 1 without one. */
function countRun() {
  if (!options.countFile) return 1;
  let runs = 0;
  try {
    runs = Number(readFileSync(options.countFile, 'utf8')) || 0;
  } catch {
    // the first run: no count yet
  }
  writeFileSync(options.countFile, String(runs + 1));
  return runs + 1;
}

/** The same bytes, saved again: a modification time two seconds on, whatever the clock's grain. */
function rewriteInput() {
  const bytes = readFileSync(input);
  const before = statSync(input).mtimeMs;
  writeFileSync(input, bytes);
  const later = new Date(before + 2000);
  utimesSync(input, later, later);
}

function leak() {
  const hoard = [];
  const step = options.leakStepMb;
  setInterval(() => {
    hoard.push(Buffer.alloc(step * 1024 * 1024, 1));
    emit({ type: 'progress', message: `holding ${hoard.length * step} MiB` });
  }, 100);
}
