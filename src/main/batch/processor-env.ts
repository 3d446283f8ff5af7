import { availableParallelism } from 'node:os';

/**
 * The environment every processor process gets: the runner's own, the host's extras
 * (Electron sets ELECTRON_RUN_AS_NODE), and two glibc malloc settings unless the user set them.
 *
 * Why: libvips (sharp) decodes on worker threads, and each picture leaves large blocks behind.
 * - MALLOC_ARENA_MAX=2: glibc gives each allocating thread its own arena, and with two pictures
 *   decoding at once the freed memory stays spread over the arenas.
 * - MALLOC_MMAP_THRESHOLD_=262144: blocks of 256 kB and more are mapped and handed back to the
 *   system when freed. Left alone, glibc raises this threshold as such blocks are freed, after
 *   which a photo's decoding buffers stay in the heap.
 * Together they keep a processor 40–80 MB smaller on the photo benchmark at the same speed
 * (docs/benchmarks.md). Other C libraries, and other platforms, ignore them.
 */
const MALLOC_SETTINGS: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '262144',
};

export function processorEnvironment(extra: Readonly<Record<string, string>> = {}, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const malloc = Object.fromEntries(Object.entries(MALLOC_SETTINGS).map(([name, value]) => [name, base[name] ?? value]));
  return { ...base, ...malloc, ...extra };
}

/**
 * How many pictures one processor decodes at once (ALTGEN_DECODES in its environment): the
 * cores shared out over the batch's workers, so that four workers on two cores do not run
 * eight decodes that only wait for each other and each hold their photo in memory.
 */
export const DECODES_ENV = 'ALTGEN_DECODES';

export function decodesPerProcessor(workers: number, cores: number = availableParallelism()): number {
  return Math.max(1, Math.min(MAX_DECODES, Math.floor(cores / Math.max(1, workers))));
}

/** The processor's share, from its environment; a processor run alone uses every core. */
export function decodesFromEnvironment(env: NodeJS.ProcessEnv = process.env, cores: number = availableParallelism()): number {
  const value = Number(env[DECODES_ENV]);
  return Number.isInteger(value) && value >= 1 ? Math.min(MAX_DECODES, value) : decodesPerProcessor(1, cores);
}

/** More decodes at once than this only hold more photos in memory. */
const MAX_DECODES = 4;
