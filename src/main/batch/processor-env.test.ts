import { describe, expect, it } from 'vitest';
import { decodesFromEnvironment, decodesPerProcessor, processorEnvironment } from './processor-env';

describe('processorEnvironment', () => {
  it("limits glibc's malloc arenas and mapping threshold, keeps the runner's environment and adds the host's extras", () => {
    expect(processorEnvironment({ ELECTRON_RUN_AS_NODE: '1' }, { PATH: '/usr/bin' })).toEqual({
      PATH: '/usr/bin',
      MALLOC_ARENA_MAX: '2',
      MALLOC_MMAP_THRESHOLD_: '262144',
      ELECTRON_RUN_AS_NODE: '1',
    });
  });

  it('leaves malloc settings the user chose', () => {
    expect(processorEnvironment({}, { MALLOC_ARENA_MAX: '8', MALLOC_MMAP_THRESHOLD_: '1048576' })).toEqual({ MALLOC_ARENA_MAX: '8', MALLOC_MMAP_THRESHOLD_: '1048576' });
  });

  it('shares the cores out over the workers: at least one decode each, at most four', () => {
    expect(decodesPerProcessor(1, 2)).toBe(2);
    expect(decodesPerProcessor(2, 2)).toBe(1);
    expect(decodesPerProcessor(4, 2)).toBe(1);
    expect(decodesPerProcessor(2, 8)).toBe(4);
    expect(decodesPerProcessor(1, 16)).toBe(4);
    expect(decodesPerProcessor(3, 8)).toBe(2);
  });

  it("reads a processor's share from its environment, and uses every core without one", () => {
    expect(decodesFromEnvironment({ ALTGEN_DECODES: '1' }, 8)).toBe(1);
    expect(decodesFromEnvironment({ ALTGEN_DECODES: '9' }, 8)).toBe(4);
    expect(decodesFromEnvironment({}, 2)).toBe(2);
    for (const garbage of ['0', '-1', '1.5', 'two', '']) expect(decodesFromEnvironment({ ALTGEN_DECODES: garbage }, 3)).toBe(3);
  });
});
