import { describe, expect, it } from 'vitest';
import { processorEnvironment } from './processor-env';

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
});
