import { contextBridge } from 'electron';

/**
 * The only bridge between the sandboxed page and the app. It exposes named, read-only values
 * and verbs, never `ipcRenderer` itself.
 */
contextBridge.exposeInMainWorld('altgenHost', {
  kind: 'electron',
  versions: { electron: process.versions.electron, chrome: process.versions.chrome, node: process.versions.node },
});
