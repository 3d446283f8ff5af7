import { availableParallelism } from 'node:os';

/**
 * How many pictures one processor decodes at once (ALTGEN_DECODES in its environment): the
 * cores shared out over the batch's workers, so that four workers on two cores do not run
 * eight decodes that only wait for each other and each hold their photo in memory. The
 * runner sets it for each processor it starts; `altgen process` run by hand uses every core.
 */
export const DECODES_ENV = 'ALTGEN_DECODES';

/** More decodes at once than this only hold more photos in memory. */
const MAX_DECODES = 4;

export function decodesPerProcessor(workers: number, cores: number = availableParallelism()): number {
  return Math.max(1, Math.min(MAX_DECODES, Math.floor(cores / Math.max(1, workers))));
}

/** The processor's share, from its environment; a processor run alone uses every core. */
export function decodesFromEnvironment(env: NodeJS.ProcessEnv = process.env, cores: number = availableParallelism()): number {
  const value = Number(env[DECODES_ENV]);
  return Number.isInteger(value) && value >= 1 ? Math.min(MAX_DECODES, value) : decodesPerProcessor(1, cores);
}
