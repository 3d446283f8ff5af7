import { describe, expect, it } from 'vitest';
import type { FolderListing } from '../../../shared/ipc-contract';
import { FakeBridge } from '../testing/fake-bridge';
import { createAppStore } from './app-store';
import { breadcrumbs } from './discovery-slice';

/** The web UI's folder browser: breadcrumbs, the path box, places, and a count of the moves the dialog follows with the focus. */

function listing(path: string, parent: string | null): FolderListing {
  return { path, parent, entries: [{ name: 'Fall 2026', kind: 'folder' }] };
}

describe('the folder browser', () => {
  it('breaks a path into breadcrumbs, outermost first', () => {
    expect(breadcrumbs('/home/ana/Lectures')).toEqual([
      { name: '/', path: '/' },
      { name: 'home', path: '/home' },
      { name: 'ana', path: '/home/ana' },
      { name: 'Lectures', path: '/home/ana/Lectures' },
    ]);
    expect(breadcrumbs('/')).toEqual([{ name: '/', path: '/' }]);
    expect(breadcrumbs('C:\\Users\\ana')).toEqual([
      { name: 'C:', path: 'C:\\' },
      { name: 'Users', path: 'C:\\Users' },
      { name: 'ana', path: 'C:\\Users\\ana' },
    ]);
    expect(breadcrumbs('\\\\fs1\\lectures\\Fall')).toEqual([
      { name: '\\\\fs1\\lectures', path: '\\\\fs1\\lectures\\' },
      { name: 'Fall', path: '\\\\fs1\\lectures\\Fall' },
    ]);
  });

  it('goes to a typed folder, counts every move, and says a bad one in the dialog', async () => {
    const bridge = new FakeBridge({
      'app:get-info': () => ({ version: '1', host: 'web', platform: 'linux', config_path: null }),
      'dialog:pick-folder': () => null,
      'folders:places': () => ({ home: '/home/ana', recent: ['/home/ana/Lectures'], volumes: [] }),
      'folders:list': (request) => {
        if (request.path === null || request.path === '/home/ana') return listing('/home/ana', '/home');
        if (request.path === '~/Lectures') return listing('/home/ana/Lectures', '/home/ana');
        return Promise.reject({ code: 'ENOT_FOUND', message: `This folder does not exist: ${request.path}` });
      },
    });
    const store = createAppStore(bridge);
    await store.getState().loadAppInfo();
    await store.getState().browseForInput();
    await expect.poll(() => store.getState().folderBrowser?.places?.recent).toEqual(['/home/ana/Lectures']);
    expect(store.getState().folderBrowser).toMatchObject({ pathText: '/home/ana', moves: 0 });

    store.getState().setBrowserPathText('~/Lectures');
    await store.getState().browseTypedPath();
    expect(store.getState().folderBrowser).toMatchObject({ listing: { path: '/home/ana/Lectures' }, pathText: '/home/ana/Lectures', moves: 1 });

    await store.getState().browseFolder('/home/ana');
    expect(store.getState().folderBrowser?.moves).toBe(2);

    store.getState().setBrowserPathText('/home/ana/Lectres');
    await store.getState().browseTypedPath();
    expect(store.getState().folderBrowser).toMatchObject({
      listing: { path: '/home/ana' },
      moves: 2,
      error: { code: 'ENOT_FOUND', message: 'This folder does not exist: /home/ana/Lectres' },
    });
  });
});
