import path from 'node:path';

/**
 * What AltGen keeps for itself in an output folder, out of the way of the copies to share:
 * everything but the manifests lives in one hidden folder, `.altgen/`.
 *
 * ```
 * <output folder>/
 *   lecture.pptx, lecture.alt-text.json, lecture.alt-review.html   the copies and their reports
 *   batch_<id>_manifest.json                                        the seed-format manifest (stays here)
 *   .altgen/
 *     batch_<id>_manifest.journal        the manifest's journal while the batch runs (manifest-store.ts)
 *     batch_<id>_manifest.json.lock      the batch's lock, and its holder file (file-locks.ts)
 *     processors/<id>.<pid>.json         the processors running now (processor-registry.ts)
 *     locks/<hash>.lock                  locks of decks whose own folder is read-only
 *     logs/batch_<id>/<n>.jsonl          each deck's log (deck-log.ts), kept with the batch
 *     review/batch_<id>/                 the batch's review: its journal and Undo's copies (review/)
 * ```
 *
 * Batches made before this layout kept the journal, the lock and the processor records beside
 * the manifest (`batch_<id>_manifest.journal`, `batch_<id>_manifest.json.lock`,
 * `.altgen-processors/`, `.altgen-locks/`); the `legacy…` paths name them so that such a batch
 * is read, resumed and cleaned up as before, and what it left there is taken over.
 *
 * The hidden folder itself is never removed while AltGen may write in it: another batch may
 * share the output folder, and a folder removed between its mkdir and a write would fail that
 * batch's write. Its subfolders for processors and locks are removed once empty.
 */

export const STATE_DIR_NAME = '.altgen';

/** `<output>/.altgen` */
export function stateDirOf(outputDir: string): string {
  return path.join(outputDir, STATE_DIR_NAME);
}

function stateFileFor(manifestPath: string, suffix: string): string {
  return path.join(stateDirOf(path.dirname(manifestPath)), `${path.basename(manifestPath)}${suffix}`);
}

function stemOf(manifestPath: string): string {
  return path.basename(manifestPath).replace(/\.json$/, '');
}

/** `.altgen/batch_<id>_manifest.journal` */
export function journalPathFor(manifestPath: string): string {
  return path.join(stateDirOf(path.dirname(manifestPath)), `${stemOf(manifestPath)}.journal`);
}

/** Before `.altgen/`: `batch_<id>_manifest.journal` beside the manifest. */
export function legacyJournalPathFor(manifestPath: string): string {
  return manifestPath.replace(/\.json$/, '') + '.journal';
}

/** `.altgen/batch_<id>_manifest.json.lock` */
export function batchLockPathFor(manifestPath: string): string {
  return stateFileFor(manifestPath, '.lock');
}

/** Before `.altgen/`: `batch_<id>_manifest.json.lock` beside the manifest. */
export function legacyBatchLockPathFor(manifestPath: string): string {
  return `${manifestPath}.lock`;
}

/** `.altgen/processors` */
export function processorsDirOf(outputDir: string): string {
  return path.join(stateDirOf(outputDir), 'processors');
}

export const LEGACY_PROCESSORS_DIR_NAME = '.altgen-processors';

export function legacyProcessorsDirOf(outputDir: string): string {
  return path.join(outputDir, LEGACY_PROCESSORS_DIR_NAME);
}

/** `.altgen/locks`: where decks in read-only folders are locked (file-locks.ts `lockInput`). */
export function fallbackLockDirOf(outputDir: string): string {
  return path.join(stateDirOf(outputDir), 'locks');
}

export const LEGACY_FALLBACK_LOCK_DIR_NAME = '.altgen-locks';

export function legacyFallbackLockDirOf(outputDir: string): string {
  return path.join(outputDir, LEGACY_FALLBACK_LOCK_DIR_NAME);
}

/** `.altgen/review/batch_<id>`: the batch review's journal and the copies its Undo restores (review/). */
export function reviewStateDirOf(outputDir: string, batchId: string): string {
  return path.join(stateDirOf(outputDir), 'review', `batch_${batchId}`);
}

/** `.altgen/logs/batch_<id>`: one JSON-lines log per deck of the batch. */
export function deckLogDirOf(outputDir: string, batchId: string): string {
  return path.join(stateDirOf(outputDir), 'logs', `batch_${batchId}`);
}
