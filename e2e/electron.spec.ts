import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PATH_TXT = path.join(PROJECT, 'node_modules/electron/path.txt');

/** The Electron binary is downloaded on first start; where that cannot happen, say so and skip. */
function electronBinary(): string | null {
  if (!existsSync(PATH_TXT)) return null;
  const binary = path.join(PROJECT, 'node_modules/electron/dist', readFileSync(PATH_TXT, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

test.describe('AltGen Desktop (Electron)', () => {
  test('opens one locked-down window showing the app', async () => {
    const binary = electronBinary();
    test.skip(binary === null, `Electron binary not installed (no ${path.relative(PROJECT, PATH_TXT)}); run \`npx install-electron\` where its download is reachable`);
    const app = await electron.launch({ executablePath: binary!, args: [path.join(PROJECT, 'out/main/electron.js'), '--no-sandbox'] });
    try {
      const window = await app.firstWindow();
      await expect(window.getByRole('heading', { name: 'AltGen Desktop' })).toBeVisible();
      // No Node in the page; only the named bridge from the preload.
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await window.evaluate(() => (globalThis as { altgenHost?: { kind: string } }).altgenHost?.kind)).toBe('electron');
      await window.screenshot({ path: test.info().outputPath('main-window.png') });
    } finally {
      await app.close();
    }
  });
});
