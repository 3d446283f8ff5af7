import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueueItem } from '../../shared/batch-types';
import { newItem } from '../../shared/item-state';
import { EXIT } from '../cli/exit-codes';
import { fallbackLockPath, holderPathOf } from './file-locks';
import { fingerprintOf } from './input-fingerprint';
import { ManifestStore } from './manifest-store';
import { listFiles, makeLectureDecks, manifestIn, Sandbox, scriptedProcessorConfig, waitUntil } from './testing/altgen-cli';

/**
 * The output folder as faculty see it: the copies to share and the manifest, and everything
 * AltGen keeps for itself in `.altgen/` (batch-folder.ts). Through the real `altgen batch`; a
 * batch made before `.altgen/` (manifest, journal and lock beside it, `.altgen-processors`,
 * `.altgen-locks`) is written here by hand, the way that version left it.
 */

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await Sandbox.create('altgen-layout-');
});

afterEach(async () => {
  await sandbox.remove();
});

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

/** A lock directory and its holder file, left by a process that is gone. */
async function deadLock(lockPath: string, pid: number, target?: string): Promise<void> {
  await fs.mkdir(lockPath, { recursive: true });
  await fs.writeFile(holderPathOf(lockPath), JSON.stringify({ pid, hostname: os.hostname(), user: 'ann', started_at: new Date().toISOString(), ...(target ? { target } : {}) }));
}

describe('the output folder', () => {
  it('keeps the journal, the lock and the processor records in .altgen/ while a batch runs, and then only the copies, the manifest and the decks\' logs', async () => {
    const lectures = sandbox.path('lectures');
    const out = sandbox.path('out');
    await makeLectureDecks(lectures, 2);
    const gate = sandbox.path('gate');
    const started = sandbox.path('started');
    const modes = sandbox.path('modes.json');
    await fs.writeFile(modes, JSON.stringify({ 'lecture 01.pptx': ['gated', '--gate', gate, '--started-file', started], '*': 'succeed' }));
    const config = await sandbox.writeConfig(scriptedProcessorConfig('by-file'));
    const running = sandbox.start(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config], { ALTGEN_TEST_MODE_FILE: modes });
    await waitUntil('lecture 01 to start', () => existsSync(started), 60_000).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}:\n${running.output()}`);
    });

    const manifest = (await manifestIn(out))!;
    const name = path.basename(manifest);
    const whileRunning = await listFiles(out);
    expect(whileRunning.filter((file) => !file.startsWith('.altgen'))).toEqual([name]);
    expect(whileRunning).toEqual(
      expect.arrayContaining([
        path.join('.altgen', name.replace(/\.json$/, '.journal')),
        path.join('.altgen', `${name}.lock`),
        path.join('.altgen', `${name}.lock.holder.json`),
        expect.stringMatching(/^\.altgen\/processors\/.+\.\d+\.json$/),
      ]),
    );

    await fs.writeFile(gate, '');
    const result = await running.done;
    expect(result.code, result.stdout + result.stderr).toBe(EXIT.ok);
    const batchId = name.replace(/^batch_|_manifest\.json$/g, '');
    const after = await listFiles(out);
    expect(after.filter((file) => !file.startsWith('.altgen'))).toEqual([name, 'lecture 01.pptx', 'lecture 02.pptx']);
    expect(after.filter((file) => file.startsWith('.altgen'))).toEqual(
      ['.altgen', '.altgen/logs', `.altgen/logs/batch_${batchId}`, `.altgen/logs/batch_${batchId}/0.jsonl`, `.altgen/logs/batch_${batchId}/1.jsonl`].map((file) => path.join(...file.split('/'))),
    );
  }, 120_000);

  it('resumes a batch made before .altgen/ from its manifest and the journal beside it, and takes over what that run left beside the manifest', async () => {
    const lectures = sandbox.path('lectures');
    const out = sandbox.path('out');
    const decks = await makeLectureDecks(lectures, 3);
    await fs.mkdir(out);
    const at = '2026-09-01T10:00:00.000+02:00';
    const id = '20260901_100000_0ldba7c4';
    const manifest = path.join(out, `batch_${id}_manifest.json`);
    const items = decks.map((deck) => newItem(deck, at));
    await fs.writeFile(
      manifest,
      JSON.stringify({ version: '1.0', batch_id: id, output_dir: out, input_root: lectures, start_time: at, end_time: null, metadata: { processor: 'scripted', dry_run: false, max_workers: 1 }, queue: { items }, journal_seq: 0 }),
    );
    // The old run completed lecture 01 (its copy is there) and was killed while lecture 02 ran.
    await fs.copyFile(decks[0]!, path.join(out, 'lecture 01.pptx'));
    const done: QueueItem = { ...items[0]!, status: 'complete', started_at: at, completed_at: at, result: { output_path: path.join(out, 'lecture 01.pptx') }, fingerprint: await fingerprintOf(decks[0]!) };
    const running: QueueItem = { ...items[1]!, status: 'processing', started_at: at };
    await fs.writeFile(path.join(out, `batch_${id}_manifest.journal`), `${JSON.stringify({ seq: 1, i: 0, item: done })}\n${JSON.stringify({ seq: 2, i: 1, item: running })}\n`);
    const dead = await deadPid();
    await deadLock(`${manifest}.lock`, dead);
    await fs.mkdir(path.join(out, '.altgen-processors'));
    await fs.writeFile(path.join(out, '.altgen-processors', `${id}.${dead}.json`), JSON.stringify({ pid: dead, hostname: os.hostname(), start: null, input: decks[1] }));
    await deadLock(fallbackLockPath(decks[1]!, path.join(out, '.altgen-locks')), dead, decks[1]);

    // Read as it was left: the journal beside the manifest is replayed.
    expect((await ManifestStore.open(manifest)).allItems().map((item) => item.status)).toEqual(['complete', 'processing', 'pending']);

    const calls = sandbox.path('calls.log');
    const config = await sandbox.writeConfig(scriptedProcessorConfig('succeed'));
    const result = await sandbox.run(['batch', '--resume', '--output-dir', out, '--config', config], { ALTGEN_TEST_CALL_LOG: calls });
    expect(result.code, result.stdout + result.stderr).toBe(EXIT.ok);
    // lecture 01 was done: not run again.
    expect((await fs.readFile(calls, 'utf8')).trim().split('\n').sort()).toEqual(['lecture 02.pptx succeed', 'lecture 03.pptx succeed']);
    expect((await ManifestStore.open(manifest)).allItems().map((item) => item.status)).toEqual(['complete', 'complete', 'complete']);
    const files = await listFiles(out);
    // The old journal, lock, processor records and locks are gone; what is left is the new layout's.
    expect(files.filter((file) => !file.startsWith('.altgen' + path.sep) && file !== '.altgen')).toEqual(['imaging', path.join('imaging', 'lecture 03.pptx'), 'lecture 01.pptx', 'lecture 02.pptx', `batch_${id}_manifest.json`].sort());
    expect(files.filter((file) => file.startsWith('.altgen') && !file.includes(`${path.sep}logs`))).toEqual(['.altgen']);
  }, 120_000);

  it('refuses to resume a batch made before .altgen/ that an older AltGen is running now (its lock beside the manifest is held)', async () => {
    const out = sandbox.path('out');
    await fs.mkdir(out);
    const id = '20260901_100000_0ldba7c5';
    const manifest = path.join(out, `batch_${id}_manifest.json`);
    const deck = (await makeLectureDecks(sandbox.path('lectures'), 1))[0]!;
    await fs.writeFile(
      manifest,
      JSON.stringify({ version: '1.0', batch_id: id, output_dir: out, input_root: null, start_time: null, end_time: null, metadata: { processor: 'x', dry_run: false, max_workers: 1 }, queue: { items: [newItem(deck, '2026-09-01T10:00:00.000+02:00')] } }),
    );
    // This very test process stands for the older AltGen: alive, on this host.
    await deadLock(`${manifest}.lock`, process.pid);
    const config = await sandbox.writeConfig(scriptedProcessorConfig('succeed'));
    const result = await sandbox.run(['batch', '--resume', '--output-dir', out, '--config', config]);
    expect(result.code, result.stdout + result.stderr).toBe(EXIT.batchLocked);
    expect(result.stderr).toMatch(/is already running/);
  }, 60_000);
});
