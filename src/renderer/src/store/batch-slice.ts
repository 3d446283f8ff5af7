import type { BatchView } from '../../../shared/batch-fold';
import { applyBatchEvent, batchViewFrom, isForOtherBatch, withStopRequested } from '../../../shared/batch-fold';
import type { BatchEvent } from '../../../shared/batch-events';
import type { BatchSnapshot, BridgeError, RequestOf } from '../../../shared/ipc-contract';
import { forEachRow } from '../../../shared/row-table';
import { announcementFor } from '../text/announcements';
import type { SliceContext, SliceCreator } from './app-state';
import { toBridgeError } from './bridge-error';
import { pathsFromText } from './discovery-slice';

export type ResumeOptions = Omit<RequestOf<'batch:resume'>, 'manifest_path'>;

export interface BatchSlice {
  readonly batch: BatchView | null;
  /** False until the first `batch:get-current` has answered. */
  readonly batchLoaded: boolean;
  /** The last start, stop, resume or open that main refused, in its words. */
  readonly batchError: BridgeError | null;
  /** A start, resume or open is on its way to main. */
  readonly batchBusy: boolean;
  readonly loadCurrentBatch: () => Promise<void>;
  readonly receiveBatchEvent: (event: BatchEvent) => void;
  readonly receiveSnapshot: (snapshot: BatchSnapshot | null) => void;
  readonly startBatch: (dryRun: boolean) => Promise<void>;
  /** Process the files a finished dry run checked, into the same output folder. */
  readonly startAfterDryRun: () => Promise<void>;
  readonly stopBatch: (mode: RequestOf<'batch:stop'>['mode']) => Promise<void>;
  readonly resumeBatch: (manifestPath: string, options?: ResumeOptions) => Promise<void>;
  readonly openBatch: (manifestPath: string) => Promise<void>;
  readonly dismissBatchError: () => void;
}

const HISTORY_EVENTS: ReadonlySet<BatchEvent['type']> = new Set(['batch:started', 'batch:stopped', 'batch:finished']);

export const createBatchSlice: SliceCreator<BatchSlice> =
  ({ bridge, now }: SliceContext) =>
  (set, get) => {
    /**
     * Events that arrive while a snapshot is being fetched are kept and applied on top of it:
     * an `item:updated` carries the whole item, so applying one twice is harmless.
     */
    let loading: Promise<void> | null = null;
    let buffered: BatchEvent[] = [];

    const showSnapshot = (snapshot: BatchSnapshot | null, replay: readonly BatchEvent[]) => {
      let batch = snapshot ? batchViewFrom(snapshot, now()) : null;
      for (const event of replay) batch = applyBatchEvent(batch, event, now());
      set({ batch, batchLoaded: true });
    };

    const load = (): Promise<void> => {
      loading ??= (async () => {
        buffered = [];
        try {
          const snapshot = await bridge.invoke('batch:get-current', null);
          showSnapshot(snapshot, buffered);
        } catch (error) {
          set({ batchLoaded: true, batchError: toBridgeError(error) });
        } finally {
          buffered = [];
          loading = null;
        }
      })();
      return loading;
    };

    /** Runs a start/resume/open and shows its batch; a refusal is kept in `batchError`. */
    const act = async (run: () => Promise<{ readonly batch_id: string }>): Promise<void> => {
      set({ batchBusy: true, batchError: null });
      try {
        const { batch_id } = await run();
        get().showView('queue');
        if (get().batch?.batch_id !== batch_id) await load();
      } catch (error) {
        set({ batchError: toBridgeError(error) });
      } finally {
        set({ batchBusy: false });
      }
    };

    return {
      batch: null,
      batchLoaded: false,
      batchError: null,
      batchBusy: false,
      loadCurrentBatch: load,
      receiveBatchEvent: (event) => {
        const before = get().batch;
        const announcement = announcementFor(before, event);
        if (loading) buffered.push(event);
        if (isForOtherBatch(before, event)) {
          if (!loading) void load();
        } else {
          const after = applyBatchEvent(before, event, now());
          if (after !== before) set({ batch: after });
        }
        if (announcement) {
          if (event.type === 'item:updated') get().announceFailure(announcement);
          else get().announce(announcement);
        }
        if (HISTORY_EVENTS.has(event.type)) void get().loadHistory();
      },
      receiveSnapshot: (snapshot) => showSnapshot(snapshot, []),
      startBatch: async (dryRun) => {
        const paths = pathsFromText(get().pathsText);
        const outputDir = get().outputDir.trim();
        if (paths.length === 0 || !outputDir) {
          set({
            batchError: {
              code: 'EUSAGE',
              message: paths.length === 0 ? 'Choose a folder or files to process first.' : 'Choose an output folder first.',
            },
          });
          return;
        }
        get().setStatusFilter('all');
        if (dryRun) void get().checkModel();
        await act(() => bridge.invoke('batch:start', { paths, output_dir: outputDir, dry_run: dryRun }));
      },
      startAfterDryRun: async () => {
        const batch = get().batch;
        if (!batch?.dry_run) return;
        let paths = pathsFromText(get().pathsText);
        if (paths.length === 0) {
          const rows: string[] = [];
          forEachRow(batch.rows, (row) => {
            if (row.status === 'complete') rows.push(row.path);
          });
          paths = rows;
        }
        get().setStatusFilter('all');
        await act(() => bridge.invoke('batch:start', { paths, output_dir: batch.output_dir, dry_run: false }));
      },
      stopBatch: async (mode) => {
        set((state) => ({ batch: withStopRequested(state.batch), batchError: null }));
        get().announce(mode === 'now' ? 'Stopping now…' : 'Stopping after the running files finish…');
        try {
          await bridge.invoke('batch:stop', { mode });
        } catch (error) {
          set({ batchError: toBridgeError(error) });
          await load();
        }
      },
      resumeBatch: (manifestPath, options = {}) =>
        act(() => bridge.invoke('batch:resume', { manifest_path: manifestPath, ...options })),
      openBatch: async (manifestPath) => {
        set({ batchBusy: true, batchError: null });
        try {
          const snapshot = await bridge.invoke('batch:open', { manifest_path: manifestPath });
          showSnapshot(snapshot, []);
          get().setStatusFilter('all');
          get().showView('queue');
        } catch (error) {
          set({ batchError: toBridgeError(error) });
        } finally {
          set({ batchBusy: false });
        }
      },
      dismissBatchError: () => set({ batchError: null }),
    };
  };
