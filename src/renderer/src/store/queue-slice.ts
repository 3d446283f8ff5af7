import type { BridgeError, CleanupReport, DeckLog, RequestOf, WhenDone } from '../../../shared/ipc-contract';
import { rowAt } from '../../../shared/row-table';
import type { SliceContext, SliceCreator } from './app-state';
import { toBridgeError } from './bridge-error';

/**
 * The queue as people know it from HandBrake: pause and go on, one deck's details (its log, and
 * moving, skipping, removing or putting it back), "When done", the preview's include/exclude,
 * and History's clean-up. Main does the work; this keeps what the screens show of it.
 */

/** One deck's details: its log, and the result of the last thing done to it. */
export interface DeckDetails {
  readonly index: number;
  readonly log: DeckLog | null;
  readonly loading: boolean;
  /** An action on the deck is on its way to main. */
  readonly busy: boolean;
  readonly error: BridgeError | null;
  /** What the last action did, in words ("Moved to the front: it starts next."). */
  readonly result: string | null;
}

export type QueueAction = 'move-to-front' | 'skip' | 'remove' | 'put-back' | 'check-again';

export interface QueueSlice {
  readonly whenDone: WhenDone;
  readonly whenDoneMessage: string | null;
  /** The pause or continue that main refused, in its words. */
  readonly pauseError: BridgeError | null;
  readonly deckDetails: DeckDetails | null;
  /** Decks of the preview the user left out of the batch (by path). */
  readonly excludedPaths: ReadonlySet<string>;
  readonly cleanup: { readonly report: CleanupReport | null; readonly done: boolean; readonly busy: boolean; readonly error: BridgeError | null };
  readonly loadWhenDone: () => Promise<void>;
  readonly setWhenDone: (choice: WhenDone) => Promise<void>;
  readonly pauseBatch: () => Promise<void>;
  readonly continueBatch: () => Promise<void>;
  readonly openDeckDetails: (index: number) => Promise<void>;
  readonly closeDeckDetails: () => void;
  readonly refreshDeckLog: () => Promise<void>;
  readonly actOnDeck: (action: QueueAction) => Promise<void>;
  readonly toggleExcluded: (path: string) => void;
  readonly clearExcluded: () => void;
  readonly previewCleanup: () => Promise<void>;
  readonly cleanUp: () => Promise<void>;
  readonly closeCleanup: () => void;
  /** A batch ended while "When done" was "notify": the browser's notification, and the same words in the page. */
  readonly receiveNotification: (notice: { readonly title: string; readonly body: string }) => void;
}

const NO_CLEANUP: QueueSlice['cleanup'] = { report: null, done: false, busy: false, error: null };

/** What each action says it did. */
const DONE_WORDS: Readonly<Record<QueueAction, string>> = {
  'move-to-front': 'Moved to the front: it starts next.',
  skip: 'Skipped for now: resuming the batch takes it up again.',
  remove: 'Removed from the batch: choose Put back to process it after all.',
  'put-back': 'Put back in the queue.',
  'check-again': 'Checked again; its verdict is above.',
};

type DeckChannel = 'queue:move-to-front' | 'queue:skip-file' | 'queue:remove-file' | 'queue:put-back-file';

const CHANNELS: Readonly<Record<Exclude<QueueAction, 'check-again'>, DeckChannel>> = {
  'move-to-front': 'queue:move-to-front',
  skip: 'queue:skip-file',
  remove: 'queue:remove-file',
  'put-back': 'queue:put-back-file',
};

/** The browser's notification, where the page may show one; the words are in the page either way. */
function showBrowserNotification(title: string, body: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    new Notification(title, { body });
  } catch {
    // Some browsers only notify from a service worker: the page says it instead.
  }
}

export const createQueueSlice: SliceCreator<QueueSlice> =
  ({ bridge }: SliceContext) =>
  (set, get) => {
    const loadLog = async (index: number): Promise<void> => {
      const manifestPath = get().batch?.manifest_path;
      if (!manifestPath) return;
      try {
        const log = await bridge.invoke('batch:get-log', { manifest_path: manifestPath, index });
        set((state) => (state.deckDetails?.index === index ? { deckDetails: { ...state.deckDetails, log, loading: false, error: null } } : {}));
      } catch (error) {
        set((state) => (state.deckDetails?.index === index ? { deckDetails: { ...state.deckDetails, loading: false, error: toBridgeError(error) } } : {}));
      }
    };

    const setPaused = async (paused: boolean): Promise<void> => {
      set({ pauseError: null });
      try {
        await bridge.invoke(paused ? 'batch:pause' : 'batch:continue', null);
      } catch (error) {
        set({ pauseError: toBridgeError(error) });
      }
      get().requestFocus('batch-state');
    };

    return {
      whenDone: 'nothing',
      whenDoneMessage: null,
      pauseError: null,
      deckDetails: null,
      excludedPaths: new Set<string>(),
      cleanup: NO_CLEANUP,
      loadWhenDone: async () => {
        try {
          set({ whenDone: await bridge.invoke('app:get-when-done', null) });
        } catch {
          // An older main without "When done": the choice stays "nothing".
        }
      },
      setWhenDone: async (choice) => {
        let message: string | null = null;
        if (choice === 'notify' && get().appInfo?.host === 'web' && typeof Notification !== 'undefined' && Notification.permission !== 'granted') {
          const permission = await Notification.requestPermission().catch(() => 'denied' as const);
          if (permission !== 'granted') message = 'This browser does not let AltGen show notifications; it will say so on this page instead.';
        }
        try {
          const whenDone = await bridge.invoke('app:set-when-done', { when_done: choice });
          set({ whenDone, whenDoneMessage: message });
        } catch (error) {
          set({ whenDoneMessage: toBridgeError(error).message });
        }
      },
      pauseBatch: () => setPaused(true),
      continueBatch: () => setPaused(false),
      openDeckDetails: async (index) => {
        set({ deckDetails: { index, log: null, loading: true, busy: false, error: null, result: null } });
        await loadLog(index);
      },
      closeDeckDetails: () => set({ deckDetails: null }),
      refreshDeckLog: async () => {
        const details = get().deckDetails;
        if (details) await loadLog(details.index);
      },
      actOnDeck: async (action) => {
        const details = get().deckDetails;
        const batch = get().batch;
        if (!details || !batch) return;
        const request: RequestOf<DeckChannel> = { manifest_path: batch.manifest_path, index: details.index };
        set({ deckDetails: { ...details, busy: true, error: null, result: null } });
        try {
          // A dry run's check of one file, again: the dry run resumes for it (it is quick).
          if (action === 'check-again') await bridge.invoke('batch:resume', { manifest_path: request.manifest_path, only_index: details.index });
          else await bridge.invoke(CHANNELS[action], request);
          const name = rowAt(batch.rows, details.index)?.relative_path ?? 'The deck';
          set((state) => (state.deckDetails?.index === details.index ? { deckDetails: { ...state.deckDetails, busy: false, result: `${name}: ${DONE_WORDS[action]}` } } : {}));
          await loadLog(details.index);
        } catch (error) {
          set((state) => (state.deckDetails?.index === details.index ? { deckDetails: { ...state.deckDetails, busy: false, error: toBridgeError(error) } } : {}));
        }
        get().requestFocus('queue-result');
      },
      toggleExcluded: (path) =>
        set((state) => {
          const excludedPaths = new Set(state.excludedPaths);
          if (!excludedPaths.delete(path)) excludedPaths.add(path);
          return { excludedPaths };
        }),
      clearExcluded: () => set({ excludedPaths: new Set<string>() }),
      previewCleanup: async () => {
        set({ cleanup: { ...NO_CLEANUP, busy: true } });
        try {
          set({ cleanup: { ...NO_CLEANUP, report: await bridge.invoke('batches:clean-up', { dry_run: true }) } });
        } catch (error) {
          set({ cleanup: { ...NO_CLEANUP, error: toBridgeError(error) } });
        }
        get().requestFocus('history-result');
      },
      cleanUp: async () => {
        set((state) => ({ cleanup: { ...state.cleanup, busy: true, error: null } }));
        try {
          const report = await bridge.invoke('batches:clean-up', { dry_run: false });
          set({ cleanup: { ...NO_CLEANUP, report, done: true } });
          await get().loadHistory();
        } catch (error) {
          set((state) => ({ cleanup: { ...state.cleanup, busy: false, error: toBridgeError(error) } }));
        }
        get().requestFocus('history-result');
      },
      closeCleanup: () => set({ cleanup: NO_CLEANUP }),
      receiveNotification: ({ title, body }) => {
        showBrowserNotification(title, body);
        get().showNotice(`${title}. ${body}`);
      },
    };
  };
