import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchEvent } from '../../shared/batch-events';
import type { AltgenConfig } from '../../shared/config-schema';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import { newItem } from '../../shared/item-state';
import { buildDeck, buildLegacyPpt, writeEmptyFile, writeTextFile } from '../fixtures/deck-builder';
import type { BatchRunOptions } from './batch-runner';
import { BatchRunner, processBatch } from './batch-runner';
import { discoverInputs } from './discover-inputs';
import { decodesPerProcessor } from '../processor/decodes';
import { acquireLock } from './file-locks';
import { ManifestStore } from './manifest-store';

const SCRIPT = fileURLToPath(new URL('./test-processors/scripted-processor.mjs', import.meta.url));

let root: string;
let inputDir: string;
let outputDir: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-runner-'));
  inputDir = path.join(root, 'lectures');
  outputDir = path.join(root, 'out');
  await fs.mkdir(inputDir, { recursive: true });
  delete process.env['ALTGEN_TEST_MODE_FILE'];
  delete process.env['ALTGEN_TEST_CALL_LOG'];
});

afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

function config(overrides: {
  mode?: string;
  batch?: Partial<AltgenConfig['batch_processing']>;
  model?: Partial<AltgenConfig['model']>;
  command?: string[] | null;
}): AltgenConfig {
  const command = overrides.command === undefined ? ['node', SCRIPT, overrides.mode ?? 'succeed', '{input}', '{output}'] : overrides.command;
  return {
    ...DEFAULT_CONFIG,
    batch_processing: { ...DEFAULT_CONFIG.batch_processing, dry_run_validates_ollama: false, ...overrides.batch },
    processor: { command },
    model: { ...DEFAULT_CONFIG.model, ...overrides.model },
  };
}

async function makeDecks(names: readonly string[]): Promise<string[]> {
  const paths: string[] = [];
  for (const name of names) {
    const file = path.join(inputDir, name);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await buildDeck(file, { title: name, slides: [{ title: 'Slide', pictures: [{ name: 'Picture 1' }, { descr: 'A human heart, anterior view' }] }] });
    paths.push(file);
  }
  return paths;
}

async function setModes(modes: Record<string, string | string[]>): Promise<void> {
  const file = path.join(root, 'modes.json');
  await fs.writeFile(file, JSON.stringify(modes));
  process.env['ALTGEN_TEST_MODE_FILE'] = file;
}

async function run(options: Partial<BatchRunOptions> & { config: AltgenConfig }, events: BatchEvent[] = []) {
  const discovery = options.resume ? null : await discoverInputs({ inputDir, outputDir });
  return new BatchRunner(discovery?.files ?? null, outputDir, {
    inputRoot: discovery?.inputRoot ?? null,
    onEvent: (e) => events.push(e),
    ...options,
  }).run();
}

async function hashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await fs.readdir(dir, { recursive: true })) as string[]) {
    const full = path.join(dir, name);
    if ((await fs.stat(full)).isFile()) out[name] = createHash('sha256').update(await fs.readFile(full)).digest('hex');
  }
  return out;
}

async function allFiles(dir: string): Promise<string[]> {
  return ((await fs.readdir(dir, { recursive: true })) as string[]).sort();
}

describe('BatchRunner', () => {
  it('processes a folder into a mirrored output tree without touching the inputs', async () => {
    await makeDecks(['a.pptx', 'year2/b.pptx', 'year2/imaging/c.pptm']);
    const before = await hashes(inputDir);
    const summary = await run({ config: config({}) });
    expect(summary.counts).toMatchObject({ total: 3, complete: 3, failed: 0, pending: 0 });
    expect(summary.stop_reason).toBe('finished');
    expect(await hashes(inputDir)).toEqual(before);
    const outputs = await allFiles(outputDir);
    expect(outputs).toEqual(expect.arrayContaining(['a.pptx', path.join('year2', 'b.pptx'), path.join('year2', 'imaging', 'c.pptm')]));
    expect(outputs.filter((f) => f.includes('altgen-tmp'))).toEqual([]);
    const manifest = JSON.parse(await fs.readFile(summary.manifest_path, 'utf8'));
    expect(manifest.end_time).not.toBeNull();
    expect(manifest.queue.items[0]).toMatchObject({ status: 'complete', attempts: 0 });
    expect(manifest.queue.items[0].result).toMatchObject({ output_path: path.join(outputDir, 'a.pptx'), pictures: expect.any(Number) });
    expect(manifest.queue.items[0].fingerprint.size).toBeGreaterThan(0);
  });

  it('runs max_workers files at the same time', async () => {
    await makeDecks(['1.pptx', '2.pptx', '3.pptx', '4.pptx', '5.pptx', '6.pptx']);
    await setModes({ '*': ['slow', '--delay-ms', '700'] });
    const events: BatchEvent[] = [];
    const summary = await run({ config: config({ mode: 'by-file' }), maxWorkers: 3 }, events);
    expect(summary.counts.complete).toBe(6);
    // Three at once, never more: the manifest's own counts as each transition was recorded
    // (a wall-clock bound would fail on a busy machine without saying anything more).
    const peak = Math.max(...events.filter((e) => e.type === 'item:updated').map((e) => e.clock.counts.processing));
    expect(peak).toBe(3);
  });

  it('reports every transition after it is durable, with counts, elapsed time and an ETA only after a completion', async () => {
    await makeDecks(['a.pptx', 'b.pptx', 'c.pptx']);
    const events: BatchEvent[] = [];
    const seenOnDisk: string[] = [];
    let manifestPath = '';
    await run(
      {
        config: config({}),
        onEvent: (event) => {
          events.push(event);
          if (event.type === 'batch:started') manifestPath = event.manifest_path;
          if (event.type === 'item:updated') seenOnDisk.push(manifestPath);
        },
      },
      events,
    );
    const updates = events.filter((e): e is Extract<BatchEvent, { type: 'item:updated' }> => e.type === 'item:updated');
    expect(updates.map((e) => e.item.status)).toEqual(['processing', 'complete', 'processing', 'complete', 'processing', 'complete']);
    expect(updates[0]?.clock.eta_ms).toBeNull();
    expect(updates[1]?.clock.eta_ms).toEqual(expect.any(Number));
    expect(updates[5]?.clock.counts).toMatchObject({ complete: 3, pending: 0 });
    expect(events.some((e) => e.type === 'item:progressed')).toBe(true);
    expect(events.at(-1)?.type).toBe('batch:finished');
    // Durable before reported: a fresh reader of the manifest agrees with what each event said.
    const store = await ManifestStore.open(manifestPath);
    expect(store.allItems().every((item) => item.status === 'complete')).toBe(true);
  });

  it('fails a file with the processor error and goes on with the batch', async () => {
    await makeDecks(['a.pptx', 'b.pptx', 'c.pptx']);
    await setModes({ 'b.pptx': 'fail', '*': 'succeed' });
    const summary = await run({ config: config({ mode: 'by-file' }) });
    expect(summary.counts).toMatchObject({ complete: 2, failed: 1 });
    const store = await ManifestStore.open(summary.manifest_path);
    const failed = store.allItems().find((item) => item.status === 'failed');
    expect(failed).toMatchObject({ path: path.join(inputDir, 'b.pptx'), error_code: 'EPROCESSOR_FAILED' });
    expect(failed?.error).toContain('scripted failure: could not process b.pptx');
    await expect(fs.access(path.join(outputDir, 'b.pptx'))).rejects.toThrow();
  });

  it('stops at the error threshold once four files were attempted, leaving the rest pending', async () => {
    await makeDecks(Array.from({ length: 10 }, (_, i) => `deck-${i}.pptx`));
    const summary = await run({ config: config({ mode: 'fail' }) });
    expect(summary.stop_reason).toBe('error-threshold');
    expect(summary.counts).toMatchObject({ failed: 4, pending: 6, complete: 0 });
    expect(summary.stop_message).toMatch(/4 of 4 files failed.*50%/);
    const manifest = JSON.parse(await fs.readFile(summary.manifest_path, 'utf8'));
    expect(manifest.end_time).toBeNull();
    expect(manifest.metadata.stop_reason).toBe('error-threshold');
  });

  it('does not stop when failures stay at or under the threshold', async () => {
    await makeDecks(['a.pptx', 'b.pptx', 'c.pptx', 'd.pptx', 'e.pptx', 'f.pptx']);
    // a ❌ b ✅ c ✅ d ❌ → 2 of 4 is 50%, not more than the threshold; then e ✅ f ✅.
    await setModes({ 'a.pptx': 'fail', 'd.pptx': 'fail', '*': 'succeed' });
    const summary = await run({ config: config({ mode: 'by-file' }) });
    expect(summary.stop_reason).toBe('finished');
    expect(summary.counts).toMatchObject({ failed: 2, complete: 4 });
  });

  it('with model_wait_minutes 0, stops paused instead of failing file after file when the model server is unavailable', async () => {
    await makeDecks(['a.pptx', 'b.pptx', 'c.pptx', 'd.pptx']);
    await setModes({ 'a.pptx': 'succeed', '*': 'model-unavailable' });
    const summary = await run({ config: config({ mode: 'by-file', batch: { model_wait_minutes: 0 } }) });
    expect(summary.stop_reason).toBe('model-unavailable');
    expect(summary.counts).toMatchObject({ complete: 1, failed: 0, pending: 3 });
    expect(summary.stop_message).toMatch(/model server/i);
    const store = await ManifestStore.open(summary.manifest_path);
    expect(store.allItems().map((i) => i.attempts)).toEqual([0, 0, 0, 0]);
    await setModes({ '*': 'succeed' });
    const resumed = await run({ config: config({ mode: 'by-file' }), resume: true });
    expect(resumed.counts).toMatchObject({ complete: 4, pending: 0 });
  });

  it("gives each processor its share of the cores to decode with, and the malloc settings", async () => {
    await makeDecks(['a.pptx', 'b.pptx', 'c.pptx']);
    const log = path.join(root, 'env.log');
    process.env['ALTGEN_TEST_ENV_LOG'] = log;
    try {
      const summary = await run({ config: config({ mode: 'succeed' }), maxWorkers: 2 });
      expect(summary.counts).toMatchObject({ complete: 3 });
    } finally {
      delete process.env['ALTGEN_TEST_ENV_LOG'];
    }
    const lines = (await fs.readFile(log, 'utf8')).trim().split('\n').sort();
    const share = decodesPerProcessor(2);
    expect(lines).toEqual([`a.pptx ${share} 2`, `b.pptx ${share} 2`, `c.pptx ${share} 2`]);
  });

  it('retries a file whose processor crashes and fails it after three crashes', async () => {
    await makeDecks(['a.pptx', 'b.pptx']);
    const log = path.join(root, 'calls.log');
    process.env['ALTGEN_TEST_CALL_LOG'] = log;
    await setModes({ 'a.pptx': 'crash', '*': 'succeed' });
    const summary = await run({ config: config({ mode: 'by-file' }) });
    expect(summary.counts).toMatchObject({ failed: 1, complete: 1 });
    const store = await ManifestStore.open(summary.manifest_path);
    expect(store.itemAt(0)).toMatchObject({ status: 'failed', attempts: 3, error_code: 'ECRASHED' });
    expect(store.itemAt(0).error).toMatch(/3 attempts.*SIGSEGV|3 attempts.*signal/i);
    const calls = (await fs.readFile(log, 'utf8')).trim().split('\n');
    expect(calls.filter((c) => c.startsWith('a.pptx'))).toHaveLength(3);
  });

  it('kills a hung processor at the per-file timeout', async () => {
    await makeDecks(['a.pptx']);
    const summary = await run({ config: config({ mode: 'hang', batch: { file_timeout_seconds: 0.5 } }) });
    const store = await ManifestStore.open(summary.manifest_path);
    expect(store.itemAt(0)).toMatchObject({ status: 'failed', error_code: 'ETIMEOUT', attempts: 3 });
  });

  it('fails a file whose processor claims success without writing an output', async () => {
    await makeDecks(['a.pptx']);
    const summary = await run({ config: config({ mode: 'no-output' }) });
    const store = await ManifestStore.open(summary.manifest_path);
    expect(store.itemAt(0)).toMatchObject({ status: 'failed', error_code: 'ENO_OUTPUT' });
  });

  it('skips a deck locked by another process after max_lock_wait_seconds', async () => {
    const [deck] = await makeDecks(['a.pptx', 'b.pptx']);
    let batchId = '';
    const release = await acquireLock(deck!, { waitMs: 0 });
    try {
      const summary = await run({ config: config({ batch: { max_lock_wait_seconds: 0.2 } }) });
      batchId = summary.batch_id;
      expect(summary.counts).toMatchObject({ complete: 1, skipped: 1 });
      const store = await ManifestStore.open(summary.manifest_path);
      expect(store.itemAt(0)).toMatchObject({ status: 'skipped', error_code: 'ELOCKED' });
      expect(store.itemAt(0).skip_reason).toMatch(/locked by another process/i);
    } finally {
      await release();
    }
    // The lock was transient: a resume processes the file.
    const resumed = await run({ config: config({}), resume: true, batchId });
    expect(resumed.counts).toMatchObject({ complete: 2, skipped: 0 });
  });

  it('skips a deck that is open in PowerPoint, naming the user', async () => {
    await makeDecks(['Anatomy.pptx']);
    const owner = Buffer.alloc(162);
    owner[0] = 'jsmith'.length;
    owner.write('jsmith', 1, 'latin1');
    owner[54] = 'jsmith'.length;
    owner.write('jsmith', 55, 'utf16le');
    await fs.writeFile(path.join(inputDir, '~$Anatomy.pptx'), owner);
    const summary = await run({ config: config({}) });
    const store = await ManifestStore.open(summary.manifest_path);
    expect(store.itemAt(0)).toMatchObject({ status: 'skipped', error_code: 'EOPEN_IN_POWERPOINT' });
    expect(store.itemAt(0).skip_reason).toMatch(/open in PowerPoint \(by jsmith\)/i);
  });

  it('skips legacy files with advice and fails broken ones, and goes on', async () => {
    await makeDecks(['good.pptx']);
    await buildLegacyPpt(path.join(inputDir, 'old.ppt'));
    const summary = await run({ config: config({}) });
    expect(summary.counts).toMatchObject({ complete: 1, skipped: 1 });
    const store = await ManifestStore.open(summary.manifest_path);
    const legacy = store.allItems().find((item) => item.path.endsWith('old.ppt'));
    expect(legacy).toMatchObject({ status: 'skipped', error_code: 'ELEGACY_FORMAT' });
    expect(legacy?.skip_reason).toMatch(/Save As/);
  });

  it('says clearly that no processor is configured instead of pretending to process', async () => {
    await makeDecks(['a.pptx']);
    await expect(run({ config: config({ command: null }) })).rejects.toMatchObject({ code: 'ENO_PROCESSOR' });
  });

  it('refuses to run the same batch twice at the same time', async () => {
    await makeDecks(['a.pptx', 'b.pptx']);
    await setModes({ '*': ['slow', '--delay-ms', '1500'] });
    let batchId = '';
    const first = run({
      config: config({ mode: 'by-file' }),
      onEvent: (e) => {
        if (e.type === 'batch:started') batchId = e.batch_id;
      },
    });
    while (!batchId) await new Promise((r) => setTimeout(r, 20));
    await expect(run({ config: config({ mode: 'by-file' }), resume: true, batchId })).rejects.toMatchObject({ code: 'EBATCH_LOCKED' });
    expect((await first).counts.complete).toBe(2);
  });

  it('stops after the current file, and stops now with the running file back in the queue', async () => {
    await makeDecks(['a.pptx', 'b.pptx', 'c.pptx']);
    await setModes({ '*': ['slow', '--delay-ms', '600'] });
    const discovery = await discoverInputs({ inputDir, outputDir });
    const afterCurrent = new BatchRunner(discovery.files, outputDir, {
      config: config({ mode: 'by-file' }),
      inputRoot: inputDir,
      onEvent: (e) => {
        if (e.type === 'item:updated' && e.item.status === 'processing') afterCurrent.stopAfterCurrent();
      },
    });
    const first = await afterCurrent.run();
    expect(first.stop_reason).toBe('stop-after-current');
    expect(first.counts).toMatchObject({ complete: 1, pending: 2 });

    const now = new BatchRunner(null, outputDir, {
      config: config({ mode: 'by-file' }),
      resume: true,
      onEvent: (e) => {
        if (e.type === 'item:updated' && e.item.status === 'processing') setTimeout(() => now.stopNow(), 100);
      },
    });
    const second = await now.run();
    expect(second.stop_reason).toBe('stop-now');
    expect(second.counts).toMatchObject({ complete: 1, pending: 2, processing: 0 });
    expect((await allFiles(outputDir)).filter((f) => f.includes('altgen-tmp'))).toEqual([]);
  });

  it('on resume, skips complete files unless the input changed or the output is gone', async () => {
    const [a, b] = await makeDecks(['a.pptx', 'b.pptx', 'c.pptx']);
    const log = path.join(root, 'calls.log');
    process.env['ALTGEN_TEST_CALL_LOG'] = log;
    await setModes({ '*': 'succeed' });
    const first = await run({ config: config({ mode: 'by-file' }) });
    expect(first.counts.complete).toBe(3);
    await fs.writeFile(log, '');
    const later = new Date(Date.now() + 5000);
    await fs.utimes(b!, later, later);
    await fs.rm(path.join(outputDir, 'c.pptx'));
    const resumed = await run({ config: config({ mode: 'by-file' }), resume: true, batchId: first.batch_id });
    expect(resumed.counts.complete).toBe(3);
    expect((await fs.readFile(log, 'utf8')).trim().split('\n').sort()).toEqual(['b.pptx succeed', 'c.pptx succeed']);
    expect(a).toBeDefined();
  });

  it('puts processing items back to pending on load, counting an attempt only in a dry run', async () => {
    const [deck] = await makeDecks(['a.pptx']);
    await fs.mkdir(outputDir, { recursive: true });
    const firstEvent = async (dryRun: boolean) => {
      const item = { ...newItem(deck!, '2026-01-01T00:00:00'), status: 'processing' as const, attempts: 1 };
      const store = await ManifestStore.create({
        outputDir,
        inputRoot: inputDir,
        metadata: { processor: dryRun ? null : 'x', dry_run: dryRun, max_workers: 1 },
        items: [item],
      });
      await store.close();
      const events: BatchEvent[] = [];
      const summary = await run({ config: config({}), resume: true, batchId: store.batchId }, events);
      expect(summary.counts.complete).toBe(1);
      const first = events.find((e) => e.type === 'item:updated');
      return first?.type === 'item:updated' ? first.item : null;
    };
    // The runner read the deck itself in a dry run: the deck may be what killed it.
    expect(await firstEvent(true)).toMatchObject({ status: 'processing', attempts: 2 });
    // A real run met the deck only through an isolated processor: the kill was not its doing.
    expect(await firstEvent(false)).toMatchObject({ status: 'processing', attempts: 1 });
  });

  it('removes the input lock a killed run left behind when it resumes', async () => {
    const [deck] = await makeDecks(['a.pptx']);
    await fs.mkdir(outputDir, { recursive: true });
    const store = await ManifestStore.create({
      outputDir,
      inputRoot: inputDir,
      metadata: { processor: 'x', dry_run: false, max_workers: 1 },
      items: [{ ...newItem(deck!, '2026-01-01T00:00:00'), status: 'processing' as const }],
    });
    await store.close();
    // What SIGKILL leaves: the lock directory and a holder file naming a pid that is gone.
    await fs.mkdir(`${deck}.lock`);
    await fs.writeFile(`${deck}.lock.holder.json`, JSON.stringify({ pid: 2 ** 22 + 1, hostname: os.hostname(), user: 'x', started_at: '2026-01-01T00:00:00' }));
    // Gone even when the resumed run is stopped before it gets to the file again.
    const runner: BatchRunner = new BatchRunner(null, outputDir, {
      config: config({}),
      resume: true,
      batchId: store.batchId,
      onEvent: (e) => {
        if (e.type === 'batch:started') runner.stopAfterCurrent();
      },
    });
    const summary = await runner.run();
    expect(summary.counts).toMatchObject({ pending: 1, complete: 0 });
    expect((await allFiles(inputDir)).filter((f) => f.includes('.lock'))).toEqual([]);
  });

  it('retries failed files only when asked', async () => {
    await makeDecks(['a.pptx', 'b.pptx']);
    await setModes({ 'a.pptx': 'fail', '*': 'succeed' });
    const first = await run({ config: config({ mode: 'by-file' }) });
    expect(first.counts.failed).toBe(1);
    await setModes({ '*': 'succeed' });
    const plain = await run({ config: config({ mode: 'by-file' }), resume: true, batchId: first.batch_id });
    expect(plain.counts).toMatchObject({ failed: 1, complete: 1 });
    const retried = await run({ config: config({ mode: 'by-file' }), resume: true, batchId: first.batch_id, retryFailed: true });
    expect(retried.counts).toMatchObject({ failed: 0, complete: 2 });
  });

  it('refuses an output folder it cannot write', async () => {
    await makeDecks(['a.pptx']);
    const blocker = path.join(root, 'a-file');
    await fs.writeFile(blocker, 'not a folder');
    await expect(processBatch([path.join(inputDir, 'a.pptx')], path.join(blocker, 'out'), { config: config({}) })).rejects.toMatchObject({
      code: 'EOUTPUT_NOT_WRITABLE',
    });
  });
});

/** An Ollama stand-in that answers /api/tags, and can be stopped and started again on the same port. */
async function restartableModelServer(): Promise<{ url: string; start: () => Promise<void>; stop: () => Promise<void> }> {
  let server: http.Server | null = null;
  let port = 0;
  const start = async () => {
    server = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(req.url === '/api/tags' ? JSON.stringify({ models: [{ name: 'llava:latest', model: 'llava:latest' }] }) : '{}');
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server!.address() as AddressInfo).port;
  };
  const stop = async () => {
    const closing = server;
    server = null;
    if (closing) await new Promise<void>((resolve) => {
      closing.close(() => resolve());
      closing.closeAllConnections();
    });
  };
  await start();
  return { url: `http://127.0.0.1:${port}`, start, stop };
}

describe('BatchRunner waiting for the model server', () => {
  it('pauses when the model server goes away and goes on by itself when it is back, failing nothing', async () => {
    await makeDecks(['a.pptx', 'b.pptx', 'c.pptx', 'd.pptx']);
    const log = path.join(root, 'calls.log');
    process.env['ALTGEN_TEST_CALL_LOG'] = log;
    await setModes({ 'a.pptx': 'succeed', '*': 'model-unavailable' });
    const server = await restartableModelServer();
    await server.stop();
    const events: BatchEvent[] = [];
    const summary = await run({
      config: config({ mode: 'by-file', model: { base_url: server.url, check_timeout_seconds: 1 } }),
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'batch:paused') {
          // The server comes back a moment later, and the processor finds it.
          void setModes({ '*': 'succeed' }).then(() => setTimeout(() => void server.start(), 500));
        }
      },
    });
    await server.stop();
    expect(summary.stop_reason).toBe('finished');
    expect(summary.counts).toMatchObject({ complete: 4, failed: 0, pending: 0 });
    const types = events.map((e) => e.type).filter((t) => t === 'batch:paused' || t === 'batch:continued');
    expect(types).toEqual(['batch:paused', 'batch:continued']);
    const paused = events.find((e) => e.type === 'batch:paused');
    expect(paused).toMatchObject({ reason: 'model-unavailable', message: expect.stringMatching(/model server/) });
    // The file that found the server gone ran again, first, without an attempt counted.
    const calls = (await fs.readFile(log, 'utf8')).trim().split('\n');
    expect(calls).toEqual(['a.pptx succeed', 'b.pptx model-unavailable', 'b.pptx succeed', 'c.pptx succeed', 'd.pptx succeed']);
    const store = await ManifestStore.open(summary.manifest_path);
    expect(store.allItems().map((i) => i.attempts)).toEqual([0, 0, 0, 0]);
  });

  it('fails a file that finds the server gone every time although it answers in between, and goes on', async () => {
    await makeDecks(['a.pptx', 'b.pptx', 'c.pptx', 'd.pptx']);
    const log = path.join(root, 'calls.log');
    process.env['ALTGEN_TEST_CALL_LOG'] = log;
    await setModes({ 'b.pptx': 'model-unavailable', '*': 'succeed' });
    const server = await restartableModelServer();
    try {
      const events: BatchEvent[] = [];
      const summary = await run(
        { config: config({ mode: 'by-file', model: { base_url: server.url } }), modelPoll: { firstMs: 50, maxMs: 200 } },
        events,
      );
      expect(summary.stop_reason).toBe('finished');
      expect(summary.counts).toMatchObject({ complete: 3, failed: 1 });
      const store = await ManifestStore.open(summary.manifest_path);
      expect(store.itemAt(1)).toMatchObject({ status: 'failed', attempts: 3, error_code: 'EMODEL_UNAVAILABLE' });
      expect(store.itemAt(1).error).toMatch(/^Gave up after 3 attempts: could not reach the model server/);
      // Once without counting (the server might really have been gone), then three attempts.
      const calls = (await fs.readFile(log, 'utf8')).trim().split('\n');
      expect(calls.filter((c) => c.startsWith('b.pptx'))).toHaveLength(4);
      expect(events.filter((e) => e.type === 'batch:paused')).toHaveLength(4);
    } finally {
      await server.stop();
    }
  });

  it('stops paused once model_wait_minutes have passed without the server', async () => {
    await makeDecks(['a.pptx', 'b.pptx', 'c.pptx']);
    await setModes({ '*': 'model-unavailable' });
    const server = await restartableModelServer();
    await server.stop();
    const started = Date.now();
    const events: BatchEvent[] = [];
    const summary = await run(
      { config: config({ mode: 'by-file', batch: { model_wait_minutes: 0.05 }, model: { base_url: server.url, check_timeout_seconds: 1 } }) },
      events,
    );
    // It waited out the 3 s, and then stopped by itself (a generous bound that only catches a
    // wait that never ends: CI's cores may be busy).
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(summary.stop_reason).toBe('model-unavailable');
    expect(summary.stop_message).toMatch(/^The model server did not come back within 0\.05 minutes: .*Start the model server \(for example with ollama serve\), then resume the batch\.$/);
    expect(summary.counts).toMatchObject({ pending: 3, failed: 0 });
    expect(events.filter((e) => e.type === 'batch:paused')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'batch:continued')).toHaveLength(0);
  });

  it('announces one wait per outage: a file that found the server gone before it came back runs again without a second wait', async () => {
    await makeDecks(['a.pptx', 'b.pptx']);
    const gate = path.join(root, 'gate');
    // a finds the server gone at once; b, running beside it, only once the server is back.
    await setModes({ 'a.pptx': 'model-unavailable', 'b.pptx': ['gated-model-unavailable', '--gate', gate] });
    const server = await restartableModelServer();
    await server.stop();
    const events: BatchEvent[] = [];
    try {
      const summary = await run({
        config: config({ mode: 'by-file', model: { base_url: server.url, check_timeout_seconds: 1 } }),
        maxWorkers: 2,
        modelPoll: { firstMs: 50, maxMs: 200 },
        onEvent: (event) => {
          events.push(event);
          if (event.type === 'batch:paused') void setModes({ '*': 'succeed' }).then(() => server.start());
          if (event.type === 'batch:continued') void fs.writeFile(gate, '');
        },
      });
      expect(summary.stop_reason).toBe('finished');
      expect(summary.counts).toMatchObject({ complete: 2, failed: 0 });
      const waits = events.map((e) => e.type).filter((t) => t === 'batch:paused' || t === 'batch:continued');
      expect(waits).toEqual(['batch:paused', 'batch:continued']);
      const store = await ManifestStore.open(summary.manifest_path);
      expect(store.allItems().map((i) => i.attempts)).toEqual([0, 0]);
    } finally {
      await server.stop();
    }
  });

  it('ends the wait at once when asked to stop', async () => {
    await makeDecks(['a.pptx', 'b.pptx']);
    await setModes({ '*': 'model-unavailable' });
    const server = await restartableModelServer();
    await server.stop();
    const discovery = await discoverInputs({ inputDir, outputDir });
    let pausedAt = 0;
    const runner: BatchRunner = new BatchRunner(discovery.files, outputDir, {
      config: config({ mode: 'by-file', model: { base_url: server.url } }),
      inputRoot: inputDir,
      onEvent: (e) => {
        if (e.type === 'batch:paused') {
          pausedAt = Date.now();
          setTimeout(() => runner.stopAfterCurrent(), 100);
        }
      },
    });
    const summary = await runner.run();
    // Without the stop it would wait model_wait_minutes (30 min by default): generous bound.
    expect(Date.now() - pausedAt).toBeLessThan(15_000);
    expect(summary.stop_reason).toBe('stop-after-current');
    expect(summary.counts).toMatchObject({ pending: 2, failed: 0 });
  });
});

describe('BatchRunner dry run', () => {
  async function ollamaServer(models: string[]): Promise<{ url: string; close: () => Promise<void> }> {
    const server = http.createServer((req, res) => {
      if (req.url === '/api/tags') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ models: models.map((name) => ({ name, model: name })) }));
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
  }

  it('validates every file without processing and totals pictures needing alt text', async () => {
    await makeDecks(['a.pptx', 'sub/b.pptx']);
    await writeEmptyFile(path.join(inputDir, 'empty.pptx'));
    await writeTextFile(path.join(inputDir, 'notes.pptx'));
    await buildLegacyPpt(path.join(inputDir, 'old.ppt'));
    const summary = await run({ config: config({ command: null }), dryRun: true });
    expect(summary.dry_run).toBe(true);
    expect(summary.counts).toMatchObject({ total: 5, complete: 2, failed: 2, skipped: 1 });
    expect(summary.dry_run_totals).toMatchObject({ decks: 2, pictures: 4, pictures_missing_alt: 2 });
    const store = await ManifestStore.open(summary.manifest_path);
    const byName = Object.fromEntries(store.allItems().map((item) => [path.basename(item.path), item]));
    expect(byName['empty.pptx']).toMatchObject({ status: 'failed', error_code: 'EEMPTY' });
    expect(byName['notes.pptx']).toMatchObject({ status: 'failed', error_code: 'ENOT_ZIP' });
    expect(store.snapshot().metadata.dry_run).toBe(true);
    // Its manifest, and the hidden .altgen/ its lock and journal were in, left empty (a dry run keeps no logs).
    expect(await allFiles(outputDir)).toEqual(['.altgen', path.basename(summary.manifest_path)]);
  });

  it('checks the model server and says how to fix a missing model', async () => {
    await makeDecks(['a.pptx']);
    const server = await ollamaServer(['llama3:latest']);
    try {
      const summary = await run({
        config: config({ command: null, batch: { dry_run_validates_ollama: true }, model: { base_url: server.url, name: 'llava' } }),
        dryRun: true,
      });
      expect(summary.model_check).toMatchObject({ ok: false, problem: 'model-missing', fix: 'ollama pull llava' });
      expect(summary.warnings.join('\n')).toMatch(/ollama pull llava/);
    } finally {
      await server.close();
    }
    const withModel = await ollamaServer(['llava:latest']);
    try {
      const summary = await run({
        config: config({ command: null, batch: { dry_run_validates_ollama: true }, model: { base_url: withModel.url, name: 'llava' } }),
        dryRun: true,
      });
      expect(summary.model_check).toMatchObject({ ok: true });
      expect(summary.warnings).toEqual([]);
    } finally {
      await withModel.close();
    }
  });

  it('warns, with the command that fixes it, when the model server is down', async () => {
    await makeDecks(['a.pptx']);
    const server = await ollamaServer([]);
    const url = server.url;
    await server.close();
    const summary = await run({
      config: config({ command: null, batch: { dry_run_validates_ollama: true }, model: { base_url: url, check_timeout_seconds: 2 } }),
      dryRun: true,
    });
    expect(summary.model_check).toMatchObject({ ok: false, problem: 'unreachable' });
    expect(summary.warnings.join('\n')).toMatch(/ollama serve/);
  });
});
