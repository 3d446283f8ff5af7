import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchEvent } from '../../shared/batch-events';
import type { AltgenConfig } from '../../shared/config-schema';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import { startFakeModelServer, type FakeModelServer } from '../describe/testing/fake-model-server';
import { buildDeck } from '../fixtures/deck-builder';
import type { BatchRunOptions } from './batch-runner';
import { BatchRunner } from './batch-runner';
import { discoverInputs } from './discover-inputs';
import { ManifestStore } from './manifest-store';

/**
 * The batch's clock as the runner reports it: elapsed time is the batch's own across its runs,
 * the estimate counts pictures, and a wait for the model server ends at once on "Try now".
 * Real decks, the real runner, the scripted processor, a real loopback model server.
 */

const SCRIPT = fileURLToPath(new URL('./test-processors/scripted-processor.mjs', import.meta.url));

let root: string;
let inputDir: string;
let outputDir: string;
const servers: FakeModelServer[] = [];

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-clock-'));
  inputDir = path.join(root, 'lectures');
  outputDir = path.join(root, 'out');
  await fs.mkdir(inputDir, { recursive: true });
});

afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  delete process.env['ALTGEN_TEST_MODE_FILE'];
  await fs.rm(root, { recursive: true, force: true });
});

/** The scripted processor in `mode` (with its options after the mode's name). */
function config(mode: readonly string[], model: Partial<AltgenConfig['model']> = {}): AltgenConfig {
  const [name = 'succeed', ...options] = mode;
  return {
    ...DEFAULT_CONFIG,
    batch_processing: { ...DEFAULT_CONFIG.batch_processing, dry_run_validates_ollama: false },
    processor: { command: ['node', SCRIPT, name, '{input}', '{output}', ...options] },
    model: { ...DEFAULT_CONFIG.model, ...model },
  };
}

async function makeDecks(names: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const name of names) {
    const file = path.join(inputDir, name);
    await buildDeck(file, { title: name, slides: [{ title: 'Slide', pictures: [{ name: 'Picture 1' }] }] });
    files.push(file);
  }
  return files;
}

/** A runner of the lecture folder (or, with `resume`, of the batch in the output folder); `onEvent` sees it too. */
async function makeRunner(options: Partial<BatchRunOptions> & { config: AltgenConfig }, onEvent: (event: BatchEvent, runner: BatchRunner) => void): Promise<BatchRunner> {
  const discovery = options.resume ? null : await discoverInputs({ inputDir, outputDir });
  const runner: BatchRunner = new BatchRunner(discovery?.files ?? null, outputDir, {
    inputRoot: discovery?.inputRoot ?? null,
    onEvent: (event) => onEvent(event, runner),
    ...options,
  });
  return runner;
}

function startedClock(events: readonly BatchEvent[]) {
  const event = events.find((e) => e.type === 'batch:started');
  if (event?.type !== 'batch:started') throw new Error('The batch never started.');
  return event.clock;
}

describe('BatchRunner clock', () => {
  it('goes on from the batch’s own time when it is resumed, and keeps that time in the manifest', async () => {
    await makeDecks(['a.pptx', 'b.pptx', 'c.pptx']);
    const slow = config(['slow', '--delay-ms', '300']);
    const first = await makeRunner({ config: slow }, (event, runner) => {
      if (event.type === 'item:updated' && event.item.status === 'complete') runner.stopAfterCurrent();
    });
    const stopped = await first.run();
    expect(stopped.stop_reason).toBe('stop-after-current');
    expect(stopped.duration_ms).toBeGreaterThan(0);
    const kept = (await ManifestStore.open(stopped.manifest_path)).snapshot().metadata;
    expect(kept).toMatchObject({ elapsed_ms: stopped.duration_ms, run_started_at: null });

    const events: BatchEvent[] = [];
    const second = await makeRunner({ config: slow, resume: true, batchId: stopped.batch_id }, (event) => events.push(event));
    const finished = await second.run();
    expect(finished.stop_reason).toBe('finished');
    // The resumed run starts where the first one stopped, not at 0, and adds its own time.
    expect(startedClock(events).elapsed_ms).toBeGreaterThanOrEqual(stopped.duration_ms);
    expect(finished.duration_ms).toBeGreaterThan(stopped.duration_ms);
  });

  it('estimates the pictures a dry run planned × one picture’s time measured on this computer, before it has timed one itself', async () => {
    const [a, b] = await makeDecks(['a.pptx', 'b.pptx']);
    const events: BatchEvent[] = [];
    const runner = await makeRunner(
      { config: config(['succeed']), plannedPictures: new Map([[a!, 3], [b!, 2]]), msPerPicture: 1_000 },
      (event) => events.push(event),
    );
    await runner.run();
    expect(startedClock(events).eta_ms).toBe(5_000);
  });
});

describe('BatchRunner waiting for the model server', () => {
  it('asks the server at once on "Try now" and goes on when it answers, instead of at its next poll an hour later', async () => {
    await makeDecks(['a.pptx']);
    const modes = path.join(root, 'modes.json');
    await fs.writeFile(modes, JSON.stringify({ '*': 'model-unavailable' }));
    process.env['ALTGEN_TEST_MODE_FILE'] = modes;
    const absent = await startFakeModelServer();
    const { port, url } = absent;
    await absent.stop();
    const answers: boolean[] = [];
    const runner = await makeRunner(
      { config: config(['by-file'], { base_url: url, check_timeout_seconds: 1 }), modelPoll: { firstMs: 3_600_000, maxMs: 3_600_000 } },
      (event, self) => {
        if (event.type !== 'batch:paused') return;
        void (async () => {
          // Still gone: "Try now" says so, and the batch keeps waiting.
          answers.push(await self.tryModelNow());
          await fs.writeFile(modes, JSON.stringify({ '*': 'succeed' }));
          servers.push(await startFakeModelServer({ port }));
          answers.push(await self.tryModelNow());
        })();
      },
    );
    expect(await runner.tryModelNow()).toBe(false);
    const summary = await runner.run();
    expect(answers).toEqual([false, true]);
    expect(summary.stop_reason).toBe('finished');
    expect(summary.counts).toMatchObject({ complete: 1, failed: 0 });
  });
});
