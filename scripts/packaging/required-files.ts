import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { nodeFileTrace } from '@vercel/nft';
import { defaultLanguageDataDir } from '../../src/main/describe/ocr';

/**
 * The files the built app needs at run time, and where each must be in the package.
 *
 * How it knows: @vercel/nft traces every `import`/`require` (and the files they name by path,
 * such as `path.join(here, 'processor.js')`) from the app's entries, in the built `out/` and in
 * node_modules. Files loaded by path in ways a tracer cannot follow are added by name: the OCR
 * engine's WebAssembly (beside the Emscripten script that loads it) and its language data.
 *
 * Where each must be:
 * - `archive`: the main process (Electron, with asar support) loads it: inside app.asar or
 *   unpacked, either will do.
 * - `child-process`: the per-deck processor loads it. The app starts the processor from
 *   app.asar.unpacked (main.ts) and it resolves modules from there, as plain Node would.
 * - `worker`: a worker thread loads it: the OCR engine's (ocr.ts) and the dry run's
 *   (dry-run-pool.ts), both started from app.asar.unpacked.
 *
 * What it does not see: modules loaded under a name computed at run time (a tracer follows
 * literals). The check's run of the packaged processor covers those for the processor and OCR.
 */

export type Placement = 'archive' | 'child-process' | 'worker';

export interface RequiredFile {
  readonly path: string;
  readonly placement: Placement;
  /** The entry whose run needs it (`out/main/processor.js`). */
  readonly neededBy: string;
}

interface Entry {
  readonly file: string;
  readonly placement: Placement;
}

/** The module the OCR engine's thread runs, resolved as ocr.ts resolves it. */
const OCR_WORKER_SCRIPT = 'tesseract.js/src/worker-script/node/index.js';
/** Electron provides `electron` to the main process; the npm package of that name is only its downloader. */
const PROVIDED_BY_ELECTRON = 'node_modules/electron/';

export async function requiredFiles(projectDir: string): Promise<readonly RequiredFile[]> {
  const fromProject = createRequire(path.join(projectDir, 'package.json'));
  const relative = (file: string): string => path.relative(projectDir, file).split(path.sep).join('/');
  const ocrWorker = relative(fromProject.resolve(OCR_WORKER_SCRIPT));
  const entries: readonly Entry[] = [
    { file: 'out/main/electron.js', placement: 'archive' },
    { file: 'out/preload/preload.cjs', placement: 'archive' },
    { file: 'bin/altgen.js', placement: 'archive' },
    { file: 'out/main/processor.js', placement: 'child-process' },
    { file: ocrWorker, placement: 'worker' },
    { file: 'out/main/dry-run-thread.js', placement: 'worker' },
  ];
  const required = new Map<string, RequiredFile>();
  // A file two entries need is held to the stricter placement.
  const add = (file: string, placement: Placement, neededBy: string): void => {
    const known = required.get(file);
    if (!known || (known.placement === 'archive' && placement !== 'archive')) required.set(file, { path: file, placement, neededBy });
  };

  for (const entry of entries) {
    const trace = await nodeFileTrace([path.join(projectDir, entry.file)], {
      base: projectDir,
      processCwd: projectDir,
      ignore: (file: string) => file.startsWith(PROVIDED_BY_ELECTRON),
    });
    for (const file of trace.fileList) {
      add(file, entry.placement, entry.file);
      const wasm = file.replace(/\.js$/, '.wasm');
      if (wasm !== file && file.startsWith('node_modules/') && existsSync(path.join(projectDir, wasm))) add(wasm, entry.placement, entry.file);
    }
  }
  add(`${relative(defaultLanguageDataDir())}/eng.traineddata.gz`, 'worker', ocrWorker);
  // The built app itself: the renderer's files are loaded by URL, which no tracer follows.
  for (const file of await filesUnder(path.join(projectDir, 'out'))) {
    const built = relative(file);
    if (!built.endsWith('.map')) add(built, 'archive', 'the build (out/)');
  }
  return [...required.values()].sort((a, b) => a.path.localeCompare(b.path));
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}
