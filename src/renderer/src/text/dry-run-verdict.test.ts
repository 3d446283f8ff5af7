import { describe, expect, it } from 'vitest';
import type { ModelStatus } from '../../../shared/ipc-contract';
import { counts } from '../../../shared/testing/batch-fixtures';
import { dryRunVerdict } from './dry-run-verdict';

const OK: ModelStatus = { provider: 'ollama', model: 'llava', base_url: 'http://127.0.0.1:11434', state: 'ok', message: null, fix: null, ms_per_picture: 20_000 };
const DOWN: ModelStatus = { ...OK, state: 'unreachable', message: 'The model server is not reachable.', fix: 'Start Ollama with `ollama serve`.' };
const TOTALS = { decks: 3, pictures: 13, pictures_missing_alt: 7, pictures_for_model: 6 };

describe('dryRunVerdict', () => {
  it('is ready when every deck can be processed and the model server answers, and says how long the run will take here', () => {
    const verdict = dryRunVerdict(counts({ total: 3, complete: 3 }), TOTALS, true, OK, 1);
    expect(verdict.tone).toBe('ready');
    expect(verdict.headline).toBe('Ready: all 3 decks can be processed.');
    expect(verdict.details).toEqual([
      '3 decks can be processed.',
      '13 pictures, 7 to describe.',
      'Describing 6 pictures should take about 2 minutes on this computer.',
      'Model server: reachable, with llava.',
    ]);
  });

  it('names the files that will be skipped or fail', () => {
    const verdict = dryRunVerdict(counts({ total: 5, complete: 3, skipped: 1, failed: 1 }), TOTALS, true, OK, 1);
    expect(verdict.tone).toBe('attention');
    expect(verdict.details).toContain('1 file will be skipped.');
    expect(verdict.details).toContain('1 file cannot be processed.');
  });

  it('asks for attention when the model server is down, with the fix in plain words', () => {
    const verdict = dryRunVerdict(counts({ total: 3, complete: 3 }), TOTALS, true, DOWN, 1);
    expect(verdict.tone).toBe('attention');
    expect(verdict.details.at(-1)).toBe('Model server: The model server is not reachable. Fix: Start Ollama with ollama serve.');
  });

  it('says one picture, not "1 pictures"', () => {
    expect(dryRunVerdict(counts({ total: 1, complete: 1 }), { decks: 1, pictures: 1, pictures_missing_alt: 1, pictures_for_model: 1 }, true, OK, 1).details[1]).toBe(
      '1 picture, 1 to describe.',
    );
  });

  it('is blocked when no deck can be processed, and says it is still checking while it runs', () => {
    expect(dryRunVerdict(counts({ total: 1, failed: 1 }), { decks: 0, pictures: 0, pictures_missing_alt: 0, pictures_for_model: 0 }, true, OK, 1).tone).toBe('blocked');
    expect(dryRunVerdict(counts({ total: 4, complete: 1, pending: 3 }), null, false, null, 1).headline).toBe('Checking: 1 of 4 files checked…');
  });
});
