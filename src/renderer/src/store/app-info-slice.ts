import type { AppInfo, BridgeError, ModelStatus } from '../../../shared/ipc-contract';
import type { SliceCreator } from './app-state';
import { toBridgeError } from './bridge-error';

export interface AppInfoSlice {
  readonly appInfo: AppInfo | null;
  /** Why the app could not talk to main at start, if it could not. */
  readonly appInfoError: BridgeError | null;
  readonly modelStatus: ModelStatus | null;
  readonly modelChecking: boolean;
  /** The bridge to main is gone (the web UI's server stopped); nothing will change until it is back. */
  readonly connectionLost: boolean;
  readonly loadAppInfo: () => Promise<void>;
  readonly checkModel: () => Promise<void>;
  readonly showInFolder: (path: string) => Promise<void>;
  readonly openPath: (path: string) => Promise<void>;
}

export const createAppInfoSlice: SliceCreator<AppInfoSlice> =
  ({ bridge }) =>
  (set, get) => ({
    appInfo: null,
    appInfoError: null,
    modelStatus: null,
    modelChecking: false,
    connectionLost: false,
    loadAppInfo: async () => {
      try {
        set({ appInfo: await bridge.invoke('app:get-info', null), appInfoError: null });
      } catch (error) {
        set({ appInfoError: toBridgeError(error) });
      }
    },
    checkModel: async () => {
      if (get().modelChecking) return;
      set({ modelChecking: true });
      try {
        set({ modelStatus: await bridge.invoke('model:check', null) });
      } catch (error) {
        const { message } = toBridgeError(error);
        const previous = get().modelStatus;
        set({
          modelStatus: {
            provider: previous?.provider ?? '',
            model: previous?.model ?? '',
            base_url: previous?.base_url ?? '',
            state: 'unknown',
            message,
            fix: null,
          },
        });
      } finally {
        set({ modelChecking: false });
      }
    },
    showInFolder: async (path) => {
      try {
        await bridge.invoke('shell:show-in-folder', { path });
      } catch (error) {
        get().showNotice(shellRefusal(toBridgeError(error), path));
      }
    },
    openPath: async (path) => {
      try {
        await bridge.invoke('shell:open-path', { path });
      } catch (error) {
        get().showNotice(shellRefusal(toBridgeError(error), path));
      }
    },
  });

function shellRefusal(error: BridgeError, path: string): string {
  return error.code === 'ENOT_AVAILABLE'
    ? `This window cannot open folders or files on the computer. The file is at: ${path}`
    : `${error.message} (${path})`;
}
