import type { BridgeError, DiscoveryPreview, FolderListing, FolderPlaces } from '../../../shared/ipc-contract';
import type { SliceCreator } from './app-state';
import { toBridgeError } from './bridge-error';

/** What the in-app folder browser (over `folders:list`) is choosing, and what it shows. */
export interface FolderBrowserState {
  readonly purpose: 'input' | 'output';
  readonly listing: FolderListing | null;
  readonly loading: boolean;
  readonly error: BridgeError | null;
  /** Home, recent folders, drives, volumes and network shares (`folders:places`); null until known. */
  readonly places: FolderPlaces | null;
  /** The path box, as typed; it follows the listing until the user types. */
  readonly pathText: string;
  /**
   * Counts the folders the user moved to (Up, a sub-folder, a place, the path box): the dialog
   * moves the focus to the new listing and announces "Now in <folder>" each time it changes.
   */
  readonly moves: number;
}

export interface DiscoverySlice {
  /** The folders or files to process, one per line, as typed, browsed or dropped. */
  readonly pathsText: string;
  readonly preview: DiscoveryPreview | null;
  readonly discovering: boolean;
  readonly discoveryError: BridgeError | null;
  /** Said when a drop gave no paths (the browser hides them). */
  readonly dropNotice: string | null;
  readonly outputDir: string;
  /** Once the user edits the output folder, a new preview no longer replaces it. */
  readonly outputDirEdited: boolean;
  readonly folderBrowser: FolderBrowserState | null;
  readonly setPathsText: (text: string) => void;
  readonly setOutputDir: (path: string) => void;
  readonly discover: () => Promise<void>;
  /** Files or folders dropped on the window; their paths come from the bridge (null in a browser). */
  readonly dropFiles: (files: readonly File[]) => Promise<void>;
  readonly dropPaths: (paths: readonly (string | null)[]) => Promise<void>;
  /** Folders or decks handed to the app from outside (`app:folder-opened`): previewed as if dropped. */
  readonly receiveOpenedPaths: (paths: readonly string[]) => Promise<void>;
  readonly browseForInput: () => Promise<void>;
  readonly browseForOutput: () => Promise<void>;
  readonly openFolderBrowser: (purpose: FolderBrowserState['purpose'], start: string | null) => Promise<void>;
  readonly browseFolder: (path: string | null) => Promise<void>;
  readonly browseSubfolder: (name: string) => Promise<void>;
  readonly setBrowserPathText: (text: string) => void;
  /** Goes to the folder typed in the dialog's path box (`~` and quotes allowed). */
  readonly browseTypedPath: () => Promise<void>;
  readonly chooseBrowsedFolder: () => Promise<void>;
  readonly closeFolderBrowser: () => void;
}

/** The non-empty lines of the paths field. */
export function pathsFromText(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** A child of a listed folder, with the separator the listing's own path uses. */
export function childPath(folder: string, name: string): string {
  const separator = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  return folder.endsWith(separator) ? `${folder}${name}` : `${folder}${separator}${name}`;
}

/**
 * A folder and its ancestors, outermost first, for the breadcrumbs: `/`, `/home`, `/home/ana`;
 * `C:\`, `C:\Users`; a network share's root is `\\server\share\`.
 */
export function breadcrumbs(folder: string): { readonly name: string; readonly path: string }[] {
  const windows = folder.includes('\\') && !folder.includes('/');
  if (!windows) {
    const crumbs = [{ name: '/', path: '/' }];
    let current = '';
    for (const part of folder.split('/').filter(Boolean)) {
      current = `${current}/${part}`;
      crumbs.push({ name: part, path: current });
    }
    return crumbs;
  }
  const unc = folder.startsWith('\\\\');
  const parts = folder.split('\\').filter(Boolean);
  const rootParts = unc ? parts.splice(0, 2) : parts.splice(0, 1);
  const rootName = unc ? `\\\\${rootParts.join('\\')}` : (rootParts[0] ?? '');
  const crumbs = [{ name: rootName, path: `${rootName}\\` }];
  let current = rootName;
  for (const part of parts) {
    current = `${current}\\${part}`;
    crumbs.push({ name: part, path: current });
  }
  return crumbs;
}

export const DROP_WITHOUT_PATHS =
  'This browser does not tell AltGen where dropped files are. Type or paste the folder’s path into “Folder or PowerPoint files”, or choose Browse… to pick it.';

export const createDiscoverySlice: SliceCreator<DiscoverySlice> =
  ({ bridge }) =>
  (set, get) => {
    /**
     * The native picker: a path, null when the user cancelled it, or 'no-picker' when this host
     * has none (the web host answers null without asking anyone) and the in-app browser is offered.
     */
    const pickFolder = async (): Promise<string | null | 'no-picker'> => {
      try {
        const picked = await bridge.invoke('dialog:pick-folder', null);
        return picked === null && get().appInfo?.host !== 'electron' ? 'no-picker' : picked;
      } catch {
        return 'no-picker';
      }
    };

    return {
      pathsText: '',
      preview: null,
      discovering: false,
      discoveryError: null,
      dropNotice: null,
      outputDir: '',
      outputDirEdited: false,
      folderBrowser: null,
      setPathsText: (pathsText) => set({ pathsText, preview: null, discoveryError: null, dropNotice: null }),
      setOutputDir: (outputDir) => set({ outputDir, outputDirEdited: true }),
      discover: async () => {
        const paths = pathsFromText(get().pathsText);
        if (paths.length === 0) {
          set({ discoveryError: { code: 'EUSAGE', message: 'Enter a folder or PowerPoint file first, or choose Browse… to pick one.' } });
          return;
        }
        set({ discovering: true, discoveryError: null, dropNotice: null });
        try {
          const preview = await bridge.invoke('inputs:discover', { paths });
          set((state) => ({
            preview,
            outputDir: state.outputDirEdited && state.outputDir ? state.outputDir : preview.suggested_output_dir,
            // A new preview: every deck it found is in the batch until the user leaves it out.
            excludedPaths: new Set<string>(),
          }));
        } catch (error) {
          set({ preview: null, discoveryError: toBridgeError(error) });
        } finally {
          set({ discovering: false });
        }
      },
      dropFiles: async (files) => {
        await get().dropPaths(files.map((file) => bridge.pathForFile(file)));
      },
      dropPaths: async (paths) => {
        const known = paths.filter((path): path is string => typeof path === 'string' && path.length > 0);
        if (known.length === 0 || known.length < paths.length) {
          set({ dropNotice: DROP_WITHOUT_PATHS });
          return;
        }
        set({ pathsText: known.join('\n'), preview: null, discoveryError: null });
        await get().discover();
      },
      receiveOpenedPaths: async (paths) => {
        get().showView('new-batch');
        await get().dropPaths(paths);
      },
      browseForInput: async () => {
        const picked = await pickFolder();
        if (picked === 'no-picker') {
          await get().openFolderBrowser('input', pathsFromText(get().pathsText)[0] ?? null);
        } else if (picked !== null) {
          get().setPathsText(picked);
          await get().discover();
        }
      },
      browseForOutput: async () => {
        const picked = await pickFolder();
        if (picked === 'no-picker') await get().openFolderBrowser('output', get().outputDir || null);
        else if (picked !== null) get().setOutputDir(picked);
      },
      openFolderBrowser: async (purpose, start) => {
        set({ folderBrowser: { purpose, listing: null, loading: true, error: null, places: null, pathText: start ?? '', moves: 0 } });
        void bridge.invoke('folders:places', null).then(
          (places) => set((state) => (state.folderBrowser ? { folderBrowser: { ...state.folderBrowser, places } } : {})),
          // Without places the dialog still browses; only the shortcuts are missing.
          () => undefined,
        );
        try {
          const listing = await bridge.invoke('folders:list', { path: start });
          set((state) => (state.folderBrowser ? { folderBrowser: { ...state.folderBrowser, listing, loading: false, pathText: listing.path } } : {}));
        } catch {
          // The start may be a file or a path that does not exist yet: start at the default folder.
          const browser = get().folderBrowser;
          if (!browser) return;
          try {
            const listing = await bridge.invoke('folders:list', { path: null });
            set((state) => (state.folderBrowser ? { folderBrowser: { ...state.folderBrowser, listing, loading: false, pathText: listing.path } } : {}));
          } catch (error) {
            set((state) => (state.folderBrowser ? { folderBrowser: { ...state.folderBrowser, loading: false, error: toBridgeError(error) } } : {}));
          }
        }
      },
      browseFolder: async (path) => {
        const browser = get().folderBrowser;
        if (!browser) return;
        set({ folderBrowser: { ...browser, loading: true, error: null } });
        try {
          const listing = await bridge.invoke('folders:list', { path });
          set((state) =>
            state.folderBrowser
              ? { folderBrowser: { ...state.folderBrowser, listing, loading: false, pathText: listing.path, moves: state.folderBrowser.moves + 1 } }
              : {},
          );
        } catch (error) {
          set((state) =>
            state.folderBrowser ? { folderBrowser: { ...state.folderBrowser, loading: false, error: toBridgeError(error) } } : {},
          );
        }
      },
      browseSubfolder: async (name) => {
        const folder = get().folderBrowser?.listing?.path;
        if (folder) await get().browseFolder(childPath(folder, name));
      },
      setBrowserPathText: (pathText) => set((state) => (state.folderBrowser ? { folderBrowser: { ...state.folderBrowser, pathText, error: null } } : {})),
      browseTypedPath: async () => {
        const typed = get().folderBrowser?.pathText.trim() ?? '';
        if (typed === '') {
          set((state) =>
            state.folderBrowser ? { folderBrowser: { ...state.folderBrowser, error: { code: 'EBAD_PATH', message: 'Type the path of a folder to go to.' } } } : {},
          );
          return;
        }
        await get().browseFolder(typed);
      },
      chooseBrowsedFolder: async () => {
        const browser = get().folderBrowser;
        const chosen = browser?.listing?.path;
        if (!browser || !chosen) return;
        set({ folderBrowser: null });
        if (browser.purpose === 'output') {
          get().setOutputDir(chosen);
        } else {
          get().setPathsText(chosen);
          await get().discover();
        }
      },
      closeFolderBrowser: () => set({ folderBrowser: null }),
    };
  };
