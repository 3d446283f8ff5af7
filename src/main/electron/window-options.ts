import type { BrowserWindowConstructorOptions } from 'electron';
import type { Rectangle } from './window-state';

export const MINIMUM_WINDOW_SIZE = { width: 720, height: 480 } as const;

/**
 * The locked-down window of the Electron security checklist: sandboxed renderer, isolated
 * context, no Node in the page. Kept as data so it can be checked without starting Electron.
 * `bounds` is the remembered size and position (window-state.ts), if any.
 */
export function mainWindowOptions(preloadPath: string, bounds: Rectangle | null = null): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 800,
    ...(bounds ?? {}),
    minWidth: MINIMUM_WINDOW_SIZE.width,
    minHeight: MINIMUM_WINDOW_SIZE.height,
    show: false,
    title: 'AltGen Desktop',
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  };
}

/** The page may load only its own bundle: no remote code, no inline scripts. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
