import type { ItemStatus } from './batch-types';

/**
 * A deck's log: what happened to one deck of a batch, run after run, oldest first. The runner
 * writes it (src/main/batch/deck-log.ts) from what it does and from what the deck's processor
 * reports about each picture; it is kept with the batch, in the output folder's `.altgen/logs/`,
 * and shown in the app for decks that are done as well as for the one in work.
 */

/** One picture, chart, SmartArt graphic or table of the deck, as the processor settled it. */
export interface PictureLog {
  readonly slide: number;
  /** The shape's name in the deck ("Picture 3"). */
  readonly shape: string;
  /** picture, shape, media, chart, smartart or table (the report's `kind`). */
  readonly kind: string;
  /** The report's decision: described, drafted, preserved, decorative, marked-decorative, needs-review, skipped. */
  readonly decision: string;
  readonly reason: string;
  /** How long the model took for it (the cache's answers included); null when the model was not asked. */
  readonly model_ms: number | null;
  /** Model requests it cost: 0 from the cache, 2 with a long description. */
  readonly model_calls: number;
  /** The description came from the cache. */
  readonly cached: boolean;
}

export type DeckLogEntry =
  /** A processor started on the deck; `attempt` counts the runs that ended in a crash or a timeout before. */
  | { readonly kind: 'started'; readonly at: string; readonly attempt: number }
  | { readonly kind: 'picture'; readonly at: string; readonly picture: PictureLog }
  | { readonly kind: 'warning'; readonly at: string; readonly message: string }
  /** The run of the deck ended: its new status, how long it took, and the error or reason if any. */
  | {
      readonly kind: 'ended';
      readonly at: string;
      readonly status: ItemStatus;
      readonly duration_ms: number;
      readonly message: string | null;
    }
  /** The deck's place in the queue changed: moved to the front, skipped, removed, put back, or back in line. */
  | { readonly kind: 'queue'; readonly at: string; readonly message: string };

export type DeckLogKind = DeckLogEntry['kind'];

const KINDS: ReadonlySet<string> = new Set<DeckLogKind>(['started', 'picture', 'warning', 'ended', 'queue']);

/** One line of a log file as an entry, or null for anything else (a torn last line, a line of a later version). */
export function parseDeckLogLine(line: string): DeckLogEntry | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const entry = value as { kind?: unknown; at?: unknown };
  return typeof entry.kind === 'string' && KINDS.has(entry.kind) && typeof entry.at === 'string' ? (value as DeckLogEntry) : null;
}
