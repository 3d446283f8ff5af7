import { describe, expect, it } from 'vitest';
import type { KnownBatch } from '../../../shared/ipc-contract';
import { counts } from '../../../shared/testing/batch-fixtures';
import { describeKnownBatch } from './history-text';

function known(overrides: Partial<KnownBatch>): KnownBatch {
  return {
    batch_id: '20261128_100000_abcdef01',
    manifest_path: '/out/batch_20261128_100000_abcdef01_manifest.json',
    output_dir: '/out',
    dry_run: false,
    start_time: null,
    end_time: null,
    counts: counts({ total: 3, complete: 3 }),
    stop_reason: 'finished',
    unfinished: false,
    problem: null,
    ...overrides,
  };
}

describe('describeKnownBatch', () => {
  it('does not call a dry run that found the model server down "Checked" with a check mark', () => {
    const text = describeKnownBatch(known({ dry_run: true, model_problem: 'Cannot reach the Ollama server at http://127.0.0.1:9. Start it with `ollama serve`.' }));
    expect(text.stateIcon).toBe('warning');
    expect(text.state).toBe('Checked, but the model server was not ready: Cannot reach the Ollama server at http://127.0.0.1:9.');
  });

  it('does not call a batch with failed files "Finished" with a check mark', () => {
    expect(describeKnownBatch(known({ counts: counts({ total: 3, complete: 1, failed: 2 }) }))).toMatchObject({ stateIcon: 'warning', state: 'Finished: 2 files failed' });
    expect(describeKnownBatch(known({}))).toMatchObject({ stateIcon: 'check', state: 'Finished' });
  });

  it('gives a dry run its own words', () => {
    const text = describeKnownBatch(known({ dry_run: true, counts: counts({ total: 4, complete: 2, failed: 1, skipped: 1 }) }));
    expect(text.progress).toBe('4 files checked: 2 ready, 1 will fail, 1 will be skipped.');
    expect(text.state).toBe('Checked: 1 file cannot be processed');
  });
});
