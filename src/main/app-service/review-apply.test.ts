import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import JSZip from 'jszip';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeModelServer } from '../describe/testing/fake-model-server';
import { startFakeModelServer } from '../describe/testing/fake-model-server';
import { buildDeck } from '../fixtures/deck-builder';
import { AppService } from './app-service';

/**
 * The review loop end to end: the built-in processor (`altgen process`, run from the sources)
 * describes the pictures through a loopback server that speaks Ollama's API, the review screen
 * reads its report, and an edited description is written into the accessible copy.
 */
const PROJECT = fileURLToPath(new URL('../../..', import.meta.url));
const CLI = path.join(PROJECT, 'src/main/cli/index.ts');
const TSX = pathToFileURL(path.join(PROJECT, 'node_modules/tsx/dist/loader.mjs')).href;

let root: string;
let model: FakeModelServer;
let service: AppService;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-review-'));
  model = await startFakeModelServer({ models: ['llava:latest'] });
  const configDir = path.join(root, 'config');
  await fs.mkdir(configDir, { recursive: true });
  await fs.writeFile(path.join(configDir, 'config.yaml'), `model:\n  base_url: ${model.url}\n  name: llava\ncache:\n  enabled: false\n`);
  service = new AppService({
    host: { kind: 'web', version: 'test' },
    env: { ...process.env, ALTGEN_CONFIG_DIR: configDir, ALTGEN_DATA_DIR: path.join(root, 'data') },
    builtInProcessor: [process.execPath, '--import', TSX, CLI],
  });
});

afterEach(async () => {
  await service.shutdown();
  await model.stop();
  await fs.rm(root, { recursive: true, force: true });
});

async function slideXml(deck: string): Promise<string> {
  const zip = await JSZip.loadAsync(await fs.readFile(deck));
  return (await zip.file('ppt/slides/slide1.xml')?.async('string')) ?? '';
}

describe('review:get and review:apply with the built-in processor', () => {
  it('shows what the model wrote and writes an edited description into the copy', async () => {
    const lectures = path.join(root, 'Lectures');
    const output = path.join(root, 'out');
    await fs.mkdir(lectures);
    await buildDeck(path.join(lectures, 'heart.pptx'), { slides: [{ title: 'The heart', pictures: [{ name: 'Picture 1' }, { descr: 'A human heart, anterior view' }] }] });
    const { manifest_path } = await service.handle('batch:start', { paths: [lectures], output_dir: output, dry_run: false });
    await service.whenIdle();
    const snapshot = await service.handle('batch:get-current', null);
    expect(snapshot?.rows[0], JSON.stringify(snapshot?.rows[0])).toMatchObject({ status: 'complete', output_path: path.join(output, 'heart.pptx') });

    const review = await service.handle('review:get', { manifest_path, index: 0 });
    const described = review.pictures.find((picture) => picture.decision === 'described');
    expect(described?.after).toMatch(/^Test figure/);
    expect(review.pictures.find((picture) => picture.decision === 'preserved')?.after).toBe('A human heart, anterior view');

    const edited = 'Diagram of the heart with the four chambers labelled';
    const result = await service.handle('review:apply', { manifest_path, index: 0, edits: [{ key: described?.key ?? '', descr: edited }] });
    expect(result).toEqual({ output_path: path.join(output, 'heart.pptx'), changed: 1 });
    expect(await slideXml(path.join(output, 'heart.pptx'))).toContain(`descr="${edited}"`);
    expect(await slideXml(path.join(lectures, 'heart.pptx'))).not.toContain(edited);

    const again = await service.handle('review:get', { manifest_path, index: 0 });
    expect(again.pictures.find((picture) => picture.key === described?.key)).toMatchObject({ after: edited, decision: 'edited' });
    expect(again.report_path).toBe(review.report_path);
    const report = JSON.parse(await fs.readFile(review.report_path, 'utf8')) as { deck: string; output: string };
    expect(report).toMatchObject({ deck: path.join(lectures, 'heart.pptx'), output: path.join(output, 'heart.pptx') });
    // Nothing hidden beside the copies but AltGen's own folder (batch/batch-folder.ts).
    const leftovers = (await fs.readdir(output)).filter((name) => name.startsWith('.') && name !== '.altgen');
    expect(leftovers).toEqual([]);
  });
});
