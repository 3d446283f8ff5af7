import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { AltgenBridge, BridgeError, BridgeResult } from '../../shared/ipc-contract';
import { isEventChannel, isInvokeChannel } from '../../shared/ipc-contract';

/**
 * The only bridge between the sandboxed page and the app: `window.altgen`, the contract's named
 * verbs (never `ipcRenderer` itself). `invoke` reaches only the contract's channels, `on` only
 * its events and returns the unsubscribe function. A failed request rejects with plain
 * `{code, message}` data, since an Error crossing the context bridge keeps only its message.
 */

function refusal(code: string, message: string): BridgeError {
  return { code, message };
}

const altgen: AltgenBridge = {
  async invoke(channel, request) {
    if (!isInvokeChannel(channel)) throw refusal('EBAD_REQUEST', `Unknown channel: ${String(channel)}.`);
    const result = (await ipcRenderer.invoke(channel, request ?? null)) as BridgeResult<never>;
    if (result.ok) return result.response;
    throw refusal(result.error.code, result.error.message);
  },
  on(channel, listener) {
    if (!isEventChannel(channel)) throw new Error(`Unknown event: ${String(channel)}.`);
    const forward = (_event: IpcRendererEvent, payload: Parameters<typeof listener>[0]) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
  pathForFile(file) {
    try {
      // The page's own File, passed through the context bridge; the contract names it structurally.
      return webUtils.getPathForFile(file as File) || null;
    } catch {
      return null;
    }
  },
};

contextBridge.exposeInMainWorld('altgen', altgen);
contextBridge.exposeInMainWorld('altgenHost', {
  kind: 'electron',
  versions: { electron: process.versions.electron, chrome: process.versions.chrome, node: process.versions.node },
});
