import { assertNever } from '../../../../shared/assert-never';
import type { DeckLogEntry, PictureLog } from '../../../../shared/deck-log';
import { formatDuration } from '../../../../shared/time-format';

/** A deck's log in words, one line per entry (with a second line for a picture's reason). */

export interface DeckLogLine {
  /** The local time of the entry, HH:MM:SS. */
  readonly time: string;
  readonly text: string;
  readonly detail: string | null;
  readonly tone: 'plain' | 'good' | 'problem';
}

const GRAPHIC_KINDS: ReadonlySet<string> = new Set(['chart', 'smartart', 'table']);

function decisionWords(picture: PictureLog): string {
  switch (picture.decision) {
    case 'described':
      return GRAPHIC_KINDS.has(picture.kind) ? 'described from its own data' : 'described by the model';
    case 'drafted':
      return 'drafted without a model (check it)';
    case 'preserved':
      return 'kept its alt text';
    case 'decorative':
      return 'already marked decorative';
    case 'marked-decorative':
      return 'marked decorative';
    case 'needs-review':
      return 'needs review: nothing was written';
    case 'skipped':
      return 'left alone';
    case 'edited':
      return 'edited by a person';
    default:
      return picture.decision;
  }
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : formatDuration(ms);
}

function modelWords(picture: PictureLog): string | null {
  if (picture.cached) return 'from the cache';
  if (picture.model_ms === null) return null;
  const requests = picture.model_calls === 1 ? '1 request' : `${picture.model_calls} requests`;
  return `the model took ${seconds(picture.model_ms)}, ${requests}`;
}

export function deckLogLine(entry: DeckLogEntry): DeckLogLine {
  const time = entry.at.slice(11, 19);
  switch (entry.kind) {
    case 'started':
      return { time, text: entry.attempt > 1 ? `Started (attempt ${entry.attempt})` : 'Started', detail: null, tone: 'plain' };
    case 'picture': {
      const { picture } = entry;
      const model = modelWords(picture);
      const problem = picture.decision === 'needs-review';
      return { time, text: `Slide ${picture.slide}, ${picture.shape}: ${decisionWords(picture)}${model ? ` (${model})` : ''}`, detail: picture.reason, tone: problem ? 'problem' : 'plain' };
    }
    case 'warning':
      return { time, text: `Warning: ${entry.message}`, detail: null, tone: 'problem' };
    case 'ended': {
      const took = formatDuration(entry.duration_ms);
      switch (entry.status) {
        case 'complete':
          return { time, text: `Done in ${took}`, detail: null, tone: 'good' };
        case 'failed':
          return { time, text: `Failed after ${took}`, detail: entry.message, tone: 'problem' };
        case 'skipped':
          return { time, text: 'Skipped', detail: entry.message, tone: 'plain' };
        case 'pending':
          return { time, text: `Back in the queue after ${took}`, detail: entry.message, tone: 'plain' };
        case 'processing':
          return { time, text: 'Still running', detail: null, tone: 'plain' };
        default:
          return assertNever(entry.status, 'status');
      }
    }
    case 'queue':
      return { time, text: entry.message, detail: null, tone: 'plain' };
    default:
      return assertNever(entry, 'deck log entry');
  }
}
