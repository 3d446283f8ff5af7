import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildDeck } from '../../fixtures/deck-builder';

/**
 * The `altgen` CLI as the crash, fault and concurrency suites run it: a real process started
 * from source through tsx, in a sandbox of temp folders (its own config and user-data folders),
 * always asynchronously so that a test process serving a fake model server is never blocked.
 */

export const PROJECT = fileURLToPath(new URL('../../../..', import.meta.url));
export const CLI_ENTRY = path.join(PROJECT, 'src/main/cli/index.ts');
export const SCRIPTED_PROCESSOR = path.join(PROJECT, 'src/main/batch/test-processors/scripted-processor.mjs');
/** tsx by absolute URL: the CLI runs with a temp folder as its working folder. */
export const TSX_LOADER = pathToFileURL(path.join(PROJECT, 'node_modules/tsx/dist/loader.mjs')).href;

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunningCli {
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything written so far, stdout and stderr. */
  output(): string;
  readonly done: Promise<CliResult>;
  /** Resolves once the output matches; rejects after `ms` or if the process ends first. */
  waitForOutput(pattern: RegExp, ms?: number): Promise<void>;
}

export class Sandbox {
  private constructor(readonly root: string) {}

  static async create(prefix: string): Promise<Sandbox> {
    return new Sandbox(await fs.mkdtemp(path.join(os.tmpdir(), prefix)));
  }

  path(...parts: string[]): string {
    return path.join(this.root, ...parts);
  }

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ALTGEN_CONFIG_DIR: this.path('user-config'),
      ALTGEN_DATA_DIR: this.path('user-data'),
      ...extra,
    };
    delete env['npm_command'];
    return env;
  }

  start(args: readonly string[], extraEnv: Record<string, string> = {}): RunningCli {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, CLI_ENTRY, ...args], { cwd: this.root, env: this.env(extraEnv) });
    let stdout = '';
    let stderr = '';
    let all = '';
    const waiters = new Set<() => void>();
    const changed = () => {
      for (const waiter of waiters) waiter();
    };
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      all += d.toString();
      changed();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      all += d.toString();
      changed();
    });
    const done = new Promise<CliResult>((resolve) => {
      child.on('close', (code, signal) => {
        resolve({ code, signal, stdout, stderr });
        changed();
      });
    });
    let closed = false;
    void done.then(() => (closed = true));
    return {
      child,
      output: () => all,
      done,
      waitForOutput: (pattern, ms = 30_000) =>
        new Promise<void>((resolve, reject) => {
          const check = () => {
            if (pattern.test(all)) finish(null);
            else if (closed) finish(new Error(`altgen ended before printing ${pattern}:\n${all}`));
          };
          const timer = setTimeout(() => finish(new Error(`Timed out waiting for ${pattern}:\n${all}`)), ms);
          const finish = (error: Error | null) => {
            clearTimeout(timer);
            waiters.delete(check);
            if (error) reject(error);
            else resolve();
          };
          waiters.add(check);
          check();
        }),
    };
  }

  run(args: readonly string[], extraEnv: Record<string, string> = {}, timeoutMs = 60_000): Promise<CliResult> {
    const running = this.start(args, extraEnv);
    const timer = setTimeout(() => running.child.kill('SIGKILL'), timeoutMs);
    return running.done.finally(() => clearTimeout(timer));
  }

  async writeConfig(body: string, name = 'config.yaml'): Promise<string> {
    const file = this.path(name);
    await fs.writeFile(file, body);
    return file;
  }

  async remove(): Promise<void> {
    await fs.rm(this.root, { recursive: true, force: true });
  }
}

/** config.yaml running the scripted test processor in `mode` for every deck. */
export function scriptedProcessorConfig(mode: string, batchProcessing: Record<string, string | number | boolean> = {}): string {
  const settings = { dry_run_validates_ollama: false, ...batchProcessing };
  const lines = Object.entries(settings).map(([key, value]) => `  ${key}: ${value}`);
  return `processor:\n  command: ["node", ${JSON.stringify(SCRIPTED_PROCESSOR)}, ${JSON.stringify(mode)}, "{input}", "{output}"]\nbatch_processing:\n${lines.join('\n')}\n`;
}

/** `count` small decks, each different, named `lecture NN.pptx` (every third in `imaging/`). */
export async function makeLectureDecks(folder: string, count: number): Promise<string[]> {
  const files: string[] = [];
  for (let i = 1; i <= count; i += 1) {
    const file = path.join(folder, i % 3 === 0 ? 'imaging' : '', `lecture ${String(i).padStart(2, '0')}.pptx`);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await buildDeck(file, {
      title: `Lecture ${i}`,
      slides: [{ title: `Lecture ${i}`, pictures: [{ name: 'Picture 1', imageSeed: i }, { descr: 'Sagittal MRI of the knee' }] }],
    });
    files.push(file);
  }
  return files;
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Relative path → sha256 of every file under `dir` (lock folders and all). */
export async function treeDigest(dir: string): Promise<Record<string, string>> {
  const digest: Record<string, string> = {};
  for (const name of ((await fs.readdir(dir, { recursive: true })) as string[]).sort()) {
    const full = path.join(dir, name);
    const stat = await fs.stat(full).catch(() => null);
    if (stat?.isFile()) digest[name] = sha256(await fs.readFile(full));
    else if (stat?.isDirectory() && (await fs.readdir(full)).length === 0) digest[name] = 'empty folder';
  }
  return digest;
}

export async function listFiles(dir: string): Promise<string[]> {
  return ((await fs.readdir(dir, { recursive: true }).catch(() => [])) as string[]).sort();
}

export async function manifestIn(outputDir: string): Promise<string | null> {
  const name = (await fs.readdir(outputDir).catch(() => [] as string[])).find((n) => n.endsWith('_manifest.json'));
  return name ? path.join(outputDir, name) : null;
}

/** Small, seedable PRNG (mulberry32): the same seed gives the same kill moments. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface LiveProcess {
  readonly pid: number;
  readonly pgid: number;
  readonly args: string;
}

/** Live processes (not zombies), this one excepted. */
export function liveProcesses(): LiveProcess[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' });
  // No list is not an empty list: "no process left behind" must not pass because ps is missing.
  if (ps.status !== 0) throw new Error(`Cannot list processes with ps -eo (${ps.error?.message ?? (ps.stderr.trim() || `exit ${ps.status ?? ps.signal}`)}); install procps.`);
  const live: LiveProcess[] = [];
  for (const line of ps.stdout.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    if (!match || match[3]!.startsWith('Z') || Number(match[1]) === process.pid || Number(match[1]) === ps.pid) continue;
    live.push({ pid: Number(match[1]), pgid: Number(match[2]), args: match[4]! });
  }
  return live;
}

/** Live processes whose command line mentions `needle` (e.g. a sandbox's root folder). */
export function processesMentioning(needle: string): LiveProcess[] {
  return liveProcesses().filter((p) => p.args.includes(needle));
}

/** Live processes in any of these process groups. */
export function processesInGroups(pgids: readonly number[]): LiveProcess[] {
  return liveProcesses().filter((p) => pgids.includes(p.pgid));
}

/** True once the pid is gone or a zombie (a container's PID 1 may never reap orphans). */
export function isDead(pid: number): boolean {
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

export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  for (const started = Date.now(); Date.now() - started < ms; ) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** One run of the scripted processor, from ALTGEN_TEST_SPAN_LOG; `end` is null for a run that was killed. */
export interface ProcessorSpan {
  readonly pid: number;
  readonly input: string;
  readonly start: number;
  readonly end: number | null;
}

export async function readSpans(file: string): Promise<ProcessorSpan[]> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  const spans = new Map<number, { pid: number; input: string; start: number; end: number | null }>();
  for (const line of text.split('\n')) {
    const match = /^(start|end) (\d+) (\d+) (.*)$/.exec(line);
    if (!match) continue;
    const pid = Number(match[2]);
    const at = Number(match[3]);
    if (match[1] === 'start') spans.set(pid, { pid, input: match[4]!, start: at, end: null });
    else {
      const span = spans.get(pid);
      if (span) span.end = at;
    }
  }
  return [...spans.values()];
}

/** Pairs of runs of the same deck whose times overlap (a run with no end overlaps everything after it). */
export function overlappingRuns(spans: readonly ProcessorSpan[]): [ProcessorSpan, ProcessorSpan][] {
  const overlaps: [ProcessorSpan, ProcessorSpan][] = [];
  const byInput = new Map<string, ProcessorSpan[]>();
  for (const span of spans) byInput.set(span.input, [...(byInput.get(span.input) ?? []), span]);
  for (const runs of byInput.values()) {
    const sorted = [...runs].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i += 1) {
      const before = sorted[i - 1]!;
      const after = sorted[i]!;
      if (before.end === null || before.end > after.start) overlaps.push([before, after]);
    }
  }
  return overlaps;
}
