import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildDeck, writeTextFile } from '../fixtures/deck-builder';
import { ManifestStore } from '../batch/manifest-store';
import { STATE_DIR_NAME } from '../batch/batch-folder';
import { startFakeModelServer } from '../describe/testing/fake-model-server';
import { EXIT } from './exit-codes';

/**
 * The `altgen` CLI as a user runs it: a real process, real folders, real processors.
 * It runs from source through tsx so the tests do not depend on a build.
 */
const PROJECT = fileURLToPath(new URL('../../..', import.meta.url));
const ENTRY = path.join(PROJECT, 'src/main/cli/index.ts');
const PROCESSOR = path.join(PROJECT, 'src/main/batch/test-processors/scripted-processor.mjs');
/** tsx by absolute URL: the CLI runs with temp folders as its working folder. */
const TSX = pathToFileURL(path.join(PROJECT, 'node_modules/tsx/dist/loader.mjs')).href;

let root: string;
let lectures: string;
let out: string;
let binDir: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-cli-'));
  lectures = path.join(root, 'My Lectures');
  out = path.join(root, 'batch output');
  binDir = path.join(root, 'bin');
  await fs.mkdir(lectures, { recursive: true });
  await fs.mkdir(binDir);
  // An `altgen` on PATH, so a printed command can be run exactly as printed.
  await fs.writeFile(path.join(binDir, 'altgen'), `#!/bin/sh\nexec node --import ${TSX} "${ENTRY}" "$@"\n`, { mode: 0o755 });
});

afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    ALTGEN_CONFIG_DIR: path.join(root, 'user-config'),
    ALTGEN_DATA_DIR: path.join(root, 'user-data'),
    ...extra,
  };
  delete base['npm_command'];
  base['PATH'] = `${binDir}${path.delimiter}${process.env['PATH'] ?? ''}`;
  return base;
}

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function altgen(args: readonly string[], extraEnv: Record<string, string> = {}): Result {
  const result = spawnSync(process.execPath, ['--import', TSX, ENTRY, ...args], { cwd: root, env: env(extraEnv), encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Polls until `check` returns a value, failing the test after `ms`. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  for (const started = Date.now(); Date.now() - started < ms; ) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** Like altgen(), without blocking the event loop: needed when this process serves the model. */
function altgenAsync(args: readonly string[], extraEnv: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX, ENTRY, ...args], { cwd: root, env: env(extraEnv) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function writeConfig(body: string): Promise<string> {
  const file = path.join(root, 'config.yaml');
  await fs.writeFile(file, body);
  return file;
}

function processorConfig(mode: string, extra = ''): string {
  return `processor:\n  command: ["node", ${JSON.stringify(PROCESSOR)}, ${JSON.stringify(mode)}, "{input}", "{output}"]\nbatch_processing:\n  dry_run_validates_ollama: false\n${extra}`;
}

async function makeDecks(count: number, folder = lectures): Promise<string[]> {
  const files: string[] = [];
  for (let i = 1; i <= count; i += 1) {
    const file = path.join(folder, i % 3 === 0 ? 'imaging' : '', `lecture ${String(i).padStart(2, '0')}.pptx`);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await buildDeck(file, { slides: [{ title: `Lecture ${i}`, pictures: [{ name: 'Picture 1' }, { descr: 'Sagittal MRI of the knee' }] }] });
    files.push(file);
  }
  return files;
}

async function treeHash(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const name of ((await fs.readdir(dir, { recursive: true })) as string[]).sort()) {
    const full = path.join(dir, name);
    if ((await fs.stat(full)).isFile()) hash.update(name).update(await fs.readFile(full));
  }
  return hash.digest('hex');
}

describe('altgen batch', () => {
  it('dry-runs a folder and prints the verdict per batch', async () => {
    await makeDecks(3);
    await writeTextFile(path.join(lectures, 'notes.pptx'));
    const result = altgen(['batch', '--input-dir', lectures, '--output-dir', out, '--dry-run']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(EXIT.someFailed);
    expect(result.stdout).toContain('BATCH DRY RUN SUMMARY');
    expect(result.stdout).toMatch(/Dry run: 3 decks, 6 pictures, 3 to describe/);
    expect(result.stdout).toMatch(/❌ failed .*notes\.pptx: .*not a ZIP|❌ failed .*notes\.pptx: .*PowerPoint/);
    expect(result.stdout).toMatch(/Total: +4\n +Completed: 3 ✅\n +Failed: +1 ❌\n +Skipped: +0 ⏭️/);
  });

  it('processes a folder, prints the seed progress line every progress_update_interval files and exits 0', async () => {
    await makeDecks(4);
    const config = await writeConfig(processorConfig('succeed', '  progress_update_interval: 2\n'));
    const result = altgen(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config]);
    expect(result.code).toBe(EXIT.ok);
    const progress = result.stdout.split('\n').filter((line) => line.startsWith('Progress:'));
    expect(progress).toHaveLength(2);
    expect(progress[0]).toMatch(/^Progress: 2\/4 \(2 ✅, 0 ❌, 0 ⏭️\) \| Elapsed: \d+s \| ETA: ~\d+s \(estimate\)$/);
    expect(progress[1]).toMatch(/^Progress: 4\/4 \(4 ✅, 0 ❌, 0 ⏭️\)/);
    expect(result.stdout).toContain('BATCH PROCESSING SUMMARY');
    expect(result.stdout).toMatch(/Success: +100\.0%/);
    expect(result.stdout).not.toContain('Resume command');
    await expect(fs.access(path.join(out, 'imaging', 'lecture 03.pptx'))).resolves.toBeUndefined();
    const index = JSON.parse(await fs.readFile(path.join(root, 'user-data', 'batches.json'), 'utf8'));
    expect(index.batches).toHaveLength(1);
    expect(index.batches[0].manifest_path).toMatch(new RegExp(`^${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('prints JSON with --json, progress going to stderr', async () => {
    await makeDecks(2);
    const config = await writeConfig(processorConfig('succeed', '  progress_update_interval: 1\n'));
    const result = altgen(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config, '--json']);
    expect(result.code).toBe(EXIT.ok);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ counts: { total: 2, complete: 2 }, stop_reason: 'finished', resume_command: null });
    expect(json.items).toHaveLength(2);
    expect(result.stderr).toContain('Progress: 2/2');
  });

  it('exits with the threshold code and a resume command that works exactly as printed', async () => {
    await makeDecks(6);
    const failing = await writeConfig(processorConfig('fail'));
    const first = altgen(['batch', '--input-dir', lectures, '--output-dir', out, '--config', failing]);
    expect(first.code).toBe(EXIT.errorThreshold);
    expect(first.stdout).toMatch(/Stopped: 4 of 4 files failed/);
    const resumeLine = first.stdout.split('\n').find((line) => line.startsWith('Resume command: '));
    expect(resumeLine).toBeDefined();
    const command = resumeLine!.slice('Resume command: '.length);
    expect(command).toContain('--output-dir');
    await fs.writeFile(failing, processorConfig('succeed'));
    const resumed = spawnSync('/bin/sh', ['-c', `${command} --retry-failed`], { cwd: os.tmpdir(), env: env(), encoding: 'utf8', timeout: 60_000 });
    expect(resumed.stderr).toBe('');
    expect(resumed.status).toBe(EXIT.ok);
    expect(resumed.stdout).toMatch(/Completed: 6 ✅/);
  });

  it('interrupted by SIGINT: saves state, kills the processors, prints the resume command, exits 4', async () => {
    await makeDecks(3);
    const config = await writeConfig(processorConfig('slow', ''));
    const child = spawn(process.execPath, ['--import', TSX, ENTRY, 'batch', '--input-dir', lectures, '--output-dir', out, '--config', config], {
      cwd: root,
      env: env({ ALTGEN_TEST_DELAY_MS: '30000' }),
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
    await waitFor('the batch to start', async () => stdout.includes('Processing batch'));
    await new Promise((r) => setTimeout(r, 700));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(EXIT.interrupted);
    expect(stdout).toMatch(/Resume command: altgen batch --resume --batch-id \d{8}_\d{6}_[0-9a-f]{8} --output-dir '.*batch output'/);
    const manifestName = (await fs.readdir(out)).find((n) => n.endsWith('_manifest.json'))!;
    const store = await ManifestStore.open(path.join(out, manifestName));
    expect(store.allItems().map((i) => i.status)).toEqual(['pending', 'pending', 'pending']);
    const ps = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(ps.status, `ps -eo args: ${ps.error?.message ?? ps.stderr}`).toBe(0);
    expect(ps.stdout.split('\n').filter((line) => line.includes(PROCESSOR) && line.includes(root))).toEqual([]);
  });

  it('survives SIGKILL mid-batch and resumes to a correct final state', async () => {
    const decks = await makeDecks(8);
    const before = await treeHash(lectures);
    const config = await writeConfig(processorConfig('slow', '  default_max_workers: 2\n'));
    const child = spawn(process.execPath, ['--import', TSX, ENTRY, 'batch', '--input-dir', lectures, '--output-dir', out, '--config', config], {
      cwd: root,
      env: env({ ALTGEN_TEST_DELAY_MS: '300' }),
      stdio: 'ignore',
    });
    // Kill once some files are done and others are running.
    let manifest = '';
    for (let waited = 0; waited < 30_000; waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
      const name = (await fs.readdir(out).catch(() => [] as string[])).find((n) => n.endsWith('_manifest.json'));
      if (!name) continue;
      manifest = path.join(out, name);
      const items = (await ManifestStore.open(manifest)).allItems();
      if (items.filter((i) => i.status === 'complete').length >= 3) break;
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    JSON.parse(await fs.readFile(manifest, 'utf8'));
    const afterKill = (await ManifestStore.open(manifest)).allItems();
    expect(afterKill.filter((i) => i.status === 'complete').length).toBeGreaterThanOrEqual(3);
    expect(afterKill.filter((i) => i.status === 'complete').length).toBeLessThan(8);

    const resumed = altgen(['batch', '--resume', '--output-dir', out, '--config', config], { ALTGEN_TEST_DELAY_MS: '10' });
    expect(resumed.code).toBe(EXIT.ok);
    const final = (await ManifestStore.open(manifest)).allItems();
    expect(final.every((i) => i.status === 'complete')).toBe(true);
    expect(await treeHash(lectures)).toBe(before);
    const outputs = ((await fs.readdir(out, { recursive: true })) as string[]).filter((n) => n.endsWith('.pptx'));
    expect(outputs.sort()).toEqual(decks.map((d) => path.relative(lectures, d)).sort());
    expect(((await fs.readdir(out, { recursive: true })) as string[]).filter((n) => n.includes('altgen-tmp') || n.endsWith('.journal'))).toEqual([]);
  });
});

describe('altgen batch: bad input gets one clear line and its own exit code', () => {
  const oneLine = (text: string) => text.trim().split('\n').length === 1;

  it('a missing input folder', () => {
    const result = altgen(['batch', '--input-dir', path.join(root, 'nope'), '--output-dir', out]);
    expect(result.code).toBe(EXIT.inputMissing);
    expect(oneLine(result.stderr)).toBe(true);
    expect(result.stderr).toContain('nope');
  });

  it('a folder with no decks', async () => {
    await fs.writeFile(path.join(lectures, 'syllabus.docx'), 'x');
    const result = altgen(['batch', '--input-dir', lectures, '--output-dir', out, '--dry-run']);
    expect(result.code).toBe(EXIT.noDecks);
    expect(oneLine(result.stderr)).toBe(true);
  });

  it('no input given', () => {
    const result = altgen(['batch', '--output-dir', out]);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(/--input-dir or --input-files/);
  });

  it('an output folder that cannot be written', async () => {
    await makeDecks(1);
    await fs.writeFile(path.join(root, 'file'), '');
    const result = altgen(['batch', '--input-dir', lectures, '--output-dir', path.join(root, 'file', 'out'), '--dry-run']);
    expect(result.code).toBe(EXIT.outputNotWritable);
    expect(oneLine(result.stderr)).toBe(true);
  });

  it.skipIf(process.platform === 'win32')('warns of a broken link in the input folder, on one line, and goes on', async () => {
    await makeDecks(1);
    await fs.symlink(path.join(root, 'gone.pptx'), path.join(lectures, 'broken\nlink.pptx'));
    const result = altgen(['batch', '--input-dir', lectures, '--output-dir', out, '--dry-run']);
    expect(result.code).toBe(EXIT.ok);
    expect(result.stderr).toContain(`Warning: Skipped a broken link: ${lectures}/broken\\nlink.pptx\n`);
  });

  it('with no model server running, a real batch pauses at the first deck and says how to start one', async () => {
    await makeDecks(3);
    const down = await startFakeModelServer();
    await down.stop();
    // model_wait_minutes: 0 stops at once instead of waiting for the server (batch-wait-model.test.ts).
    const config = await writeConfig(`batch_processing:\n  model_wait_minutes: 0\nmodel:\n  base_url: ${down.url}\n  max_retries: 0\n`);
    const result = altgen(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config]);
    expect(result.code).toBe(EXIT.paused);
    expect(result.stdout).toMatch(/^Stopped: The model server is unavailable: Could not reach the model server at \S+ \(connection refused\)\. Start the model server \(for example with ollama serve\), then resume the batch\.$/m);
    expect(result.stdout).toMatch(/Pending: +3/);
    expect(result.stdout).toMatch(/Resume command: altgen batch --resume/);
  });

  it('an invalid config value', async () => {
    await makeDecks(1);
    const config = await writeConfig('batch_processing:\n  stop_on_error_threshold: 2\n');
    const result = altgen(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config, '--dry-run']);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(/stop_on_error_threshold/);
    expect(oneLine(result.stderr)).toBe(true);
  });

  it('a corrupt manifest names the file, and nothing is overwritten', async () => {
    await fs.mkdir(out);
    const manifest = path.join(out, 'batch_20260101_120000_deadbeef_manifest.json');
    await fs.writeFile(manifest, '{"version": "1.0", "batch_id": "20260101_120000_deadbeef", "queue": {"items": [');
    const result = altgen(['batch', '--resume', '--output-dir', out]);
    expect(result.code).toBe(EXIT.manifestCorrupt);
    expect(result.stderr).toContain(manifest);
    expect(await fs.readFile(manifest, 'utf8')).toMatch(/"items": \[$/);
  });

  it('an unknown batch id', async () => {
    await fs.mkdir(out);
    const result = altgen(['batch', '--resume', '--batch-id', '20260101_000000_00000000', '--output-dir', out]);
    expect(result.code).toBe(EXIT.batchNotFound);
    expect(result.stderr).toMatch(/No batch 20260101_000000_00000000/);
  });

  it('the same batch started twice', async () => {
    await makeDecks(2);
    const config = await writeConfig(processorConfig('slow'));
    const child = spawn(process.execPath, ['--import', TSX, ENTRY, 'batch', '--input-dir', lectures, '--output-dir', out, '--config', config], {
      cwd: root,
      env: env({ ALTGEN_TEST_DELAY_MS: '20000' }),
      stdio: 'ignore',
    });
    try {
      await waitFor('the manifest lock', async () => (await fs.readdir(path.join(out, STATE_DIR_NAME)).catch(() => [])).find((n) => n.endsWith('.lock')));
      const result = altgen(['batch', '--resume', '--output-dir', out, '--config', config]);
      expect(result.code).toBe(EXIT.batchLocked);
      expect(result.stderr).toMatch(/already running.*pid \d+/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.on('exit', resolve));
    }
  });

  it('a full disk while writing the manifest: a clear error, and what was recorded is kept', async (ctx) => {
    const mount = path.join(root, 'tiny');
    await fs.mkdir(mount);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=160k', 'tmpfs', mount]);
    if (mounted.status !== 0) {
      ctx.skip(`cannot mount a small tmpfs here (${mounted.stderr?.toString().trim()}); needs root`);
      return;
    }
    try {
      await makeDecks(1);
      const decks = await fs.readdir(lectures);
      const deck = path.join(lectures, decks.find((d) => d.endsWith('.pptx'))!);
      const files: string[] = [];
      for (let i = 0; i < 300; i += 1) {
        const copy = path.join(lectures, `copy-${String(i).padStart(3, '0')}.pptx`);
        await fs.copyFile(deck, copy);
        files.push(copy);
      }
      const result = altgen(['batch', '--input-dir', lectures, '--output-dir', mount, '--dry-run']);
      expect(result.code).toBe(EXIT.diskFull);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/disk is full/i);
      const name = (await fs.readdir(mount)).find((n) => n.endsWith('_manifest.json'))!;
      const store = await ManifestStore.open(path.join(mount, name));
      expect(store.allItems().filter((i) => i.status === 'complete').length).toBeGreaterThan(10);
    } finally {
      spawnSync('umount', [mount]);
    }
  });
});

describe('altgen status, cleanup and locks', () => {
  it('lists batches with their counts and the resume command of unfinished ones', async () => {
    await makeDecks(5);
    const config = await writeConfig(processorConfig('fail'));
    altgen(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config]);
    altgen(['batch', '--input-dir', lectures, '--output-dir', out, '--dry-run']);
    const result = altgen(['status', '--output-dir', out]);
    expect(result.code).toBe(EXIT.ok);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/batch +unfinished \(error-threshold\) +5 files: 0 ✅ 4 ❌ 0 ⏭️ 1 pending/);
    expect(lines[1]).toMatch(/resume: altgen batch --resume --batch-id/);
    expect(lines[2]).toMatch(/retry failed files: altgen batch --resume --retry-failed --batch-id/);
    expect(lines[3]).toMatch(/dry run +finished +5 files: 5 ✅/);
  });

  it('removes only finished manifests past the retention period, and lists them first with --dry-run', async () => {
    await makeDecks(2);
    const config = await writeConfig(processorConfig('succeed'));
    altgen(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config]);
    const failing = await writeConfig(processorConfig('slow'));
    // An unfinished batch: stopped by SIGKILL.
    const child = spawn(process.execPath, ['--import', TSX, ENTRY, 'batch', '--input-dir', lectures, '--output-dir', out, '--config', failing], {
      cwd: root,
      env: env({ ALTGEN_TEST_DELAY_MS: '20000' }),
      stdio: 'ignore',
    });
    await waitFor('the second manifest', async () => (await fs.readdir(out)).filter((n) => n.endsWith('_manifest.json')).length === 2);
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    const old = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    for (const name of await fs.readdir(out)) if (name.endsWith('_manifest.json')) await fs.utimes(path.join(out, name), old, old);
    // The finished batch is the one with every deck complete (not the first by name: a batch id
    // holds the local time, and a run across midnight or a clock change orders them otherwise).
    const manifests = (await fs.readdir(out)).filter((n) => n.endsWith('_manifest.json'));
    const documents = await Promise.all(manifests.map(async (name) => ({ name, doc: JSON.parse(await fs.readFile(path.join(out, name), 'utf8')) })));
    const isFinished = (doc: { queue: { items: { status: string }[] } }) => doc.queue.items.every((item) => item.status === 'complete');
    const { name: finished, doc } = documents.find(({ doc }) => isFinished(doc))!;
    expect(documents.filter(({ doc }) => isFinished(doc))).toHaveLength(1);
    doc.end_time = '2025-01-01T10:00:00';
    await fs.writeFile(path.join(out, finished), JSON.stringify(doc));

    const dry = altgen(['cleanup', '--output-dir', out, '--max-age-days', '30', '--dry-run']);
    expect(dry.stdout).toMatch(/Would remove 1 finished manifest/);
    expect((await fs.readdir(out)).filter((n) => n.endsWith('_manifest.json'))).toHaveLength(2);
    const real = altgen(['cleanup', '--output-dir', out, '--max-age-days', '30']);
    expect(real.code).toBe(EXIT.ok);
    expect(real.stdout).toMatch(/kept .*unfinished/);
    const left = (await fs.readdir(out)).filter((n) => n.endsWith('_manifest.json'));
    expect(left).toHaveLength(1);
    expect(left[0]).not.toBe(finished);
  });

  it('lists locks and PowerPoint owner files, and cleans only stale locks', async () => {
    await makeDecks(1);
    await fs.writeFile(path.join(lectures, '~$lecture 01.pptx'), Buffer.alloc(162));
    const stale = path.join(lectures, 'lecture 01.pptx.lock');
    await fs.mkdir(stale);
    const old = new Date(Date.now() - 3600_000);
    await fs.utimes(stale, old, old);
    const list = altgen(['locks', '--directory', lectures]);
    expect(list.code).toBe(EXIT.ok);
    expect(list.stdout).toMatch(/stale/);
    expect(list.stdout).toMatch(/active .*PowerPoint .*lecture 01\.pptx/);
    const clean = altgen(['locks', '--directory', lectures, '--clean-stale']);
    expect(clean.stdout).toMatch(/Removed 1 stale lock/);
    await expect(fs.access(stale)).rejects.toThrow();
    await expect(fs.access(path.join(lectures, '~$lecture 01.pptx'))).resolves.toBeUndefined();
  });
});

describe('the built-in processor', () => {
  it('processes a folder against an Ollama-speaking server, with reports beside each copy, then applies an edit', async () => {
    const server = await startFakeModelServer();
    try {
      const decks = await makeDecks(3);
      const config = await writeConfig(`model:\n  base_url: ${server.url}\n`);
      const result = await altgenAsync(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config, '--json']);
      expect(result.stderr).not.toMatch(/altgen:/);
      expect(result.code).toBe(EXIT.ok);
      const json = JSON.parse(result.stdout);
      expect(json.counts).toMatchObject({ complete: 3, failed: 0 });
      const item = json.items.find((i: { path: string }) => i.path === decks[0]);
      expect(item.result).toMatchObject({ pictures: 2, described: 1, preserved: 1 });
      // The three decks share one image: one model call in all, the rest from the cache.
      expect(item.result.model_calls + item.result.cache_hits).toBe(1);
      const copy = path.join(out, 'lecture 01.pptx');
      const reportFile = path.join(out, 'lecture 01.alt-text.json');
      expect(item.result.reports).toEqual([reportFile, path.join(out, 'lecture 01.alt-review.html')]);
      const report = JSON.parse(await fs.readFile(reportFile, 'utf8'));
      expect(report.output).toBe(copy);
      expect(((await fs.readdir(out, { recursive: true })) as string[]).filter((n) => n.includes('altgen-tmp'))).toEqual([]);
      expect(server.chatRequests()).toHaveLength(1);

      report.pictures[0].after = 'Sagittal T1 MRI of the knee, edited by the lecturer';
      await fs.writeFile(reportFile, JSON.stringify(report));
      const applied = path.join(root, 'reviewed.pptx');
      const apply = await altgenAsync(['apply', copy, reportFile, '--output', applied]);
      expect(apply.code).toBe(EXIT.ok);
      expect(apply.stdout).toMatch(/Applied 1 edited description/);
      const bad = altgen(['apply', copy, path.join(root, 'nope.json'), '--output', applied]);
      expect(bad.code).toBe(EXIT.usage);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      await server.stop();
    }
  });

  it('runs as its own entry (the Electron app starts it that way) with the same protocol, always told its settings', async () => {
    const entry = path.join(PROJECT, 'src/main/processor/processor-entry.ts');
    await writeTextFile(path.join(lectures, 'notes.pptx'));
    const settings = path.join(lectures, 'settings.yaml');
    await fs.writeFile(settings, '{}\n');
    const run = (args: string[]) => spawnSync(process.execPath, ['--import', TSX, entry, ...args], { cwd: root, env: env(), encoding: 'utf8' });
    const notAZip = run(['process', path.join(lectures, 'notes.pptx'), '--output', path.join(root, 'x.pptx'), '--config', settings]);
    expect(notAZip.status).toBe(65);
    expect(JSON.parse(notAZip.stdout.trim().split('\n').at(-1)!)).toMatchObject({ type: 'error', code: 'ENOT_ZIP' });
    expect(run(['describe', 'x']).status).toBe(2);
    // Only a runner starts it, and a runner names its settings: it never looks for a config.yaml itself.
    const unsaid = run(['process', path.join(lectures, 'notes.pptx'), '--output', path.join(root, 'x.pptx')]);
    expect(unsaid.status).toBe(2);
    expect(unsaid.stderr).toMatch(/--config <file>/);
  });

  it('exits 65 for a deck that is not a presentation, 69 when the model server is down', async () => {
    await writeTextFile(path.join(lectures, 'notes.pptx'));
    const notAZip = altgen(['process', path.join(lectures, 'notes.pptx'), '--output', path.join(root, 'x.pptx')]);
    expect(notAZip.code).toBe(65);
    expect(JSON.parse(notAZip.stdout.trim().split('\n').at(-1)!)).toMatchObject({ type: 'error', code: 'ENOT_ZIP' });
    const [deck] = await makeDecks(1);
    const down = await startFakeModelServer();
    await down.stop();
    const config = await writeConfig(`model:\n  base_url: ${down.url}\n  max_retries: 0\n`);
    const unavailable = altgen(['process', deck!, '--output', path.join(root, 'y.pptx'), '--config', config]);
    expect(unavailable.code).toBe(69);
    await expect(fs.access(path.join(root, 'y.pptx'))).rejects.toThrow();
  });
});
