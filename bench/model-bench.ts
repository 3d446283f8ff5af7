import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { FakeModelServer } from '../src/main/describe/testing/fake-model-server';
import { startFakeModelServer } from '../src/main/describe/testing/fake-model-server';
import { buildDeck } from '../src/main/fixtures/deck-builder';

/**
 * How much of the model server's capacity a batch uses (issue 15), through the `altgen` CLI
 * as users run it, against stand-in servers that answer at most N requests at once in L ms
 * each (testing/fake-model-server.ts `capacity`). Ideal = calls × L ÷ N; slot use = the time
 * the server's slots were busy ÷ (N × wall).
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILT_CLI = path.join(ROOT, 'out/main/cli.js');
const CLI = existsSync(BUILT_CLI)
  ? [BUILT_CLI]
  : ['--import', path.join(ROOT, 'node_modules/tsx/dist/loader.mjs'), path.join(ROOT, 'src/main/cli/index.ts')];

/** 12 decks × 8 distinct pictures, as in the issue. */
const DECKS = 12;
const PICTURES = 8;
export const SATURATION_LATENCY_MS = 500;

export interface SaturationResult {
  readonly slots: number;
  readonly calls: number;
  readonly wallMs: number;
  readonly idealMs: number;
  readonly slotUse: number;
  /** Slot use from the first request's arrival to the last one's answer: the batch's own start and end left out. */
  readonly slotUseBetween: number;
  readonly timedOut: number;
  /** From the command's start to the first picture request: start-up, not the model's time. */
  readonly firstRequestMs: number;
  /** From the last picture request's arrival to the command's end (at least one latency). */
  readonly afterLastRequestMs: number;
}

export interface ManyServersResult {
  readonly calls: number;
  readonly uniqueImages: number;
  readonly wallMs: number;
  /** The wall time the capacity actually available would need at full use. */
  readonly idealMs: number;
  readonly downMs: number;
  readonly failedDecks: number;
  readonly described: number;
}

function altgen(args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`altgen ${args[0]} exited with ${code}: ${stderr.trim()} ${stdout.trim()}`))));
  });
}

async function makeDecks(folder: string, seedBase: number): Promise<void> {
  await fs.mkdir(folder, { recursive: true });
  for (let d = 0; d < DECKS; d += 1) {
    await buildDeck(path.join(folder, `lecture-${String(d).padStart(2, '0')}.pptx`), {
      slides: Array.from({ length: PICTURES }, (_, p) => ({ title: `Lecture ${d + 1}, plate ${p + 1}`, pictures: [{ name: `Picture ${p + 1}`, imageSeed: seedBase + d * PICTURES + p, imageSize: 64 }] })),
    });
  }
}

async function bench<T>(run: (dir: string, env: NodeJS.ProcessEnv, config: (model: string, extra?: string) => Promise<string>) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-model-bench-'));
  try {
    const env = { ...process.env, ALTGEN_CONFIG_DIR: path.join(dir, 'config'), ALTGEN_DATA_DIR: path.join(dir, 'data') };
    // Default settings but for the servers, with no cache: every picture is a call.
    const config = async (model: string, extra = ''): Promise<string> => {
      const file = path.join(dir, `config-${Math.random().toString(16).slice(2)}.yaml`);
      await fs.writeFile(file, `model:\n${model}batch_processing:\n  dry_run_validates_ollama: false\n${extra}cache:\n  enabled: false\nalt_text:\n  read_text_in_images: false\n`);
      return file;
    };
    return await run(dir, env, config);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Model saturation: N slots of L ms, default settings (1 worker, parallel_requests found). */
export function measureSaturation(slots: number): Promise<SaturationResult> {
  return bench(async (dir, env, config) => {
    const server: FakeModelServer = await startFakeModelServer({ capacity: { slots, latencyMs: SATURATION_LATENCY_MS } });
    try {
      const input = path.join(dir, 'in');
      await makeDecks(input, 1000 * slots);
      const file = await config(`  base_url: ${server.url}\n`);
      const arrivals: number[] = [];
      server.script((request) => {
        if (request.images.length > 0) arrivals.push(performance.now());
      });
      const started = performance.now();
      const stdout = await altgen(['batch', '--input-dir', input, '--output-dir', path.join(dir, 'out'), '--config', file], env);
      const wallMs = performance.now() - started;
      const calls = server.chatRequests().filter((request) => request.images.length > 0).length;
      const stats = server.slotStats();
      const timedOut = /timed out|no answer within/i.test(stdout) ? 1 : 0;
      const firstRequestMs = (arrivals[0] ?? started) - started;
      const afterLastRequestMs = started + wallMs - (arrivals.at(-1) ?? started);
      const betweenMs = (arrivals.at(-1) ?? started) + SATURATION_LATENCY_MS - (arrivals[0] ?? started);
      return {
        slots,
        calls,
        wallMs,
        idealMs: (calls * SATURATION_LATENCY_MS) / slots,
        slotUse: stats.busySlotMs / (slots * wallMs),
        slotUseBetween: stats.busySlotMs / (slots * betweenMs),
        timedOut,
        firstRequestMs,
        afterLastRequestMs,
      };
    } finally {
      await server.stop();
    }
  });
}

/**
 * Many servers: 3 stand-in servers of 4 slots (L ms), one stopped a third of the way through
 * and started again on the same port 3 s later. 4 workers (one deck's 8 pictures cannot fill
 * 12 slots).
 */
export function measureManyServers(): Promise<ManyServersResult> {
  return bench(async (dir, env, config) => {
    const capacity = { slots: 4, latencyMs: SATURATION_LATENCY_MS };
    const servers = await Promise.all([0, 1, 2].map(() => startFakeModelServer({ capacity })));
    const recorded: { sha256: string }[][] = [];
    let downMs = 0;
    try {
      const input = path.join(dir, 'in');
      await makeDecks(input, 50_000);
      const file = await config(`  servers:\n${servers.map((server) => `    - ${server.url}\n`).join('')}`, '  default_max_workers: 4\n');
      const started = performance.now();
      const batch = altgen(['batch', '--input-dir', input, '--output-dir', path.join(dir, 'out'), '--config', file], env);
      const total = DECKS * PICTURES;
      const victim = servers[1] as FakeModelServer;
      while (servers.reduce((sum, server) => sum + server.chatRequests().length, 0) < total / 3) await new Promise((resolve) => setTimeout(resolve, 20));
      recorded.push(victim.chatRequests().flatMap((request) => request.images));
      const port = victim.port;
      const stoppedAt = performance.now();
      await victim.stop();
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      servers[1] = await startFakeModelServer({ capacity, port });
      downMs = performance.now() - stoppedAt;
      const stdout = await batch;
      const wallMs = performance.now() - started;
      const images = [...recorded.flat(), ...servers.flatMap((server) => server.chatRequests().flatMap((request) => request.images))];
      const calls = images.length;
      const uniqueImages = new Set(images.map((image) => image.sha256)).size;
      const slotTimeAvailable = 12 * wallMs - 4 * downMs;
      const failedDecks = Number(/Failed:\s+(\d+)/.exec(stdout)?.[1] ?? NaN);
      const described = Number(/Described:\s+(\d+)/.exec(stdout)?.[1] ?? NaN);
      // The ideal wall for these calls at full use of the slots that were there, on average.
      const idealMs = (calls * SATURATION_LATENCY_MS) / (slotTimeAvailable / wallMs);
      return { calls, uniqueImages, wallMs, idealMs, downMs, failedDecks, described };
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
  });
}

/** The rows of `npm run bench` for the model (also alone: `npx tsx bench/model-rows.ts`). */
export interface ModelRow {
  readonly name: string;
  readonly measured: string;
  readonly ratio: number;
  readonly goal: string;
  readonly met: boolean;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

export async function measureModelRows(): Promise<ModelRow[]> {
  const rows: ModelRow[] = [];
  for (const slots of [1, 4, 16]) {
    const saturation = await measureSaturation(slots);
    const ratio = saturation.wallMs / saturation.idealMs;
    rows.push({
      name: `model saturation: a server answering ${slots} at once in ${SATURATION_LATENCY_MS} ms, 12 decks × 8 distinct pictures, default settings (1 worker)`,
      measured: `${seconds(saturation.wallMs)} vs ideal ${seconds(saturation.idealMs)} (${saturation.calls} calls); slots busy ${Math.round(saturation.slotUse * 100)} % of the time (${Math.round(saturation.slotUseBetween * 100)} % from the first request to the last answer); first request after ${seconds(saturation.firstRequestMs)}, end ${seconds(saturation.afterLastRequestMs)} after the last${slots === 1 ? `; ${saturation.timedOut === 0 ? 'no' : 'some'} description timed out` : ''}`,
      ratio,
      goal: `≤ 1.15 (slot use ≥ 90 %)${slots === 1 ? ', no timeout' : ''}`,
      met: ratio <= 1.15 && (slots !== 1 || saturation.timedOut === 0),
    });
  }
  const many = await measureManyServers();
  rows.push({
    name: `many servers: 3 of 4 slots (${SATURATION_LATENCY_MS} ms), one stopped a third of the way through and back 3 s later, 4 workers`,
    measured: `${seconds(many.wallMs)} vs ideal ${seconds(many.idealMs)} for the slots there were (down ${seconds(many.downMs)}); ${many.failedDecks} decks failed, ${many.described} of 96 pictures described, ${many.calls} calls for ${many.uniqueImages} pictures`,
    ratio: many.wallMs / many.idealMs,
    goal: '≤ 1.2, no deck failed, every picture described once',
    met: many.wallMs / many.idealMs <= 1.2 && many.failedDecks === 0 && many.described === 96 && many.uniqueImages === 96,
  });
  return rows;
}
