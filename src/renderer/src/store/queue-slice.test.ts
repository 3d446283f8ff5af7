import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppInfo, DiscoveryPreview } from '../../../shared/ipc-contract';
import { ROOT, row, snapshot } from '../../../shared/testing/batch-fixtures';
import { FakeBridge } from '../testing/fake-bridge';
import { createAppStore } from './app-store';

const WEB: AppInfo = { version: '0.1.0', host: 'web', platform: 'linux', config_path: null };
const MANIFEST = '/out/batch_20261128_100000_abcdef01_manifest.json';

function preview(): DiscoveryPreview {
  return {
    input_root: ROOT,
    suggested_output_dir: '/out',
    warnings: [],
    files: ['a.pptx', 'b.pptx', 'c.pptx'].map((name) => ({ path: `${ROOT}/${name}`, relative_path: name, action: 'process', code: null, reason: null })),
  };
}

/** The browser's Notification API, recorded; `permission` is what the user answered. */
function fakeNotifications(permission: NotificationPermission) {
  const shown: { title: string; body: string | undefined }[] = [];
  class FakeNotification {
    static permission: NotificationPermission = permission;
    static requestPermission = vi.fn(async () => permission);
    constructor(title: string, options?: NotificationOptions) {
      shown.push({ title, body: options?.body });
    }
  }
  vi.stubGlobal('Notification', FakeNotification);
  return { shown, requestPermission: FakeNotification.requestPermission };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the queue slice', () => {
  it('starts a batch without the decks left out in the preview; a new preview puts every deck back in', async () => {
    const bridge = new FakeBridge({ 'inputs:discover': () => preview(), 'batch:start': () => ({ batch_id: 'b', manifest_path: MANIFEST }), 'batch:get-current': () => null });
    const store = createAppStore(bridge);
    store.getState().setPathsText(ROOT);
    await store.getState().discover();
    store.getState().toggleExcluded(`${ROOT}/b.pptx`);
    store.getState().toggleExcluded(`${ROOT}/c.pptx`);
    store.getState().toggleExcluded(`${ROOT}/c.pptx`);
    await store.getState().startBatch(true);
    expect(bridge.callsTo('batch:start')).toEqual([{ paths: [ROOT], output_dir: '/out', dry_run: true, exclude: [`${ROOT}/b.pptx`] }]);
    await store.getState().discover();
    expect(store.getState().excludedPaths.size).toBe(0);
  });

  it('starts after a dry run exactly the decks it found ready, their copies mirroring its folder', async () => {
    const bridge = new FakeBridge({ 'batch:start': () => ({ batch_id: 'b', manifest_path: MANIFEST }), 'batch:get-current': () => null });
    const store = createAppStore(bridge);
    store.getState().setPathsText(ROOT);
    const dryRun = snapshot(4, {
      dry_run: true,
      state: 'finished',
      manifest_path: MANIFEST,
      rows: [
        row(0, { status: 'complete', pictures_total: 2, pictures_missing_alt: 1 }),
        row(1, { status: 'failed', error_code: 'ECORRUPT' }),
        row(2, { status: 'skipped', error_code: 'EREMOVED_BY_USER' }),
        row(3, { status: 'complete', pictures_total: 1, pictures_missing_alt: 0 }),
      ],
    });
    store.getState().receiveSnapshot(dryRun);
    await store.getState().startAfterDryRun();
    expect(bridge.callsTo('batch:start')).toEqual([
      { paths: [`${ROOT}/deck-00000.pptx`, `${ROOT}/deck-00003.pptx`], output_dir: dryRun.output_dir, dry_run: false, dry_run_manifest: MANIFEST, input_root: ROOT },
    ]);
  });

  it('moves, skips, removes and puts back one deck, says what it did, reads its log again and moves the focus to that sentence', async () => {
    const bridge = new FakeBridge({
      'batch:get-log': () => ({ path: '/out/.altgen/logs/batch_b/1.jsonl', entries: [] }),
      'queue:move-to-front': () => null,
      'queue:remove-file': () => {
        throw Object.assign(new Error('deck-00001.pptx cannot be removed: it is being processed now.'), { code: 'EUSAGE' });
      },
    });
    const store = createAppStore(bridge);
    store.getState().receiveSnapshot(snapshot(3, { manifest_path: MANIFEST }));
    await store.getState().openDeckDetails(1);
    expect(store.getState().deckDetails).toMatchObject({ index: 1, loading: false, log: { entries: [] } });
    await store.getState().actOnDeck('move-to-front');
    expect(bridge.callsTo('queue:move-to-front')).toEqual([{ manifest_path: MANIFEST, index: 1 }]);
    expect(store.getState().deckDetails?.result).toBe('deck-00001.pptx: Moved to the front: it starts next.');
    expect(store.getState().focusRequest?.target).toBe('queue-result');
    expect(bridge.callsTo('batch:get-log')).toHaveLength(2);
    await store.getState().actOnDeck('remove');
    expect(store.getState().deckDetails).toMatchObject({ result: null, error: { code: 'EUSAGE', message: 'deck-00001.pptx cannot be removed: it is being processed now.' } });
    store.getState().closeDeckDetails();
    expect(store.getState().deckDetails).toBeNull();
  });

  it('pauses and lets the batch go on through main, the focus then on the batch\'s state', async () => {
    const bridge = new FakeBridge({ 'batch:pause': () => null, 'batch:continue': () => null });
    const store = createAppStore(bridge);
    await store.getState().pauseBatch();
    await store.getState().continueBatch();
    expect(bridge.calls.map((call) => call.channel)).toEqual(['batch:pause', 'batch:continue']);
    expect(store.getState().focusRequest?.target).toBe('batch-state');
  });

  it('asks the browser for permission to notify when "Notify me" is chosen, and notifies in the page and the browser when main asks', async () => {
    const { shown, requestPermission } = fakeNotifications('granted');
    const bridge = new FakeBridge({ 'app:get-info': () => WEB, 'app:set-when-done': ({ when_done }) => when_done });
    const store = createAppStore(bridge);
    await store.getState().loadAppInfo();
    setNotificationPermission('default');
    await store.getState().setWhenDone('notify');
    expect(requestPermission).toHaveBeenCalledOnce();
    expect(store.getState()).toMatchObject({ whenDone: 'notify', whenDoneMessage: null });
    setNotificationPermission('granted');
    store.getState().receiveNotification({ title: 'Batch finished', body: '6 decks done.' });
    expect(shown).toEqual([{ title: 'Batch finished', body: '6 decks done.' }]);
    expect(store.getState().notice?.text).toBe('Batch finished. 6 decks done.');
  });

  it('says in the page when the browser will not notify, and still says it in the page when a batch is done', async () => {
    const { shown } = fakeNotifications('denied');
    const bridge = new FakeBridge({ 'app:get-info': () => WEB, 'app:set-when-done': ({ when_done }) => when_done });
    const store = createAppStore(bridge);
    await store.getState().loadAppInfo();
    await store.getState().setWhenDone('notify');
    expect(store.getState().whenDoneMessage).toBe('This browser does not let AltGen show notifications; it will say so on this page instead.');
    store.getState().receiveNotification({ title: 'Batch finished', body: '1 deck done.' });
    expect(shown).toEqual([]);
    expect(store.getState().notice?.text).toBe('Batch finished. 1 deck done.');
  });
});

/** Changes what the stubbed Notification API says the user answered. */
function setNotificationPermission(permission: NotificationPermission): void {
  (globalThis as unknown as { Notification: { permission: NotificationPermission } }).Notification.permission = permission;
}

describe('checking a dry run\'s file again', () => {
  it('resumes the dry run for that one file', async () => {
    const bridge = new FakeBridge({ 'batch:resume': () => ({ batch_id: 'b', manifest_path: MANIFEST }), 'batch:get-log': () => ({ path: '/x', entries: [] }) });
    const store = createAppStore(bridge);
    store.getState().receiveSnapshot(snapshot(2, { manifest_path: MANIFEST, dry_run: true, state: 'finished', rows: [row(0, { status: 'complete' }), row(1, { status: 'failed' })] }));
    await store.getState().openDeckDetails(1);
    await store.getState().actOnDeck('check-again');
    expect(bridge.callsTo('batch:resume')).toEqual([{ manifest_path: MANIFEST, only_index: 1 }]);
    expect(store.getState().deckDetails?.result).toBe('deck-00001.pptx: Checked again; its verdict is above.');
  });
});
