import { describe, expect, it } from 'vitest';
import { MINIMUM_WINDOW_SIZE, devServerUrl, mainWindowOptions } from './window-options';

describe('mainWindowOptions', () => {
  it('locks the page down: sandboxed, isolated, no Node, web security on, no webview or experiments', () => {
    const options = mainWindowOptions('/app/preload.cjs');
    // Exactly these preferences: a new one (nodeIntegrationInSubFrames, enableBlinkFeatures, …) must be added here on purpose.
    expect(options.webPreferences).toEqual({
      preload: '/app/preload.cjs',
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
    });
    expect(options.show).toBe(false);
  });

  it('keeps its preferences whatever bounds are remembered', () => {
    const remembered = { x: 0, y: 0, width: 800, height: 600, webPreferences: { sandbox: false } };
    expect(mainWindowOptions('/p', remembered).webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
  });

  it('opens at the remembered bounds, never below the minimum size', () => {
    expect(mainWindowOptions('/p', { x: 10, y: 20, width: 900, height: 700 })).toMatchObject({ x: 10, y: 20, width: 900, height: 700 });
    expect(mainWindowOptions('/p')).toMatchObject({ width: 1200, height: 800, minWidth: MINIMUM_WINDOW_SIZE.width, minHeight: MINIMUM_WINDOW_SIZE.height });
    expect(mainWindowOptions('/p')).not.toHaveProperty('x');
  });
});

describe('devServerUrl', () => {
  it('loads the dev server only in an unpackaged app, and only from this computer', () => {
    expect(devServerUrl(false, { ELECTRON_RENDERER_URL: 'http://localhost:5173' })).toBe('http://localhost:5173');
    expect(devServerUrl(false, { ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173/' })).toBe('http://127.0.0.1:5173/');
    expect(devServerUrl(false, {})).toBeNull();
    expect(devServerUrl(true, { ELECTRON_RENDERER_URL: 'http://localhost:5173' })).toBeNull();
    for (const url of ['https://evil.example/', 'http://evil.example:5173', 'http://localhost.evil.example/', 'file:///tmp/index.html', 'javascript:alert(1)', 'not a url']) {
      expect(devServerUrl(false, { ELECTRON_RENDERER_URL: url }), url).toBeNull();
    }
  });
});
