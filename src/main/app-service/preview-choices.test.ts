import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildDeck } from '../fixtures/deck-builder';
import { AppService } from './app-service';

/** The choices made before a batch starts, through `batch:start` as both hosts serve it. */

const SCRIPT = fileURLToPath(new URL('../batch/test-processors/scripted-processor.mjs', import.meta.url));

let root: string;
let lectures: string;
let service: AppService;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-choices-'));
  lectures = path.join(root, 'Lectures');
  for (const name of ['a.pptx', 'b.pptx', 'imaging/c.pptx']) {
    await fs.mkdir(path.dirname(path.join(lectures, name)), { recursive: true });
    await buildDeck(path.join(lectures, name), { slides: [{ title: name, pictures: [{ name: 'Picture 1' }] }] });
  }
  await fs.mkdir(path.join(root, 'config'));
  await fs.writeFile(
    path.join(root, 'config', 'config.yaml'),
    `batch_processing:\n  dry_run_validates_ollama: false\nprocessor:\n  command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(SCRIPT)}, succeed, "{input}", "{output}"]\n`,
  );
  service = new AppService({ host: { kind: 'web', version: '0.0.0-test' }, env: { ...process.env, ALTGEN_CONFIG_DIR: path.join(root, 'config'), ALTGEN_DATA_DIR: path.join(root, 'data') }, homeDir: root });
});

afterEach(async () => {
  await service.shutdown();
  await fs.rm(root, { recursive: true, force: true });
});

describe('batch:start with the preview\'s choices', () => {
  it('leaves out the decks the user excluded', async () => {
    await service.handle('batch:start', { paths: [lectures], output_dir: path.join(root, 'out'), dry_run: true, exclude: [path.join(lectures, 'b.pptx')] });
    await service.whenIdle();
    expect(service.currentSnapshot()?.rows.map((row) => row.relative_path)).toEqual(['a.pptx', path.join('imaging', 'c.pptx')]);
    const refused = await service.call('batch:start', { paths: [lectures], output_dir: path.join(root, 'out'), dry_run: true, exclude: ['a.pptx', 'b.pptx', 'imaging/c.pptx'].map((name) => path.join(lectures, name)) });
    expect(refused).toEqual({ ok: false, error: { code: 'ENO_DECKS', message: 'Every deck was left out of the batch: include at least one.' } });
  }, 60_000);

  it('mirrors the dry run\'s folder when only some of its decks are started', async () => {
    const out = path.join(root, 'out');
    await service.handle('batch:start', { paths: [path.join(lectures, 'imaging', 'c.pptx')], output_dir: out, dry_run: false, input_root: lectures });
    await service.whenIdle();
    expect(existsSync(path.join(out, 'imaging', 'c.pptx'))).toBe(true);
    const outside = await service.call('batch:start', { paths: [path.join(lectures, 'a.pptx')], output_dir: out, dry_run: false, input_root: path.join(lectures, 'imaging') });
    expect(outside).toMatchObject({ ok: false, error: { code: 'EBAD_REQUEST', message: expect.stringContaining('is not in') } });
  }, 60_000);
});
