import path from 'node:path';
import { expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { findElectronBinary, killAltgenDesktop, launchAltgenDesktop } from './support/electron-app';
import type { TestWorld } from './support/lecture-folder';
import { runMainFlow, type Host } from './support/main-flow';

/**
 * The main flow (support/main-flow.ts) in the Electron app instead of `altgen serve` in a
 * browser: the same folder, processor and UI, with the preload's IPC bridge in place of the
 * WebSocket, and every window checked for lockdown. Skips, saying why, where the Electron binary
 * is not installed (its download needs the network).
 */

/** The page must have no Node, only the preload's named bridge. */
async function expectLockedDown(window: Page): Promise<void> {
  expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
  const bridge = await window.evaluate(() => {
    const altgen = (globalThis as { altgen?: Record<string, unknown> }).altgen;
    return altgen ? { invoke: typeof altgen['invoke'], on: typeof altgen['on'] } : null;
  });
  expect(bridge).toEqual({ invoke: 'function', on: 'function' });
  expect(await window.evaluate(() => (globalThis as { altgenHost?: { kind?: unknown } }).altgenHost?.kind)).toBe('electron');
}

/**
 * AltGen Desktop on the world's folders, with its own Chromium profile; a kill is a SIGKILL of
 * the app, and the app is always ended that way: quitting mid-batch would wait on a question
 * (close-guard.ts).
 */
function electronHost(binary: string, world: TestWorld): Host {
  const apps: ElectronApplication[] = [];
  return {
    kind: 'electron',
    start: async () => {
      const app = await launchAltgenDesktop(binary, {
        configDir: world.configDir,
        dataDir: world.dataDir,
        profileDir: path.join(world.root, 'electron-profile'),
        cwd: world.root,
        env: { ALTGEN_TEST_MODE_FILE: world.modeFile },
      });
      apps.push(app);
      const page = await app.firstWindow();
      await expect(page.getByRole('heading', { name: 'AltGen Desktop', level: 1 })).toBeVisible();
      await expectLockedDown(page);
      return page;
    },
    kill: async () => {
      const app = apps.at(-1);
      if (!app) throw new Error('There is no AltGen Desktop to kill: start it first.');
      await killAltgenDesktop(app);
    },
    stop: async () => {
      for (const app of apps.splice(0)) await killAltgenDesktop(app);
    },
  };
}

test('AltGen Desktop (Electron): preview, dry run, run, crash, resume, failed files, settings', async () => {
  const electron = findElectronBinary();
  if (!electron.installed) {
    test.skip(true, electron.reason);
    return;
  }
  const binary = electron.path;
  await runMainFlow((world) => electronHost(binary, world), test.info());
});
