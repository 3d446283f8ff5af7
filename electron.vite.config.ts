import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

/**
 * One build for every host of the core: the Electron main process, the `altgen` CLI and the
 * per-deck processor share chunks under out/main; the preload is CommonJS because sandboxed preloads cannot be ES
 * modules; the renderer is a plain Vite React app (also served by `altgen serve`).
 */
const root = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  main: {
    build: {
      // The CLI runs on the user's Node (20.19+), not only inside Electron's newer Node.
      target: 'node20',
      rolldownOptions: {
        input: {
          electron: resolve(root, 'src/main/electron/main.ts'),
          cli: resolve(root, 'src/main/cli/index.ts'),
          processor: resolve(root, 'src/main/processor/processor-entry.ts'),
          // The dry run's reading threads (batch/dry-run-pool.ts looks for it beside the entries).
          'dry-run-thread': resolve(root, 'src/main/batch/dry-run-thread.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rolldownOptions: {
        input: { preload: resolve(root, 'src/main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    plugins: [react()],
    build: {
      rolldownOptions: { input: { index: resolve(root, 'src/renderer/index.html') } },
    },
  },
});
