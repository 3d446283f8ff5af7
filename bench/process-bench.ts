import { spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { createWriteStream, existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import yazl from 'yazl';
import { startFakeModelServer } from '../src/main/describe/testing/fake-model-server';
import { deckEntries } from '../src/main/fixtures/deck-builder';
import { processorEnvironment } from '../src/main/batch/processor-env';

/**
 * The whole processor (`altgen process`) on a generated ~300 MB deck of 60 slides, each with
 * a distinct ~5 MB camera photo (16 MP JPEG, as phones and cameras make them and PowerPoint
 * stores them) and no alt text, against an instant model (the Ollama-speaking test server):
 * time ÷ `cp` and peak memory, the median of three runs, each with an empty description cache.
 *
 * Beside it, the floor: the same 60 photos decoded and resized to 1024 px by sharp, one per
 * core, and nothing else. Any processor that shows each picture to a vision model must do at
 * least that, so `process ÷ floor` is our own overhead, and `floor ÷ cp` is what a goal
 * against `cp` has to allow for.
 */
export interface ProcessBenchResult {
  readonly deckMb: number;
  readonly cpMs: number;
  readonly processMs: number;
  readonly peakMb: number;
  readonly modelCalls: number;
  /** Decoding and resizing the deck's photos for the model, on every core, nothing else. */
  readonly decodeFloorMs: number;
}

const PICTURES = 60;
const RUNS = 3;
/** 16 MP, 4:3: a phone or compact camera photo. */
const PHOTO_WIDTH = 4608;
const PHOTO_HEIGHT = 3456;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILT_CLI = path.join(ROOT, 'out/main/cli.js');
const SOURCE_CLI = ['--import', path.join(ROOT, 'node_modules/tsx/dist/loader.mjs'), path.join(ROOT, 'src/main/cli/index.ts')];
const CORES = Math.max(1, Math.min(4, os.availableParallelism()));

export async function measureProcess(): Promise<ProcessBenchResult> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-process-bench-'));
  const server = await startFakeModelServer();
  try {
    const deck = path.join(dir, 'lecture.pptx');
    const photos = await buildPhotoDeck(deck);
    const deckMb = (await fs.stat(deck)).size / 1024 ** 2;
    const copy = path.join(dir, 'copy.pptx');
    await run('cp', [deck, copy]); // warms the cache for every run after it
    const cpRuns: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      await fs.rm(copy, { force: true });
      const cpStarted = performance.now();
      await run('cp', [deck, copy]);
      cpRuns.push(performance.now() - cpStarted);
    }
    await fs.rm(copy, { force: true });

    const decodeFloorMs = median(await sequence(RUNS, () => decodeFloor(photos)));

    // The built CLI, as users run it (npm install builds it); the TypeScript loader alone would add ~90 MB.
    const cli = existsSync(BUILT_CLI) ? [BUILT_CLI] : SOURCE_CLI;
    const runs = await sequence(RUNS, async (i) => {
      const config = path.join(dir, `config-${i}.yaml`);
      // A cache of its own per run: every run describes all 60 photos.
      await fs.writeFile(config, `model:\n  base_url: ${server.url}\ncache:\n  dir: ${JSON.stringify(path.join(dir, `cache-${i}`))}\n`);
      const output = path.join(dir, `out-${i}.pptx`);
      const started = performance.now();
      const { stdout, peakMb } = await runMeasured(process.execPath, [...cli, 'process', deck, '--output', output, '--config', config]);
      const ms = performance.now() - started;
      await fs.rm(output, { force: true });
      const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { model_calls?: number };
      return { ms, peakMb, modelCalls: result.model_calls ?? 0 };
    });
    return {
      deckMb,
      cpMs: median(cpRuns),
      processMs: median(runs.map((r) => r.ms)),
      peakMb: Math.max(...runs.map((r) => r.peakMb)),
      modelCalls: Math.min(...runs.map((r) => r.modelCalls)),
      decodeFloorMs,
    };
  } finally {
    await server.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Writes the deck; returns its photos (kept for the decode floor: 300 MB in the bench process). */
export async function buildPhotoDeck(file: string): Promise<Buffer[]> {
  const spec = {
    title: 'Benchmark lecture',
    slides: Array.from({ length: PICTURES }, (_, i) => ({ title: `Case ${i + 1}`, text: 'Findings and discussion', pictures: [{ name: `Picture ${i + 2}` }] })),
  };
  const scene = await cameraScene();
  const photos = await mapInParallel(Array.from({ length: PICTURES }, (_, i) => i), CORES, (i) =>
    // Each photo differs in colour and exposure: distinct bytes, so every one is a model call.
    sharp(scene, { raw: { width: PHOTO_WIDTH, height: PHOTO_HEIGHT, channels: 3 } })
      .modulate({ hue: i * 6, brightness: 0.9 + (i % 5) * 0.05 })
      .jpeg({ quality: 92 })
      .toBuffer(),
  );
  const zip = new yazl.ZipFile();
  const written = pipeline(zip.outputStream, createWriteStream(file));
  let picture = 0;
  for (const [name, data] of deckEntries(spec)) {
    if (/^ppt\/media\/.*\.png$/.test(name)) {
      // The part keeps its .png name; image-prep reads formats by their bytes, as PowerPoint does.
      zip.addBuffer(photos[picture] as Buffer, name, { compressionLevel: 1 });
      picture += 1;
    } else {
      zip.addBuffer(Buffer.from(data), name);
    }
  }
  zip.end();
  await written;
  return photos;
}

/**
 * Raw RGB pixels that encode like a camera photo: smooth shapes and shading (a small random
 * picture enlarged) plus sensor grain, so that a 16 MP JPEG at quality 92 is about 5 MB.
 */
async function cameraScene(): Promise<Buffer> {
  const small = Buffer.alloc(144 * 108 * 3);
  randomFillSync(small);
  const scene = await sharp(small, { raw: { width: 144, height: 108, channels: 3 } })
    .resize(PHOTO_WIDTH, PHOTO_HEIGHT, { kernel: 'cubic' })
    .raw()
    .toBuffer();
  const grain = Buffer.alloc(scene.length);
  randomFillSync(grain);
  for (let i = 0; i < scene.length; i += 1) {
    scene[i] = Math.max(0, Math.min(255, (scene[i] ?? 0) + (((grain[i] ?? 0) * GRAIN) >> 8) - (GRAIN >> 1)));
  }
  return scene;
}
/** The grain's span in levels: sets the photos' JPEG size (about 5 MB at 16 MP). */
const GRAIN = 26;

/** What showing every photo to a model costs at least: decode and resize to 1024 px, one per core. */
async function decodeFloor(photos: readonly Buffer[]): Promise<number> {
  const started = performance.now();
  await mapInParallel(photos, CORES, (photo) =>
    sharp(photo, { sequentialRead: true }).resize({ width: 1024, height: 1024, fit: 'inside' }).jpeg({ quality: 85, optimiseCoding: false }).toBuffer(),
  );
  return performance.now() - started;
}

async function mapInParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function sequence<R>(times: number, work: (i: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < times; i += 1) results.push(await work(i));
  return results;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${command} exited with ${code}: ${stderr.trim()}`))));
  });
}

/** Runs a command and samples its resident memory from /proc until it exits. */
async function runMeasured(command: string, args: readonly string[]): Promise<{ stdout: string; peakMb: number }> {
  // The environment the batch runner gives its processors.
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: processorEnvironment() });
  let stdout = '';
  let stderr = '';
  let peakKb = 0;
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const sample = setInterval(() => {
    fs.readFile(`/proc/${child.pid}/status`, 'utf8')
      .then((status) => {
        const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
        peakKb = Math.max(peakKb, kb);
      })
      .catch(() => undefined);
  }, 20);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearInterval(sample);
  if (code !== 0) throw new Error(`altgen process exited with ${code}: ${stderr.trim()}`);
  return { stdout, peakMb: peakKb / 1024 };
}
