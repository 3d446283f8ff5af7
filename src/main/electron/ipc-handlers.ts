import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { BridgeResult } from '../../shared/ipc-contract';
import { INVOKE_CHANNELS } from '../../shared/ipc-contract';
import type { AppService } from '../app-service/app-service';

/**
 * The Electron transport of the contract: one `ipcMain.handle` per channel, each a thin
 * wrapper that checks the sender, then hands the raw request to the AppService (which
 * validates it). Answers are BridgeResult values, not thrown errors, because Electron reduces
 * a thrown error to its message and the UI needs the code. Only types come from electron here,
 * so this is tested under plain Node with a stand-in for ipcMain.
 */

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

const REFUSED: BridgeResult<never> = {
  ok: false,
  error: { code: 'EFORBIDDEN', message: 'This request did not come from the AltGen window.' },
};

/** Registers the handlers; returns the function that removes them. */
export function registerIpcHandlers(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, service: AppService, isTrusted: SenderCheck): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, async (event, request: unknown) => (isTrusted(event) ? service.call(channel, request) : REFUSED));
  }
  return () => {
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
  };
}

/** Sends every event of the service to the window's page; returns the unsubscribe function. */
export function forwardEvents(service: AppService, target: () => Pick<WebContents, 'send' | 'isDestroyed'> | null): () => void {
  return service.subscribe(({ event, payload }) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(event, payload);
  });
}
