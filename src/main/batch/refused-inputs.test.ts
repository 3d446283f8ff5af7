import { execFileSync } from 'node:child_process';
import { promises as fs, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueueItem } from '../../shared/batch-types';
import { buildDeck } from '../fixtures/deck-builder';
import type { CliResult } from './testing/altgen-cli';
import { readSpans, Sandbox, scriptedProcessorConfig, treeDigest } from './testing/altgen-cli';

/**
 * Inputs refused up front, through the real `altgen` CLI: files that are not regular (a named
 * pipe would make the dry run and the processor wait forever), links out of the input folder,
 * and names that are not valid UTF-8. A hang shows as the sandbox killing the CLI after its
 * generous timeout, never as a timing.
 */

// Below vitest's 60 s test timeout, so that a hang is killed by the sandbox and reported as one.
const HANG_TIMEOUT_MS = 45_000;
const NAMED_PIPE_REASON = 'Not a regular file (a named pipe): AltGen reads only saved presentation files.';

let sandbox: Sandbox;
let lectures: string;
let out: string;

beforeEach(async () => {
  sandbox = await Sandbox.create('altgen-refused-');
  lectures = sandbox.path('courses', 'anatomy');
  out = sandbox.path('out');
  await fs.mkdir(lectures, { recursive: true });
});

afterEach(async () => {
  await sandbox.remove();
});

function mkfifo(file: string): void {
  execFileSync('mkfifo', [file]);
}

async function deck(file: string, seed = 1): Promise<string> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await buildDeck(file, { slides: [{ title: 'Heart', pictures: [{ name: 'Picture 1', imageSeed: seed }] }] });
  return file;
}

interface JsonRun {
  readonly result: CliResult;
  readonly items: readonly QueueItem[];
}

/** `altgen batch … --json`; the items of the manifest it wrote. */
async function batchJson(args: readonly string[], config: string, extraEnv: Record<string, string> = {}): Promise<JsonRun> {
  const result = await sandbox.run(['batch', ...args, '--output-dir', out, '--config', config, '--json'], extraEnv, HANG_TIMEOUT_MS);
  expect(result.signal, `altgen was killed after ${HANG_TIMEOUT_MS} ms (it hung):\n${result.stderr}`).toBeNull();
  const parsed = JSON.parse(result.stdout) as { items: QueueItem[] };
  return { result, items: parsed.items };
}

function byName(items: readonly QueueItem[]): Record<string, Pick<QueueItem, 'status' | 'error_code' | 'skip_reason' | 'error'>> {
  return Object.fromEntries(
    items.map((item) => [path.relative(lectures, item.path), { status: item.status, error_code: item.error_code, skip_reason: item.skip_reason, error: item.error }]),
  );
}

describe('a named pipe given to altgen', () => {
  it('altgen batch --input-files --dry-run returns and lists the pipe as skipped', async () => {
    const good = await deck(path.join(lectures, 'heart.pptx'));
    const pipe = path.join(lectures, 'pipe.pptx');
    mkfifo(pipe);
    const config = await sandbox.writeConfig(scriptedProcessorConfig('succeed'));
    const { result, items } = await batchJson(['--input-files', good, pipe, '--dry-run'], config);
    expect(result.code, result.stderr).toBe(0);
    expect(byName(items)).toEqual({
      'heart.pptx': { status: 'complete', error_code: null, skip_reason: null, error: null },
      'pipe.pptx': { status: 'skipped', error_code: 'EUNSUPPORTED_TYPE', skip_reason: NAMED_PIPE_REASON, error: null },
    });
  });

  it('a real batch skips it without starting a processor for it, and processes the rest', async () => {
    const good = await deck(path.join(lectures, 'heart.pptx'));
    const pipe = path.join(lectures, 'pipe.pptx');
    mkfifo(pipe);
    const spanLog = sandbox.path('spans.log');
    const config = await sandbox.writeConfig(scriptedProcessorConfig('succeed', { file_timeout_seconds: 10 }));
    const { result, items } = await batchJson(['--input-files', good, pipe], config, { ALTGEN_TEST_SPAN_LOG: spanLog });
    expect(result.code, result.stderr).toBe(0);
    expect(byName(items)).toMatchObject({
      'heart.pptx': { status: 'complete' },
      'pipe.pptx': { status: 'skipped', error_code: 'EUNSUPPORTED_TYPE', skip_reason: NAMED_PIPE_REASON },
    });
    expect((await readSpans(spanLog)).map((span) => span.input)).toEqual([good]);
  });

  it('altgen batch --input-dir lists a pipe with a deck name as skipped instead of leaving it out', async () => {
    await deck(path.join(lectures, 'heart.pptx'));
    mkfifo(path.join(lectures, 'pipe.pptx'));
    const config = await sandbox.writeConfig(scriptedProcessorConfig('succeed'));
    const { result, items } = await batchJson(['--input-dir', lectures, '--dry-run'], config);
    expect(result.code, result.stderr).toBe(0);
    expect(byName(items)['pipe.pptx']).toEqual({ status: 'skipped', error_code: 'EUNSUPPORTED_TYPE', skip_reason: NAMED_PIPE_REASON, error: null });
  });

  it('altgen process refuses it with one line and the input-problem exit code, writing nothing', async () => {
    const pipe = path.join(lectures, 'pipe.pptx');
    mkfifo(pipe);
    const copy = sandbox.path('copy.pptx');
    const result = await sandbox.run(['process', pipe, '--output', copy], {}, HANG_TIMEOUT_MS);
    expect(result.signal, 'altgen process hung on the pipe').toBeNull();
    expect(result.code).toBe(65);
    expect(result.stderr).toBe(`altgen process: ${NAMED_PIPE_REASON}\n`);
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '')).toEqual({ type: 'error', code: 'EUNSUPPORTED_TYPE', message: NAMED_PIPE_REASON });
    await expect(fs.access(copy)).rejects.toThrow();
  });
});

describe('links out of the input folder', () => {
  /** anatomy/ (the input) beside physiology/ (not given): `loopdir -> ..` and a linked deck lead there. */
  async function siblingLayout(): Promise<{ sibling: string; own: string }> {
    const sibling = sandbox.path('courses', 'physiology');
    await deck(path.join(sibling, 'heart.pptx'), 2);
    await deck(path.join(sibling, 'week 1', 'lungs.pptx'), 3);
    const own = await deck(path.join(lectures, 'own.pptx'));
    await deck(path.join(lectures, 'sub', 'inner.pptx'), 4);
    await fs.symlink('..', path.join(lectures, 'loopdir'));
    await fs.symlink(path.join(sibling, 'heart.pptx'), path.join(lectures, 'borrowed.pptx'));
    await fs.symlink('sub', path.join(lectures, 'inner-link'));
    return { sibling, own };
  }

  const outsideItems = () => ({
    loopdir: { status: 'skipped', error_code: 'EOUTSIDE_INPUT', skip_reason: `Link to a folder outside ${lectures}: not followed.`, error: null },
    'borrowed.pptx': {
      status: 'skipped',
      error_code: 'EOUTSIDE_INPUT',
      skip_reason: `Link to a file outside ${lectures}: not processed; copy the deck into the folder to include it.`,
      error: null,
    },
  });

  it('the dry run lists them as skipped and reads nothing outside', async () => {
    const { sibling } = await siblingLayout();
    const before = await treeDigest(sibling);
    const config = await sandbox.writeConfig(scriptedProcessorConfig('succeed'));
    const { result, items } = await batchJson(['--input-dir', lectures, '--dry-run'], config);
    expect(result.code, result.stderr).toBe(0);
    expect(byName(items)).toEqual({
      ...outsideItems(),
      'own.pptx': { status: 'complete', error_code: null, skip_reason: null, error: null },
      'sub/inner.pptx': { status: 'complete', error_code: null, skip_reason: null, error: null },
    });
    expect(await treeDigest(sibling)).toEqual(before);
  });

  it('a real batch processes only the decks inside and creates no lock folders outside', async () => {
    const { sibling, own } = await siblingLayout();
    const before = await treeDigest(sibling);
    const spanLog = sandbox.path('spans.log');
    const config = await sandbox.writeConfig(scriptedProcessorConfig('succeed'));
    const { result, items } = await batchJson(['--input-dir', lectures], config, { ALTGEN_TEST_SPAN_LOG: spanLog });
    expect(result.code, result.stderr).toBe(0);
    expect(byName(items)).toMatchObject({ ...outsideItems(), 'own.pptx': { status: 'complete' }, 'sub/inner.pptx': { status: 'complete' } });
    expect(items).toHaveLength(4);
    expect((await readSpans(spanLog)).map((span) => span.input).sort()).toEqual([own, path.join(lectures, 'sub', 'inner.pptx')]);
    expect(await treeDigest(sibling)).toEqual(before);
    expect(await fs.readdir(path.dirname(lectures))).toEqual(['anatomy', 'physiology']);
  });
});

describe('a file name that is not valid UTF-8', () => {
  it('is listed as skipped with what to do, not as "File not found", and the batch goes on', async () => {
    await deck(path.join(lectures, 'heart.pptx'));
    writeFileSync(Buffer.concat([Buffer.from(path.join(lectures, 'caf')), Buffer.from([0xe9]), Buffer.from('.pptx')]), await fs.readFile(path.join(lectures, 'heart.pptx')));
    const spanLog = sandbox.path('spans.log');
    const config = await sandbox.writeConfig(scriptedProcessorConfig('succeed'));
    const { result, items } = await batchJson(['--input-dir', lectures], config, { ALTGEN_TEST_SPAN_LOG: spanLog });
    expect(result.code, result.stderr).toBe(0);
    expect(byName(items)).toEqual({
      'caf\uFFFD.pptx': { status: 'skipped', error_code: 'EINVALID_NAME', skip_reason: 'The file name is not valid UTF-8: rename it, then add it again.', error: null },
      'heart.pptx': expect.objectContaining({ status: 'complete' }),
    });
    expect((await readSpans(spanLog)).map((span) => span.input)).toEqual([path.join(lectures, 'heart.pptx')]);
  });
});
