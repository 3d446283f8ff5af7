import type { BrowserWindowConstructorOptions } from 'electron';
import type { Rectangle } from './window-state';

export const MINIMUM_WINDOW_SIZE = { width: 720, height: 480 } as const;

/**
 * The locked-down window of the Electron security checklist: sandboxed renderer, isolated
 * context, no Node in the page or its workers, web security on, no insecure content, no
 * `<webview>`, no experimental Chromium features, no navigation by dropping a file. Kept as
 * data so it can be checked without starting Electron. `bounds` is the remembered size and
 * position (window-state.ts), if any.
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
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  };
}

/**
 * The dev server to load instead of the built page: only in an unpackaged app (`npm run dev`,
 * where electron-vite sets ELECTRON_RENDERER_URL), and only on this computer. A packaged app
 * always loads its own bundle, so an environment variable cannot point it at a web page that
 * would then be trusted as the renderer.
 */
export function devServerUrl(isPackaged: boolean, env: NodeJS.ProcessEnv): string | null {
  const candidate = env['ELECTRON_RENDERER_URL'];
  if (isPackaged || !candidate) return null;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  return url.protocol === 'http:' && loopback ? candidate : null;
}
