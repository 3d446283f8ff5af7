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
 * Whole batches through the `altgen` CLI as users run it (the built out/main/cli.js), against
 * the Ollama-speaking test server on loopback: dry-run speed, per-file orchestration cost,
 * scaling with workers when the model takes 300 ms, and model calls when a logo repeats.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILT_CLI = path.join(ROOT, 'out/main/cli.js');
const CLI = existsSync(BUILT_CLI)
  ? [BUILT_CLI]
  : ['--import', path.join(ROOT, 'node_modules/tsx/dist/loader.mjs'), path.join(ROOT, 'src/main/cli/index.ts')];

export interface BatchBenchResult {
  readonly dryRunDecks: number;
  readonly dryRunMs: number;
  readonly overheadFiles: number;
  readonly overheadMs: number;
  readonly workerMs: Readonly<Record<1 | 2 | 4, number>>;
  readonly workerFiles: number;
  readonly logoDecks: number;
  readonly logoUniqueImages: number;
  readonly logoModelCalls: number;
}

function altgen(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('close', (code) => (code === 0 ? resolve(code) : reject(new Error(`altgen ${args[0]} exited with ${code}: ${stderr.trim()}`))));
  });
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function decks(folder: string, count: number, template: string): Promise<void> {
  await fs.mkdir(folder, { recursive: true });
  for (let i = 0; i < count; i += 1) await fs.copyFile(template, path.join(folder, `lecture-${String(i).padStart(5, '0')}.pptx`));
}

export async function measureBatches(): Promise<BatchBenchResult> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-batch-bench-'));
  const server: FakeModelServer = await startFakeModelServer();
  try {
    const env = { ...process.env, ALTGEN_CONFIG_DIR: path.join(dir, 'config'), ALTGEN_DATA_DIR: path.join(dir, 'data') };
    const config = (extra = '') => {
      const file = path.join(dir, `config-${Math.random().toString(16).slice(2)}.yaml`);
      return fs.writeFile(file, `model:\n  base_url: ${server.url}\nbatch_processing:\n  dry_run_validates_ollama: false\n  stop_on_error_threshold: 1\n${extra}`).then(() => file);
    };
    const template = path.join(dir, 'template.pptx');
    await buildDeck(template, { slides: [{ title: 'Heart', pictures: [{ name: 'Picture 2', imageSize: 64 }, { descr: 'Anterior view of the heart', imageSize: 64 }] }] });

    // 3. Dry run of 5,000 decks.
    const dryRunDecks = 5_000;
    await decks(path.join(dir, 'many'), dryRunDecks, template);
    const dryConfig = await config();
    const dryRunMs = await timed(() => altgen(['batch', '--input-dir', path.join(dir, 'many'), '--output-dir', path.join(dir, 'many-out'), '--dry-run', '--config', dryConfig], env));

    // 5. Per-file orchestration with an instant model: spawn, lock, process, rename, record.
    const overheadFiles = 40;
    await decks(path.join(dir, 'small'), overheadFiles, template);
    const instant = await config('  default_max_workers: 1\ncache:\n  enabled: false\n');
    const overheadMs = await timed(() => altgen(['batch', '--input-dir', path.join(dir, 'small'), '--output-dir', path.join(dir, 'small-out'), '--config', instant], env));

    // 6. Workers against a model that takes 300 ms per picture (one picture per deck).
    const workerFiles = 16;
    await decks(path.join(dir, 'workers'), workerFiles, template);
    server.script(() => ({ delayMs: 300 }));
    const workerMs = { 1: 0, 2: 0, 4: 0 };
    for (const workers of [1, 2, 4] as const) {
      const cfg = await config(`  default_max_workers: ${workers}\ncache:\n  enabled: false\n`);
      workerMs[workers] = await timed(() => altgen(['batch', '--input-dir', path.join(dir, 'workers'), '--output-dir', path.join(dir, `workers-out-${workers}`), '--config', cfg], env));
    }
    server.script(() => undefined);

    // 7. A logo on every slide of every deck, plus one picture of each deck's own.
    const logoDecks = 6;
    const logos = path.join(dir, 'logos');
    await fs.mkdir(logos);
    for (let d = 0; d < logoDecks; d += 1) {
      await buildDeck(path.join(logos, `deck-${d}.pptx`), {
        slides: Array.from({ length: 10 }, (_, s) => ({
          title: `Slide ${s + 1}`,
          pictures: [{ name: 'Logo', imageSeed: 7, imageSize: 64 }, ...(s === 0 ? [{ name: 'Figure', imageSeed: 100 + d, imageSize: 64 }] : [])],
        })),
      });
    }
    const before = server.chatRequests().length;
    const cached = await config(`cache:\n  dir: ${JSON.stringify(path.join(dir, 'logo-cache'))}\n`);
    await altgen(['batch', '--input-dir', logos, '--output-dir', path.join(dir, 'logos-out'), '--config', cached], env);
    const logoModelCalls = server.chatRequests().length - before;

    return { dryRunDecks, dryRunMs, overheadFiles, overheadMs, workerMs, workerFiles, logoDecks, logoUniqueImages: logoDecks + 1, logoModelCalls };
  } finally {
    await server.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}
