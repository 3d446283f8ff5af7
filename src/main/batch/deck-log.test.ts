import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import type { DeckLogEntry } from '../../shared/deck-log';
import { buildDeck } from '../fixtures/deck-builder';
import { BatchRunner } from './batch-runner';
import { deckLogDirOf } from './batch-folder';
import { DeckLogWriter, readDeckLog } from './deck-log';
import { discoverInputs } from './discover-inputs';

const SCRIPT = fileURLToPath(new URL('./test-processors/scripted-processor.mjs', import.meta.url));

let root: string;
let inputDir: string;
let outputDir: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-deck-log-'));
  inputDir = path.join(root, 'lectures');
  outputDir = path.join(root, 'out');
  await fs.mkdir(inputDir, { recursive: true });
});

afterEach(async () => {
  delete process.env['ALTGEN_TEST_MODE_FILE'];
  await fs.rm(root, { recursive: true, force: true });
});

/** An entry without its time, which the test cannot know. */
function untimed(entry: DeckLogEntry): Record<string, unknown> {
  const { at: _at, ...rest } = entry;
  return rest.kind === 'ended' ? { ...rest, duration_ms: typeof rest.duration_ms } : rest;
}

async function runBatch(modes: Record<string, string>, dryRun = false) {
  for (const name of Object.keys(modes)) await buildDeck(path.join(inputDir, name), { title: name, slides: [{ title: 'Slide', pictures: [{ name: 'Picture 1' }] }] });
  const modeFile = path.join(root, 'modes.json');
  await fs.writeFile(modeFile, JSON.stringify(modes));
  process.env['ALTGEN_TEST_MODE_FILE'] = modeFile;
  const discovery = await discoverInputs({ inputDir, outputDir });
  return new BatchRunner(discovery.files, outputDir, {
    config: { ...DEFAULT_CONFIG, batch_processing: { ...DEFAULT_CONFIG.batch_processing, dry_run_validates_ollama: false }, processor: { command: ['node', SCRIPT, 'by-file', '{input}', '{output}'] } },
    inputRoot: discovery.inputRoot,
    dryRun,
  }).run();
}

describe('each deck\'s log', () => {
  it('records every run of a deck: its start, each picture the processor settled, its warnings and how it ended', async () => {
    const summary = await runBatch({ 'a.pptx': 'pictures', 'b.pptx': 'fail' });
    const described = await readDeckLog(outputDir, summary.batch_id, 0);
    expect(described.path).toBe(path.join(outputDir, '.altgen', 'logs', `batch_${summary.batch_id}`, '0.jsonl'));
    expect(described.entries.map(untimed)).toEqual([
      { kind: 'started', attempt: 1 },
      {
        kind: 'picture',
        picture: { slide: 1, shape: 'Picture 1', kind: 'picture', decision: 'described', reason: 'No alt text: described by the model.', model_ms: 1234, model_calls: 1, cached: false },
      },
      { kind: 'picture', picture: { slide: 1, shape: 'Picture 2', kind: 'picture', decision: 'preserved', reason: 'Has real alt text.', model_ms: null, model_calls: 0, cached: false } },
      { kind: 'warning', message: 'scripted warning: the deck was signed' },
      { kind: 'ended', status: 'complete', duration_ms: 'number', message: null },
    ]);
    const failed = await readDeckLog(outputDir, summary.batch_id, 1);
    expect(failed.entries.map(untimed)).toEqual([
      { kind: 'started', attempt: 1 },
      { kind: 'ended', status: 'failed', duration_ms: 'number', message: 'scripted failure: could not process b.pptx' },
    ]);
  }, 60_000);

  it('is not kept for a dry run, which writes nothing but its manifest', async () => {
    const summary = await runBatch({ 'a.pptx': 'succeed' }, true);
    await expect(fs.access(deckLogDirOf(outputDir, summary.batch_id))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await readDeckLog(outputDir, summary.batch_id, 0)).entries).toEqual([]);
  }, 60_000);

  it('skips a torn last line and lines it does not know, and says once when it cannot be written', async () => {
    const dir = deckLogDirOf(outputDir, 'b1');
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, '3.jsonl'), '{"kind":"queue","at":"2026-11-28T10:00:00.000+00:00","message":"Moved"}\n{"kind":"later-kind","at":"x"}\n{"kind":"ended","at":"2026-');
    expect((await readDeckLog(outputDir, 'b1', 3)).entries).toEqual([{ kind: 'queue', at: '2026-11-28T10:00:00.000+00:00', message: 'Moved' }]);

    // A file where the log folder should be: the logs cannot be written.
    await fs.writeFile(path.join(outputDir, '.altgen', 'logs', 'batch_b2'), 'not a folder');
    const warnings: string[] = [];
    const writer = new DeckLogWriter(outputDir, 'b2', (message) => warnings.push(message));
    writer.write(0, { kind: 'queue', at: '2026-11-28T10:00:00.000+00:00', message: 'one' });
    writer.write(1, { kind: 'queue', at: '2026-11-28T10:00:00.000+00:00', message: 'two' });
    await writer.flush();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^The decks' logs could not be written in .*batch_b2 \(.*\); the batch goes on without them\.$/);
  });
});
