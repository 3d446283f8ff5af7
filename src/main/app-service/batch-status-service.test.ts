import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchEvent } from '../../shared/batch-events';
import type { BridgeEvent } from '../../shared/ipc-contract';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import { buildDeck } from '../fixtures/deck-builder';
import { AppService } from './app-service';
import { PictureTiming } from './picture-timing';

/**
 * What the app's main side tells the screens so that the status tells one truth: "Try now" for
 * a batch waiting for the model server, one picture's time measured on this computer (the dry
 * run's estimate, the run's ETA from a dry run's plan), and History's word on a dry run that
 * found the model server down. The real service, real decks, the scripted processor.
 */

const SCRIPT = fileURLToPath(new URL('../batch/test-processors/scripted-processor.mjs', import.meta.url));

let root: string;
let lectures: string;
let configDir: string;
let dataDir: string;
let service: AppService;
let events: BridgeEvent[];

function makeService(): AppService {
  const created = new AppService({
    host: { kind: 'web', version: '0.0.0-test' },
    env: { ...process.env, ALTGEN_CONFIG_DIR: configDir, ALTGEN_DATA_DIR: dataDir },
    homeDir: root,
  });
  created.subscribe((event) => events.push(event));
  return created;
}

async function writeConfig(lines: readonly string[]): Promise<void> {
  await fs.mkdir(configDir, { recursive: true });
  await fs.writeFile(path.join(configDir, 'config.yaml'), [...lines, ''].join('\n'));
}

function scriptedProcessor(mode: string): string[] {
  return ['processor:', `  command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(SCRIPT)}, ${mode}, "{input}", "{output}"]`];
}

function batchEvents(): BatchEvent[] {
  return events.flatMap((e) => (e.event === 'batch:changed' ? [e.payload] : []));
}

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-status-'));
  lectures = path.join(root, 'Lectures');
  configDir = path.join(root, 'config');
  dataDir = path.join(root, 'data');
  await fs.mkdir(lectures, { recursive: true });
  for (const name of ['a.pptx', 'b.pptx']) {
    await buildDeck(path.join(lectures, name), { title: name, slides: [{ title: 'Slide', pictures: [{ imageSize: 64 }, { imageSize: 64, imageSeed: 3 }, { descr: 'A human heart, anterior view' }] }] });
  }
  events = [];
  service = makeService();
});

afterEach(async () => {
  await service.shutdown();
  await fs.rm(root, { recursive: true, force: true });
});

describe('AppService and the batch’s status', () => {
  it('answers "Try now" with not answering when no batch waits for the model server', async () => {
    expect(await service.handle('batch:try-model-now', null)).toEqual({ answering: false });
  });

  it('measures one picture’s time in a run, and says it with the model’s status for the dry run’s estimate', async () => {
    await writeConfig(scriptedProcessor('succeed'));
    expect((await service.handle('model:check', null)).ms_per_picture).toBeNull();
    await service.handle('batch:start', { paths: [lectures], output_dir: path.join(root, 'out'), dry_run: false });
    await service.whenIdle();
    // The scripted processor reports one model call per deck.
    const measured = (await service.handle('model:check', null)).ms_per_picture;
    expect(measured).toEqual(expect.any(Number));
    expect(measured).toBeGreaterThan(0);
  });

  it('estimates a run started from a dry run from the pictures the dry run planned, at the time measured here', async () => {
    await writeConfig(['batch_processing:', '  dry_run_validates_ollama: false', ...scriptedProcessor('succeed')]);
    await new PictureTiming(path.join(dataDir, 'picture-timing.json')).record(DEFAULT_CONFIG.model, 40_000, 4);
    const output = path.join(root, 'out');
    const dryRun = await service.handle('batch:start', { paths: [lectures], output_dir: output, dry_run: true });
    await service.whenIdle();
    events = [];
    await service.handle('batch:start', { paths: [lectures], output_dir: output, dry_run: false, dry_run_manifest: dryRun.manifest_path });
    await service.whenIdle();
    const started = batchEvents().find((event) => event.type === 'batch:started');
    // Two pictures per deck for the model, two decks, 10 s a picture, one deck at a time.
    expect(started?.type === 'batch:started' ? started.clock.eta_ms : undefined).toBe(40_000);
  });

  it('lists a dry run that found the model server down with what it found', async () => {
    await writeConfig(['model:', '  base_url: http://127.0.0.1:9', '  check_timeout_seconds: 1']);
    await service.handle('batch:start', { paths: [lectures], output_dir: path.join(root, 'out'), dry_run: true });
    await service.whenIdle();
    const [listed] = await service.handle('batches:list', null);
    expect(listed?.dry_run).toBe(true);
    expect(listed?.model_problem).toMatch(/127\.0\.0\.1:9/);
  });
});
