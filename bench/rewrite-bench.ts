import { spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import yazl from 'yazl';
import { deckEntries } from '../src/main/fixtures/deck-builder';

/**
 * The zip rewrite against `cp` and against JSZip, on one generated deck of 60 slides with a
 * 5 MiB incompressible picture each (about 315 MB). Each rewrite runs in a child process of
 * its own (`rewrite-bench-child.ts`), which reports the time of the rewrite alone and its
 * peak resident memory; `cp` is timed as a whole process. All runs read from a warm cache.
 */

export interface RewriteBenchResult {
  readonly deckMb: number;
  readonly cpMs: number;
  readonly rewriteMs: number;
  readonly rewritePeakMb: number;
  readonly jszipMs: number;
  readonly jszipPeakMb: number;
}

const PICTURES = 60;
const PICTURE_BYTES = 5 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;
const REPEATS = 3;
const REPLACED_PART = 'ppt/slides/slide1.xml';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHILD = path.join(ROOT, 'bench', 'rewrite-bench-child.ts');

export async function measureRewrite(): Promise<RewriteBenchResult> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-rewrite-bench-'));
  try {
    const deck = path.join(dir, 'lecture.pptx');
    await buildLargeDeck(deck);
    const deckMb = (await fs.stat(deck)).size / 1024 ** 2;
    const copy = path.join(dir, 'copy.pptx');

    await timeProcess('cp', [deck, copy]); // warms the cache for every run after it
    const cpRuns: number[] = [];
    const rewriteRuns: ChildResult[] = [];
    for (let run = 0; run < REPEATS; run += 1) {
      await fs.rm(copy, { force: true });
      cpRuns.push(await timeProcess('cp', [deck, copy]));
      await fs.rm(copy, { force: true });
      rewriteRuns.push(await runChild('rewrite', deck, copy));
    }
    await fs.rm(copy, { force: true });
    const jszip = await runChild('jszip', deck, copy, ['--max-old-space-size=8192']);
    return {
      deckMb,
      cpMs: median(cpRuns),
      rewriteMs: median(rewriteRuns.map((run) => run.ms)),
      rewritePeakMb: Math.max(...rewriteRuns.map((run) => run.peakMb)),
      jszipMs: jszip.ms,
      jszipPeakMb: jszip.peakMb,
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/**
 * Peak memory of the same raw-copy rewrite on a deck of about 1 GB (200 slides, a 5 MiB
 * incompressible picture each): it should not grow with the deck.
 */
export async function measureGigabyteRewrite(): Promise<{ readonly deckMb: number; readonly ms: number; readonly peakMb: number }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-rewrite-1gb-'));
  try {
    const deck = path.join(dir, 'lecture.pptx');
    await buildLargeDeck(deck, 200);
    const deckMb = (await fs.stat(deck)).size / 1024 ** 2;
    const run = await runChild('rewrite', deck, path.join(dir, 'copy.pptx'));
    return { deckMb, ms: run.ms, peakMb: run.peakMb };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Streams the deck to disk: slide XML from the fixture builder, pictures as random bytes. */
async function buildLargeDeck(file: string, pictures = PICTURES): Promise<void> {
  const spec = {
    title: 'Benchmark lecture',
    slides: Array.from({ length: pictures }, (_, i) => ({ title: `Slide ${i + 1}`, text: 'Findings and discussion', pictures: [{}] })),
  };
  const zip = new yazl.ZipFile();
  const written = pipeline(zip.outputStream, createWriteStream(file));
  for (const [name, data] of deckEntries(spec)) {
    if (/^ppt\/media\/.*\.png$/.test(name)) {
      // Deflated like every part PowerPoint writes (level 1: the bytes do not compress anyway).
      zip.addReadStream(Readable.from(randomChunks(PICTURE_BYTES)), name, { compressionLevel: 1 });
    } else {
      zip.addBuffer(Buffer.from(data), name);
    }
  }
  zip.end();
  await written;
}

function* randomChunks(total: number): Generator<Buffer> {
  for (let left = total; left > 0; left -= CHUNK_BYTES) yield randomFillSync(Buffer.allocUnsafe(Math.min(CHUNK_BYTES, left)));
}

interface ChildResult {
  readonly ms: number;
  readonly peakMb: number;
}

async function runChild(mode: 'rewrite' | 'jszip', input: string, output: string, nodeFlags: string[] = []): Promise<ChildResult> {
  const { stdout } = await run(process.execPath, [...nodeFlags, '--import', 'tsx', CHILD, mode, input, output, REPLACED_PART]);
  return JSON.parse(stdout) as ChildResult;
}

async function timeProcess(command: string, args: readonly string[]): Promise<number> {
  const started = performance.now();
  await run(command, args);
  return performance.now() - started;
}

function run(command: string, args: readonly string[]): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve({ stdout });
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr.trim()}`));
    });
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
