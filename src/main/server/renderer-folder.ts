import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Finds the built renderer (`out/renderer/index.html`): `$ALTGEN_RENDERER_DIR` if set (and only there), else
 * the nearest `out/renderer` above this module, which is right both from the sources
 * (src/main/server, run through tsx) and from the build (out/main and its chunks).
 */

export class RendererMissingError extends Error {
  readonly code = 'ERENDERER_MISSING';
}

export function findRendererFolder(env: NodeJS.ProcessEnv, from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  const override = env['ALTGEN_RENDERER_DIR'];
  const looked: string[] = [];
  const candidates: string[] = [];
  if (override) candidates.push(path.resolve(override));
  for (let dir = from; !override; dir = path.dirname(dir)) {
    if (path.basename(dir) === 'out') candidates.push(path.join(dir, 'renderer'));
    candidates.push(path.join(dir, 'out', 'renderer'));
    if (path.dirname(dir) === dir) break;
  }
  for (const candidate of candidates) {
    if (existsSync(path.join(candidate, 'index.html'))) return candidate;
    looked.push(candidate);
  }
  throw new RendererMissingError(
    `The web UI is not built: run \`npm run build\` in the project folder first (looked for index.html in ${looked.slice(0, 3).join(', ')}).`,
  );
}
