import { spawn } from 'node:child_process';
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
 * a distinct ~5 MB photo (JPEG, as cameras and PowerPoint store them) and no alt text,
 * against an instant model (the Ollama-speaking test server): time ÷ `cp` and peak memory.
 * What remains is our own cost: reading, hashing and decoding each picture for the model and
 * its thumbnail, the model round trips on loopback, and the raw-copy rewrite.
 */
export interface ProcessBenchResult {
  readonly deckMb: number;
  readonly cpMs: number;
  readonly processMs: number;
  readonly peakMb: number;
  readonly modelCalls: number;
}

const PICTURES = 60;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILT_CLI = path.join(ROOT, 'out/main/cli.js');
const SOURCE_CLI = ['--import', path.join(ROOT, 'node_modules/tsx/dist/loader.mjs'), path.join(ROOT, 'src/main/cli/index.ts')];

export async function measureProcess(): Promise<ProcessBenchResult> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-process-bench-'));
  const server = await startFakeModelServer();
  try {
    const deck = path.join(dir, 'lecture.pptx');
    await buildPhotoDeck(deck);
    const deckMb = (await fs.stat(deck)).size / 1024 ** 2;
    const copy = path.join(dir, 'copy.pptx');
    await run('cp', [deck, copy]);
    await fs.rm(copy);
    const cpStarted = performance.now();
    await run('cp', [deck, copy]);
    const cpMs = performance.now() - cpStarted;

    const config = path.join(dir, 'config.yaml');
    await fs.writeFile(config, `model:\n  base_url: ${server.url}\ncache:\n  dir: ${JSON.stringify(path.join(dir, 'cache'))}\n`);
    const output = path.join(dir, 'out.pptx');
    // /usr/bin/time is not everywhere; the child's own VmHWM is read through a tiny wrapper.
    const started = performance.now();
    // The built CLI, as users run it (npm install builds it); the TypeScript loader alone would add ~90 MB.
    const cli = existsSync(BUILT_CLI) ? [BUILT_CLI] : SOURCE_CLI;
    const { stdout, peakMb } = await runMeasured(process.execPath, [...cli, 'process', deck, '--output', output, '--config', config]);
    const processMs = performance.now() - started;
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { model_calls?: number };
    return { deckMb, cpMs, processMs, peakMb, modelCalls: result.model_calls ?? 0 };
  } finally {
    await server.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function buildPhotoDeck(file: string): Promise<void> {
  const spec = {
    title: 'Benchmark lecture',
    slides: Array.from({ length: PICTURES }, (_, i) => ({ title: `Case ${i + 1}`, text: 'Findings and discussion', pictures: [{ name: `Picture ${i + 2}` }] })),
  };
  const zip = new yazl.ZipFile();
  const written = pipeline(zip.outputStream, createWriteStream(file));
  let picture = 0;
  for (const [name, data] of deckEntries(spec)) {
    if (/^ppt\/media\/.*\.png$/.test(name)) {
      picture += 1;
      const photo = await sharp({ create: { width: 2400, height: 1800, channels: 3, background: { r: picture * 4, g: 90, b: 160 }, noise: { type: 'gaussian', mean: 120, sigma: 40 } } })
        .jpeg({ quality: 92 })
        .toBuffer();
      // The part keeps its .png name; image-prep reads formats by their bytes, as PowerPoint does.
      zip.addBuffer(photo, name, { compressionLevel: 1 });
    } else {
      zip.addBuffer(Buffer.from(data), name);
    }
  }
  zip.end();
  await written;
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
