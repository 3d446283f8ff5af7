import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchEvent } from '../../shared/batch-events';
import { DEFAULT_CONFIG, type AltgenConfig } from '../../shared/config-schema';
import { EXIT } from '../cli/exit-codes';
import { deckEntries, writeZip } from '../fixtures/deck-builder';
import { BatchRunner } from './batch-runner';
import { discoverInputs } from './discover-inputs';
import { ManifestStore } from './manifest-store';
import {
  isDead,
  listFiles,
  makeLectureDecks,
  manifestIn,
  processesInGroups,
  readSpans,
  Sandbox,
  SCRIPTED_PROCESSOR,
  scriptedProcessorConfig,
  sha256,
  waitUntil,
} from './testing/altgen-cli';

/**
 * Processors that misbehave in every way we know, run through the real runner in one batch:
 * each bad file ends with its own reason, the batch goes on, the runner's memory stays flat
 * and no process is left behind.
 */

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await Sandbox.create('altgen-faults-');
});

afterEach(async () => {
  delete process.env['ALTGEN_TEST_MODE_FILE'];
  delete process.env['ALTGEN_TEST_SPAN_LOG'];
  await sandbox.remove();
});

function config(batch: Partial<AltgenConfig['batch_processing']>): AltgenConfig {
  return {
    ...DEFAULT_CONFIG,
    batch_processing: { ...DEFAULT_CONFIG.batch_processing, dry_run_validates_ollama: false, ...batch },
    processor: { command: ['node', SCRIPTED_PROCESSOR, 'by-file', '{input}', '{output}'] },
  };
}

describe('processor faults through the runner', () => {
  it('fails each bad file with its own reason, goes on, keeps the runner small and leaves no process behind', async () => {
    const lectures = sandbox.path('lectures');
    const out = sandbox.path('out');
    const decks = (await makeLectureDecks(lectures, 8)).map((deck) => path.relative(lectures, deck));
    const [crash, killed, hang, flood, floodStderr, leak, good1, good2] = decks as [string, string, string, string, string, string, string, string];
    const modes = sandbox.path('modes.json');
    await fs.writeFile(
      modes,
      JSON.stringify({
        [path.basename(crash)]: 'crash',
        [path.basename(killed)]: 'killed',
        [path.basename(hang)]: 'hang',
        [path.basename(flood)]: 'flood',
        [path.basename(floodStderr)]: 'flood-stderr',
        [path.basename(leak)]: ['leak', '--step-mb', '64'],
        '*': 'succeed',
      }),
    );
    const spanLog = sandbox.path('spans.log');
    process.env['ALTGEN_TEST_MODE_FILE'] = modes;
    process.env['ALTGEN_TEST_SPAN_LOG'] = spanLog;

    const grandchildren: number[] = [];
    const events: BatchEvent[] = [];
    const discovery = await discoverInputs({ inputDir: lectures, outputDir: out });
    const runner = new BatchRunner(discovery.files, out, {
      config: config({ file_timeout_seconds: 2, stop_on_error_threshold: 1, default_max_workers: 2 }),
      inputRoot: discovery.inputRoot,
      processorMemoryLimitBytes: 256 * 1024 * 1024,
      onEvent: (event) => {
        events.push(event);
        const pids = event.type === 'item:progressed' ? /grandchild pid (\d+)/.exec(event.progress.message ?? '') : null;
        if (pids) grandchildren.push(Number(pids[1]));
      },
    });

    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    const started = Date.now();
    const summary = await runner.run().finally(() => clearInterval(sampler));
    const elapsed = Date.now() - started;

    expect(summary.stop_reason).toBe('finished');
    const items = new Map((await ManifestStore.open(summary.manifest_path)).allItems().map((item) => [path.relative(lectures, item.path), item]));
    expect(items.get(crash)).toMatchObject({ status: 'failed', error_code: 'ECRASHED', attempts: 3 });
    expect(items.get(crash)?.error).toMatch(/^Gave up after 3 attempts: the processor crashed \(killed by (SIGSEGV|SIGKILL)/);
    expect(items.get(killed)).toMatchObject({ status: 'failed', error_code: 'ECRASHED', attempts: 3 });
    expect(items.get(killed)?.error).toMatch(/killed by SIGKILL, often because the system ran out of memory/);
    expect(items.get(hang)).toMatchObject({ status: 'failed', error_code: 'ETIMEOUT', attempts: 3 });
    expect(items.get(hang)?.error).toBe('Gave up after 3 attempts: took longer than 2 s; stopped');
    // 200 MB without a newline is skipped as it streams past; the result after it counts.
    expect(items.get(flood)).toMatchObject({ status: 'complete', result: { pictures: 2 } });
    expect(items.get(floodStderr)).toMatchObject({ status: 'failed', error_code: 'EPROCESSOR_FAILED', error: 'flood-stderr: final line' });
    // A leak ends at the memory cap at once (not at the timeout, not retried).
    expect(items.get(leak)).toMatchObject({ status: 'failed', error_code: 'ECRASHED', attempts: 0 });
    expect(items.get(leak)?.error).toBe('the processor used more than 256 MB of memory and was stopped');
    for (const good of [good1, good2]) expect(items.get(good)).toMatchObject({ status: 'complete' });
    expect(summary.counts).toMatchObject({ complete: 3, failed: 5, pending: 0, processing: 0 });

    // Outputs only for the files that completed; no temp copies.
    expect((await listFiles(out)).filter((f) => f.endsWith('.pptx')).sort()).toEqual([flood, good1, good2].sort());

    // The runner read 200 MB of stdout and 200 MB of stderr without holding them.
    const grownMb = (peak - baseline) / (1024 * 1024);
    expect(grownMb).toBeLessThan(150);

    // Every processor, and every grandchild the hung ones started, is gone.
    const spans = await readSpans(spanLog);
    const runsOf = (deck: string) => spans.filter((span) => span.input === path.join(lectures, deck)).length;
    expect([crash, killed, hang, floodStderr, leak].map(runsOf)).toEqual([3, 3, 3, 1, 1]);
    const processors = spans.map((span) => span.pid);
    expect(grandchildren).toHaveLength(3);
    await waitUntil('every processor to be gone', () => [...processors, ...grandchildren].every(isDead), 5_000);
    expect(processesInGroups(processors)).toEqual([]);
    console.log(`fault suite: ${processors.length} processor runs in ${(elapsed / 1000).toFixed(1)} s, runner grew by at most ${grownMb.toFixed(0)} MB`);
  }, 90_000);
});

/** Mounts a tmpfs of `size` (root only); null with the reason when that is not possible here. */
function mountTmpfs(dir: string, options: string): string | null {
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
  return mounted.status === 0 ? null : `cannot mount a tmpfs here (${(mounted.stderr || mounted.error?.message || '').trim()}); needs root`;
}

/** Decks of about 100 KB (a stored blob of random bytes beside the slides), so that a few fill a small disk. */
async function makeBigDecks(folder: string, count: number): Promise<string[]> {
  const files: string[] = [];
  for (let i = 1; i <= count; i += 1) {
    const file = path.join(folder, `lecture ${String(i).padStart(2, '0')}.pptx`);
    const entries = deckEntries({ title: `Lecture ${i}`, slides: [{ title: `Lecture ${i}`, pictures: [{ imageSeed: i }] }] });
    entries.set('ppt/media/recording.png', randomBytes(100 * 1024));
    await writeZip(file, entries);
    files.push(file);
  }
  return files;
}

describe('a full disk and a read-only output folder', () => {
  let lectures: string;
  let out: string;

  beforeEach(async () => {
    lectures = sandbox.path('lectures');
    out = sandbox.path('out');
    await fs.mkdir(out, { recursive: true });
  });

  afterEach(() => {
    spawnSync('umount', [out]);
  });

  it('the output disk fills up mid-batch: one clear line, exit 13, nothing failed for it, the manifest intact, and a resume finishes', async (ctx) => {
    const cannot = mountTmpfs(out, 'size=800k');
    if (cannot) {
      ctx.skip(cannot);
      return;
    }
    const decks = await makeBigDecks(lectures, 12);
    const config = await sandbox.writeConfig(scriptedProcessorConfig('succeed'));
    const result = await sandbox.run(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config]);
    expect(result.code).toBe(EXIT.diskFull);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^altgen: The disk .*is full/);
    expect(result.stderr).toMatch(/free some space and resume/);
    const manifest = (await manifestIn(out))!;
    JSON.parse(await fs.readFile(manifest, 'utf8'));
    const items = (await ManifestStore.open(manifest)).allItems();
    const complete = items.filter((i) => i.status === 'complete');
    expect(complete.length).toBeGreaterThan(3);
    expect(items.filter((i) => i.status === 'failed' || i.status === 'skipped')).toEqual([]);
    for (const item of complete) expect(sha256(await fs.readFile(path.join(out, path.basename(item.path))))).toBe(sha256(await fs.readFile(item.path)));
    expect((await listFiles(out)).filter((f) => f.includes('altgen-tmp'))).toEqual([]);

    // With room again, the resume finishes the batch.
    expect(spawnSync('mount', ['-o', 'remount,size=4m', out]).status).toBe(0);
    const resumed = await sandbox.run(['batch', '--resume', '--output-dir', out, '--config', config]);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(EXIT.ok);
    const copies = (await listFiles(out)).filter((f) => f.endsWith('.pptx'));
    expect(copies.sort()).toEqual(decks.map((d) => path.basename(d)).sort());
  });

  /**
   * Makes `out` read-only for this process: a read-only remount as root (who ignores file
   * permissions), chmod 0555 otherwise. Null when done, else why it cannot be done here.
   */
  function makeReadOnly(): string | null {
    if (process.getuid?.() === 0) {
      const remount = spawnSync('mount', ['-o', 'remount,ro', out], { encoding: 'utf8' });
      return remount.status === 0 ? null : `running as root, and cannot remount ${out} read-only (${remount.stderr.trim()})`;
    }
    spawnSync('chmod', ['0555', out]);
    return process.platform === 'win32' ? 'no read-only folders through chmod on Windows' : null;
  }

  it('a read-only output folder: one clear line and exit 12, for a new batch and for a resume, the manifest untouched', async (ctx) => {
    if (process.getuid?.() === 0) {
      const cannot = mountTmpfs(out, 'size=4m');
      if (cannot) {
        ctx.skip(cannot);
        return;
      }
    }
    await makeLectureDecks(lectures, 6);
    const config = await sandbox.writeConfig(scriptedProcessorConfig('fail'));
    // A batch that stops early (every file fails), to be resumed later.
    const first = await sandbox.run(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config]);
    expect(first.code).toBe(EXIT.errorThreshold);
    const manifest = (await manifestIn(out))!;
    const before = await fs.readFile(manifest);
    const filesBefore = await listFiles(out);

    const cannot = makeReadOnly();
    if (cannot) {
      ctx.skip(cannot);
      return;
    }
    try {
      const runs = [
        { args: ['batch', '--input-dir', lectures, '--output-dir', out, '--config', config], fix: 'choose another with --output-dir' },
        { args: ['batch', '--resume', '--output-dir', out, '--config', config, '--retry-failed'], fix: 'make it writable and resume' },
      ];
      for (const { args, fix } of runs) {
        const result = await sandbox.run(args);
        expect(result.code, result.stderr).toBe(EXIT.outputNotWritable);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).toContain(`altgen: Output folder ${out} is not writable (`);
        expect(result.stderr.trim()).toMatch(/ is not writable \((EROFS|EACCES)\); /);
        expect(result.stderr.trim()).toMatch(new RegExp(`; ${fix}\\.$`));
      }
      expect(await fs.readFile(manifest)).toEqual(before);
      expect(await listFiles(out)).toEqual(filesBefore);
      JSON.parse(before.toString('utf8'));
    } finally {
      spawnSync('chmod', ['0755', out]);
    }
  });
});
