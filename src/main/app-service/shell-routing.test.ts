import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildDeck } from '../fixtures/deck-builder';
import { AppService } from './app-service';

/**
 * How AppService routes "Open" and "Show in folder" (shell-policy.ts has the path rules): only
 * to folders of the current batch, with real batches run by the scripted test processor.
 */
const SCRIPT = fileURLToPath(new URL('../batch/test-processors/scripted-processor.mjs', import.meta.url));

let root: string;
let service: AppService;
let opened: string[];
let revealed: string[];

async function batchFolder(name: string, decks: readonly string[]): Promise<{ input: string; output: string; decks: string[] }> {
  const input = path.join(root, name);
  const files: string[] = [];
  for (const deck of decks) {
    const file = path.join(input, deck);
    await buildDeck(file, { slides: [{ title: deck, pictures: [{ name: 'Picture 1' }] }] });
    files.push(file);
  }
  return { input, output: path.join(root, `${name} (alt text)`), decks: files };
}

async function runToEnd(batch: { input: string; output: string }): Promise<string> {
  const started = await service.handle('batch:start', { paths: [batch.input], output_dir: batch.output, dry_run: false });
  await service.whenIdle();
  return started.manifest_path;
}

async function answer(channel: 'shell:open-path' | 'shell:show-in-folder', target: string): Promise<string> {
  const result = await service.call(channel, { path: target });
  return result.ok ? 'ok' : result.error.code;
}

beforeEach(async () => {
  root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-shell-routing-')));
  const configDir = path.join(root, 'config');
  const modeFile = path.join(root, 'modes.json');
  await fs.mkdir(configDir, { recursive: true });
  await fs.writeFile(modeFile, JSON.stringify({ 'slow.pptx': ['slow', '--delay-ms', '20000'] }));
  await fs.writeFile(
    path.join(configDir, 'config.yaml'),
    [
      'batch_processing:',
      '  dry_run_validates_ollama: false',
      'processor:',
      `  command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(SCRIPT)}, by-file, "{input}", "{output}"]`,
      '',
    ].join('\n'),
  );
  opened = [];
  revealed = [];
  service = new AppService({
    host: { kind: 'electron', version: '0.0.0-test', openPath: async (p) => void opened.push(p), showInFolder: async (p) => void revealed.push(p) },
    env: { ...process.env, ALTGEN_CONFIG_DIR: configDir, ALTGEN_DATA_DIR: path.join(root, 'data') },
    homeDir: root,
  });
  // The processors inherit this process's environment: the scripted one reads its modes from here.
  process.env['ALTGEN_TEST_MODE_FILE'] = modeFile;
});

afterEach(async () => {
  await service.shutdown();
  delete process.env['ALTGEN_TEST_MODE_FILE'];
  await fs.rm(root, { recursive: true, force: true });
});

describe('AppService: Open and Show in folder reach the current batch only', () => {
  it('refuses everything before a batch, then allows the batch’s input and output folders through the host', async () => {
    const anatomy = await batchFolder('Anatomy', ['a.pptx']);
    expect(await answer('shell:show-in-folder', anatomy.decks[0] ?? '')).toBe('EFORBIDDEN');
    await runToEnd(anatomy);
    expect(await answer('shell:show-in-folder', path.join(anatomy.input, 'a.pptx'))).toBe('ok');
    expect(await answer('shell:open-path', path.join(anatomy.output, 'a.pptx'))).toBe('ok');
    expect(await answer('shell:open-path', anatomy.output)).toBe('ok');
    expect(await answer('shell:open-path', root)).toBe('EFORBIDDEN');
    expect(await answer('shell:show-in-folder', path.join(root, 'config', 'config.yaml'))).toBe('EFORBIDDEN');
    expect(opened).toEqual([path.join(anatomy.output, 'a.pptx'), anatomy.output]);
    expect(revealed).toEqual([path.join(anatomy.input, 'a.pptx')]);
  });

  it('forgets an earlier batch once another is current, even after reviewing it; opening it makes it current again', async () => {
    const anatomy = await batchFolder('Anatomy', ['a.pptx']);
    const physiology = await batchFolder('Physiology', ['p.pptx']);
    const anatomyManifest = await runToEnd(anatomy);
    await runToEnd(physiology);
    expect(await answer('shell:show-in-folder', path.join(anatomy.input, 'a.pptx'))).toBe('EFORBIDDEN');
    expect(await answer('shell:open-path', path.join(anatomy.output, 'a.pptx'))).toBe('EFORBIDDEN');
    expect(await answer('shell:open-path', path.join(physiology.output, 'p.pptx'))).toBe('ok');

    // Reading an old batch's review is not permission to open its folders.
    await fs.writeFile(path.join(anatomy.output, 'a.alt-text.json'), JSON.stringify({ pictures: [] }));
    expect(await service.call('review:get', { manifest_path: anatomyManifest, index: 0 })).toMatchObject({ ok: true });
    expect(await answer('shell:show-in-folder', path.join(anatomy.input, 'a.pptx'))).toBe('EFORBIDDEN');

    await service.handle('batch:open', { manifest_path: anatomyManifest });
    expect(await answer('shell:show-in-folder', path.join(anatomy.input, 'a.pptx'))).toBe('ok');
    expect(await answer('shell:open-path', path.join(physiology.output, 'p.pptx'))).toBe('EFORBIDDEN');
  });

  it('while a batch runs, allows it and the batch the window was switched to, and no other', async () => {
    const anatomy = await batchFolder('Anatomy', ['a.pptx']);
    const physiology = await batchFolder('Physiology', ['p.pptx']);
    const running = await batchFolder('Pharmacology', ['slow.pptx']);
    const anatomyManifest = await runToEnd(anatomy);
    await runToEnd(physiology);
    await service.handle('batch:start', { paths: [running.input], output_dir: running.output, dry_run: false });
    expect(service.isRunning).toBe(true);
    await service.handle('batch:open', { manifest_path: anatomyManifest });
    expect(await answer('shell:show-in-folder', path.join(running.input, 'slow.pptx'))).toBe('ok');
    expect(await answer('shell:show-in-folder', path.join(anatomy.input, 'a.pptx'))).toBe('ok');
    expect(await answer('shell:show-in-folder', path.join(physiology.input, 'p.pptx'))).toBe('EFORBIDDEN');
    service.stop('now');
  });
});
