import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock } from '../batch/file-locks';
import { manifestIn, Sandbox } from '../batch/testing/altgen-cli';
import { buildDeck } from '../fixtures/deck-builder';

/**
 * The batch hands its processors the settings it resolved (issue 12): a processor never looks
 * for a config.yaml of its own, so a file that is in its working folder but not the batch's
 * (there when the processor starts, not when the batch read its settings) changes nothing.
 */

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await Sandbox.create('altgen-settings-handoff-');
});

afterEach(async () => {
  await sandbox.remove();
});

async function waitForFile(find: () => Promise<string | null>, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found) return found;
    if (Date.now() > deadline) throw new Error('timed out waiting for the batch to start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('altgen batch › the settings its processors use', () => {
  it('a config.yaml that turns up in the working folder mid-batch is not read: the processor uses what the batch resolved', async () => {
    const deck = sandbox.path('Lectures', 'heart.pptx');
    const out = sandbox.path('out');
    await fs.mkdir(path.dirname(deck), { recursive: true });
    await buildDeck(deck, { slides: [{ title: 'Heart', pictures: [{ descr: 'A human heart, anterior view' }] }] });
    // Neither the working folder nor the user's config folder holds a config.yaml: the batch runs
    // on the defaults. It waits for this lock, so the stray file is there before its processor starts.
    const release = await acquireLock(deck, { waitMs: 0 });
    let running;
    try {
      running = sandbox.start(['batch', '--input-dir', path.dirname(deck), '--output-dir', out, '--max-lock-wait', '600', '--json']);
      await waitForFile(() => manifestIn(out));
      await sandbox.writeConfig('alt_text:\n  policy: overwrite\n  read_text_in_images: false\nmodel:\n  provider: offline\n');
    } finally {
      await release();
    }
    const result = await running.done;
    expect(result.code, result.stderr).toBe(0);
    const [item] = JSON.parse(result.stdout).items;
    expect(item).toMatchObject({ status: 'complete', result: { pictures: 1, preserved: 1, drafted: 0 } });
  });
});
