import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, MINIMUM_WINDOW_SIZE, mainWindowOptions } from './window-options';

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
  it('locks the page down: sandboxed, isolated, no Node, web security on', () => {
    const options = mainWindowOptions('/app/preload.cjs');
    expect(options.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
    expect(options.webPreferences).not.toHaveProperty('enableRemoteModule');
    expect(options.webPreferences).not.toHaveProperty('webviewTag', true);
    expect(options.show).toBe(false);
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
