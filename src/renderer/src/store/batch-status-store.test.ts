import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../shared/config-schema';
import type { AppInfo, ModelStatus } from '../../../shared/ipc-contract';
import { ROOT, clock, item, snapshot } from '../../../shared/testing/batch-fixtures';
import { FakeBridge } from '../testing/fake-bridge';
import { connectStore, createAppStore } from './app-store';

/**
 * The store's side of "the status tells one truth" and "keep the user's place": the model line
 * follows the batch's own events, "Try now" and every batch command say where the focus goes
 * next, a run started from a dry run brings the dry run's plan, and progress milestones are
 * announced only when asked for.
 */

const ID = '20261128_100000_abcdef01';
const WEB: AppInfo = { version: '0.1.0', host: 'web', platform: 'linux', config_path: null };
const OK: ModelStatus = { provider: 'ollama', model: 'llava', base_url: 'http://127.0.0.1:11434', state: 'ok', message: null, fix: null };

function mainSide(overrides: ConstructorParameters<typeof FakeBridge>[0] = {}): FakeBridge {
  return new FakeBridge({
    'app:get-info': () => WEB,
    'batch:get-current': () => snapshot(3),
    'batches:list': () => [],
    'settings:get': () => ({ config: DEFAULT_CONFIG, path: '/home/me/.config/altgen/config.yaml' }),
    'model:check': () => OK,
    ...overrides,
  });
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}

const paused = {
  type: 'batch:paused',
  batch_id: ID,
  reason: 'model-unavailable',
  message: 'Could not reach the model server at http://127.0.0.1:11434 (connection refused). Start Ollama with `ollama serve`, then run the batch again.',
  wait_until: '2026-11-28T17:45:00.000+01:00',
  clock: clock({ total: 3, pending: 3 }),
} as const;

describe('the store and the batch’s status', () => {
  it('takes the model line from the batch’s own events: not reachable while it waits, reachable once it goes on', async () => {
    const bridge = mainSide();
    const store = createAppStore(bridge);
    connectStore(store, bridge);
    await settle();
    expect(store.getState().modelStatus?.state).toBe('ok');
    bridge.emit('batch:changed', paused);
    expect(store.getState().modelStatus).toMatchObject({
      state: 'unreachable',
      model: 'llava',
      message: 'Could not reach the model server at http://127.0.0.1:11434 (connection refused).',
    });
    bridge.emit('batch:changed', { type: 'batch:continued', batch_id: ID, message: 'The model server is back; resuming.', clock: clock({ total: 3, pending: 3 }) });
    expect(store.getState().modelStatus).toMatchObject({ state: 'ok', message: null });
  });

  it('says "Try now"’s answer and puts the focus on it when the server still does not answer, and on the batch’s state when it does', async () => {
    let answering = false;
    const bridge = mainSide({ 'batch:try-model-now': () => ({ answering }) });
    const store = createAppStore(bridge, () => 42);
    connectStore(store, bridge);
    await settle();
    bridge.emit('batch:changed', paused);
    await store.getState().tryModelNow();
    expect(store.getState().modelRetryAnswer).toEqual({ answering: false, at: 42 });
    expect(store.getState().focusRequest?.target).toBe('model-retry');
    answering = true;
    await store.getState().tryModelNow();
    expect(store.getState().focusRequest?.target).toBe('batch-state');
    // The batch goes on: the answer is history.
    bridge.emit('batch:changed', { type: 'batch:continued', batch_id: ID, message: 'Back.', clock: clock({ total: 3, pending: 3 }) });
    expect(store.getState().modelRetryAnswer).toBeNull();
  });

  it('starts a run from a finished dry run with the dry run’s plan, and puts the focus on the new batch’s state', async () => {
    const dryRun = snapshot(2, { dry_run: true, state: 'finished', rows: snapshot(2).rows.map((row) => ({ ...row, status: 'complete' as const })) });
    const bridge = mainSide({
      'batch:get-current': () => dryRun,
      'batch:start': () => ({ batch_id: 'next', manifest_path: '/out/batch_next_manifest.json' }),
    });
    const store = createAppStore(bridge);
    connectStore(store, bridge);
    await settle();
    await store.getState().startAfterDryRun();
    expect(bridge.callsTo('batch:start')).toEqual([
      { paths: [`${ROOT}/deck-00000.pptx`, `${ROOT}/deck-00001.pptx`], output_dir: '/out', dry_run: false, dry_run_manifest: dryRun.manifest_path, input_root: ROOT },
    ]);
    expect(store.getState().focusRequest?.target).toBe('batch-state');
    const id = store.getState().focusRequest!.id;
    store.getState().focusTaken(id);
    expect(store.getState().focusRequest).toBeNull();
  });

  it('puts the focus on the batch’s state when asked to stop', async () => {
    const bridge = mainSide({ 'batch:stop': () => null });
    const store = createAppStore(bridge);
    connectStore(store, bridge);
    await settle();
    await store.getState().stopBatch('after-current');
    expect(store.getState().focusRequest?.target).toBe('batch-state');
  });

  it('announces a quarter of the files done only when progress announcements are on', async () => {
    const bridge = mainSide({ 'batch:get-current': () => snapshot(4) });
    const store = createAppStore(bridge);
    connectStore(store, bridge);
    await settle();
    const done = (index: number, complete: number) =>
      bridge.emit('batch:changed', { type: 'item:updated', batch_id: ID, index, item: item(`${ROOT}/deck-0000${index}.pptx`, 'complete'), clock: clock({ total: 4, complete, pending: 4 - complete }) });
    done(0, 1);
    expect(store.getState().liveMessages.map((m) => m.text).join(' ')).not.toContain('25%');
    store.getState().setProgressMilestones(true);
    done(1, 2);
    expect(store.getState().liveMessages.at(-1)?.text).toBe('Batch 50% done: 2 of 4 files.');
  });
});
