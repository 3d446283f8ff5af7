import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { BatchMetadata, ManifestDocument, QueueItem } from '../../shared/batch-types';
import type { BatchErrorCode } from '../../shared/error-codes';
import { writeFileAtomic } from '../files/write-file-atomic';
import { journalPathFor, legacyJournalPathFor } from './batch-folder';
import { parseItem, parseManifestDocument } from './manifest-schema';

/**
 * Durable batch manifest: `batch_<id>_manifest.json` plus an append-only journal
 * `.altgen/batch_<id>_manifest.journal` in the output folder's hidden folder (batch-folder.ts).
 *
 * Guarantees
 * - A change resolves only after it is on disk (written and fdatasync'ed): whatever a caller
 *   reports after `await store.updateItem(...)` survives SIGKILL and power loss.
 * - The JSON file always parses: it is only ever replaced whole, by write-temp + fsync +
 *   rename + fsync(dir). Loading replays the journal on top of it.
 * - The cost of a change does not grow with the batch: a change appends one line; the JSON is
 *   rewritten (compacted) only after as many journal lines as there are items, so the
 *   rewriting cost per change stays constant on average.
 * - A torn last journal line (a write cut short by a crash) was never acknowledged and is
 *   dropped; damage anywhere else is a ManifestError that names the file and the line.
 * - Replay is idempotent: every journal line carries a sequence number and the JSON records
 *   the last one it contains, so a crash between compaction and truncation replays nothing twice.
 * - A batch made before `.altgen/` kept its journal beside the manifest: that journal is replayed
 *   first, and removed once its changes are folded into the JSON (the first compaction).
 *
 * Not guaranteed
 * - Exclusion between processes: the runner holds a lock on the manifest (file-locks.ts).
 * - Readers that ignore the journal (e.g. the Python tool) may see a JSON a few changes old
 *   until the batch finishes and the journal is compacted.
 */

export const MANIFEST_VERSION = '1.0';

export type ManifestErrorCode = Extract<BatchErrorCode, 'EMANIFEST_CORRUPT' | 'EMANIFEST_UNREADABLE' | 'EMANIFEST_WRITE' | 'ENOSPC'>;

export class ManifestError extends Error {
  constructor(
    readonly code: ManifestErrorCode,
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

export function manifestFileName(batchId: string): string {
  return `batch_${batchId}_manifest.json`;
}

const BATCH_ID_IN_NAME = /^batch_(.+)_manifest\.json$/;

export function batchIdFromFileName(name: string): string | null {
  return BATCH_ID_IN_NAME.exec(name)?.[1] ?? null;
}

/** `YYYYMMDD_HHMMSS_<8 hex>`, local time like the seed. */
export function newBatchId(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp =
    `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}_` +
    `${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return `${stamp}_${randomBytes(4).toString('hex')}`;
}

type BatchPatch = Partial<Pick<ManifestDocument, 'start_time' | 'end_time' | 'input_root'>> & {
  readonly metadata?: Partial<BatchMetadata>;
};

type JournalEntry =
  | { readonly seq: number; readonly i: number; readonly item: QueueItem }
  | { readonly seq: number; readonly batch: BatchPatch };

interface StoredDocument extends ManifestDocument {
  /** Sequence number of the last journal entry folded into this JSON. */
  readonly journal_seq?: number;
}

export interface CreateManifestOptions {
  readonly outputDir: string;
  readonly batchId?: string;
  readonly inputRoot: string | null;
  readonly metadata: BatchMetadata;
  readonly items: readonly QueueItem[];
  readonly startTime?: string | null;
}

function describeFsError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ? `${e.code}: ${e.message}` : String(error);
}

function writeErrorFor(file: string, error: unknown): ManifestError {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'ENOSPC' || e.code === 'EDQUOT') {
    return new ManifestError(
      'ENOSPC',
      file,
      `The disk is full: could not save ${path.basename(file)}. Everything recorded before is kept; free some space and resume.`,
    );
  }
  return new ManifestError('EMANIFEST_WRITE', file, `Could not save ${file} (${describeFsError(error)}).`);
}

export class ManifestStore {
  private doc: StoredDocument;
  private items: QueueItem[];
  private seq: number;
  private journal: FileHandle | null = null;
  private journalBytes = 0;
  private journalLines = 0;
  /** Changes waiting for the next write; one write + fdatasync commits them together. */
  private pendingLines: { line: string; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private flushing: Promise<void> | null = null;
  private closed = false;
  /** A journal of the layout before `.altgen/` was replayed: removed at the next compaction. */
  private legacyJournal = false;

  private constructor(
    readonly manifestPath: string,
    doc: StoredDocument,
    seq: number,
  ) {
    this.doc = doc;
    this.items = [...doc.queue.items];
    this.seq = seq;
  }

  get journalPath(): string {
    return journalPathFor(this.manifestPath);
  }

  get batchId(): string {
    return this.doc.batch_id;
  }

  /** The current state, journal included. */
  snapshot(): ManifestDocument {
    return { ...this.doc, queue: { items: this.items } };
  }

  itemAt(index: number): QueueItem {
    const item = this.items[index];
    if (!item) throw new RangeError(`No queue item ${index} in batch ${this.doc.batch_id}`);
    return item;
  }

  get itemCount(): number {
    return this.items.length;
  }

  allItems(): readonly QueueItem[] {
    return this.items;
  }

  /** Creates the manifest file for a new batch; the caller should hold no lock yet on it. */
  static async create(options: CreateManifestOptions): Promise<ManifestStore> {
    const batchId = options.batchId ?? newBatchId();
    const manifestPath = path.join(options.outputDir, manifestFileName(batchId));
    try {
      await fs.access(manifestPath);
      throw new ManifestError('EMANIFEST_WRITE', manifestPath, `A batch with id ${batchId} already exists in ${options.outputDir}.`);
    } catch (error) {
      if (error instanceof ManifestError) throw error;
    }
    const doc: StoredDocument = {
      version: MANIFEST_VERSION,
      batch_id: batchId,
      output_dir: options.outputDir,
      input_root: options.inputRoot,
      start_time: options.startTime ?? null,
      end_time: null,
      metadata: options.metadata,
      queue: { items: options.items },
      journal_seq: 0,
    };
    const store = new ManifestStore(manifestPath, doc, 0);
    try {
      await fs.rm(store.journalPath, { force: true });
      await writeFileAtomic(manifestPath, JSON.stringify(doc, null, 2));
    } catch (error) {
      throw writeErrorFor(manifestPath, error);
    }
    return store;
  }

  /** Loads a manifest and replays its journal. Never returns an empty batch for a bad file. */
  static async open(manifestPath: string): Promise<ManifestStore> {
    const name = path.basename(manifestPath);
    let text: string;
    try {
      text = await fs.readFile(manifestPath, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'it does not exist' : describeFsError(error);
      throw new ManifestError('EMANIFEST_UNREADABLE', manifestPath, `Cannot read manifest ${manifestPath}: ${why}.`);
    }
    if (text.trim() === '') {
      throw new ManifestError('EMANIFEST_CORRUPT', manifestPath, `Manifest ${manifestPath} is empty (0 bytes of JSON).`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      const hint = /end of (JSON )?input|Unterminated/i.test(String(error)) ? ' (the file looks truncated)' : '';
      throw new ManifestError(
        'EMANIFEST_CORRUPT',
        manifestPath,
        `Manifest ${manifestPath} is not valid JSON${hint}: ${(error as Error).message}.`,
      );
    }
    const parsed = parseManifestDocument(raw);
    if (!parsed.ok) {
      throw new ManifestError('EMANIFEST_CORRUPT', manifestPath, `Manifest ${manifestPath} is not a batch manifest: ${parsed.problem}.`);
    }
    const storedSeq = typeof (raw as { journal_seq?: unknown }).journal_seq === 'number' ? (raw as { journal_seq: number }).journal_seq : 0;
    const store = new ManifestStore(manifestPath, { ...parsed.doc, journal_seq: storedSeq }, storedSeq);
    // The old journal's lines all come before the new one's: a run of this version continues
    // the sequence numbers from where the old run left them.
    store.legacyJournal = await store.replayJournal(legacyJournalPathFor(manifestPath), name);
    await store.replayJournal(store.journalPath, name);
    return store;
  }

  /** Replays one journal file; false when there is none. */
  private async replayJournal(journalPath: string, manifestName: string): Promise<boolean> {
    let text: string;
    try {
      text = await fs.readFile(journalPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw new ManifestError('EMANIFEST_UNREADABLE', journalPath, `Cannot read journal of ${manifestName}: ${describeFsError(error)}.`);
    }
    const lines = text.split('\n');
    // The last element is '' after a final newline, or a torn write that was never acknowledged.
    const complete = lines.slice(0, -1);
    for (const [lineIndex, line] of complete.entries()) {
      if (line === '') continue;
      const entry = this.parseJournalLine(line);
      if (!entry) {
        throw new ManifestError('EMANIFEST_CORRUPT', journalPath, `Journal ${journalPath} is damaged at line ${lineIndex + 1}; the batch state cannot be trusted.`);
      }
      if (entry.seq <= (this.doc.journal_seq ?? 0)) continue;
      this.apply(entry);
      this.seq = Math.max(this.seq, entry.seq);
    }
    return true;
  }

  private parseJournalLine(line: string): JournalEntry | null {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return null;
    }
    if (typeof value !== 'object' || value === null) return null;
    const entry = value as { seq?: unknown; i?: unknown; item?: unknown; batch?: unknown };
    if (typeof entry.seq !== 'number') return null;
    if (typeof entry.i === 'number') {
      const item = parseItem(entry.item);
      if (!item || entry.i < 0 || entry.i >= this.items.length) return null;
      return { seq: entry.seq, i: entry.i, item };
    }
    if (typeof entry.batch === 'object' && entry.batch !== null) return { seq: entry.seq, batch: entry.batch as BatchPatch };
    return null;
  }

  private apply(entry: JournalEntry): void {
    if ('item' in entry) {
      this.items[entry.i] = entry.item;
      return;
    }
    const { metadata, ...rest } = entry.batch;
    this.doc = { ...this.doc, ...rest, metadata: { ...this.doc.metadata, ...metadata } };
  }

  /** Records a new state for one item; resolves once it is durable. */
  updateItem(index: number, item: QueueItem): Promise<void> {
    this.itemAt(index);
    return this.record({ seq: ++this.seq, i: index, item });
  }

  /** Records batch-level fields (start/end time, metadata); resolves once durable. */
  updateBatch(patch: BatchPatch): Promise<void> {
    return this.record({ seq: ++this.seq, batch: patch });
  }

  private record(entry: JournalEntry): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`Manifest ${this.manifestPath} is closed.`));
    this.apply(entry);
    return new Promise<void>((resolve, reject) => {
      this.pendingLines.push({ line: JSON.stringify(entry) + '\n', resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.pendingLines.length > 0) {
        const batch = this.pendingLines.splice(0, this.pendingLines.length);
        try {
          await this.appendDurably(batch.map((p) => p.line).join(''), batch.length);
          for (const p of batch) p.resolve();
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
      if (this.journalLines >= Math.max(1024, this.items.length)) await this.compact();
    } catch {
      // A failed compaction leaves the journal and the previous JSON, which together are
      // complete; the next compaction or close tries again.
    } finally {
      this.flushing = null;
      if (this.pendingLines.length > 0) this.flushing = this.flush();
    }
  }

  private async appendDurably(data: string, lines: number): Promise<void> {
    try {
      this.journal ??= await this.openJournal();
      await this.journal.write(data, null, 'utf8');
      await this.journal.datasync();
      this.journalBytes += Buffer.byteLength(data);
      this.journalLines += lines;
    } catch (error) {
      // Cut a half-written line off so that later lines do not follow garbage.
      await this.journal?.truncate(this.journalBytes).catch(() => undefined);
      throw writeErrorFor(this.journalPath, error);
    }
  }

  private async openJournal(): Promise<FileHandle> {
    await fs.mkdir(path.dirname(this.journalPath), { recursive: true });
    const handle = await fs.open(this.journalPath, 'a+');
    const { size } = await handle.stat();
    this.journalBytes = size;
    const content = size > 0 ? await fs.readFile(this.journalPath, 'utf8') : '';
    // Drop a torn tail left by an earlier crash before appending after it.
    const goodBytes = content.endsWith('\n') || content === '' ? size : Buffer.byteLength(content.slice(0, content.lastIndexOf('\n') + 1));
    if (goodBytes !== size) {
      await handle.truncate(goodBytes);
      this.journalBytes = goodBytes;
    }
    this.journalLines = content.split('\n').filter(Boolean).length;
    return handle;
  }

  /** Folds the journal into the JSON and empties the journal. */
  async compact(): Promise<void> {
    const doc: StoredDocument = { ...this.doc, queue: { items: this.items }, journal_seq: this.seq };
    try {
      await writeFileAtomic(this.manifestPath, JSON.stringify(doc, null, 2));
    } catch (error) {
      throw writeErrorFor(this.manifestPath, error);
    }
    this.doc = doc;
    if (this.legacyJournal) {
      // Its changes are in the JSON now (journal_seq covers them): replaying it again is harmless, so a failed removal is tried again later.
      await fs.rm(legacyJournalPathFor(this.manifestPath), { force: true }).then(() => (this.legacyJournal = false), () => undefined);
    }
    if (this.journal) {
      await this.journal.truncate(0);
      await this.journal.datasync();
    } else {
      await fs.truncate(this.journalPath, 0).catch(() => undefined);
    }
    this.journalBytes = 0;
    this.journalLines = 0;
  }

  /** Waits for pending writes, compacts, and removes the then-empty journal. */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.flushing) await this.flushing;
    this.closed = true;
    try {
      await this.compact();
      await this.journal?.close();
      this.journal = null;
      await fs.rm(this.journalPath, { force: true });
    } finally {
      await this.journal?.close().catch(() => undefined);
    }
  }
}
