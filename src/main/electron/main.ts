import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { IpcMainInvokeEvent } from 'electron';
import { BrowserWindow, Notification, app, dialog, ipcMain, screen, session, shell } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy';
import { AppService } from '../app-service/app-service';
import { BridgeFailure } from '../app-service/bridge-failure';
import { userDataDir } from '../config/load-config';
import { outsideAsar } from '../files/outside-asar';
import type { Notice } from './batch-feedback';
import { TaskbarProgress } from './taskbar-progress';
import { closeChoice, closePrompt, stopModeFor } from './close-guard';
import { hardenApp, hardenSession } from './hardening';
import { forwardEvents, registerIpcHandlers } from './ipc-handlers';
import { launchPaths } from './launch-paths';
import { isTrustedSender, senderFacts } from './sender-policy';
import { MINIMUM_WINDOW_SIZE, devServerUrl, mainWindowOptions } from './window-options';
import type { WindowState } from './window-state';
import { readWindowState, restorableState, writeWindowState } from './window-state';

/**
 * The Electron shell. It holds no batch logic: the AppService runs the same core here as
 * `altgen serve` does. This file wires Electron to it: the single instance, the locked-down
 * app, session and window (hardening.ts, window-options.ts), the IPC handlers, and the
 * desktop's own touches (folder picker, opening files, taskbar progress, a notification when a
 * batch ends, asking before quitting mid-batch). Every decision lives in a plain module beside
 * it, tested without Electron.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const devServer = devServerUrl(app.isPackaged, process.env);
const rendererUrl = devServer ?? pathToFileURL(path.join(here, '../renderer/index.html')).href;
const windowStateFile = path.join(userDataDir(), 'window-state.json');

// Before the app is ready and before any window: every renderer sandboxed, every web contents
// (the main window's included) locked down as it is created.
hardenApp(app);

let mainWindow: BrowserWindow | null = null;
/** Set once the user chose to quit; the window may then close even mid-batch. */
let quitting = false;

const service = new AppService({
  // The built-in processor is this app's own CLI bundle, run by the Electron binary as plain
  // Node: a separate process per deck, killed with its tree at the timeout like any processor.
  // Packaged, it starts from app.asar.unpacked, where it and every package it loads are real
  // files (electron-builder.yml), so it does not depend on asar support for ES modules in a
  // child; `npm run dist:check` runs it from there with plain Node.
  builtInProcessor: [process.execPath, outsideAsar(path.join(here, 'processor.js'))],
  processorEnv: { ELECTRON_RUN_AS_NODE: '1' },
  host: {
    kind: 'electron',
    version: app.getVersion(),
    openPath: async (target) => {
      const problem = await shell.openPath(target);
      if (problem) throw new BridgeFailure('EOPEN_FAILED', `Could not open ${target}: ${problem}`);
    },
    showInFolder: async (target) => shell.showItemInFolder(target),
    notify: (notice) => notify(notice),
    // "When done: quit": the batch has ended by itself and released its manifest; nothing to ask.
    quit: () => {
      quitting = true;
      app.quit();
    },
    pickFolder: async () => {
      const options = { title: 'Choose a folder of decks', properties: ['openDirectory' as const] };
      const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  },
});

function isFromMainWindow(event: IpcMainInvokeEvent): boolean {
  const window = mainWindow && !mainWindow.isDestroyed() ? mainWindow : null;
  return isTrustedSender(senderFacts(event, window?.webContents.id ?? null), rendererUrl);
}

/** Taskbar/dock progress while a batch runs (its notification when done is the host's `notify`, as "When done" says). */
function showBatchOutsideTheWindow(): void {
  const taskbar = new TaskbarProgress();
  service.subscribe((event) => {
    const bar = taskbar.next(event);
    const window = mainWindow;
    if (!bar || !window || window.isDestroyed()) return;
    window.setProgressBar(bar.progress, { mode: bar.mode });
  });
}

/** "When done: notify": the desktop's notification; a click brings the window back. */
function notify(notice: Notice): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title: notice.title, body: notice.body });
  notification.on('click', () => mainWindow?.isDestroyed() === false && mainWindow.show());
  notification.show();
}

function saveWindowState(window: BrowserWindow): void {
  const state: WindowState = { bounds: window.getNormalBounds(), maximized: window.isMaximized() };
  void writeWindowState(windowStateFile, state).catch(() => undefined);
}

/** Closing mid-batch asks first (once at a time); the batch is resumable whichever way the user answers. */
let asking = false;
async function confirmClose(window: BrowserWindow | null): Promise<void> {
  if (asking) return;
  asking = true;
  let mode: 'after-current' | 'quit' | null = 'quit';
  try {
    if (window && !window.isDestroyed()) {
      const counts = service.currentSnapshot()?.counts;
      const { response } = await dialog.showMessageBox(window, closePrompt(counts ? counts.pending + counts.processing : 0));
      mode = stopModeFor(closeChoice(response));
    }
  } finally {
    asking = false;
  }
  if (mode === null) return;
  quitting = true;
  service.stop(mode);
  await service.whenIdle();
  app.quit();
}

async function createWindow(): Promise<BrowserWindow> {
  const workAreas = screen.getAllDisplays().map((display) => display.workArea);
  const state = restorableState(await readWindowState(windowStateFile), workAreas, MINIMUM_WINDOW_SIZE);
  const window = new BrowserWindow(mainWindowOptions(path.join(here, '../preload/preload.cjs'), state?.bounds ?? null));
  mainWindow = window;
  window.once('ready-to-show', () => {
    if (state?.maximized) window.maximize();
    window.show();
  });
  window.on('close', (event) => {
    saveWindowState(window);
    if (quitting || !service.isRunning) return;
    event.preventDefault();
    void confirmClose(window);
  });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  if (devServer) await window.loadURL(devServer);
  else await window.loadFile(path.join(here, '../renderer/index.html'));
  return window;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv, workingDirectory) => {
    const window = mainWindow;
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
    void launchPaths(argv.slice(1), workingDirectory, [app.getAppPath(), process.execPath]).then((paths) => service.openPaths(paths));
  });
  app.on('before-quit', (event) => {
    if (quitting || !service.isRunning) return;
    event.preventDefault();
    void confirmClose(mainWindow);
  });
  void app.whenReady().then(async () => {
    hardenSession(session.defaultSession, CONTENT_SECURITY_POLICY);
    registerIpcHandlers(ipcMain, service, isFromMainWindow);
    forwardEvents(service, () => mainWindow?.webContents ?? null);
    showBatchOutsideTheWindow();
    await createWindow();
    // A folder named on the first launch's command line is offered like a dropped one.
    const paths = await launchPaths(process.argv.slice(1), process.cwd(), [app.getAppPath(), process.execPath]);
    service.openPaths(paths);
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) void createWindow();
    });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
