/**
 * The Electron security checklist, applied to the app, its session and every web contents it
 * ever creates (the main window, and any future window, frame host or DevTools alike):
 *
 * - every renderer is sandboxed (`app.enableSandbox()`, on top of the window's own options);
 * - no navigation, in any frame, by link, script, redirect or dropped file: the page is a
 *   single document that routes by hash, and a navigation is the classic way out of it;
 * - no new windows: `window.open` and `target=_blank` are denied (the UI links nowhere, so
 *   nothing is handed to `shell.openExternal` either);
 * - no `<webview>`: attaching one is refused, its preferences stripped first;
 * - no permission of any kind (camera, notifications, clipboard, devices, …), asked or checked;
 * - no downloads;
 * - the Content-Security-Policy header on every response (the page's meta tag carries the
 *   same rules for file:// loads, which may not pass through webRequest).
 *
 * Each guard takes the smallest slice of the Electron object it needs, typed so that Electron's
 * own App, Session and WebContents fit (checked by `npm run typecheck`), so the guards are
 * driven in tests by stand-ins that record their handlers.
 */

interface PreventableEvent {
  preventDefault(): void;
}

/** The `webPreferences` a `<webview>` would get: only what the guard overwrites. */
interface GuestPreferences {
  preload?: string;
  nodeIntegration?: boolean;
  nodeIntegrationInSubFrames?: boolean;
  contextIsolation?: boolean;
  sandbox?: boolean;
  webSecurity?: boolean;
}

export interface GuardedWebContents {
  on(event: 'will-navigate', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'will-frame-navigate', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'will-redirect', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent, webPreferences: GuestPreferences) => void): unknown;
  setWindowOpenHandler(handler: (details: { readonly url: string }) => { action: 'deny' }): void;
}

type HeaderMap = Record<string, string[]>;

export interface GuardedSession {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  setDevicePermissionHandler(handler: () => boolean): void;
  on(event: 'will-download', listener: (event: PreventableEvent) => void): unknown;
  readonly webRequest: {
    onHeadersReceived(listener: (details: { readonly responseHeaders?: HeaderMap }, callback: (response: { responseHeaders: HeaderMap }) => void) => void): void;
  };
}

export interface GuardedApp {
  enableSandbox(): void;
  on(event: 'web-contents-created', listener: (event: unknown, contents: GuardedWebContents) => void): unknown;
}

/** `headers` with our policy as the only Content-Security-Policy, whatever case it came in. */
export function withContentSecurityPolicy(headers: HeaderMap | undefined, policy: string): HeaderMap {
  const kept = Object.entries(headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy');
  return { ...Object.fromEntries(kept), 'Content-Security-Policy': [policy] };
}

export function hardenWebContents(contents: GuardedWebContents): void {
  const refuse = (event: PreventableEvent) => event.preventDefault();
  contents.on('will-navigate', refuse);
  contents.on('will-frame-navigate', refuse);
  contents.on('will-redirect', refuse);
  contents.on('will-attach-webview', (event, webPreferences) => {
    delete webPreferences.preload;
    webPreferences.nodeIntegration = false;
    webPreferences.nodeIntegrationInSubFrames = false;
    webPreferences.contextIsolation = true;
    webPreferences.sandbox = true;
    webPreferences.webSecurity = true;
    event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export function hardenSession(session: GuardedSession, contentSecurityPolicy: string): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event) => event.preventDefault());
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders, contentSecurityPolicy) });
  });
}

/** Call before the app is ready: the sandbox switch and the hook for every web contents to come. */
export function hardenApp(app: GuardedApp): void {
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}
