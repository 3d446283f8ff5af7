import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `altgen serve` serves the built renderer (out/renderer) and the Electron spec launches the
 * built main process (out/main). Build once before the tests when the build is missing or
 * older than any source, so the tests never drive a stale app.
 */
const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILT_PAGE = path.join(PROJECT, 'out/renderer/index.html');
const SOURCES = ['src/renderer', 'src/shared', 'src/main'].map((dir) => path.join(PROJECT, dir));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

export default function globalSetup(): void {
  const builtAt = existsSync(BUILT_PAGE) ? statSync(BUILT_PAGE).mtimeMs : 0;
  const changedAt = Math.max(...SOURCES.map(newestMtime));
  if (builtAt >= changedAt) return;
  process.stdout.write(`e2e: ${builtAt ? 'out/ is older than its sources' : 'out/ is missing'}; running npx electron-vite build…\n`);
  execFileSync('npx', ['electron-vite', 'build'], { cwd: PROJECT, stdio: 'inherit' });
}
