import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AltgenBridge } from '../../../shared/ipc-contract';
import { createAppInfoSlice } from './app-info-slice';
import type { AppState, SliceContext } from './app-state';
import { createBatchSlice } from './batch-slice';
import { createDiscoverySlice } from './discovery-slice';
import { createHistorySlice, isResumable } from './history-slice';
import { createQueueSlice } from './queue-slice';
import { createReviewSlice } from './review-slice';
import { createSettingsSlice } from './settings-slice';
import { createUiSlice } from './ui-slice';

export type AppStore = StoreApi<AppState>;

/** The web bridge also says when its socket drops and comes back; Electron's never drops. */
interface ConnectionAware {
  onConnectionChange(listener: (connected: boolean) => void): () => void;
}

function isConnectionAware(bridge: AltgenBridge): bridge is AltgenBridge & ConnectionAware {
  return typeof (bridge as Partial<ConnectionAware>).onConnectionChange === 'function';
}

/** Every invoke that finds the bridge gone (EDISCONNECTED) marks the connection as lost. */
function watchConnection(bridge: AltgenBridge, onLost: () => void): AltgenBridge {
  return {
    invoke: async (channel, request) => {
      try {
        return await bridge.invoke(channel, request);
      } catch (error) {
        if ((error as { code?: unknown } | null)?.code === 'EDISCONNECTED') onLost();
        throw error;
      }
    },
    on: (channel, listener) => bridge.on(channel, listener),
    pathForFile: (file) => bridge.pathForFile(file),
  };
}

export function createAppStore(bridge: AltgenBridge, now: () => number = Date.now): AppStore {
  const context: SliceContext = { bridge: watchConnection(bridge, () => store.setState({ connectionLost: true })), now };
  const store = createStore<AppState>()((...args) => ({
    ...createAppInfoSlice(context)(...args),
    ...createDiscoverySlice(context)(...args),
    ...createBatchSlice(context)(...args),
    ...createHistorySlice(context)(...args),
    ...createSettingsSlice(context)(...args),
    ...createReviewSlice(context)(...args),
    ...createUiSlice(context)(...args),
    ...createQueueSlice(context)(...args),
  }));
  return store;
}

/**
 * Connects the store to main: subscribes to the events first (so none is missed), then
 * rebuilds everything from main's state. Returns the unsubscribe function.
 */
export function connectStore(store: AppStore, bridge: AltgenBridge): () => void {
  const unsubscribers = [
    bridge.on('batch:changed', (event) => store.getState().receiveBatchEvent(event)),
    bridge.on('batch:snapshot-replaced', (snapshot) => store.getState().receiveSnapshot(snapshot)),
    bridge.on('app:folder-opened', ({ paths }) => void store.getState().receiveOpenedPaths(paths)),
    bridge.on('app:notification-requested', (notice) => store.getState().receiveNotification(notice)),
  ];
  if (isConnectionAware(bridge)) {
    unsubscribers.push(
      bridge.onConnectionChange((connected) => {
        const wasLost = store.getState().connectionLost;
        store.setState({ connectionLost: !connected });
        // Back after a drop: the bridge re-sends the current batch; the rest is fetched again here.
        if (connected && wasLost) void Promise.all([store.getState().loadHistory(), store.getState().checkModel()]);
      }),
    );
  }
  const state = store.getState();
  void (async () => {
    await Promise.all([state.loadAppInfo(), state.loadCurrentBatch(), state.loadHistory(), state.loadSettings(), state.loadWhenDone()]);
    const { batch, knownBatches } = store.getState();
    // A running batch is what the user came back to; otherwise the start screen offers Resume.
    // (Unless the page was opened at another view's own address: a reload stays where it was.)
    if (batch && (batch.state === 'running' || batch.state === 'stopping') && store.getState().view === 'new-batch') store.setState({ view: 'queue' });
    else if (!batch && knownBatches.some(isResumable)) store.getState().announce('Unfinished batches can be resumed.');
    void store.getState().checkModel();
  })();
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
