import type { SliceContext, SliceCreator } from './app-state';
import type { QueueSort, SortKey, StatusFilter } from './queue-view';
import { DEFAULT_SORT, nextSort } from './queue-view';
import { summariseFailures } from '../text/announcements';

export type View = 'new-batch' | 'queue' | 'failed' | 'history' | 'review' | 'settings';

export interface LiveMessage {
  readonly id: number;
  readonly text: string;
}

export interface UiSlice {
  readonly view: View;
  /** How many times the view changed: screens move focus to their heading only after a change. */
  readonly viewChanges: number;
  readonly statusFilter: StatusFilter;
  readonly sort: QueueSort;
  /** The most recent announcements, newest last, for the polite live region. */
  readonly liveMessages: readonly LiveMessage[];
  /** A message about the last action (e.g. a folder that could not be opened), shown until dismissed. */
  readonly notice: LiveMessage | null;
  readonly showView: (view: View) => void;
  readonly setStatusFilter: (filter: StatusFilter) => void;
  /** The queue, showing only the files with this status. */
  readonly showStatusInQueue: (filter: StatusFilter) => void;
  /** A click on a column header: the same column flips direction. */
  readonly sortBy: (key: SortKey) => void;
  readonly setSort: (sort: QueueSort) => void;
  readonly announce: (text: string) => void;
  /** Failures arriving within a moment are announced as one sentence. */
  readonly announceFailure: (text: string) => void;
  readonly showNotice: (text: string) => void;
  readonly dismissNotice: () => void;
}

const KEPT_MESSAGES = 5;
export const FAILURE_COALESCE_MS = 1500;

export const createUiSlice: SliceCreator<UiSlice> =
  (_context: SliceContext) =>
  (set, get) => {
    let nextId = 1;
    let failures: string[] = [];
    let flushTimer: ReturnType<typeof setTimeout> | null = null;

    const flushFailures = () => {
      flushTimer = null;
      const text = summariseFailures(failures);
      failures = [];
      if (text) get().announce(text);
    };

    return {
      view: 'new-batch',
      viewChanges: 0,
      statusFilter: 'all',
      sort: DEFAULT_SORT,
      liveMessages: [],
      notice: null,
      // A notice answers an action on one screen; it does not follow the user to the next.
      showView: (view) => set((state) => (state.view === view ? {} : { view, viewChanges: state.viewChanges + 1, notice: null })),
      setStatusFilter: (statusFilter) => set({ statusFilter }),
      showStatusInQueue: (statusFilter) => {
        set({ statusFilter });
        get().showView('queue');
      },
      sortBy: (key) => set((state) => ({ sort: nextSort(state.sort, key) })),
      setSort: (sort) => set({ sort }),
      announce: (text) =>
        set((state) => ({ liveMessages: [...state.liveMessages, { id: nextId++, text }].slice(-KEPT_MESSAGES) })),
      announceFailure: (text) => {
        failures.push(text);
        flushTimer ??= setTimeout(flushFailures, FAILURE_COALESCE_MS);
      },
      showNotice: (text) => set({ notice: { id: nextId++, text } }),
      dismissNotice: () => set({ notice: null }),
    };
  };
