import { describe, expect, it } from 'vitest';
import type { DeckLogEntry } from '../../../../shared/deck-log';
import { deckLogLine } from './deck-log-text';

const AT = '2026-11-28T10:04:05.120+01:00';
const picture = { slide: 3, shape: 'Picture 2', kind: 'picture', decision: 'described', reason: 'No alt text.', model_ms: 4210, model_calls: 1, cached: false };

describe('deckLogLine', () => {
  it.each<[DeckLogEntry, string, string | null]>([
    [{ kind: 'started', at: AT, attempt: 1 }, 'Started', null],
    [{ kind: 'started', at: AT, attempt: 2 }, 'Started (attempt 2)', null],
    [{ kind: 'picture', at: AT, picture }, 'Slide 3, Picture 2: described by the model (the model took 4.2 s, 1 request)', 'No alt text.'],
    [{ kind: 'picture', at: AT, picture: { ...picture, cached: true, model_ms: 3 } }, 'Slide 3, Picture 2: described by the model (from the cache)', 'No alt text.'],
    [{ kind: 'picture', at: AT, picture: { ...picture, kind: 'chart', model_ms: null, model_calls: 0 } }, 'Slide 3, Picture 2: described from its own data', 'No alt text.'],
    [{ kind: 'picture', at: AT, picture: { ...picture, decision: 'needs-review', model_calls: 2 } }, 'Slide 3, Picture 2: needs review: nothing was written (the model took 4.2 s, 2 requests)', 'No alt text.'],
    [{ kind: 'warning', at: AT, message: 'The deck was signed.' }, 'Warning: The deck was signed.', null],
    [{ kind: 'ended', at: AT, status: 'complete', duration_ms: 12_000, message: null }, 'Done in 12s', null],
    [{ kind: 'ended', at: AT, status: 'failed', duration_ms: 2_000, message: 'Damaged file.' }, 'Failed after 2s', 'Damaged file.'],
    [{ kind: 'ended', at: AT, status: 'pending', duration_ms: 2_000, message: 'The model server went away.' }, 'Back in the queue after 2s', 'The model server went away.'],
    [{ kind: 'queue', at: AT, message: 'Moved to the front of the queue at your request.' }, 'Moved to the front of the queue at your request.', null],
  ])('says %j as words', (entry, text, detail) => {
    const line = deckLogLine(entry);
    expect(line.text).toBe(text);
    expect(line.detail).toBe(detail);
    expect(line.time).toBe('10:04:05');
  });
});
