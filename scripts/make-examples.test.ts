import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_EXAMPLES_ROOT, EXAMPLE_DECKS, EXAMPLE_LEGACY_FILE, makeExamples } from './make-examples';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'examples-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('makeExamples', () => {
  it('writes the three lecture decks and the legacy file', async () => {
    const written = await makeExamples(dir);
    expect(written.map((file) => path.relative(dir, file).split(path.sep).join('/'))).toEqual([
      ...Object.keys(EXAMPLE_DECKS),
      EXAMPLE_LEGACY_FILE,
    ]);
  });

  it('matches the shipped examples byte for byte (run `npm run examples` after changing it)', async () => {
    const written = await makeExamples(dir);
    for (const file of written) {
      const shipped = path.join(DEFAULT_EXAMPLES_ROOT, path.relative(dir, file));
      expect((await readFile(file)).equals(await readFile(shipped)), shipped).toBe(true);
    }
  });

  it('describes the first deck as documented: 4 slides, 5 pictures, 2 described, 1 weak, 2 missing', () => {
    const deck = EXAMPLE_DECKS['01-cardiac-anatomy.pptx'];
    const pictures = deck?.slides.flatMap((slide) => slide.pictures ?? []) ?? [];
    expect(deck?.slides).toHaveLength(4);
    expect(pictures).toHaveLength(5);
    expect(pictures.filter((p) => p.descr && p.descr.length > 40)).toHaveLength(2);
    expect(pictures.filter((p) => p.descr === 'Picture 3')).toHaveLength(1);
    expect(pictures.filter((p) => p.descr === undefined)).toHaveLength(2);
  });
});
