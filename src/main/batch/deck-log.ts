import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DeckLogEntry } from '../../shared/deck-log';
import { parseDeckLogLine } from '../../shared/deck-log';
import { deckLogDirOf } from './batch-folder';

/**
 * Each deck's log (src/shared/deck-log.ts), one JSON-lines file per deck of a batch:
 * `.altgen/logs/batch_<id>/<index>.jsonl` in the output folder, kept with the batch and removed
 * with it by `altgen cleanup`.
 *
 * Guaranteed: lines are appended in the order they were written, one whole line at a time;
 * a reader skips a torn last line. Writing never holds up or fails the batch: the first failure
 * becomes one warning, and the batch goes on without logs.
 *
 * Not guaranteed: the log is not fsync'ed (it is a record for people, not the batch's state,
 * which is the manifest's): a power cut may lose its last lines.
 */

function logFileOf(dir: string, index: number): string {
  return path.join(dir, `${index}.jsonl`);
}

export class DeckLogWriter {
  private readonly dir: string;
  private writing: Promise<void> = Promise.resolve();
  private made = false;
  private broken = false;

  constructor(
    outputDir: string,
    batchId: string,
    private readonly warn: (message: string) => void,
  ) {
    this.dir = deckLogDirOf(outputDir, batchId);
  }

  /** Appends one entry to the deck's log, after every entry written before. */
  write(index: number, entry: DeckLogEntry): void {
    if (this.broken) return;
    this.writing = this.writing.then(async () => {
      if (this.broken) return;
      try {
        if (!this.made) {
          await fs.mkdir(this.dir, { recursive: true });
          this.made = true;
        }
        await fs.appendFile(logFileOf(this.dir, index), `${JSON.stringify(entry)}\n`);
      } catch (error) {
        this.broken = true;
        this.warn(`The decks' logs could not be written in ${this.dir} (${(error as Error).message}); the batch goes on without them.`);
      }
    });
  }

  /** Resolves once everything written so far is in the files (or given up on). */
  flush(): Promise<void> {
    return this.writing;
  }
}

/** The deck's log, oldest entry first; empty when nothing was logged for it. */
export async function readDeckLog(outputDir: string, batchId: string, index: number): Promise<{ readonly path: string; readonly entries: DeckLogEntry[] }> {
  const file = logFileOf(deckLogDirOf(outputDir, batchId), index);
  const text = await fs.readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  const entries: DeckLogEntry[] = [];
  for (const line of text.split('\n')) {
    const entry = line === '' ? null : parseDeckLogLine(line);
    if (entry) entries.push(entry);
  }
  return { path: file, entries };
}
