import { test, type Page } from '@playwright/test';
import { startAltgenServe, type AltgenServe } from './support/altgen-serve';
import type { TestWorld } from './support/lecture-folder';
import { runMainFlow, type Host } from './support/main-flow';

/**
 * The main flow (support/main-flow.ts) in Chromium, against the real `altgen serve`: the page
 * talks to the batch core through the WebSocket bridge. electron.spec.ts runs the same flow in
 * the Electron app.
 */

/** `altgen serve` on the world's folders, its page in Playwright's browser; a kill is a SIGKILL of the server. */
function serveHost(page: Page, world: TestWorld): Host {
  const servers: AltgenServe[] = [];
  return {
    kind: 'browser',
    start: async () => {
      const server = await startAltgenServe({
        configDir: world.configDir,
        dataDir: world.dataDir,
        cwd: world.root,
        env: { ALTGEN_TEST_MODE_FILE: world.modeFile },
      });
      servers.push(server);
      await page.goto(server.url);
      return page;
    },
    kill: async () => {
      const server = servers.at(-1);
      if (!server) throw new Error('There is no altgen serve to kill: start it first.');
      await server.kill();
    },
    stop: async () => {
      for (const server of servers.splice(0)) await server.stop();
    },
  };
}

test('a folder of decks: preview, dry run, run, crash, resume, failed files, settings', async ({ page }, testInfo) => {
  await runMainFlow((world) => serveHost(page, world), testInfo);
});
