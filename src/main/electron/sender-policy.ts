/**
 * Which IPC senders the main process answers: the main window's own page, in its top frame,
 * loaded from our renderer (the built index.html, or the dev server in `npm run dev`). Anything
 * else — another window, a frame inside the page, a page the window was somehow navigated to —
 * is refused before its request is even parsed. Pure, so it is tested without Electron.
 */

export interface SenderFacts {
  /** `event.sender.id`. */
  readonly senderId: number;
  /** The main window's `webContents.id`, or null when there is no window. */
  readonly windowContentsId: number | null;
  /** `event.senderFrame.url`, or null when the frame is gone. */
  readonly frameUrl: string | null;
  /** Whether the sending frame is the page's top frame. */
  readonly isTopFrame: boolean;
}

/** Our renderer's address: a file:// URL of index.html, or the dev server's http:// origin. */
export function isRendererUrl(candidate: string, rendererUrl: string): boolean {
  let frame: URL;
  let renderer: URL;
  try {
    frame = new URL(candidate);
    renderer = new URL(rendererUrl);
  } catch {
    return false;
  }
  if (renderer.protocol === 'file:') return frame.protocol === 'file:' && frame.host === renderer.host && frame.pathname === renderer.pathname;
  if (renderer.protocol === 'http:' || renderer.protocol === 'https:') return frame.origin === renderer.origin;
  return false;
}

/** What an `ipcMain.handle` event tells about its sender (a slice of IpcMainInvokeEvent). */
export interface SenderEvent {
  readonly sender: { readonly id: number };
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

/** The facts of `event`, against the main window's contents id (null when there is no window). */
export function senderFacts(event: SenderEvent, windowContentsId: number | null): SenderFacts {
  const frame = event.senderFrame;
  return { senderId: event.sender.id, windowContentsId, frameUrl: frame?.url ?? null, isTopFrame: frame !== null && frame.parent === null };
}

export function isTrustedSender(facts: SenderFacts, rendererUrl: string): boolean {
  return (
    facts.windowContentsId !== null &&
    facts.senderId === facts.windowContentsId &&
    facts.isTopFrame &&
    facts.frameUrl !== null &&
    isRendererUrl(facts.frameUrl, rendererUrl)
  );
}
