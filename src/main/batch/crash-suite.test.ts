import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueItem } from '../../shared/batch-types';
import { EXIT } from '../cli/exit-codes';
import { ManifestStore } from './manifest-store';
import { isTempFor } from './output-paths';
import {
  isDead,
  listFiles,
  makeLectureDecks,
  manifestIn,
  overlappingRuns,
  processesInGroups,
  processesMentioning,
  readSpans,
  Sandbox,
  scriptedProcessorConfig,
  seededRandom,
  sha256,
  waitUntil,
} from './testing/altgen-cli';

/**
 * The runner (`altgen batch`) SIGKILLed at 20 random moments of a 60-deck batch, resumed each
 * time. The moments come from a seeded PRNG: ALTGEN_CRASH_SEED=<n> replays a run's choices
 * (process timing still varies a little from run to run); ALTGEN_KEEP_SANDBOX=1 keeps the
 * folders for a look afterwards.
 */

const DECKS = 60;
const KILLS = 20;
const MAX_WORKERS = 3;
const SEED = Number(process.env['ALTGEN_CRASH_SEED'] ?? Math.floor(Math.random() * 2 ** 31));

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await Sandbox.create('altgen-crash-');
});

afterAll(async () => {
  if (process.env['ALTGEN_KEEP_SANDBOX']) console.log(`sandbox kept: ${sandbox.root}`);
  else await sandbox.remove();
});

/** The output a complete item must have: the scripted processor copies its input. */
function expectedOutput(item: QueueItem, lectures: string, out: string): string {
  return path.join(out, path.relative(lectures, item.path));
}

describe('altgen batch killed with SIGKILL', () => {
  it(`recovers from ${KILLS} kills at random moments: manifest, inputs and outputs stay whole (seed printed)`, async () => {
    console.log(`crash suite seed: ${SEED} (set ALTGEN_CRASH_SEED=${SEED} to replay)`);
    const random = seededRandom(SEED);
    const lectures = sandbox.path('lectures');
    const out = sandbox.path('out');
    const decks = await makeLectureDecks(lectures, DECKS);
    const inputDigests = new Map<string, string>();
    for (const deck of decks) inputDigests.set(deck, sha256(await fs.readFile(deck)));
    const config = await sandbox.writeConfig(scriptedProcessorConfig('slow', { default_max_workers: MAX_WORKERS, progress_update_interval: 1000 }));
    const callLog = sandbox.path('calls.log');
    const spanLog = sandbox.path('spans.log');
    // Realistic in shape, small in size: every deck takes 30-180 ms besides starting its processor.
    const env = { ALTGEN_TEST_DELAY_MS: '30', ALTGEN_TEST_JITTER_MS: '150', ALTGEN_TEST_CALL_LOG: callLog, ALTGEN_TEST_SPAN_LOG: spanLog };

    let kills = 0;
    let completedBefore = new Set<string>();
    const started = Date.now();
    for (let round = 0; round < KILLS; round += 1) {
      const manifest = await manifestIn(out);
      const args = manifest
        ? ['batch', '--resume', '--batch-id', path.basename(manifest).replace(/^batch_|_manifest\.json$/g, ''), '--output-dir', out, '--config', config]
        : ['batch', '--input-dir', lectures, '--output-dir', out, '--config', config];
      const cli = sandbox.start(args, env);
      // A quarter of the kills land anywhere from the start (config, discovery, manifest
      // creation, resume checks); the others while files are being processed.
      if (random() < 0.25) {
        await new Promise((r) => setTimeout(r, random() * 1200));
      } else {
        await cli.waitForOutput(/(Processing|Resuming) batch/).catch(() => undefined);
        await new Promise((r) => setTimeout(r, random() * 500));
      }
      const alive = cli.child.exitCode === null && cli.child.signalCode === null;
      if (alive) {
        cli.child.kill('SIGKILL');
        kills += 1;
      }
      const result = await cli.done;
      if (!alive) expect(result.code, result.stdout + result.stderr).toBe(EXIT.ok);

      // After every kill: the manifest parses for a fresh reader and agrees with the outputs.
      const manifestPath = await manifestIn(out);
      if (!manifestPath) continue;
      JSON.parse(await fs.readFile(manifestPath, 'utf8'));
      const items = (await ManifestStore.open(manifestPath)).allItems();
      expect(items).toHaveLength(DECKS);
      for (const [deck, digest] of inputDigests) expect(sha256(await fs.readFile(deck)), `input ${deck} changed`).toBe(digest);
      const files = await listFiles(out);
      const decksOut = files.filter((f) => f.endsWith('.pptx') && !path.basename(f).startsWith('.'));
      // Every deck under a final name mirrors exactly one input (no "copy 2", nothing stray)…
      expect(decksOut.filter((f) => !inputDigests.has(path.join(lectures, f)))).toEqual([]);
      // …and is whole: the scripted processor writes a byte copy of its input.
      for (const file of decksOut) {
        const input = path.join(lectures, file);
        expect(sha256(await fs.readFile(path.join(out, file))), `output ${file} is partial`).toBe(inputDigests.get(input));
      }
      const completed = new Set(items.filter((i) => i.status === 'complete').map((i) => i.path));
      for (const item of items.filter((i) => i.status === 'complete')) {
        await expect(fs.access(expectedOutput(item, lectures, out)), `output of complete ${item.path}`).resolves.toBeUndefined();
      }
      for (const done of completedBefore) expect(completed.has(done), `${done} was complete and is not any more`).toBe(true);
      completedBefore = completed;
    }
    const killPhaseMs = Date.now() - started;

    // The last resume runs to the end.
    const manifest = (await manifestIn(out))!;
    const batchId = path.basename(manifest).replace(/^batch_|_manifest\.json$/g, '');
    const last = await sandbox.run(['batch', '--resume', '--batch-id', batchId, '--output-dir', out, '--config', config], env);
    const items = (await ManifestStore.open(manifest)).allItems();
    expect(last.code, last.stdout + last.stderr).toBe(EXIT.ok);
    // Killing the runner is never the file's fault: every deck ends complete, none failed.
    expect(items.filter((i) => i.status !== 'complete'), 'decks not complete at the end').toEqual([]);

    const files = await listFiles(out);
    const decksOut = files.filter((f) => f.endsWith('.pptx'));
    const expected = items.filter((i) => i.status === 'complete').map((i) => path.relative(lectures, i.path));
    expect(decksOut.sort()).toEqual(expected.sort());
    // Nothing else beside the copies: no temp copy, journal, lock, processor record or half-written manifest…
    const own = (f: string) => f === '.altgen' || f.startsWith(`.altgen${path.sep}`);
    expect(files.filter((f) => !f.endsWith('.pptx') && !own(f))).toEqual([path.basename(manifest), 'imaging']);
    expect(files.filter((f) => isTempFor(path.basename(f), batchId) || f.endsWith('.journal')), 'temp copies or journal left').toEqual([]);
    // …and in .altgen/ only the decks' logs, one per deck: the journal, the lock and the processor records are gone.
    const logs = path.join('.altgen', 'logs', `batch_${batchId}`);
    expect(files.filter(own)).toEqual(['.altgen', path.join('.altgen', 'logs'), logs, ...items.map((_, index) => path.join(logs, `${index}.jsonl`))].sort());
    for (const item of items.filter((i) => i.status === 'complete')) {
      expect(sha256(await fs.readFile(expectedOutput(item, lectures, out)))).toBe(inputDigests.get(item.path));
    }
    // Inputs untouched, and no lock left beside them.
    expect((await listFiles(lectures)).filter((f) => f.endsWith('.pptx') || f === 'imaging').length).toBe(DECKS + 1);
    expect((await listFiles(lectures)).filter((f) => f.includes('.lock')), 'locks left beside the inputs').toEqual([]);
    for (const [deck, digest] of inputDigests) expect(sha256(await fs.readFile(deck))).toBe(digest);

    // No processor of a killed run outlives the batch, and no two ran the same deck at once.
    await waitUntil('no processor left running', () => processesMentioning(sandbox.root).length === 0, 5_000);
    const spans = await readSpans(spanLog);
    expect(overlappingRuns(spans.filter((s) => s.end !== null)), 'runs of one deck at the same time').toEqual([]);

    const runs = new Map<string, number>();
    for (const line of (await fs.readFile(callLog, 'utf8')).trim().split('\n')) {
      const name = line.slice(0, line.lastIndexOf(' '));
      runs.set(name, (runs.get(name) ?? 0) + 1);
    }
    const reruns = [...runs.values()].filter((n) => n > 1).length;
    console.log(
      `crash suite: seed ${SEED}, ${kills} kills, reruns: ${reruns} of ${DECKS} (runs in all: ${[...runs.values()].reduce((a, b) => a + b, 0)}), ` +
        `kill phase ${(killPhaseMs / 1000).toFixed(1)} s`,
    );
    for (const item of items.filter((i) => i.status === 'complete')) expect(runs.has(path.basename(item.path))).toBe(true);
    expect(reruns).toBeLessThanOrEqual(kills * MAX_WORKERS);
    expect(kills).toBeGreaterThanOrEqual(KILLS - 2);
  }, 120_000);
});

describe('a processor orphaned by a killed runner', () => {
  it('is killed, with what it started, before the resumed run touches its deck', async () => {
    const lectures = sandbox.path('orphans', 'lectures');
    const out = sandbox.path('orphans', 'out');
    await makeLectureDecks(lectures, 2);
    const config = await sandbox.writeConfig(scriptedProcessorConfig('by-file', { default_max_workers: 2 }), 'orphans.yaml');
    const modes = sandbox.path('orphans', 'modes.json');
    const spanLog = sandbox.path('orphans', 'spans.log');
    const env = { ALTGEN_TEST_MODE_FILE: modes, ALTGEN_TEST_SPAN_LOG: spanLog };
    // `hang` starts a grandchild and then prints nothing: nothing tells it that its runner died.
    await fs.writeFile(modes, JSON.stringify({ '*': 'hang' }));
    const first = sandbox.start(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config], env);
    await waitUntil('both processors to be recorded', async () => (await listFiles(path.join(out, '.altgen', 'processors'))).length === 2, 20_000);
    await waitUntil('both processors to start', async () => (await readSpans(spanLog)).length === 2);
    const hung = (await readSpans(spanLog)).map((s) => s.pid);
    expect(hung).toHaveLength(2);
    // Each hung processor and the grandchild it started, in the processor's process group.
    await waitUntil('the grandchildren', () => processesInGroups(hung).length === 4);
    first.child.kill('SIGKILL');
    await first.done;
    const orphans = processesInGroups(hung);
    expect(orphans.length).toBeGreaterThanOrEqual(3);
    // One processor dies on its own (as by EPIPE on its next write), leaving its grandchild.
    if (!isDead(hung[1]!)) process.kill(hung[1]!, 'SIGKILL');
    await waitUntil('the processor to die', () => isDead(hung[1]!));

    await fs.writeFile(modes, JSON.stringify({ '*': 'succeed' }));
    const resumedAt = Date.now();
    const resumed = await sandbox.run(['batch', '--resume', '--output-dir', out, '--config', config], env);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(EXIT.ok);
    for (const orphan of orphans) expect(isDead(orphan.pid), `orphan ${orphan.args}`).toBe(true);
    const spans = await readSpans(spanLog);
    // Killed by the resume, or ended (by EPIPE) before it began: never beside it.
    for (const span of spans.filter((s) => hung.includes(s.pid))) expect(span.end === null || span.end < resumedAt).toBe(true);
    expect(overlappingRuns(spans.filter((s) => !hung.includes(s.pid)))).toEqual([]);
    const files = await listFiles(out);
    expect(files.filter((f) => f.includes('altgen-tmp') || f.includes(path.join('.altgen', 'processors')))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.pptx')).sort()).toEqual(['lecture 01.pptx', 'lecture 02.pptx']);
  }, 60_000);
});
