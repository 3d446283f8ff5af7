import { describe, expect, it } from 'vitest';
import { FakeBridge } from '../testing/fake-bridge';
import { createAppStore } from './app-store';
import type { AddressBar } from './view-address';
import { syncViewWithAddress, viewOfPath } from './view-address';

/** A browser's address bar and history, as far as the page sees them. */
class FakeAddressBar implements AddressBar {
  readonly entries: string[];
  private at = 0;
  private readonly listeners = new Set<() => void>();
  readonly location: { pathname: string; search: string; protocol: string };

  constructor(path: string, protocol = 'http:') {
    this.entries = [path];
    this.location = { pathname: path, search: '', protocol };
  }

  readonly history = {
    pushState: (_data: unknown, _unused: string, url?: string | URL | null) => {
      this.entries.splice(this.at + 1, Infinity, String(url));
      this.at += 1;
      this.location.pathname = String(url);
    },
    replaceState: (_data: unknown, _unused: string, url?: string | URL | null) => {
      this.entries[this.at] = String(url);
      this.location.pathname = String(url);
    },
  };

  back(): void {
    this.at -= 1;
    this.location.pathname = this.entries[this.at] ?? '/';
    for (const listener of this.listeners) listener();
  }

  addEventListener(_type: 'popstate', listener: () => void): void {
    this.listeners.add(listener);
  }

  removeEventListener(_type: 'popstate', listener: () => void): void {
    this.listeners.delete(listener);
  }
}

describe('each view has its own address', () => {
  it('names the views by their paths', () => {
    expect(viewOfPath('/')).toBe('new-batch');
    expect(viewOfPath('/new-batch')).toBe('new-batch');
    expect(viewOfPath('/settings/')).toBe('settings');
    expect(viewOfPath('/nowhere')).toBeNull();
  });

  it('opens the view of the address it was loaded at (a reload or a bookmark)', () => {
    const store = createAppStore(new FakeBridge());
    syncViewWithAddress(store, new FakeAddressBar('/settings'));
    expect(store.getState().view).toBe('settings');
  });

  it('adds a history entry per view change, and Back shows the view before', () => {
    const store = createAppStore(new FakeBridge());
    const bar = new FakeAddressBar('/');
    syncViewWithAddress(store, bar);
    store.getState().showView('history');
    store.getState().showView('settings');
    expect(bar.entries).toEqual(['/', '/history', '/settings']);
    bar.back();
    expect(store.getState().view).toBe('history');
    // Following Back is not a new entry.
    expect(bar.entries).toEqual(['/', '/history', '/settings']);
    bar.back();
    expect(store.getState().view).toBe('new-batch');
  });

  it('puts a stale address right without a new entry', () => {
    const store = createAppStore(new FakeBridge());
    const bar = new FakeAddressBar('/old-view');
    syncViewWithAddress(store, bar);
    expect(bar.entries).toEqual(['/']);
  });

  it('leaves the desktop app’s file:// page alone', () => {
    const store = createAppStore(new FakeBridge());
    const bar = new FakeAddressBar('/app/out/renderer/index.html', 'file:');
    syncViewWithAddress(store, bar);
    store.getState().showView('settings');
    expect(bar.entries).toEqual(['/app/out/renderer/index.html']);
  });
});
