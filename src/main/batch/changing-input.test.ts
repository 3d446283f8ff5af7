import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AltgenConfig } from '../../shared/config-schema';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import { buildDeck } from '../fixtures/deck-builder';
import { BatchRunner } from './batch-runner';
import { MAX_INPUT_CHANGES } from './item-job';
import { discoverInputs } from './discover-inputs';

/**
 * Issue 11: a deck saved over while its processor ran failed as "Damaged file … CRC-32
 * mismatch. Use an intact copy", although the file was intact. Through the real runner, with a
 * processor that saves its input again mid-run and fails as the built-in one then does.
 */

const SCRIPT = fileURLToPath(new URL('./test-processors/scripted-processor.mjs', import.meta.url));

let root: string;
let inputDir: string;
let outputDir: string;
let countFile: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-changing-'));
  inputDir = path.join(root, 'lectures');
  outputDir = path.join(root, 'out');
  countFile = path.join(root, 'runs');
  await buildDeck(path.join(inputDir, 'anatomy.pptx'), { title: 'Anatomy', slides: [{ title: 'The heart', pictures: [{ name: 'Picture 1' }] }] });
});

afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

function config(mode: readonly string[]): AltgenConfig {
  return {
    ...DEFAULT_CONFIG,
    batch_processing: { ...DEFAULT_CONFIG.batch_processing, dry_run_validates_ollama: false },
    processor: { command: ['node', SCRIPT, ...mode.slice(0, 1), '{input}', '{output}', ...mode.slice(1)] },
  };
}

async function run(mode: readonly string[], resume = false) {
  const discovery = resume ? null : await discoverInputs({ inputDir, outputDir });
  return new BatchRunner(discovery?.files ?? null, outputDir, { config: config(mode), inputRoot: discovery?.inputRoot ?? null, resume }).run();
}

async function runs(): Promise<number> {
  return Number(await fs.readFile(countFile, 'utf8'));
}

async function onlyItem(manifestPath: string) {
  const manifest = JSON.parse(await fs.readFile(manifestPath, 'utf8'));
  return manifest.queue.items[0];
}

describe('BatchRunner › an input saved over while it is processed (issue 11)', () => {
  it('puts the deck back in the queue without counting an attempt, and then completes it', async () => {
    const summary = await run(['rewrite-input', '--count-file', countFile, '--changes', '1']);
    expect(summary.counts).toMatchObject({ complete: 1, failed: 0, skipped: 0 });
    expect(await runs()).toBe(2);
    expect(await onlyItem(summary.manifest_path)).toMatchObject({ status: 'complete', attempts: 0, error: null });
    expect(await fs.readdir(outputDir)).toContain('anatomy.pptx');
  });

  it(`skips a deck that keeps changing after ${MAX_INPUT_CHANGES} runs, saying so, and a resume tries it again`, async () => {
    const summary = await run(['rewrite-input', '--count-file', countFile]);
    expect(summary.counts).toMatchObject({ complete: 0, failed: 0, skipped: 1 });
    expect(await runs()).toBe(MAX_INPUT_CHANGES);
    const item = await onlyItem(summary.manifest_path);
    expect(item).toMatchObject({ status: 'skipped', attempts: 0, error_code: 'EINPUT_CHANGING' });
    expect(item.skip_reason).toMatch(new RegExp(`changed ${MAX_INPUT_CHANGES} times while it was being processed.*close that program, then resume`));

    const resumed = await run(['succeed'], true);
    expect(resumed.counts).toMatchObject({ complete: 1, skipped: 0 });
  });
});
