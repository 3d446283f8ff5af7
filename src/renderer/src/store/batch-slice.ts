import type { BatchView } from '../../../shared/batch-fold';
import { applyBatchEvent, batchViewFrom, isForOtherBatch, withStopRequested } from '../../../shared/batch-fold';
import type { BatchEvent } from '../../../shared/batch-events';
import type { BatchSnapshot, BridgeError, ModelStatus, RequestOf } from '../../../shared/ipc-contract';
import { firstSentence, withoutCodeMarks } from '../../../shared/plain-sentence';
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
  /** "Try now": the batch waiting for the model server asks it at once. */
  readonly tryModelNow: () => Promise<void>;
  /** A "Try now" is on its way. */
  readonly modelRetrying: boolean;
  /** The last "Try now"'s answer and when it came (ms since the epoch), until the batch goes on. */
  readonly modelRetryAnswer: { readonly answering: boolean; readonly at: number } | null;
}

/**
 * The model line follows the batch's own events: a batch that finds the server gone says so
 * at once, and says it is back when it is, instead of an earlier check's "Reachable".
 */
function modelStatusAfter(status: ModelStatus | null, event: BatchEvent): ModelStatus | null {
  const known = { provider: status?.provider ?? '', model: status?.model ?? '', base_url: status?.base_url ?? '' };
  switch (event.type) {
    case 'batch:paused':
      return { ...status, ...known, state: 'unreachable', message: withoutCodeMarks(firstSentence(event.message)), fix: null };
    case 'batch:continued':
      return { ...status, ...known, state: 'ok', message: null, fix: null };
    default:
      return status;
  }
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
        // The button pressed may be gone (a dry run's "Start processing these files"): the batch's state is the result.
        get().requestFocus('batch-state');
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
      modelRetrying: false,
      modelRetryAnswer: null,
      loadCurrentBatch: load,
      receiveBatchEvent: (event) => {
        const before = get().batch;
        const announcement = announcementFor(before, event, { progressMilestones: get().progressMilestones });
        if (loading) buffered.push(event);
        if (isForOtherBatch(before, event)) {
          if (!loading) void load();
        } else {
          const after = applyBatchEvent(before, event, now());
          if (after !== before) set({ batch: after });
          const modelStatus = modelStatusAfter(get().modelStatus, event);
          if (modelStatus !== get().modelStatus) set({ modelStatus });
          if (event.type === 'batch:paused' || event.type === 'batch:continued') set({ modelRetryAnswer: null });
        }
        if (announcement) {
          if (event.type === 'item:updated' && event.item.status === 'failed') get().announceFailure(announcement);
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
        // The decks the user left out in the preview are not in the batch.
        const exclude = [...get().excludedPaths];
        await act(() => bridge.invoke('batch:start', { paths, output_dir: outputDir, dry_run: dryRun, ...(exclude.length > 0 ? { exclude } : {}) }));
      },
      startAfterDryRun: async () => {
        const batch = get().batch;
        if (!batch?.dry_run) return;
        // Exactly the decks the dry run found ready (those it failed or skipped, or the user removed,
        // stay out until checked again), their copies mirroring the dry run's folder.
        const paths: string[] = [];
        forEachRow(batch.rows, (row) => {
          if (row.status === 'complete') paths.push(row.path);
        });
        get().setStatusFilter('all');
        // The dry run's plan gives the run's ETA the pictures of each deck.
        const inputRoot = batch.input_root === null ? {} : { input_root: batch.input_root };
        await act(() => bridge.invoke('batch:start', { paths, output_dir: batch.output_dir, dry_run: false, dry_run_manifest: batch.manifest_path, ...inputRoot }));
      },
      stopBatch: async (mode) => {
        set((state) => ({ batch: withStopRequested(state.batch), batchError: null }));
        get().requestFocus('batch-state');
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
      tryModelNow: async () => {
        if (get().modelRetrying) return;
        set({ modelRetrying: true, modelRetryAnswer: null, batchError: null });
        try {
          const { answering } = await bridge.invoke('batch:try-model-now', null);
          set({ modelRetryAnswer: { answering, at: now() } });
          // Answering, the batch goes on and its heading says so; else the answer is the result.
          get().requestFocus(answering ? 'batch-state' : 'model-retry');
        } catch (error) {
          set({ batchError: toBridgeError(error) });
        } finally {
          set({ modelRetrying: false });
        }
      },
    };
  };
