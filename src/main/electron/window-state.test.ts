import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWindowState, restorableState, writeWindowState } from './window-state';

const SCREEN = [{ x: 0, y: 0, width: 1920, height: 1080 }];
const MIN = { width: 720, height: 480 };

describe('window state', () => {
  it('restores a window that is still on a screen, at least at the minimum size', () => {
    expect(restorableState({ bounds: { x: 100, y: 50, width: 1000, height: 700 }, maximized: true }, SCREEN, MIN)).toEqual({
      bounds: { x: 100, y: 50, width: 1000, height: 700 },
      maximized: true,
    });
    expect(restorableState({ bounds: { x: 0, y: 0, width: 100, height: 100 } }, SCREEN, MIN)?.bounds).toEqual({ x: 0, y: 0, width: 720, height: 480 });
  });

  it('forgets a position on a monitor that is gone, and anything malformed', () => {
    expect(restorableState({ bounds: { x: 2500, y: 0, width: 1000, height: 700 }, maximized: false }, SCREEN, MIN)).toBeNull();
    expect(restorableState({ bounds: { x: 1500, y: 0, width: 1000, height: 700 } }, SCREEN, MIN)).toBeNull();
    for (const junk of [null, 'x', {}, { bounds: { x: 'a', y: 0, width: 1, height: 1 } }, { bounds: { x: 0, y: 0, width: -5, height: 9 } }]) {
      expect(restorableState(junk, SCREEN, MIN)).toBeNull();
    }
  });

  it('round-trips through the user data folder, and reads a missing or damaged file as nothing', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-window-'));
    try {
      const file = path.join(dir, 'nested', 'window-state.json');
      expect(await readWindowState(file)).toBeNull();
      await writeWindowState(file, { bounds: { x: 1, y: 2, width: 800, height: 600 }, maximized: false });
      expect(await readWindowState(file)).toEqual({ bounds: { x: 1, y: 2, width: 800, height: 600 }, maximized: false });
      await fs.writeFile(file, '{broken');
      expect(await readWindowState(file)).toBeNull();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
