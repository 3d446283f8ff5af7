import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { QueueItem } from '../../shared/batch-types';
import { startFakeModelServer, type FakeModelServer } from '../describe/testing/fake-model-server';
import { buildDeck, buildEncryptedDeck, buildLegacyPpt, writeEmptyFile, type DeckSpec } from '../fixtures/deck-builder';
import type { DiscoveredFile } from './discover-inputs';
import { discoverInputs } from './discover-inputs';
import { copyNameFor } from './legacy-names';
import { outputPathFor } from './output-paths';
import { Sandbox } from './testing/altgen-cli';

/**
 * Issue 11: a PowerPoint 2007+ deck saved with a `.ppt` name was skipped as "Legacy 97–2003".
 * A `.ppt`/`.pps` is judged by its content, in discovery, so that the dry run and the run
 * (which both start from it) agree; the copy of such a deck is named `.pptx`.
 */

const SAVE_AS = /^Legacy PowerPoint 97–2003 file: open it in PowerPoint and use File › Save As › PowerPoint Presentation \(\.pptx\)/;
const DECK: DeckSpec = { title: 'Renal physiology', slides: [{ title: 'The nephron', pictures: [{ name: 'Picture 2', imageSize: 64 }] }] };

let sandbox: Sandbox;
let lectures: string;

beforeEach(async () => {
  sandbox = await Sandbox.create('altgen-legacy-names-');
  lectures = sandbox.path('lectures');
  await fs.mkdir(lectures, { recursive: true });
});

afterEach(async () => {
  await sandbox.remove();
});

function dispositions(files: readonly DiscoveredFile[]): Record<string, DiscoveredFile['disposition']> {
  return Object.fromEntries(files.map((file) => [path.relative(lectures, file.path), file.disposition]));
}

describe('discovery › 97–2003 names decided by content', () => {
  it('processes PowerPoint 2007+ decks named .ppt or .pps, saying so, and skips or fails the rest for what they are', async () => {
    await buildDeck(path.join(lectures, 'saved-as.ppt'), DECK);
    await buildDeck(path.join(lectures, 'SHOW.PPS'), DECK);
    await buildLegacyPpt(path.join(lectures, 'old.ppt'));
    await buildEncryptedDeck(path.join(lectures, 'protected.ppt'));
    await writeEmptyFile(path.join(lectures, 'empty.pps'));

    const found = dispositions((await discoverInputs({ inputDir: lectures, outputDir: sandbox.path('out') })).files);

    expect(found['saved-as.ppt']).toEqual({
      kind: 'process',
      note: 'A PowerPoint 2007+ deck with a 97–2003 name (.ppt): it is processed, and its copy is named saved-as.pptx so that PowerPoint opens it.',
    });
    expect(found['SHOW.PPS']).toMatchObject({ kind: 'process', note: expect.stringContaining('(.PPS): it is processed, and its copy is named SHOW.pptx') });
    expect(found['old.ppt']).toMatchObject({ kind: 'skip', code: 'ELEGACY_FORMAT', reason: expect.stringMatching(SAVE_AS) });
    expect(found['protected.ppt']).toMatchObject({ kind: 'fail', code: 'EENCRYPTED', reason: expect.stringMatching(/^Password-protected/) });
    expect(found['empty.pps']).toMatchObject({ kind: 'fail', code: 'EEMPTY' });
  });

  it('decides a .ppt named with --input-files by content too', async () => {
    const renamed = path.join(lectures, 'saved-as.ppt');
    const legacy = path.join(lectures, 'old.ppt');
    await buildDeck(renamed, DECK);
    await buildLegacyPpt(legacy);
    const found = dispositions((await discoverInputs({ inputFiles: [renamed, legacy], outputDir: sandbox.path('out') })).files);
    expect(found).toMatchObject({ 'saved-as.ppt': { kind: 'process' }, 'old.ppt': { kind: 'skip', code: 'ELEGACY_FORMAT' } });
  });

  it('skips a renamed deck whose copy would take the name of another deck’s copy', async () => {
    await buildDeck(path.join(lectures, 'lecture.ppt'), DECK);
    await buildDeck(path.join(lectures, 'lecture.pptx'), DECK);
    await buildDeck(path.join(lectures, 'notes.pps'), DECK);
    await buildDeck(path.join(lectures, 'notes.ppt'), DECK);
    const found = dispositions((await discoverInputs({ inputDir: lectures, outputDir: sandbox.path('out') })).files);
    expect(found['lecture.pptx']).toEqual({ kind: 'process' });
    expect(found['lecture.ppt']).toMatchObject({ kind: 'skip', code: 'ENAME_CLASH', reason: expect.stringMatching(/copy would be named lecture\.pptx.*rename it/) });
    expect(found['notes.pps']).toMatchObject({ kind: 'process' });
    expect(found['notes.ppt']).toMatchObject({ kind: 'skip', code: 'ENAME_CLASH' });
  });

  it('names the copy of a 97–2003-named deck .pptx, and every other copy as its deck', () => {
    expect(copyNameFor('/in/a/Lecture 3.PPT')).toBe('/in/a/Lecture 3.pptx');
    expect(outputPathFor('/in/a/show.pps', '/in', '/out')).toBe(path.join('/out', 'a', 'show.pptx'));
    expect(outputPathFor('/in/a/deck.pptm', '/in', '/out')).toBe(path.join('/out', 'a', 'deck.pptm'));
    expect(outputPathFor('/in/a/ppt', '/in', '/out')).toBe(path.join('/out', 'a', 'ppt'));
  });
});

describe('altgen batch › a PowerPoint 2007+ deck named .ppt', () => {
  let server: FakeModelServer;
  beforeAll(async () => {
    server = await startFakeModelServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  async function batch(args: readonly string[]): Promise<{ code: number | null; summary: { warnings: string[]; items: QueueItem[] } }> {
    const config = await sandbox.writeConfig(`model:\n  base_url: ${server.url}\n  max_retries: 0\nbatch_processing:\n  dry_run_validates_ollama: false\n`);
    const result = await sandbox.run(['batch', '--input-dir', lectures, '--output-dir', sandbox.path('out'), '--config', config, '--json', ...args], {}, 120_000);
    expect(result.signal, result.stderr).toBeNull();
    return { code: result.code, summary: JSON.parse(result.stdout) };
  }

  function outcomes(items: readonly QueueItem[]): Record<string, [string, string | null]> {
    return Object.fromEntries(items.map((item) => [path.basename(item.path), [item.status, item.error_code]]));
  }

  it('is processed by the dry run and the run alike, its copy named .pptx; a real 97–2003 file is still skipped', { timeout: 180_000 }, async () => {
    await buildDeck(path.join(lectures, 'saved-as.ppt'), DECK);
    await buildLegacyPpt(path.join(lectures, 'old.ppt'));
    await buildLegacyPpt(path.join(lectures, 'old-renamed.pptx'));
    const note = `${path.join(lectures, 'saved-as.ppt')}: A PowerPoint 2007+ deck with a 97–2003 name (.ppt): it is processed, and its copy is named saved-as.pptx so that PowerPoint opens it.`;

    const dryRun = await batch(['--dry-run']);
    expect(outcomes(dryRun.summary.items)).toEqual({
      'saved-as.ppt': ['complete', null],
      'old.ppt': ['skipped', 'ELEGACY_FORMAT'],
      // As before: a 97–2003 file named .pptx is refused by content in the dry run.
      'old-renamed.pptx': ['skipped', 'ELEGACY_FORMAT'],
    });
    expect(dryRun.summary.warnings).toContain(note);

    const run = await batch([]);
    expect(outcomes(run.summary.items)).toEqual({
      'saved-as.ppt': ['complete', null],
      'old.ppt': ['skipped', 'ELEGACY_FORMAT'],
      'old-renamed.pptx': ['failed', 'ELEGACY_FORMAT'],
    });
    expect(run.summary.warnings).toContain(note);
    const copies = await fs.readdir(sandbox.path('out'));
    expect(copies).toContain('saved-as.pptx');
    expect(copies).not.toContain('saved-as.ppt');
    expect(run.summary.items.find((item) => item.path.endsWith('saved-as.ppt'))?.result?.output_path).toBe(sandbox.path('out', 'saved-as.pptx'));
    expect(server.requests.length).toBeGreaterThan(0);
  });
});
