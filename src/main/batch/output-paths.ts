import { promises as fs } from 'node:fs';
import path from 'node:path';
import { copyNameFor } from './legacy-names';

/**
 * Where outputs go. The output folder mirrors the input tree; a deck is first written under a
 * hidden temp name in its final folder (so the rename is atomic) and renamed once complete.
 */

/**
 * Mirrors `input` (under `inputRoot`) into `outputDir`. Inputs outside the root keep only their
 * name. A 2007+ deck with a 97–2003 name gets a `.pptx` copy (legacy-names.ts).
 */
export function outputPathFor(input: string, inputRoot: string | null, outputDir: string): string {
  const relative = inputRoot ? path.relative(inputRoot, input) : '';
  const safe = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : path.basename(input);
  return copyNameFor(path.join(outputDir, safe));
}

const TEMP_MARK = '.altgen-tmp';

/** `dir/.name.<batchId>.altgen-tmp.pptx`: hidden, tied to one batch, same folder as the output. */
export function tempPathFor(output: string, batchId: string): string {
  const ext = path.extname(output);
  return path.join(path.dirname(output), `.${path.basename(output, ext)}.${batchId}${TEMP_MARK}${ext}`);
}

export function isTempFor(name: string, batchId: string): boolean {
  return name.startsWith('.') && name.includes(`.${batchId}${TEMP_MARK}`);
}

/**
 * Removes temp outputs a killed run of this batch left behind. Only this batch's temps are
 * touched (another batch may be writing to the same folder), and the caller holds the
 * batch's lock, so none of them is being written.
 */
export async function sweepTempOutputs(outputDir: string, batchId: string): Promise<number> {
  let removed = 0;
  async function walk(dir: string): Promise<void> {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (isTempFor(entry.name, batchId)) {
        await fs.rm(full, { force: true });
        removed += 1;
      }
    }
  }
  await walk(outputDir);
  return removed;
}
