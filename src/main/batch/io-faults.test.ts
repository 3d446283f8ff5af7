import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueueItem } from '../../shared/batch-types';
import { PROCESSOR_EXIT } from '../../shared/processor-protocol';
import { EXIT } from '../cli/exit-codes';
import { deckEntries, writeZip } from '../fixtures/deck-builder';
import { ManifestStore } from './manifest-store';
import type { CliResult } from './testing/altgen-cli';
import { listFiles, manifestIn, Sandbox, scriptedProcessorConfig, waitUntil } from './testing/altgen-cli';

/**
 * The output and input folders failing under a running batch, through the real `altgen` CLI:
 * a full disk, a read-only folder and an immutable one under the copy write, and an input
 * folder renamed mid-batch. What counts: the batch stops once with the exit code that names
 * the folder's problem, no deck is failed for it, locks go with the batch, and a resume
 * finishes once the folder is fixed. These need root (mount, chattr): skipped with the reason
 * elsewhere.
 */

let sandbox: Sandbox;
let lectures: string;
let out: string;
const mounts: string[] = [];

beforeEach(async () => {
  sandbox = await Sandbox.create('altgen-io-faults-');
  lectures = sandbox.path('lectures');
  out = sandbox.path('out');
  await fs.mkdir(lectures, { recursive: true });
  await fs.mkdir(out, { recursive: true });
});

afterEach(async () => {
  spawnSync('chattr', ['-R', '-i', out]);
  for (const mount of mounts.splice(0).reverse()) spawnSync('umount', [mount]);
  await sandbox.remove();
});

/** Runs a command as root; null when it worked, else why it cannot be done here. */
function asRoot(command: string, args: readonly string[]): string | null {
  if (process.getuid?.() !== 0) return `needs root (${command})`;
  const done = spawnSync(command, args, { encoding: 'utf8' });
  return done.status === 0 ? null : `${command} ${args.join(' ')} is not supported here: ${(done.stderr || done.error?.message || '').trim()}`;
}

function mountTmpfs(dir: string, size: string): string | null {
  const cannot = asRoot('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  if (!cannot) mounts.push(dir);
  return cannot;
}

/** `dir` as a read-only bind mount of itself: a folder of the output on a read-only mount. */
function bindReadOnly(dir: string): string | null {
  const cannot = asRoot('mount', ['--bind', dir, dir]);
  if (cannot) return cannot;
  mounts.push(dir);
  return asRoot('mount', ['-o', 'remount,bind,ro', dir]);
}

/** Decks of about 100 KB (a stored blob of random bytes beside the slides), so that a few fill a small disk. */
async function makeBigDecks(folder: string, names: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const [i, name] of names.entries()) {
    const file = path.join(folder, name);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const entries = deckEntries({ title: `Lecture ${i + 1}`, slides: [{ title: `Lecture ${i + 1}`, pictures: [{ name: 'Picture 1', imageSeed: i + 1 }] }] });
    entries.set('ppt/media/recording.png', randomBytes(100 * 1024));
    await writeZip(file, entries);
    files.push(file);
  }
  return files;
}

/** The built-in processor (`altgen process`), offline: no model server, no text reading. */
function builtInConfig(): Promise<string> {
  return sandbox.writeConfig(
    'batch_processing:\n  dry_run_validates_ollama: false\nmodel:\n  provider: offline\nalt_text:\n  read_text_in_images: false\n',
  );
}

/** The scripted processor: `gated` for `held` (it waits for the gate file), `succeed` for the rest. */
async function gatedConfig(held: string): Promise<{ config: string; env: Record<string, string>; started: string; gate: string }> {
  const started = sandbox.path('started');
  const gate = sandbox.path('gate');
  const modes = sandbox.path('modes.json');
  await fs.writeFile(modes, JSON.stringify({ [held]: ['gated', '--gate', gate, '--started-file', started], '*': 'succeed' }));
  return { config: await sandbox.writeConfig(scriptedProcessorConfig('by-file')), env: { ALTGEN_TEST_MODE_FILE: modes }, started, gate };
}

async function run(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return sandbox.run(args, env, 180_000);
}

async function items(outputDir: string): Promise<QueueItem[]> {
  const manifest = await manifestIn(outputDir);
  expect(manifest, `no manifest in ${outputDir}`).not.toBeNull();
  return [...(await ManifestStore.open(manifest!)).allItems()];
}

function statuses(list: readonly QueueItem[]): Record<string, string> {
  return Object.fromEntries(list.map((item) => [path.relative(lectures, item.path), item.status]));
}

/** Lock folders and holder files left anywhere under `dir`. */
async function locksUnder(dir: string): Promise<string[]> {
  return (await listFiles(dir)).filter((name) => /\.lock($|\.holder\.json)/.test(name));
}

describe('the output folder fails during the copy write', () => {
  it('a full disk under the deck\'s own output folder: exit 13 once, nothing failed, the deck back to pending, and a resume after space is freed finishes', async (ctx) => {
    // The copies go to out/sub, a small disk of its own; the manifest stays on the roomy one.
    const sub = path.join(out, 'sub');
    await fs.mkdir(sub);
    const cannot = mountTmpfs(sub, '300k');
    if (cannot) return ctx.skip(cannot);
    const decks = await makeBigDecks(lectures, ['sub/a.pptx', 'sub/b.pptx', 'sub/c.pptx', 'sub/d.pptx', 'sub/e.pptx']);
    const config = await builtInConfig();

    const result = await run(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config]);
    expect(result.code, result.stdout + result.stderr).toBe(EXIT.diskFull);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(new RegExp(`^altgen: The disk holding ${sub} is full .*free some space and resume\\.$`));
    const first = await items(out);
    expect(first.filter((item) => item.status === 'failed' || item.status === 'skipped')).toEqual([]);
    expect(first.filter((item) => item.status === 'complete').length).toBeGreaterThanOrEqual(1);
    expect(first.filter((item) => item.status === 'pending').length).toBeGreaterThanOrEqual(1);
    expect((await listFiles(sub)).filter((name) => name.includes('altgen-tmp'))).toEqual([]);

    expect(asRoot('mount', ['-o', 'remount,size=8m', sub])).toBeNull();
    const resumed = await run(['batch', '--resume', '--output-dir', out, '--config', config]);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(EXIT.ok);
    expect(Object.values(statuses(await items(out)))).toEqual(decks.map(() => 'complete'));
    expect((await listFiles(sub)).filter((name) => name.endsWith('.pptx')).sort()).toEqual(['a.pptx', 'b.pptx', 'c.pptx', 'd.pptx', 'e.pptx']);
  }, 300_000);

  it('a read-only output subfolder (its own mount): exit 12 once naming it, nothing failed, and a resume once it is writable finishes', async (ctx) => {
    const sub = path.join(out, 'sub');
    await fs.mkdir(sub);
    const cannot = bindReadOnly(sub);
    if (cannot) return ctx.skip(cannot);
    await makeBigDecks(lectures, ['sub/a.pptx', 'sub/b.pptx', 'sub/c.pptx', 'sub/d.pptx']);
    const config = await builtInConfig();

    const result = await run(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config]);
    expect(result.code, result.stdout + result.stderr).toBe(EXIT.outputNotWritable);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toBe(
      `altgen: The output folder ${sub} can no longer be written (EROFS). Everything recorded before is kept; make it writable and resume.`,
    );
    expect(statuses(await items(out))).toEqual({ 'sub/a.pptx': 'pending', 'sub/b.pptx': 'pending', 'sub/c.pptx': 'pending', 'sub/d.pptx': 'pending' });

    expect(asRoot('mount', ['-o', 'remount,bind,rw', sub])).toBeNull();
    const resumed = await run(['batch', '--resume', '--output-dir', out, '--config', config]);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(EXIT.ok);
    expect(new Set(Object.values(statuses(await items(out))))).toEqual(new Set(['complete']));
  }, 300_000);

  it('`altgen process` exits 73 (cannot write the output), not 65 (bad input), when the copy cannot be written', async (ctx) => {
    const readOnly = sandbox.path('read-only');
    await fs.mkdir(readOnly);
    const cannot = bindReadOnly(readOnly);
    if (cannot) return ctx.skip(cannot);
    const [deck] = await makeBigDecks(lectures, ['a.pptx']);
    const result = await run(['process', deck!, '--output', path.join(readOnly, 'a.pptx'), '--config', await builtInConfig()]);
    expect(result.code, result.stderr).toBe(PROCESSOR_EXIT.outputProblem);
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1)!)).toMatchObject({ type: 'error', code: 'EOUTPUT', message: expect.stringMatching(/^Cannot write the copy: EROFS/) });
  }, 120_000);

  it('the output folder made immutable under a deck: exit 12 once, no crash, nothing failed, and a resume after it is undone finishes', async (ctx) => {
    const cannot = mountTmpfs(out, '8m');
    if (cannot) return ctx.skip(cannot);
    await makeBigDecks(lectures, ['a.pptx', 'b.pptx', 'c.pptx']);
    const { config, env, started, gate } = await gatedConfig('a.pptx');

    const running = sandbox.start(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config], env);
    await waitUntil('the processor of a.pptx to start', () => existsSync(started), 120_000);
    const immutable = asRoot('chattr', ['+i', out]);
    if (immutable) {
      await fs.writeFile(gate, '');
      await running.done;
      return ctx.skip(immutable);
    }
    await fs.writeFile(gate, '');
    const result = await running.done;
    expect(result.code, result.stdout + result.stderr).toBe(EXIT.outputNotWritable);
    expect(result.stderr.trim()).toBe(
      `altgen: The output folder ${out} can no longer be written (EPERM). Everything recorded before is kept; make it writable and resume.`,
    );
    expect(statuses(await items(out))).toEqual({ 'a.pptx': 'pending', 'b.pptx': 'pending', 'c.pptx': 'pending' });

    expect(asRoot('chattr', ['-i', out])).toBeNull();
    await fs.writeFile(sandbox.path('modes.json'), JSON.stringify({ '*': 'succeed' }));
    const resumed = await run(['batch', '--resume', '--output-dir', out, '--config', config], env);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(EXIT.ok);
    expect(statuses(await items(out))).toEqual({ 'a.pptx': 'complete', 'b.pptx': 'complete', 'c.pptx': 'complete' });
    expect(await locksUnder(out)).toEqual([]);
  }, 300_000);

  it('the output folder made immutable while the last deck runs: the summary with a warning about the manifest, exit 0, never an internal error', async (ctx) => {
    const cannot = mountTmpfs(out, '8m');
    if (cannot) return ctx.skip(cannot);
    // Copies go to out/sub, which stays writable, and so does out/.altgen: only the manifest's tidying is hit.
    await makeBigDecks(lectures, ['sub/a.pptx', 'sub/b.pptx']);
    const { config, env, started, gate } = await gatedConfig('b.pptx');

    const running = sandbox.start(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config], env);
    await waitUntil('the processor of b.pptx to start', () => existsSync(started), 120_000);
    const immutable = asRoot('chattr', ['+i', out]);
    if (immutable) {
      await fs.writeFile(gate, '');
      await running.done;
      return ctx.skip(immutable);
    }
    await fs.writeFile(gate, '');
    const result = await running.done;
    expect(result.code, result.stdout + result.stderr).toBe(EXIT.ok);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('BATCH PROCESSING SUMMARY');
    // The batch's lock is in .altgen/, which stays writable: it is released as usual.
    expect(result.stdout).not.toMatch(/lock .* could not be removed/);
    expect(result.stdout).toMatch(/^Warning: The manifest could not be tidied up at the end .*its journal .*\/\.altgen\/batch_.*_manifest\.journal holds the latest changes and is read on resume\.$/m);
    // Nothing recorded is lost: the journal left in .altgen/ holds the last changes.
    expect(statuses(await items(out))).toEqual({ 'sub/a.pptx': 'complete', 'sub/b.pptx': 'complete' });
  }, 300_000);
});

describe('the input folder renamed mid-batch', () => {
  it('stops once with exit 10, the rest still pending, its lock released in the renamed folder, and a resume after it is back finishes', async () => {
    await makeBigDecks(lectures, ['a.pptx', 'b.pptx', 'c.pptx', 'd.pptx', 'e.pptx']);
    const { config, env, started, gate } = await gatedConfig('a.pptx');
    const renamed = sandbox.path('lectures (old)');

    const running = sandbox.start(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config], env);
    await waitUntil('the processor of a.pptx to start', () => existsSync(started), 120_000);
    expect(await locksUnder(lectures)).toContain('a.pptx.lock');
    await fs.rename(lectures, renamed);
    await fs.writeFile(gate, '');
    const result = await running.done;

    expect(result.code, result.stdout + result.stderr).toBe(EXIT.inputMissing);
    expect(result.stderr.trim()).toBe(
      `altgen: The input folder ${lectures} is gone (renamed, moved or disconnected); the files not yet processed are still pending. Put it back under that name and resume.`,
    );
    expect(statuses(await items(out))).toEqual({ 'a.pptx': 'pending', 'b.pptx': 'pending', 'c.pptx': 'pending', 'd.pptx': 'pending', 'e.pptx': 'pending' });
    expect(await locksUnder(renamed)).toEqual([]);

    await fs.rename(renamed, lectures);
    const resumed = await run(['batch', '--resume', '--output-dir', out, '--config', config], env);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(EXIT.ok);
    expect(new Set(Object.values(statuses(await items(out))))).toEqual(new Set(['complete']));
    expect(await locksUnder(lectures)).toEqual([]);
  }, 300_000);
});
