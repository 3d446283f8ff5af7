import { describe, expect, it } from 'vitest';
import type { SenderFacts } from './sender-policy';
import { isRendererUrl, isTrustedSender, senderFacts } from './sender-policy';

const BUILT = 'file:///opt/AltGen/resources/app.asar/out/renderer/index.html';
const DEV = 'http://localhost:5173';
const trusted: SenderFacts = { senderId: 7, windowContentsId: 7, frameUrl: `${BUILT}#/queue`, isTopFrame: true };

describe('isTrustedSender', () => {
  it('trusts the main window, in its top frame, showing our renderer', () => {
    expect(isTrustedSender(trusted, BUILT)).toBe(true);
    expect(isTrustedSender({ ...trusted, frameUrl: 'http://localhost:5173/?x=1' }, DEV)).toBe(true);
  });

  it('refuses another window, no window, a sub-frame or a frame that is gone', () => {
    expect(isTrustedSender({ ...trusted, senderId: 8 }, BUILT)).toBe(false);
    expect(isTrustedSender({ ...trusted, windowContentsId: null }, BUILT)).toBe(false);
    expect(isTrustedSender({ ...trusted, isTopFrame: false }, BUILT)).toBe(false);
    expect(isTrustedSender({ ...trusted, frameUrl: null }, BUILT)).toBe(false);
  });

  it('refuses pages that are not our renderer', () => {
    for (const url of [
      'https://evil.example/index.html',
      'file:///home/me/Downloads/index.html',
      'file:///opt/AltGen/resources/app.asar/out/renderer/other.html',
      'about:blank',
      'data:text/html,hi',
      'not a url',
    ]) {
      expect(isTrustedSender({ ...trusted, frameUrl: url }, BUILT), url).toBe(false);
    }
    expect(isTrustedSender({ ...trusted, frameUrl: 'http://localhost:5174/' }, DEV)).toBe(false);
    expect(isTrustedSender({ ...trusted, frameUrl: 'http://127.0.0.1:5173/' }, DEV)).toBe(false);
  });

  it('compares file URLs by path, and never trusts an unusual renderer address', () => {
    expect(isRendererUrl(`${BUILT}?a=1`, BUILT)).toBe(true);
    expect(isRendererUrl(BUILT, 'javascript:alert(1)')).toBe(false);
  });
});

describe('senderFacts', () => {
  it('reads the sender, its frame and whether that frame is the top one from an ipcMain event', () => {
    expect(senderFacts({ sender: { id: 7 }, senderFrame: { url: BUILT, parent: null } }, 7)).toEqual({ ...trusted, frameUrl: BUILT });
    expect(senderFacts({ sender: { id: 7 }, senderFrame: { url: BUILT, parent: {} } }, 7)).toMatchObject({ isTopFrame: false });
    expect(senderFacts({ sender: { id: 7 }, senderFrame: null }, null)).toEqual({ senderId: 7, windowContentsId: null, frameUrl: null, isTopFrame: false });
  });
});
