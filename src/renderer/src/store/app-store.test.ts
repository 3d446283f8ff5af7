import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG } from '../../../shared/config-schema';
import type { AppInfo, DiscoveryPreview, FolderListing, KnownBatch } from '../../../shared/ipc-contract';
import { FakeBridge } from '../testing/fake-bridge';
import { ROOT, clock, item, snapshot } from '../../../shared/testing/batch-fixtures';
import { connectStore, createAppStore } from './app-store';
import { DROP_WITHOUT_PATHS } from './discovery-slice';
import { rowAt } from '../../../shared/row-table';

const WEB: AppInfo = { version: '0.1.0', host: 'web', platform: 'linux', config_path: null };
const ID = '20261128_100000_abcdef01';

function knownBatch(overrides: Partial<KnownBatch> = {}): KnownBatch {
  return {
    batch_id: ID,
    manifest_path: `/out/batch_${ID}_manifest.json`,
    output_dir: '/out',
    dry_run: false,
    start_time: null,
    end_time: null,
    counts: null,
    stop_reason: null,
    unfinished: true,
    problem: null,
    ...overrides,
  };
}

function mainSide(overrides: ConstructorParameters<typeof FakeBridge>[0] = {}): FakeBridge {
  return new FakeBridge({
    'app:get-info': () => WEB,
    'batch:get-current': () => null,
    'batches:list': () => [],
    'settings:get': () => ({ config: DEFAULT_CONFIG, path: '/home/me/.config/altgen/config.yaml' }),
    'model:check': () => ({ provider: 'ollama', model: 'llava', base_url: 'http://127.0.0.1:11434', state: 'ok', message: null, fix: null }),
    ...overrides,
  });
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the app store', () => {
  it('subscribes to main’s events before it rebuilds itself from batch:get-current', async () => {
    const bridge = mainSide({ 'batch:get-current': () => snapshot(3) });
    const store = createAppStore(bridge);
    const disconnect = connectStore(store, bridge);
    expect(bridge.listenerCount('batch:changed')).toBe(1);
    expect(bridge.listenerCount('batch:snapshot-replaced')).toBe(1);
    await settle();
    const state = store.getState();
    expect(state.batch?.rows.length).toBe(3);
    expect(state.appInfo?.host).toBe('web');
    expect(state.settingsForm?.model_name).toBe('llava');
    expect(state.view).toBe('queue');
    disconnect();
    expect(bridge.listenerCount('batch:changed')).toBe(0);
  });

  it('keeps the batch current from batch:changed and batch:snapshot-replaced', async () => {
    const bridge = mainSide({ 'batch:get-current': () => snapshot(2) });
    const store = createAppStore(bridge);
    connectStore(store, bridge);
    await settle();
    bridge.emit('batch:changed', {
      type: 'item:updated',
      batch_id: ID,
      index: 1,
      item: item(`${ROOT}/deck-00001.pptx`, 'complete', { result: { pictures: 2, described: 2 } }),
      clock: clock({ total: 2, pending: 1, complete: 1 }, 3000, 3000),
    });
    expect(rowAt(store.getState().batch!.rows, 1)?.status).toBe('complete');
    expect(store.getState().batch?.eta_ms).toBe(3000);
    bridge.emit('batch:snapshot-replaced', snapshot(5, { batch_id: 'next' }));
    expect(store.getState().batch?.batch_id).toBe('next');
    bridge.emit('batch:snapshot-replaced', null);
    expect(store.getState().batch).toBeNull();
  });

  it('fetches a snapshot for an event of a batch it does not know, and replays what arrived meanwhile', async () => {
    let answer: (value: ReturnType<typeof snapshot>) => void = () => undefined;
    const bridge = mainSide();
    const store = createAppStore(bridge);
    connectStore(store, bridge);
    await settle();
    bridge.handle('batch:get-current', () => new Promise((resolve) => (answer = resolve)));
    bridge.emit('batch:changed', { type: 'batch:started', batch_id: ID, manifest_path: '/m', resumed: false, dry_run: false, max_workers: 1, clock: clock({ total: 2, pending: 2 }) });
    bridge.emit('batch:changed', { type: 'item:updated', batch_id: ID, index: 0, item: item(`${ROOT}/deck-00000.pptx`, 'processing'), clock: clock({ total: 2, pending: 1, processing: 1 }) });
    expect(bridge.callsTo('batch:get-current')).toHaveLength(2);
    answer(snapshot(2));
    await settle();
    expect(rowAt(store.getState().batch!.rows, 0)?.status).toBe('processing');
    expect(store.getState().batch?.counts.processing).toBe(1);
  });

  it('tells the user to type or browse when a drop gives no paths, and discovers dropped paths', async () => {
    const preview: DiscoveryPreview = { input_root: ROOT, suggested_output_dir: `${ROOT} (accessible)`, files: [], warnings: [] };
    const bridge = mainSide({ 'inputs:discover': () => preview });
    const store = createAppStore(bridge);
    await store.getState().dropPaths([null]);
    expect(store.getState().dropNotice).toBe(DROP_WITHOUT_PATHS);
    await store.getState().dropPaths([`${ROOT}/a.pptx`, `${ROOT}/b.pptx`]);
    expect(bridge.callsTo('inputs:discover')).toEqual([{ paths: [`${ROOT}/a.pptx`, `${ROOT}/b.pptx`] }]);
    expect(store.getState().outputDir).toBe(`${ROOT} (accessible)`);
    expect(store.getState().dropNotice).toBeNull();
  });

  it('keeps an output folder the user typed when a new preview suggests another', async () => {
    const bridge = mainSide({ 'inputs:discover': () => ({ input_root: ROOT, suggested_output_dir: '/suggested', files: [], warnings: [] }) });
    const store = createAppStore(bridge);
    store.getState().setOutputDir('/mine');
    store.getState().setPathsText(ROOT);
    await store.getState().discover();
    expect(store.getState().outputDir).toBe('/mine');
  });

  it('shows main’s refusal of a discovery in its words', async () => {
    const bridge = mainSide({
      'inputs:discover': () => Promise.reject(Object.assign(new Error('No PowerPoint files in /empty.'), { code: 'ENO_DECKS' })),
    });
    const store = createAppStore(bridge);
    store.getState().setPathsText('/empty');
    await store.getState().discover();
    expect(store.getState().discoveryError).toEqual({ code: 'ENO_DECKS', message: 'No PowerPoint files in /empty.' });
  });

  it('browses folders in the app when the host has no native picker, and discovers the chosen folder', async () => {
    const listing: FolderListing = { path: '/home/me', parent: '/home', entries: [{ name: 'Lectures', kind: 'folder' }] };
    const bridge = mainSide({
      'dialog:pick-folder': () => null,
      'folders:list': ({ path }) => (path === null ? listing : { path, parent: '/home/me', entries: [] }),
      'inputs:discover': ({ paths }) => ({ input_root: paths[0]!, suggested_output_dir: '/o', files: [], warnings: [] }),
    });
    const store = createAppStore(bridge);
    await store.getState().loadAppInfo();
    await store.getState().browseForInput();
    expect(store.getState().folderBrowser?.listing).toEqual(listing);
    expect(bridge.callsTo('dialog:pick-folder')).toHaveLength(1);
    await store.getState().browseSubfolder('Lectures');
    await store.getState().chooseBrowsedFolder();
    expect(store.getState().folderBrowser).toBeNull();
    expect(store.getState().pathsText).toBe('/home/me/Lectures');
    expect(bridge.callsTo('inputs:discover')).toEqual([{ paths: ['/home/me/Lectures'] }]);
  });

  it('uses the native folder picker in Electron, and a cancelled pick changes nothing', async () => {
    const bridge = mainSide({ 'app:get-info': () => ({ ...WEB, host: 'electron' }), 'dialog:pick-folder': () => null });
    const store = createAppStore(bridge);
    await store.getState().loadAppInfo();
    await store.getState().browseForInput();
    expect(bridge.callsTo('dialog:pick-folder')).toHaveLength(1);
    expect(store.getState().folderBrowser).toBeNull();
    expect(store.getState().pathsText).toBe('');
  });

  it('starts a dry run with the chosen paths and output folder, checks the model and shows the queue', async () => {
    const bridge = mainSide({
      'batch:start': () => ({ batch_id: ID, manifest_path: '/m' }),
      'batch:get-current': () => snapshot(1, { dry_run: true }),
    });
    const store = createAppStore(bridge);
    store.getState().setPathsText(`${ROOT}\n`);
    store.getState().setOutputDir('/out');
    await store.getState().startBatch(true);
    expect(bridge.callsTo('batch:start')).toEqual([{ paths: [ROOT], output_dir: '/out', dry_run: true }]);
    expect(bridge.callsTo('model:check')).toHaveLength(1);
    expect(store.getState().view).toBe('queue');
    expect(store.getState().batch?.dry_run).toBe(true);
  });

  it('refuses to start without an output folder, saying so', async () => {
    const bridge = mainSide();
    const store = createAppStore(bridge);
    store.getState().setPathsText(ROOT);
    await store.getState().startBatch(false);
    expect(store.getState().batchError?.message).toBe('Choose an output folder first.');
    expect(bridge.callsTo('batch:start')).toHaveLength(0);
  });

  it('shows stopping at once when asked to stop, and asks main', async () => {
    const bridge = mainSide({ 'batch:get-current': () => snapshot(2), 'batch:stop': () => null });
    const store = createAppStore(bridge);
    await store.getState().loadCurrentBatch();
    await store.getState().stopBatch('after-current');
    expect(store.getState().batch?.state).toBe('stopping');
    expect(bridge.callsTo('batch:stop')).toEqual([{ mode: 'after-current' }]);
  });

  it('retries one failed file by resuming with only its index', async () => {
    const bridge = mainSide({ 'batch:resume': ({ manifest_path }) => ({ batch_id: ID, manifest_path }), 'batch:get-current': () => snapshot(1) });
    const store = createAppStore(bridge);
    await store.getState().resumeBatch('/m', { only_index: 4 });
    await store.getState().resumeBatch('/m', { retry_failed: true });
    expect(bridge.callsTo('batch:resume')).toEqual([
      { manifest_path: '/m', only_index: 4 },
      { manifest_path: '/m', retry_failed: true },
    ]);
  });

  it('opens a batch from the history', async () => {
    const bridge = mainSide({ 'batch:open': () => snapshot(4, { state: 'finished' }) });
    const store = createAppStore(bridge);
    await store.getState().openBatch('/m');
    expect(store.getState().batch?.rows.length).toBe(4);
    expect(store.getState().view).toBe('queue');
  });

  it('lists known batches newest first', async () => {
    const bridge = mainSide({ 'batches:list': () => [knownBatch({ batch_id: '20250101_000000_00000000' }), knownBatch()] });
    const store = createAppStore(bridge);
    await store.getState().loadHistory();
    expect(store.getState().knownBatches.map((b) => b.batch_id)).toEqual([ID, '20250101_000000_00000000']);
  });

  it('validates settings before saving, and shows main’s refusal next to the field it names', async () => {
    const bridge = mainSide({
      'settings:save': () => Promise.reject({ code: 'ECONFIG', message: 'model.base_url: must use http or https' }),
    });
    const store = createAppStore(bridge);
    await store.getState().loadSettings();
    store.getState().editSetting('char_limit', '5');
    expect(await store.getState().saveSettings()).toBe(false);
    expect(store.getState().settingsFieldErrors.char_limit).toBe('The character limit must be a whole number from 40 to 1000.');
    expect(bridge.callsTo('settings:save')).toHaveLength(0);

    store.getState().editSetting('char_limit', '150');
    expect(await store.getState().saveSettings()).toBe(false);
    expect(bridge.callsTo('settings:save')).toHaveLength(1);
    expect(store.getState().settingsError).toEqual({ code: 'ECONFIG', message: 'model.base_url: must use http or https' });
    expect(store.getState().settingsFieldErrors.base_url).toBe('model.base_url: must use http or https');
  });

  it('saves settings as a patch of the keys the form edits', async () => {
    const bridge = mainSide({ 'settings:save': (patch) => ({ config: { ...DEFAULT_CONFIG, model: { ...DEFAULT_CONFIG.model, name: patch.model?.name ?? 'x' } }, path: '/c.yaml' }) });
    const store = createAppStore(bridge);
    await store.getState().loadSettings();
    store.getState().editSetting('model_name', 'llava:13b');
    store.getState().editSetting('threshold_percent', '25');
    expect(await store.getState().saveSettings()).toBe(true);
    expect(bridge.callsTo('settings:save')[0]).toMatchObject({
      model: { name: 'llava:13b', base_url: 'http://127.0.0.1:11434', provider: 'ollama' },
      batch_processing: { stop_on_error_threshold: 0.25, default_max_workers: 1, file_timeout_seconds: 300 },
      alt_text: { char_limit: 125, policy: 'preserve', decorative: 'suggest' },
    });
    expect(store.getState().settingsSaved).toBe(true);
    expect(store.getState().settingsForm?.model_name).toBe('llava:13b');
  });

  it('previews folders handed over from outside as if they were dropped', async () => {
    const bridge = mainSide({ 'inputs:discover': ({ paths }) => ({ input_root: paths[0]!, suggested_output_dir: '/o', files: [], warnings: [] }) });
    const store = createAppStore(bridge);
    connectStore(store, bridge);
    await settle();
    store.getState().showView('settings');
    bridge.emit('app:folder-opened', { paths: [ROOT] });
    await settle();
    expect(store.getState().view).toBe('new-batch');
    expect(store.getState().pathsText).toBe(ROOT);
    expect(bridge.callsTo('inputs:discover')).toEqual([{ paths: [ROOT] }]);
  });

  it('says the connection is lost when the bridge drops, and fetches the history again when it is back', async () => {
    const bridge = mainSide();
    let report: (connected: boolean) => void = () => undefined;
    const aware = Object.assign(bridge, { onConnectionChange: (listener: (connected: boolean) => void) => ((report = listener), () => undefined) });
    const store = createAppStore(aware);
    connectStore(store, aware);
    await settle();
    const listed = bridge.callsTo('batches:list').length;
    report(false);
    expect(store.getState().connectionLost).toBe(true);
    report(true);
    await settle();
    expect(store.getState().connectionLost).toBe(false);
    expect(bridge.callsTo('batches:list').length).toBe(listed + 1);
  });

  it('marks the connection lost when an invoke finds the bridge gone', async () => {
    const bridge = mainSide({ 'batches:list': () => Promise.reject(Object.assign(new Error('The connection to AltGen was lost.'), { code: 'EDISCONNECTED' })) });
    const store = createAppStore(bridge);
    await store.getState().loadHistory();
    expect(store.getState().connectionLost).toBe(true);
    expect(store.getState().historyError?.code).toBe('EDISCONNECTED');
  });

  it('says where a file is when this host cannot open folders, and forgets it on the next screen', async () => {
    const bridge = mainSide({
      'shell:show-in-folder': () => Promise.reject(Object.assign(new Error('Not here.'), { code: 'ENOT_AVAILABLE' })),
    });
    const store = createAppStore(bridge);
    await store.getState().showInFolder('/l/a.pptx');
    expect(store.getState().notice?.text).toBe('This window cannot open folders or files on the computer. The file is at: /l/a.pptx');
    store.getState().showView('history');
    expect(store.getState().notice).toBeNull();
  });

  it('announces batch starts, stops and finishes, and failures in a burst as one sentence', async () => {
    vi.useFakeTimers();
    const bridge = mainSide();
    const store = createAppStore(bridge);
    store.getState().receiveSnapshot(snapshot(3));
    store.getState().receiveBatchEvent({ type: 'batch:started', batch_id: ID, manifest_path: '/m', resumed: false, dry_run: false, max_workers: 1, clock: clock({ total: 3, pending: 3 }) });
    for (const index of [0, 1]) {
      store.getState().receiveBatchEvent({
        type: 'item:updated',
        batch_id: ID,
        index,
        item: item(`${ROOT}/deck-0000${index}.pptx`, 'failed', { error: 'Broken.' }),
        clock: clock({ total: 3, failed: index + 1 }),
      });
    }
    store.getState().receiveBatchEvent({ type: 'batch:stopped', batch_id: ID, reason: 'error-threshold', message: 'Too many files failed.', clock: clock({ total: 3, failed: 2, pending: 1 }) });
    vi.advanceTimersByTime(2000);
    const texts = store.getState().liveMessages.map((m) => m.text);
    expect(texts[0]).toBe('Batch started: 3 files.');
    // The batch's own message only repeats the headline: said once.
    expect(texts[1]).toBe('Batch stopped. Stopped: too many files failed. 0 complete, 2 failed, 0 skipped.');
    expect(texts[2]).toBe('2 files failed. The last one: deck-00001.pptx. Broken.');
  });
});
