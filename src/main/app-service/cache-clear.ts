import { readdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Empties the description cache (describe/description-cache.ts) for "Clear the cache" in
 * Settings. Only the cache's own files are removed, `<dir>/<2 hex>/<64 hex>.json` and the temp
 * files of its writes, and then the sub-folders they leave empty: `cache.dir` may name a folder
 * that holds other things too, and those stay. Returns how many descriptions were removed.
 */

const SHARD = /^[0-9a-f]{2}$/;
const ENTRY = /^[0-9a-f]{64}\.json(\..+\.tmp)?$/;

export async function clearDescriptionCache(dir: string): Promise<number> {
  let shards: string[];
  try {
    shards = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isDirectory() && SHARD.test(entry.name)).map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  let removed = 0;
  for (const shard of shards) {
    const folder = path.join(dir, shard);
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isFile() || !ENTRY.test(entry.name) || !entry.name.startsWith(shard)) continue;
      await rm(path.join(folder, entry.name), { force: true });
      if (entry.name.endsWith('.json')) removed += 1;
    }
    // Left in place when something else is in it.
    await rmdir(folder).catch(() => undefined);
  }
  return removed;
}
