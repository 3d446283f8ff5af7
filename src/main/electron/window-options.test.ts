import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, MINIMUM_WINDOW_SIZE, devServerUrl, mainWindowOptions } from './window-options';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name = '', ...values]) => [name, values]),
  );
}

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

describe('CONTENT_SECURITY_POLICY', () => {
  const policy = directives(CONTENT_SECURITY_POLICY);

  it('loads scripts from the app only: no inline or eval, no remote code', () => {
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:|\*/);
    expect(policy.get('script-src')).not.toContain("'unsafe-inline'");
  });

  it('talks only to its own origin, embeds nothing and is embedded nowhere', () => {
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
    expect(policy.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
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
