import type { AppStore } from './app-store';
import type { View } from './ui-slice';

/**
 * Every view of the web UI has its own address (`/queue`, `/settings`), so Back, Forward,
 * reload and bookmarks work as they do on any site: a change of view is a new history entry,
 * Back shows the view before, and a page loaded at a view's address opens that view.
 * `altgen serve` answers every such address with the page (server/altgen-server.ts). The
 * desktop app's window has no address bar and its file:// page cannot change its path, so
 * there the view lives in the store only.
 */

export const VIEW_PATHS: Readonly<Record<View, string>> = {
  'new-batch': '/',
  queue: '/queue',
  failed: '/failed',
  history: '/history',
  review: '/review',
  accessibility: '/accessibility',
  settings: '/settings',
};

/** The view an address shows; null for an address that is no view. */
export function viewOfPath(pathname: string): View | null {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (path === '/new-batch') return 'new-batch';
  for (const [view, viewPath] of Object.entries(VIEW_PATHS) as [View, string][]) if (viewPath === path) return view;
  return null;
}

/** What the page needs of `window`: its address, its history and its Back/Forward events. */
export interface AddressBar {
  readonly location: Pick<Location, 'pathname' | 'search' | 'protocol'>;
  readonly history: Pick<History, 'pushState' | 'replaceState'>;
  addEventListener(type: 'popstate', listener: () => void): void;
  removeEventListener(type: 'popstate', listener: () => void): void;
}

/**
 * Opens the view the address names, then keeps the two in step. Returns the function that
 * stops it. Does nothing where the page is not served over http(s) (the desktop app).
 */
export function syncViewWithAddress(store: AppStore, bar: AddressBar): () => void {
  if (!/^https?:$/.test(bar.location.protocol)) return () => undefined;
  const initial = viewOfPath(bar.location.pathname);
  if (initial && initial !== store.getState().view) store.setState({ view: initial });
  // An address that is no view (a stale bookmark) shows the view the store has, under its own address.
  if (!initial) bar.history.replaceState(null, '', VIEW_PATHS[store.getState().view]);

  let following = false;
  const onBackOrForward = () => {
    const view = viewOfPath(bar.location.pathname);
    if (!view || view === store.getState().view) return;
    following = true;
    try {
      store.getState().showView(view);
    } finally {
      following = false;
    }
  };
  bar.addEventListener('popstate', onBackOrForward);
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.view === previous.view || following) return;
    const path = VIEW_PATHS[state.view];
    if (viewOfPath(bar.location.pathname) !== state.view) bar.history.pushState(null, '', path);
  });
  return () => {
    bar.removeEventListener('popstate', onBackOrForward);
    unsubscribe();
  };
}
