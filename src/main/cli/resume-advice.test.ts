import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueueItem } from '../../shared/batch-types';
import { acquireLock } from '../batch/file-locks';
import { ManifestStore } from '../batch/manifest-store';
import type { CliResult } from '../batch/testing/altgen-cli';
import { CLI_ENTRY, makeLectureDecks, manifestIn, Sandbox, scriptedProcessorConfig, TSX_LOADER } from '../batch/testing/altgen-cli';
import { EXIT } from './exit-codes';

/**
 * What `altgen batch` tells a user to do next, run through the real CLI: the printed resume and
 * retry commands work when pasted into a shell as printed, `--resume` finds the batch whose
 * advice said "resume", and every file gets one readable line whatever its name holds.
 */

let sandbox: Sandbox;
let lectures: string;
let modes: string;
let config: string;

beforeEach(async () => {
  sandbox = await Sandbox.create('altgen-resume-advice-');
  lectures = sandbox.path('lectures');
  modes = sandbox.path('modes.json');
  config = await sandbox.writeConfig(scriptedProcessorConfig('by-file'));
  await setModes({ '*': 'succeed' });
  // An `altgen` on PATH, so that a printed command can be run exactly as printed.
  await fs.mkdir(sandbox.path('bin'));
  await fs.writeFile(sandbox.path('bin', 'altgen'), `#!/bin/sh\nexec "${process.execPath}" --import ${TSX_LOADER} "${CLI_ENTRY}" "$@"\n`, { mode: 0o755 });
});

afterEach(async () => {
  await sandbox.remove();
});

async function setModes(map: Record<string, string>): Promise<void> {
  await fs.writeFile(modes, JSON.stringify(map));
}

function altgen(args: readonly string[]): Promise<CliResult> {
  return sandbox.run(args, { ALTGEN_TEST_MODE_FILE: modes }, 120_000);
}

/** A printed command line, pasted into bash as it is. */
function inShell(line: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const env = { ...sandbox.env({ ALTGEN_TEST_MODE_FILE: modes }), PATH: `${sandbox.path('bin')}${path.delimiter}${process.env['PATH'] ?? ''}` };
    const child = spawn('bash', ['-c', line], { cwd: sandbox.root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function printed(stdout: string, label: string): string | null {
  const line = stdout.split('\n').find((l) => l.startsWith(`${label}: `));
  return line === undefined ? null : line.slice(label.length + 2);
}

async function itemsOf(outputDir: string): Promise<QueueItem[]> {
  return [...(await ManifestStore.open((await manifestIn(outputDir))!)).allItems()];
}

function statusByName(items: readonly QueueItem[]): Record<string, string> {
  return Object.fromEntries(items.map((item) => [path.basename(item.path), item.status]));
}

describe('altgen batch --resume --retry-failed on a finished batch', () => {
  it('prints the retry command, and accepts it without the batch id (the most recent batch with failed files)', async () => {
    const out = sandbox.path('out');
    await makeLectureDecks(lectures, 3);
    await setModes({ 'lecture 02.pptx': 'fail', '*': 'succeed' });
    const first = await altgen(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config]);
    expect(first.code, first.stderr).toBe(EXIT.someFailed);
    const batchId = /Batch ID: (\S+)/.exec(first.stdout)![1]!;
    expect(printed(first.stdout, 'Resume command')).toBeNull();
    expect(printed(first.stdout, 'Retry command')).toBe(`altgen batch --resume --retry-failed --batch-id ${batchId} --output-dir ${out} --config ${config}`);

    // A plain resume has nothing to do, and says how to retry the failed file.
    const plain = await altgen(['batch', '--resume', '--output-dir', out, '--config', config]);
    expect(plain.code).toBe(EXIT.batchNotFound);
    expect(plain.stderr.trim()).toBe(
      `altgen: No batch to resume in ${out}: none has files pending, or skipped because they were locked or open in PowerPoint. Batch ${batchId} has failed files: add --retry-failed to process them again.`,
    );

    await setModes({ '*': 'succeed' });
    const retried = await altgen(['batch', '--resume', '--retry-failed', '--output-dir', out, '--config', config]);
    expect(retried.code, retried.stdout + retried.stderr).toBe(EXIT.ok);
    expect(retried.stdout).toContain(`Resuming batch ${batchId}`);
    expect(statusByName(await itemsOf(out))).toEqual({ 'lecture 01.pptx': 'complete', 'lecture 02.pptx': 'complete', 'lecture 03.pptx': 'complete' });
  }, 240_000);
});

describe('altgen batch --resume after files were skipped for a lock or PowerPoint (issue 12)', () => {
  it('finds the batch whose only unfinished files were skipped, and finishes them once they are free', async () => {
    const out = sandbox.path('out');
    await makeLectureDecks(lectures, 3);
    // lecture 01 is open in PowerPoint; lecture 02 is locked by another process (this one).
    await fs.writeFile(path.join(lectures, '~$lecture 01.pptx'), Buffer.alloc(162));
    const release = await acquireLock(path.join(lectures, 'lecture 02.pptx'), { waitMs: 0 });
    let first: CliResult;
    try {
      first = await altgen(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config, '--max-lock-wait', '0']);
    } finally {
      await release();
    }
    expect(first.code, first.stderr).toBe(EXIT.ok);
    expect(first.stdout).toMatch(/⏭️ skipped .*lecture 01\.pptx: Open in PowerPoint.*close it and resume\./);
    expect(statusByName(await itemsOf(out))).toEqual({ 'lecture 01.pptx': 'skipped', 'lecture 02.pptx': 'skipped', 'lecture 03.pptx': 'complete' });
    const batchId = /Batch ID: (\S+)/.exec(first.stdout)![1]!;
    expect(printed(first.stdout, 'Resume command')).toBe(`altgen batch --resume --batch-id ${batchId} --output-dir ${out} --config ${config}`);
    await fs.rm(path.join(lectures, '~$lecture 01.pptx'));

    // The advice as the README gives it: no batch id.
    const resumed = await altgen(['batch', '--resume', '--output-dir', out, '--config', config]);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(EXIT.ok);
    expect(resumed.stdout).toContain(`Resuming batch ${batchId}`);
    expect(statusByName(await itemsOf(out))).toEqual({ 'lecture 01.pptx': 'complete', 'lecture 02.pptx': 'complete', 'lecture 03.pptx': 'complete' });
    expect(printed(resumed.stdout, 'Resume command')).toBeNull();
  }, 240_000);
});

describe('what the CLI prints, whatever the names hold', () => {
  it('one line per file, no stop message said twice, and commands that paste into a shell as printed', async () => {
    // An output folder whose name holds a quote, a space and a newline; decks with a newline,
    // an escape character and bytes that are not UTF-8 in their names.
    const out = sandbox.path("it's the\noutput");
    await makeLectureDecks(lectures, 4);
    // Named to come first, so that they are among the files attempted before the threshold stops the batch.
    const odd = ['0 line\nbreak.pptx', '0 escape\u001b[31mred.pptx'];
    for (const name of odd) await fs.copyFile(path.join(lectures, 'lecture 01.pptx'), path.join(lectures, name));
    const latin1 = Buffer.concat([Buffer.from(`${lectures}/caf`), Buffer.from([0xe9]), Buffer.from('.pptx')]);
    await fs.copyFile(path.join(lectures, 'lecture 01.pptx'), latin1);
    await setModes({ '*': 'fail' });

    const first = await altgen(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config]);
    expect(first.code, first.stderr).toBe(EXIT.errorThreshold);
    expect(first.stdout).toMatch(/^Stopped: \d+ of \d+ files failed \(\d+%\), more than the stop_on_error_threshold of 50%\. The rest are still pending\.$/m);
    expect(first.stdout).not.toMatch(/Stopped: Stopped/);
    expect(first.stdout).not.toContain('\u001b');

    // Every file that needs attention on one line of its own, its name readable.
    const attention = first.stdout.split('\n\n').find((block) => block.startsWith('Files that need attention:'))!;
    const lines = attention.split('\n').slice(1);
    expect(lines.every((line) => /^ {2}(❌ failed |⏭️ skipped) /.test(line)), attention).toBe(true);
    const items = await itemsOf(out);
    expect(lines).toHaveLength(items.filter((item) => item.status === 'failed' || item.status === 'skipped').length);
    const shown = lines.join('\n');
    expect(shown).toContain(`${lectures}/0 line\\nbreak.pptx: `);
    expect(shown).toContain(`${lectures}/0 escape\\x1b[31mred.pptx: `);
    expect(shown).toContain(`${lectures}/caf\uFFFD.pptx: `);
    expect(first.stdout).toContain("Manifest: ");
    expect(first.stdout.split('\n').find((line) => line.startsWith('Manifest: '))).toContain("it's the\\noutput");

    // The commands, pasted as printed: the retry one processes the failed files again.
    const resume = printed(first.stdout, 'Resume command')!;
    const retry = printed(first.stdout, 'Retry command')!;
    expect(resume).toContain(`--output-dir $'${sandbox.path("it\\'s the\\noutput")}'`);
    expect(retry).toMatch(/^altgen batch --resume --retry-failed --batch-id \S+ --output-dir \$'/);
    await setModes({ '*': 'succeed' });
    const retried = await inShell(retry);
    expect(retried.stdout + retried.stderr).toMatch(/^Resuming batch /);
    const after = await itemsOf(out);
    for (const item of after) {
      // The file whose name is not UTF-8 cannot be named by any path string: it stays as discovery left it.
      if (!item.path.includes('\uFFFD')) expect(item.status, item.path).toBe('complete');
    }
  }, 240_000);
});
