import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueueItem } from '../../shared/batch-types';
import { EXIT } from '../cli/exit-codes';
import { ManifestStore } from './manifest-store';
import { listFiles, makeLectureDecks, overlappingRuns, readSpans, Sandbox, scriptedProcessorConfig, sha256, type CliResult } from './testing/altgen-cli';

/**
 * Two `altgen batch` runs started on the same folder at the same moment. The locks beside the
 * decks keep any deck from being processed by both at once; a run that finds a deck locked
 * waits up to max_lock_wait_seconds (--max-lock-wait) for it, then skips it, naming the holder.
 */

let sandbox: Sandbox;
let lectures: string;
let decks: string[];
let spanLog: string;

beforeEach(async () => {
  sandbox = await Sandbox.create('altgen-concurrent-');
  lectures = sandbox.path('lectures');
  decks = await makeLectureDecks(lectures, 4);
  spanLog = sandbox.path('spans.log');
});

afterEach(async () => {
  await sandbox.remove();
});

interface RunOutcome {
  readonly result: CliResult;
  readonly pid: number;
  readonly items: readonly QueueItem[];
}

/**
 * Starts two batches on `lectures`, into `outA` and `outB`: a slow one, and once it holds its
 * first deck a fast one, so that the fast one meets a deck the slow one holds however loaded
 * the machine is (started at the same instant, one could finish before the other starts).
 */
async function runTwo(outA: string, outB: string, maxLockWait: number): Promise<[RunOutcome, RunOutcome]> {
  const config = await sandbox.writeConfig(scriptedProcessorConfig('slow'));
  const start = (out: string, delayMs: number) =>
    sandbox.start(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config, '--max-lock-wait', String(maxLockWait)], {
      ALTGEN_TEST_DELAY_MS: String(delayMs),
      ALTGEN_TEST_SPAN_LOG: spanLog,
    });
  const slow = start(outA, 1000);
  const deadline = Date.now() + 30_000;
  while ((await readSpans(spanLog)).length === 0) {
    if (Date.now() > deadline) throw new Error('the first batch never started a deck');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const runs = [slow, start(outB, 50)];
  const outcomes: RunOutcome[] = [];
  for (const run of runs) {
    const result = await run.done;
    const manifest = /^Manifest: (.+)$/m.exec(result.stdout)?.[1];
    expect(manifest, result.stdout + result.stderr).toBeDefined();
    outcomes.push({ result, pid: run.child.pid!, items: (await ManifestStore.open(manifest!)).allItems() });
  }
  return [outcomes[0]!, outcomes[1]!];
}

function withStatus(outcome: RunOutcome, status: QueueItem['status']): string[] {
  return outcome.items.filter((item) => item.status === status).map((item) => item.path);
}

async function expectNoOverlapAndEveryDeckDone(a: RunOutcome, b: RunOutcome): Promise<void> {
  const spans = await readSpans(spanLog);
  expect(spans.every((span) => span.end !== null)).toBe(true);
  // No deck was ever processed by both at once.
  expect(overlappingRuns(spans)).toEqual([]);
  // A deck one run skipped, the other was processing: every deck is done by one of them.
  expect(new Set([...withStatus(a, 'complete'), ...withStatus(b, 'complete')])).toEqual(new Set(decks));
  for (const outcome of [a, b]) expect(withStatus(outcome, 'failed')).toEqual([]);
}

/** Each skip names the lock held by the other run, in the manifest and in the printed summary. */
function expectSkipsNameTheOtherRun(outcome: RunOutcome, other: RunOutcome): void {
  for (const item of outcome.items.filter((i) => i.status === 'skipped')) {
    expect(item.error_code).toBe('ELOCKED');
    expect(item.skip_reason).toMatch(new RegExp(`^${path.basename(item.path)} is locked by another process \\(pid ${other.pid} on .+, since \\d\\d:\\d\\d\\)$`));
    expect(outcome.result.stdout).toContain(`⏭️ skipped ${item.path}: ${item.skip_reason}`);
  }
}

describe('two batches on the same folder at once', () => {
  it('into the same output folder: no deck is processed by both at once; each skips what the other holds, saying so', async () => {
    const out = sandbox.path('out');
    const [a, b] = await runTwo(out, out, 0.1);
    expect(a.result.code, a.result.stdout + a.result.stderr).toBe(EXIT.ok);
    expect(b.result.code, b.result.stdout + b.result.stderr).toBe(EXIT.ok);
    await expectNoOverlapAndEveryDeckDone(a, b);
    // The fast one caught up with the slow one and skipped the deck the slow one held.
    expect(withStatus(b, 'skipped').length).toBeGreaterThan(0);
    expectSkipsNameTheOtherRun(a, b);
    expectSkipsNameTheOtherRun(b, a);
    // One whole copy of each deck, two manifests, nothing else left behind…
    const files = await listFiles(out);
    expect(files.filter((f) => f.endsWith('.pptx')).sort()).toEqual(decks.map((d) => path.relative(lectures, d)).sort());
    for (const deck of decks) expect(sha256(await fs.readFile(path.join(out, path.relative(lectures, deck))))).toBe(sha256(await fs.readFile(deck)));
    const own = (f: string) => f === '.altgen' || f.startsWith(`.altgen${path.sep}`);
    expect(files.filter((f) => !f.endsWith('.pptx') && f !== 'imaging' && !own(f))).toHaveLength(2);
    // …but in the shared .altgen/ the decks' logs of each batch: no journal, lock or processor record.
    const logFolders = files.filter((f) => /^\.altgen[\\/]logs[\\/]batch_[^\\/]+$/.test(f));
    expect(logFolders).toHaveLength(2);
    expect(files.filter((f) => own(f) && f !== '.altgen' && f !== path.join('.altgen', 'logs') && !logFolders.some((folder) => f.startsWith(folder)))).toEqual([]);
    expect((await listFiles(lectures)).filter((f) => f.includes('.lock'))).toEqual([]);
  });

  it('into different output folders: the same, each folder holding the copies of its own batch', async () => {
    const [a, b] = await runTwo(sandbox.path('out-a'), sandbox.path('out-b'), 0.1);
    expect(a.result.code).toBe(EXIT.ok);
    expect(b.result.code).toBe(EXIT.ok);
    await expectNoOverlapAndEveryDeckDone(a, b);
    expectSkipsNameTheOtherRun(a, b);
    expectSkipsNameTheOtherRun(b, a);
    for (const [outcome, out] of [
      [a, sandbox.path('out-a')],
      [b, sandbox.path('out-b')],
    ] as const) {
      const copies = (await listFiles(out)).filter((f) => f.endsWith('.pptx')).sort();
      expect(copies).toEqual(withStatus(outcome, 'complete').map((d) => path.relative(lectures, d)).sort());
    }
  });

  it('with a long enough --max-lock-wait, each waits for the other instead of skipping, and both do every deck', async () => {
    const out = sandbox.path('out');
    const [a, b] = await runTwo(out, out, 20);
    expect(a.result.code).toBe(EXIT.ok);
    expect(b.result.code).toBe(EXIT.ok);
    await expectNoOverlapAndEveryDeckDone(a, b);
    expect(withStatus(a, 'complete').sort()).toEqual([...decks].sort());
    expect(withStatus(b, 'complete').sort()).toEqual([...decks].sort());
    expect((await readSpans(spanLog)).length).toBe(2 * decks.length);
  });
});
