import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import type { ItemErrorCode } from '../../shared/error-codes';
import { PROCESSOR_EXIT } from '../../shared/processor-protocol';
import { createDeckInspector } from '../batch/dry-run-pool';
import { EXIT } from '../cli/exit-codes';
import { startFakeModelServer, type FakeModelServer } from '../describe/testing/fake-model-server';
import { buildDeck, buildDocx, buildEncryptedDeck, buildLegacyPpt, writeEmptyFile, writeTruncatedCopy } from '../fixtures/deck-builder';
import {
  billionLaughsDeck,
  disguisedNameDeck,
  doctypeDeck,
  duplicateNameDeck,
  externalEntityDeck,
  extraNameDeck,
  lyingHeadersDeck,
  manyEntriesDeck,
  manySlidesDeck,
  nestedGroupDeck,
  overlappingBombDeck,
  ratioBombDeck,
  sizeLyingBombDeck,
  twoRootsDeck,
} from '../fixtures/hostile-decks';
import { openPackage } from '../pptx/package-reader';

/**
 * Issue 5: hostile input. Every file below is built here, then given to the real processor
 * (`altgen process`, a child process from source, as the batch runs it), each in a process of
 * its own so that its peak memory (VmHWM, from /proc on Linux) and CPU time are its own; two
 * run at a time, the big decks alone. Each must end within 10 s of CPU and 512 MB with its exact exit
 * code and reason code, write nothing outside its output folder (a refused deck writes nothing
 * at all), and leave the dry run agreeing on the reason. A batch over all of them then goes on
 * past each bad file.
 */
const PROJECT = fileURLToPath(new URL('../../..', import.meta.url));
const ENTRY = path.join(PROJECT, 'src/main/cli/index.ts');
const TSX = pathToFileURL(path.join(PROJECT, 'node_modules/tsx/dist/loader.mjs')).href;
const REAL_DECK = path.join(PROJECT, 'examples/lecture/01-cardiac-anatomy.pptx');
/**
 * Each file must end within 10 s of the processor's own CPU time (user + system, all its
 * threads), which a busy machine does not inflate as it does wall time; wall time is reported
 * beside it. vitest.config.ts still runs this suite after the others, alone, for its memory.
 */
const MAX_CPU_MS = 10_000;
const MAX_MB = 512;
/** Peak memory is read from /proc (Linux); where there is none it reads 0, and MAX_MB checks nothing. */
const MEASURES_MEMORY = existsSync('/proc/self/status');
/**
 * A processor past this much wall time is killed, so that a hang fails the test instead of
 * stalling it; generous, because two cores shared with other work stretch wall time.
 */
const KILL_AFTER_MS = 90_000;
/** Two cores: two processors at a time. The big decks run alone, so that their time is their own. */
const SLOTS = 2;

/** Unique per run: every file a traversal name could create carries it. */
const TOKEN = `altgen-evil-${randomBytes(4).toString('hex')}`;

interface HostileCase {
  readonly name: string;
  readonly file: string;
  readonly build: (file: string) => Promise<void>;
  /** null: the deck is processed (exit 0). */
  readonly code: ItemErrorCode | null;
  readonly message: RegExp;
  readonly config?: 'raised-limits';
  /** Runs with no other processor beside it. */
  readonly alone?: boolean;
}

const bytes = (make: () => Buffer) => async (file: string) => fs.writeFile(file, make());
const truncated = (fraction: number) => (file: string) => writeTruncatedCopy(REAL_DECK, file, fraction);

const CASES: readonly HostileCase[] = [
  { name: 'a zip bomb by ratio', file: 'ratio-bomb.pptx', build: bytes(() => ratioBombDeck()), code: 'EZIP_LIMITS', message: /possible zip bomb.*padding\.bin inflates \d+:1/ },
  { name: 'an overlapping-entry bomb (Fifield)', file: 'overlap-bomb.pptx', build: bytes(() => overlappingBombDeck()), code: 'ECORRUPT', message: /overlap/ },
  { name: 'a bomb that lies about its size', file: 'size-lying-bomb.pptx', build: bytes(() => sizeLyingBombDeck()), code: 'ECORRUPT', message: /inflates beyond its declared size/ },
  { name: 'more than 10,000 entries', file: 'many-entries.pptx', build: bytes(() => manyEntriesDeck(10_001)), code: 'EZIP_LIMITS', message: /10001 ZIP entries, the limit is 10000/ },
  { name: 'a duplicate entry name', file: 'duplicate-name.pptx', build: bytes(() => duplicateNameDeck()), code: 'ECORRUPT', message: /slide1\.xml appears twice/ },
  { name: 'a ../ entry name', file: 'dotdot-name.pptx', build: bytes(() => extraNameDeck(`../../${TOKEN}-dotdot.txt`)), code: 'ECORRUPT', message: /unsafe name/ },
  { name: 'an absolute entry name', file: 'absolute-name.pptx', build: bytes(() => extraNameDeck(path.join(os.tmpdir(), `${TOKEN}-absolute.txt`))), code: 'ECORRUPT', message: /unsafe name/ },
  { name: 'a C:\\ entry name', file: 'drive-name.pptx', build: bytes(() => extraNameDeck(`C:\\${TOKEN}-drive.txt`)), code: 'ECORRUPT', message: /unsafe name/ },
  { name: 'a ..\\ backslash entry name', file: 'backslash-name.pptx', build: bytes(() => extraNameDeck(`..\\..\\${TOKEN}-backslash.txt`)), code: 'ECORRUPT', message: /unsafe name/ },
  { name: 'a ../ name disguised by a Unicode Path extra field', file: 'disguised-name.pptx', build: bytes(() => disguisedNameDeck(`../../${TOKEN}-disguised.txt`)), code: 'ECORRUPT', message: /unsafe name/ },
  { name: 'a central directory size smaller than the data', file: 'lying-central-smaller.pptx', build: bytes(() => lyingHeadersDeck('central-smaller')), code: 'ECORRUPT', message: /inflates beyond its declared size/ },
  { name: 'a central directory size larger than the data', file: 'lying-central-larger.pptx', build: bytes(() => lyingHeadersDeck('central-larger')), code: 'ECORRUPT', message: /compressed data is damaged/ },
  { name: 'a local header whose sizes disagree with the central directory', file: 'lying-local-sizes.pptx', build: bytes(() => lyingHeadersDeck('local-disagrees')), code: 'ECORRUPT', message: /local header.*disagree/ },
  { name: 'headers that agree on a CRC-32 the data does not have', file: 'lying-crc.pptx', build: bytes(() => lyingHeadersDeck('wrong-crc')), code: 'ECORRUPT', message: /compressed data is damaged \(zip: CRC-32 mismatch\)/ },
  { name: 'a local header naming another (climbing) path', file: 'lying-local-name.pptx', build: bytes(() => lyingHeadersDeck('local-name-differs')), code: 'ECORRUPT', message: /local header.*disagree/ },
  { name: 'billion laughs in a slide', file: 'billion-laughs.pptx', build: bytes(() => billionLaughsDeck()), code: 'EUNSAFE_XML', message: /slide1\.xml declares a DOCTYPE/ },
  { name: 'an external entity in a slide', file: 'external-entity.pptx', build: bytes(() => externalEntityDeck()), code: 'EUNSAFE_XML', message: /slide1\.xml declares a DOCTYPE/ },
  { name: 'a DOCTYPE in the presentation part', file: 'doctype.pptx', build: bytes(() => doctypeDeck()), code: 'EUNSAFE_XML', message: /presentation\.xml declares a DOCTYPE/ },
  { name: 'two root elements in a slide', file: 'two-roots.pptx', build: bytes(() => twoRootsDeck()), code: 'ECORRUPT', message: /slide1\.xml is not well-formed XML: .*only one root/ },
  { name: 'a password-protected deck (CFB with EncryptedPackage)', file: 'encrypted.pptx', build: (file) => buildEncryptedDeck(file), code: 'EENCRYPTED', message: /Password-protected/ },
  { name: 'a legacy .ppt (CFB with PowerPoint Document) named .pptx', file: 'legacy-renamed.pptx', build: buildLegacyPpt, code: 'ELEGACY_FORMAT', message: /Legacy PowerPoint 97–2003 file/ },
  { name: 'a real deck truncated at 10 %', file: 'truncated-10.pptx', build: truncated(0.1), code: 'ECORRUPT', message: /incomplete/ },
  { name: 'a real deck truncated at 50 %', file: 'truncated-50.pptx', build: truncated(0.5), code: 'ECORRUPT', message: /incomplete/ },
  { name: 'a real deck truncated at 99 %', file: 'truncated-99.pptx', build: truncated(0.99), code: 'ECORRUPT', message: /incomplete/ },
  { name: 'a zero-byte file', file: 'zero-bytes.pptx', build: writeEmptyFile, code: 'EEMPTY', message: /empty \(0 bytes\)/ },
  { name: 'a .docx renamed .pptx', file: 'letter-docx.pptx', build: buildDocx, code: 'ENOT_PRESENTATION', message: /Word document/ },
  { name: 'a 4-level group holding 500 pictures', file: 'nested-500-pictures.pptx', build: bytes(() => nestedGroupDeck(500, 4)), code: null, message: /./, alone: true },
  { name: 'a 10,000-slide deck under the default limits', file: 'ten-thousand-slides.pptx', build: bytes(() => manySlidesDeck(10_000)), code: 'EZIP_LIMITS', message: /Too many parts/ },
  // The same file, legitimate if extreme: with the limit raised it must be processed within
  // the same time and memory (nothing quadratic in the slide count).
  { name: 'a 10,000-slide deck with max_zip_entries raised', file: 'ten-thousand-slides.pptx', build: async () => undefined, code: null, message: /./, config: 'raised-limits', alone: true },
];

/** The good decks the batch must complete among the bad ones. */
const GOOD_DECKS = ['good-cardiology.pptx', 'good-renal.pptx'];

let root: string;
let decks: string;
let server: FakeModelServer;
let config: string;
let raisedLimitsConfig: string;
let peakProbe: string;
/** What each run took, by case (the batch last), printed at the end. */
const measured = new Map<number, string>();

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-hostile-'));
  decks = path.join(root, 'decks');
  await fs.mkdir(decks);
  await fs.mkdir(path.join(root, 'a', 'b', 'c'), { recursive: true });
  for (const hostile of CASES) await hostile.build(path.join(decks, hostile.file));
  await buildDeck(path.join(decks, GOOD_DECKS[0]!), { title: 'Cardiology', slides: [{ title: 'The heart', pictures: [{ imageSize: 48 }, { descr: 'Four-chamber view of the heart' }] }] });
  await buildDeck(path.join(decks, GOOD_DECKS[1]!), { title: 'Renal', slides: [{ title: 'The nephron', pictures: [{ imageSize: 64, imageSeed: 9 }] }] });
  server = await startFakeModelServer();
  const base = `model:\n  base_url: ${server.url}\n  max_retries: 0\ncache:\n  dir: ${JSON.stringify(path.join(root, 'user-data', 'cache'))}\n`;
  config = path.join(root, 'config.yaml');
  await fs.writeFile(config, base);
  raisedLimitsConfig = path.join(root, 'config-raised-limits.yaml');
  await fs.writeFile(raisedLimitsConfig, `${base}limits:\n  max_zip_entries: 30000\n`);
  // The child's own high-water mark as it exits, so a peak just before exit is not missed.
  peakProbe = path.join(root, 'peak-probe.mjs');
  await fs.writeFile(
    peakProbe,
    "import { readFileSync, writeFileSync } from 'node:fs';\n" +
      "process.on('exit', () => {\n" +
      '  const file = process.env.HOSTILE_PEAK_FILE;\n' +
      '  const { user, system } = process.cpuUsage();\n' +
      "  const peak = /^VmHWM:\\s+(\\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '0';\n" +
      "  try { if (file) writeFileSync(file, `${peak} ${Math.round((user + system) / 1000)}`); } catch {}\n" +
      '});\n',
  );
}, 120_000);

afterAll(async () => {
  const lines = [...measured].sort(([a], [b]) => a - b).map(([, line]) => line);
  process.stdout.write(`\nHostile input, measured:\n  ${lines.join('\n  ')}\n`);
  await server?.stop();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

function env(): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    ALTGEN_CONFIG_DIR: path.join(root, 'user-config'),
    ALTGEN_DATA_DIR: path.join(root, 'user-data'),
  };
  delete base['npm_command'];
  return base;
}

interface Measured {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  /** User + system CPU time of the processor, in ms (-1 if it could not say). */
  readonly cpuMs: number;
  readonly peakMb: number;
}

/**
 * Runs `altgen <args>` from source in a folder three levels below the temp root (so that a
 * `../../` name, if anything obeyed it, would land inside the root where it is seen), and
 * samples its VmHWM from /proc, as bench/process-bench.ts does, plus once more as it exits.
 */
async function runMeasured(args: readonly string[], peakFile: string, killAfterMs = KILL_AFTER_MS): Promise<Measured> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', TSX, '--import', pathToFileURL(peakProbe).href, ENTRY, ...args], {
    cwd: path.join(root, 'a', 'b', 'c'),
    env: { ...env(), HOSTILE_PEAK_FILE: peakFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let peakKb = 0;
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const sample = setInterval(() => {
    fs.readFile(`/proc/${child.pid}/status`, 'utf8')
      .then((status) => {
        peakKb = Math.max(peakKb, Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0));
      })
      .catch(() => undefined);
  }, 20);
  const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
  );
  const ms = performance.now() - started;
  clearInterval(sample);
  clearTimeout(killer);
  const [atExit = 0, cpuMs = -1] = (await fs.readFile(peakFile, 'utf8').catch(() => '0 -1')).split(' ').map(Number);
  await fs.rm(peakFile, { force: true });
  return { code, signal, stdout, stderr, ms, cpuMs, peakMb: Math.max(peakKb, atExit) / 1024 };
}

/** Slots for processors: `take(n)` resolves once n are free, to a function that frees them. */
function slots(count: number): (n: number) => Promise<() => void> {
  let free = count;
  const waiting: (() => void)[] = [];
  const take = async (n: number): Promise<() => void> => {
    while (free < n) await new Promise<void>((resolve) => waiting.push(resolve));
    free -= n;
    return () => {
      free += n;
      for (const wake of waiting.splice(0)) wake();
    };
  };
  return take;
}

const takeSlots = slots(SLOTS);

/** Every file and folder under `dir` with its size and mtime, by relative path. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  for (const name of (await fs.readdir(dir, { recursive: true })) as string[]) {
    const info = await fs.lstat(path.join(dir, name)).catch(() => null);
    if (info) entries.set(name, info.isDirectory() ? 'dir' : `${info.size}:${info.mtimeMs}`);
  }
  return entries;
}

/** Paths created or changed between two snapshots. */
function changed(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  return [...after].filter(([name, state]) => before.get(name) !== state).map(([name]) => name);
}

/** Anything a traversal name could have created, wherever it would land. */
async function escapedFiles(): Promise<string[]> {
  const found: string[] = [];
  for (const dir of [os.tmpdir(), path.dirname(os.tmpdir()), '/', process.cwd(), PROJECT, path.join(root, 'a')]) {
    for (const name of await fs.readdir(dir).catch(() => [] as string[])) if (name.includes(TOKEN)) found.push(path.join(dir, name));
  }
  for (const name of (await fs.readdir(root, { recursive: true })) as string[]) if (name.includes(TOKEN)) found.push(name);
  return found;
}

/** The processor's final event (result or error): the last line of its stdout. */
function lastEvent(stdout: string): { type?: string; code?: string; message?: string; output?: string } {
  try {
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
  } catch {
    return {};
  }
}

/** Created or changed paths that are neither in an output folder nor the user data folder (the cache). */
function writtenElsewhere(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>, outputFolder: string): string[] {
  const allowed = [outputFolder, 'user-data'];
  return changed(before, after).filter(
    (name) => !allowed.some((folder) => name === folder || name.startsWith(`${folder}${path.sep}`)) && !name.startsWith('peak-'),
  );
}

describe('hostile input › the processor, one child process per file', () => {
  it.concurrent.for(CASES.map((hostile, index) => ({ ...hostile, index })))(
    '$name',
    { timeout: KILL_AFTER_MS + 20_000 },
    async (hostile, { expect, skip }) => {
      const input = path.join(decks, hostile.file);
      const outputDir = path.join(root, 'out', String(hostile.index));
      await fs.mkdir(outputDir, { recursive: true });
      const output = path.join(outputDir, hostile.file);
      const configFile = hostile.config === 'raised-limits' ? raisedLimitsConfig : config;
      const release = await takeSlots(hostile.alone ? SLOTS : 1);
      let before: Map<string, string>;
      let run: Measured;
      let after: Map<string, string>;
      try {
        before = await snapshot(root);
        run = await runMeasured(['process', input, '--output', output, '--config', configFile], path.join(root, `peak-${hostile.index}`));
        after = await snapshot(root);
      } finally {
        release();
      }
      const event = lastEvent(run.stdout);
      measured.set(
        hostile.index,
        `${hostile.name}: exit ${run.code ?? run.signal} ${event.type === 'error' ? event.code : 'ok'} in ${(run.cpuMs / 1000).toFixed(1)} s CPU (${(run.ms / 1000).toFixed(1)} s wall), peak ${run.peakMb.toFixed(0)} MB`,
      );

      expect(run.signal, run.stderr).toBeNull();
      if (hostile.code === null) {
        expect(run.code, run.stderr).toBe(PROCESSOR_EXIT.ok);
        expect(event).toMatchObject({ type: 'result', output });
      } else {
        expect({ exit: run.code, code: event.code }, run.stderr).toEqual({ exit: PROCESSOR_EXIT.inputProblem, code: hostile.code });
        expect(event.message).toMatch(hostile.message);
        expect(run.stderr).toBe(`altgen process: ${event.message}\n`);
      }
      expect(run.cpuMs, 'CPU time (ms)').toBeGreaterThan(0);
      expect(run.cpuMs, 'CPU time (ms)').toBeLessThan(MAX_CPU_MS);
      expect(run.peakMb, 'peak memory (MB)').toBeLessThan(MAX_MB);

      // Nothing outside the output folders (another processor may be writing its own beside
      // this one), except the description cache in the user data folder.
      expect(writtenElsewhere(before, after, 'out')).toEqual([]);
      expect(await escapedFiles()).toEqual([]);
      const written = (await fs.readdir(outputDir)).sort();
      if (hostile.code === null) {
        const stem = path.basename(hostile.file, '.pptx');
        expect(written).toEqual([`${stem}.alt-review.html`, `${stem}.alt-text.json`, hostile.file].sort());
      } else {
        expect(written, 'a refused deck leaves no output and no report').toEqual([]);
      }
      if (!MEASURES_MEMORY) skip(`no /proc here: the ${MAX_MB} MB bound on peak memory was not checked`);
    },
  );

  it('reports every picture of the nested groups, each as in a group', async () => {
    const nested = path.join(root, 'out', String(CASES.findIndex((c) => c.file === 'nested-500-pictures.pptx')), 'nested-500-pictures.alt-text.json');
    const report = JSON.parse(await fs.readFile(nested, 'utf8')) as { counts: { pictures: number }; pictures: { in_group: boolean }[] };
    expect(report.counts.pictures).toBe(500);
    expect(report.pictures.every((picture) => picture.in_group)).toBe(true);
  });

  it('keeps every part of the 10,000-slide deck in its copy', async () => {
    const index = CASES.findIndex((c) => c.config === 'raised-limits');
    const copy = path.join(root, 'out', String(index), 'ten-thousand-slides.pptx');
    const limits = { ...DEFAULT_CONFIG.limits, max_zip_entries: 30_000 };
    const partsOf = async (file: string) => {
      const reader = await openPackage(file, limits);
      try {
        return [...reader.entries.keys()];
      } finally {
        await reader.close();
      }
    };
    expect(await partsOf(copy)).toEqual(await partsOf(path.join(decks, 'ten-thousand-slides.pptx')));
  });
});

describe('hostile input › the dry run', () => {
  it('refuses each bad file with the same reason code and sentence as the processor, in its bounded threads', async () => {
    const codes: Record<string, string> = {};
    const expected: Record<string, string> = {};
    const inspector = createDeckInspector(DEFAULT_CONFIG, { parallel: SLOTS });
    try {
      const cases = CASES.filter((hostile) => hostile.config !== 'raised-limits');
      const outcomes = await Promise.all(cases.map((hostile) => inspector.inspect(path.join(decks, hostile.file))));
      for (const [index, hostile] of cases.entries()) {
        const outcome = outcomes[index];
        codes[hostile.file] = !outcome ? 'none' : outcome.ok ? 'ok' : `${outcome.code}: ${hostile.message.test(outcome.message) ? 'same reason' : outcome.message}`;
        expected[hostile.file] = hostile.code === null ? 'ok' : `${hostile.code}: same reason`;
        if (outcome && !outcome.ok) expect(outcome.message).not.toMatch(/\n/);
      }
    } finally {
      await inspector.close();
    }
    expect(codes).toEqual(expected);
  }, 120_000);
});

describe('hostile input › a batch over all of them', () => {
  it('completes the good decks, fails or skips every bad one with its reason, and exits 1', async () => {
    const input = path.join(root, 'batch-in');
    const output = path.join(root, 'batch-out');
    await fs.mkdir(input);
    const hostile = CASES.filter((c) => c.config === undefined);
    for (const file of [...new Set([...hostile.map((c) => c.file), ...GOOD_DECKS])]) await fs.copyFile(path.join(decks, file), path.join(input, file));
    // A legacy deck with its own extension is skipped by name, before any processor runs.
    await buildLegacyPpt(path.join(input, 'legacy.ppt'));
    // Nearly every file here is bad on purpose: with the default stop_on_error_threshold (0.5)
    // the batch would stop after its first four files. Set to 1, it never stops for failures,
    // which is what this test is about: the batch goes on past each bad file.
    const batchConfig = path.join(root, 'batch-config.yaml');
    await fs.writeFile(
      batchConfig,
      `${await fs.readFile(config, 'utf8')}batch_processing:\n  stop_on_error_threshold: 1\n  default_max_workers: 2\n  dry_run_validates_ollama: false\n`,
    );
    const inputBefore = await snapshot(input);
    const rootBefore = await snapshot(root);

    const run = await runMeasured(
      ['batch', '--input-dir', input, '--output-dir', output, '--config', batchConfig, '--json'],
      path.join(root, 'peak-batch'),
      100_000,
    );
    // README › Exit codes: 1, finished with some files failed.
    expect(run.code, run.stderr).toBe(EXIT.someFailed);
    const summary = JSON.parse(run.stdout) as {
      stop_reason: string;
      items: { path: string; status: string; error_code: string | null; error: string | null; skip_reason: string | null }[];
    };
    expect(summary.stop_reason).toBe('finished');
    const byName = new Map(summary.items.map((item) => [path.basename(item.path), item]));
    expect(byName.size).toBe(hostile.length + GOOD_DECKS.length + 1);

    // The runner keeps the built-in processor's own code and one-line reason (an external
    // processor that gives no code is recorded under EINPUT_REJECTED).
    const outcomes: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const good of GOOD_DECKS) expected[good] = 'complete';
    for (const c of hostile) expected[c.file] = c.code === null ? 'complete' : `refused ${c.code}: ${c.message.source}`;
    expected['legacy.ppt'] = 'skipped ELEGACY_FORMAT';
    for (const [name, item] of byName) {
      const c = hostile.find((h) => h.file === name);
      const reason = item.error ?? item.skip_reason ?? '';
      expect(reason).not.toMatch(/\n/);
      const refused =
        c?.code &&
        ['failed', 'skipped'].includes(item.status) &&
        item.error_code === c.code &&
        c.message.test(reason);
      if (item.status === 'complete') outcomes[name] = 'complete';
      else if (refused) outcomes[name] = `refused ${c.code}: ${c.message.source}`;
      else if (name === 'legacy.ppt') outcomes[name] = `${item.status} ${item.error_code}`;
      else outcomes[name] = `${item.status} ${item.error_code}: ${reason}`;
    }
    expect(outcomes).toEqual(expected);
    measured.set(CASES.length, `a batch of all ${byName.size} files: exit ${run.code} in ${(run.ms / 1000).toFixed(1)} s`);

    // Inputs untouched; everything written is in the output folder or the user data folder.
    expect(changed(inputBefore, await snapshot(input))).toEqual([]);
    expect(writtenElsewhere(rootBefore, await snapshot(root), 'batch-out')).toEqual([]);
    expect(await escapedFiles()).toEqual([]);
    const outputs = ((await fs.readdir(output, { recursive: true })) as string[]).filter((name) => name.endsWith('.pptx')).sort();
    expect(outputs).toEqual([...GOOD_DECKS, ...hostile.filter((c) => c.code === null).map((c) => c.file)].sort());
    // No lock left where decks of read-only folders are locked (batch-folder.ts), nor in the old layout's folder.
    for (const locks of [path.join(output, '.altgen', 'locks'), path.join(output, '.altgen-locks')]) expect(existsSync(locks) ? await fs.readdir(locks) : []).toEqual([]);
  }, 150_000);
});
