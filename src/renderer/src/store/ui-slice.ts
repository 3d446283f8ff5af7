import type { SliceContext, SliceCreator } from './app-state';
import type { QueueSort, SortKey, StatusFilter } from './queue-view';
import { DEFAULT_SORT, nextSort } from './queue-view';
import { summariseFailures } from '../text/announcements';

export type View = 'new-batch' | 'queue' | 'failed' | 'history' | 'review' | 'accessibility' | 'settings';

export interface LiveMessage {
  readonly id: number;
  readonly text: string;
}

/**
 * Where the focus goes after an action, so that keyboard and screen-reader users land on its
 * result instead of on the page's <body> (the button they pressed may be gone): the batch's
 * state heading, the answer to "Try now", the settings' saved/refused message, the review's
 * applied message. The element that shows the result takes the focus once it is on the page
 * (components/use-focus-target.ts).
 */
export type FocusTarget =
  | 'batch-state'
  | 'model-retry'
  | 'settings-result'
  | 'review-result'
  | 'queue-result'
  | 'history-result'
  /** Settings, model servers: the newest server's address after "Add", the "Add" button after "Remove". */
  | 'model-server-last'
  | 'model-servers-add';

export interface FocusRequest {
  readonly id: number;
  readonly target: FocusTarget;
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
  /** The result the focus should move to, until the element showing it has taken it. */
  readonly focusRequest: FocusRequest | null;
  /** Also announce when 25, 50 and 75 % of a batch's files are done (remembered on this computer). */
  readonly progressMilestones: boolean;
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
  readonly requestFocus: (target: FocusTarget) => void;
  /** The element showing `id`'s result took the focus. */
  readonly focusTaken: (id: number) => void;
  readonly setProgressMilestones: (on: boolean) => void;
}

const MILESTONES_KEY = 'altgen.progress-milestones';

/** The page's storage where there is one (not in unit tests); a choice that cannot be kept is still made. */
function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
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
      focusRequest: null,
      progressMilestones: storage()?.getItem(MILESTONES_KEY) === 'on',
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
      requestFocus: (target) => set({ focusRequest: { id: nextId++, target } }),
      focusTaken: (id) => set((state) => (state.focusRequest?.id === id ? { focusRequest: null } : {})),
      setProgressMilestones: (on) => {
        try {
          storage()?.setItem(MILESTONES_KEY, on ? 'on' : 'off');
        } catch {
          // Private windows may refuse storage: the choice holds until the page is closed.
        }
        set({ progressMilestones: on });
      },
    };
  };
