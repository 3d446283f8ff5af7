import { describe, expect, it } from 'vitest';
import { decodesFromEnvironment, decodesPerProcessor } from './decodes';

describe('decodes per processor', () => {
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
