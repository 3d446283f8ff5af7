import type { AltgenBridge } from '../../../shared/ipc-contract';
import { asBridgeCallError } from './bridge-call-error';
import { createWebBridge } from './web-bridge';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in the browser (`altgen serve`). */
    altgen?: AltgenBridge;
  }
}

/** The preload's bridge, with every rejection turned into a BridgeCallError (code and message). */
function withCodedErrors(bridge: AltgenBridge): AltgenBridge {
  return {
    invoke: (channel, request) =>
      bridge.invoke(channel, request).catch((error: unknown) => {
        throw asBridgeCallError(error);
      }),
    on: (channel, listener) => bridge.on(channel, listener),
    pathForFile: (file) => bridge.pathForFile(file),
  };
}

let bridge: AltgenBridge | null = null;

/** The app's one bridge: Electron's preload when it is there, else the WebSocket bridge. */
export function getBridge(): AltgenBridge {
  bridge ??= window.altgen ? withCodedErrors(window.altgen) : createWebBridge();
  return bridge;
}
