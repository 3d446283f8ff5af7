/**
 * The environment every processor process gets: the runner's own, the host's extras
 * (Electron sets ELECTRON_RUN_AS_NODE), and MALLOC_ARENA_MAX=2 unless the user set it.
 *
 * Why the arena limit: glibc gives each thread that allocates its own malloc arena, and
 * libvips (sharp) decodes on worker threads; with two pictures decoding at once the freed
 * memory stays spread over the arenas. Two arenas keep a processor ~55 MB smaller on the
 * 60-photo benchmark at the same speed (docs/benchmarks.md). Other C libraries ignore it.
 */
export function processorEnvironment(extra: Readonly<Record<string, string>> = {}, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, MALLOC_ARENA_MAX: base['MALLOC_ARENA_MAX'] ?? '2', ...extra };
}
