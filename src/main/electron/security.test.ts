import { promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { App, Session, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import type { GuardedApp, GuardedSession, GuardedWebContents } from './hardening';
import { hardenApp, hardenSession, hardenWebContents, withContentSecurityPolicy } from './hardening';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy';

// Checked by `npm run typecheck`, not by a test: each guard takes Electron's own object, as
// main.ts and hardenApp hand it over, so a slice that stops fitting Electron's types fails the build.
hardenWebContents satisfies (contents: WebContents) => void;
hardenSession satisfies (session: Session, contentSecurityPolicy: string) => void;
hardenApp satisfies (app: App) => void;

type Listener = (...args: never[]) => unknown;

/** Records handlers as Electron objects would hold them, and emits events to them. */
class Recorder {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...args: unknown[]) => unknown)(...args);
  }
}

class FakeContents extends Recorder implements GuardedWebContents {
  windowOpenHandler: ((details: { readonly url: string }) => { action: 'deny' }) | null = null;
  setWindowOpenHandler(handler: (details: { readonly url: string }) => { action: 'deny' }): void {
    this.windowOpenHandler = handler;
  }
}

class FakeSession extends Recorder implements GuardedSession {
  requestHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  checkHandler: ((contents: unknown, permission: string) => boolean) | null = null;
  deviceHandler: (() => boolean) | null = null;
  headersListener: Parameters<GuardedSession['webRequest']['onHeadersReceived']>[0] | null = null;
  readonly webRequest = {
    onHeadersReceived: (listener: Parameters<GuardedSession['webRequest']['onHeadersReceived']>[0]) => {
      this.headersListener = listener;
    },
  };
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void {
    this.checkHandler = handler;
  }
  setDevicePermissionHandler(handler: () => boolean): void {
    this.deviceHandler = handler;
  }
}

class FakeApp extends Recorder implements GuardedApp {
  sandboxed = false;
  enableSandbox(): void {
    this.sandboxed = true;
  }
}

/** An event as Electron passes it: records whether the default was prevented. */
function preventable(url = 'about:blank') {
  const event = { url, prevented: false, preventDefault: () => void (event.prevented = true) };
  return event;
}

const RENDERER = 'file:///opt/AltGen/resources/app.asar/out/renderer/index.html';
const URLS = [
  'https://evil.example/',
  'http://127.0.0.1:11434/api/tags',
  'file:///etc/passwd',
  'file:///C:/Windows/System32/calc.exe',
  RENDERER,
  `${RENDERER}?again=1`,
  'http://localhost:5173/',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'about:blank',
  'chrome://settings',
  'devtools://devtools/bundled/inspector.html',
  'mailto:someone@example.com',
  'ms-msdt:/id PCWDiagnostic',
  '\\\\attacker\\share\\deck.pptx',
];
const NAVIGATIONS = ['will-navigate', 'will-frame-navigate', 'will-redirect'] as const;

describe('hardenWebContents', () => {
  function hardened(): FakeContents {
    const contents = new FakeContents();
    hardenWebContents(contents);
    return contents;
  }

  it.each(NAVIGATIONS.map((event) => [event] as const))('prevents every %s, to any address, our own page included', (name) => {
    const contents = hardened();
    expect(contents.listeners.get(name)).toHaveLength(1);
    for (const url of URLS) {
      const event = preventable(url);
      contents.emit(name, event, url, false, true, 1, 1);
      expect(event.prevented, `${name} ${url}`).toBe(true);
    }
  });

  it('denies every new window, so nothing reaches shell.openExternal', () => {
    const { windowOpenHandler } = hardened();
    if (!windowOpenHandler) throw new Error('no window open handler');
    for (const url of URLS) expect(windowOpenHandler({ url }), url).toEqual({ action: 'deny' });
  });

  it('refuses to attach a <webview>, stripping its preload and Node first', () => {
    const contents = hardened();
    const event = preventable();
    const webPreferences = { preload: '/tmp/evil.js', nodeIntegration: true, nodeIntegrationInSubFrames: true, contextIsolation: false, sandbox: false, webSecurity: false };
    contents.emit('will-attach-webview', event, webPreferences, { src: 'https://evil.example/' });
    expect(event.prevented).toBe(true);
    expect(webPreferences).toEqual({ nodeIntegration: false, nodeIntegrationInSubFrames: false, contextIsolation: true, sandbox: true, webSecurity: true });
  });
});

describe('hardenSession', () => {
  const PERMISSIONS = [
    'media',
    'display-capture',
    'geolocation',
    'notifications',
    'clipboard-read',
    'clipboard-sanitized-write',
    'fullscreen',
    'pointerLock',
    'openExternal',
    'fileSystem',
    'hid',
    'serial',
    'usb',
    'midiSysex',
    'storage-access',
    'window-management',
    'local-fonts',
    'unknown',
  ];

  function hardened(): FakeSession {
    const session = new FakeSession();
    hardenSession(session, CONTENT_SECURITY_POLICY);
    return session;
  }

  it('denies every permission the page asks for, and every one Chromium checks', () => {
    const { requestHandler, checkHandler, deviceHandler } = hardened();
    if (!requestHandler || !checkHandler || !deviceHandler) throw new Error('a permission handler is missing');
    for (const permission of PERMISSIONS) {
      const answers: boolean[] = [];
      requestHandler({}, permission, (granted) => answers.push(granted));
      expect(answers, permission).toEqual([false]);
      expect(checkHandler({}, permission), permission).toBe(false);
    }
    expect(deviceHandler()).toBe(false);
  });

  it('cancels every download', () => {
    const session = hardened();
    const event = preventable('https://evil.example/payload.exe');
    session.emit('will-download', event, {}, {});
    expect(event.prevented).toBe(true);
  });

  it('puts our Content-Security-Policy on every response, replacing any other', () => {
    const { headersListener } = hardened();
    if (!headersListener) throw new Error('no headers listener');
    const answers: { responseHeaders: Record<string, string[]> }[] = [];
    headersListener({ responseHeaders: { 'content-security-policy': ["script-src 'unsafe-inline' *"], 'Content-Type': ['text/html'] } }, (a) => answers.push(a));
    headersListener({}, (a) => answers.push(a));
    expect(answers).toEqual([
      { responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } },
      { responseHeaders: { 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } },
    ]);
  });

  it('replaces the header whatever its case', () => {
    expect(withContentSecurityPolicy({ 'CONTENT-SECURITY-POLICY': ['x'], 'Content-Security-Policy': ['y'] }, 'z')).toEqual({ 'Content-Security-Policy': ['z'] });
  });
});

describe('hardenApp', () => {
  it('sandboxes every renderer and hardens every web contents created afterwards', () => {
    const app = new FakeApp();
    hardenApp(app);
    expect(app.sandboxed).toBe(true);
    for (const contents of [new FakeContents(), new FakeContents()]) {
      app.emit('web-contents-created', preventable(), contents);
      const navigation = preventable('https://evil.example/');
      contents.emit('will-navigate', navigation);
      const webview = preventable();
      contents.emit('will-attach-webview', webview, { preload: '/evil.js' }, {});
      expect(navigation.prevented).toBe(true);
      expect(webview.prevented).toBe(true);
      expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    }
  });
});

describe('the page’s own Content-Security-Policy (file:// loads may bypass webRequest)', () => {
  function directives(policy: string): Map<string, string[]> {
    return new Map(
      policy
        .split(';')
        .map((part) => part.trim().split(/\s+/))
        .filter((words) => words[0])
        .map(([name = '', ...values]) => [name, values]),
    );
  }

  it('is in index.html, as strict as the header for scripts, plugins and base URLs', async () => {
    const html = await fs.readFile(fileURLToPath(new URL('../../renderer/index.html', import.meta.url)), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
    expect(meta, 'index.html has no CSP meta tag').not.toBeNull();
    const page = directives(meta?.[1] ?? '');
    const header = directives(CONTENT_SECURITY_POLICY);
    for (const name of ['default-src', 'script-src', 'object-src', 'base-uri']) {
      expect(page.get(name), name).toEqual(header.get(name));
    }
    expect(meta?.[1]).not.toMatch(/unsafe-eval|https?:|\*/);
  });
});
