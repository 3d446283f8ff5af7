import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { candidatePaths, launchPaths } from './launch-paths';

describe('launch paths', () => {
  it('keeps existing folders and decks from a command line, not switches, the app itself or other files', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-launch-'));
    try {
      await fs.mkdir(path.join(dir, 'Lectures'));
      await fs.writeFile(path.join(dir, 'deck.PPTX'), '');
      await fs.writeFile(path.join(dir, 'notes.txt'), '');
      const argv = ['--allow-file-access-from-files', '.', 'Lectures', 'deck.PPTX', 'notes.txt', 'missing', ''];
      expect(candidatePaths(argv, dir, [dir])).toEqual(['Lectures', 'deck.PPTX', 'notes.txt', 'missing'].map((p) => path.join(dir, p)));
      expect(await launchPaths(argv, dir, [dir])).toEqual([path.join(dir, 'Lectures'), path.join(dir, 'deck.PPTX')]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
