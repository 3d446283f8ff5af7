import type { BridgeError, DiscoveryPreview, FolderListing } from '../../../shared/ipc-contract';
import type { SliceCreator } from './app-state';
import { toBridgeError } from './bridge-error';

/** What the in-app folder browser (over `folders:list`) is choosing, and what it shows. */
export interface FolderBrowserState {
  readonly purpose: 'input' | 'output';
  readonly listing: FolderListing | null;
  readonly loading: boolean;
  readonly error: BridgeError | null;
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

export const DROP_WITHOUT_PATHS =
  'This browser does not tell AltGen where dropped files are. Type the folder’s path in the field below, or choose Browse… to pick it.';

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
        set({ folderBrowser: { purpose, listing: null, loading: true, error: null } });
        try {
          const listing = await bridge.invoke('folders:list', { path: start });
          set((state) => (state.folderBrowser ? { folderBrowser: { ...state.folderBrowser, listing, loading: false } } : {}));
        } catch {
          // The start may be a file or a path that does not exist yet: start at the default folder.
          await get().browseFolder(null);
        }
      },
      browseFolder: async (path) => {
        const browser = get().folderBrowser;
        if (!browser) return;
        set({ folderBrowser: { ...browser, loading: true, error: null } });
        try {
          const listing = await bridge.invoke('folders:list', { path });
          set((state) => (state.folderBrowser ? { folderBrowser: { ...state.folderBrowser, listing, loading: false } } : {}));
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
