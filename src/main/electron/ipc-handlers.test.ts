import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS } from '../../shared/ipc-contract';
import { AppService } from '../app-service/app-service';
import { forwardEvents, registerIpcHandlers } from './ipc-handlers';

type Handler = (event: IpcMainInvokeEvent, request: unknown) => Promise<unknown>;

/** Stands in for ipcMain: records the handlers so the test can call them as Electron would. */
class FakeIpcMain {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, request: unknown, sender = TRUSTED): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(sender, request);
  }
}

const TRUSTED = { sender: { id: 1 } } as unknown as IpcMainInvokeEvent;
const STRANGER = { sender: { id: 2 } } as unknown as IpcMainInvokeEvent;

let root: string;
let ipc: FakeIpcMain;
let service: AppService;
let opened: string[];

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-ipc-'));
  opened = [];
  service = new AppService({
    host: { kind: 'electron', version: '1.0.0', openPath: async (p) => void opened.push(p), pickFolder: async () => '/picked' },
    env: { ...process.env, ALTGEN_CONFIG_DIR: path.join(root, 'config'), ALTGEN_DATA_DIR: path.join(root, 'data') },
    homeDir: root,
  });
  ipc = new FakeIpcMain();
  registerIpcHandlers(ipc, service, (event) => event.sender.id === 1);
});

afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('registerIpcHandlers', () => {
  it('registers one handler per channel of the contract, and removes them all', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    const other = new FakeIpcMain();
    const dispose = registerIpcHandlers(other, service, () => true);
    dispose();
    expect(other.handlers.size).toBe(0);
  });

  it('refuses every channel to a sender that is not the main window, before looking at the request', async () => {
    for (const channel of INVOKE_CHANNELS) {
      expect(await ipc.invoke(channel, { anything: true }, STRANGER), channel).toEqual({
        ok: false,
        error: { code: 'EFORBIDDEN', message: 'This request did not come from the AltGen window.' },
      });
    }
    expect(await ipc.invoke('dialog:pick-folder', null, STRANGER)).toMatchObject({ ok: false });
    expect(opened).toEqual([]);
  });

  it('validates the arguments of the main window too, answering errors as data with their codes', async () => {
    expect(await ipc.invoke('shell:open-path', { path: 'relative.pptx' })).toMatchObject({ ok: false, error: { code: 'EBAD_REQUEST' } });
    expect(await ipc.invoke('shell:open-path', { path: path.join(root, 'x.pptx') })).toMatchObject({ ok: false, error: { code: 'EFORBIDDEN' } });
    expect(await ipc.invoke('folders:list', { path: root, hidden: true })).toMatchObject({ ok: false, error: { code: 'EBAD_REQUEST' } });
    expect(await ipc.invoke('batch:stop', { mode: 'now', force: 1 })).toMatchObject({ ok: false, error: { code: 'EBAD_REQUEST' } });
    expect(opened).toEqual([]);
  });

  it('answers good requests from the main window', async () => {
    expect(await ipc.invoke('app:get-info', null)).toMatchObject({ ok: true, response: { host: 'electron', version: '1.0.0' } });
    expect(await ipc.invoke('dialog:pick-folder', null)).toEqual({ ok: true, response: '/picked' });
    expect(await ipc.invoke('batch:get-current', undefined)).toEqual({ ok: true, response: null });
  });
});

describe('forwardEvents', () => {
  it('sends every event to the page, and nothing once the page is gone', () => {
    const sent: [string, unknown][] = [];
    let destroyed = false;
    const stop = forwardEvents(service, () => ({ send: (channel: string, payload: unknown) => void sent.push([channel, payload]), isDestroyed: () => destroyed }));
    service.openPaths(['/a']);
    destroyed = true;
    service.openPaths(['/b']);
    stop();
    destroyed = false;
    service.openPaths(['/c']);
    expect(sent).toEqual([['app:folder-opened', { paths: ['/a'] }]]);
  });
});
