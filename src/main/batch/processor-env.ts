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

