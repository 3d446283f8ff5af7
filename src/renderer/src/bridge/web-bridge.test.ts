import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { WebSocket as NodeWebSocket, WebSocketServer } from 'ws';
import type { BatchSnapshot } from '../../../shared/ipc-contract';
import { AppService } from '../../../main/app-service/app-service';
import type { RunningServer } from '../../../main/server/altgen-server';
import { startAltgenServer } from '../../../main/server/altgen-server';
import type { WebBridge } from './web-bridge';
import { bridgeUrl, createWebBridge } from './web-bridge';

/** The browser's bridge against a real `altgen serve` server on loopback (ws stands in for the browser's WebSocket). */
const Socket = NodeWebSocket as unknown as typeof WebSocket;

let root: string;
let service: AppService;
let server: RunningServer;
let bridge: WebBridge | null = null;


function connect(url = `ws://127.0.0.1:${server.port}/bridge?token=${server.token}`): WebBridge {
  bridge = createWebBridge({ url, WebSocket: Socket, initialDelayMs: 20, maxDelayMs: 100, random: () => 1 });
  return bridge;
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-web-bridge-'));
  await fs.writeFile(path.join(root, 'index.html'), '<!doctype html>');
  service = new AppService({
    host: { kind: 'web', version: '9.9.9' },
    env: { ...process.env, ALTGEN_CONFIG_DIR: path.join(root, 'config'), ALTGEN_DATA_DIR: path.join(root, 'data') },
    homeDir: root,
  });
  server = await startAltgenServer({ service, rendererDir: root, port: 0 });
});

afterEach(async () => {
  bridge?.close();
  bridge = null;
  await server.close();
  await fs.rm(root, { recursive: true, force: true });
});

describe('bridgeUrl', () => {
  it('points at the page host, carrying the page token when there is one', () => {
    expect(bridgeUrl({ protocol: 'http:', host: '127.0.0.1:4000', search: '?token=a-b_c' })).toBe('ws://127.0.0.1:4000/bridge?token=a-b_c');
    expect(bridgeUrl({ protocol: 'http:', host: 'localhost:4000', search: '' })).toBe('ws://localhost:4000/bridge');
    expect(bridgeUrl({ protocol: 'https:', host: 'h:1', search: '?x=1' })).toBe('wss://h:1/bridge');
  });
});

describe('createWebBridge', () => {
  it('sends requests made before the socket opens, and answers them', async () => {
    const web = connect();
    const [info, listing] = await Promise.all([web.invoke('app:get-info', null), web.invoke('folders:list', { path: null })]);
    expect(info).toMatchObject({ host: 'web', version: '9.9.9' });
    expect(listing.path).toBe(root);
    expect(web.connected).toBe(true);
    expect(web.pathForFile({} as File)).toBeNull();
  });

  it('rejects with an Error that carries the BridgeError code', async () => {
    const web = connect();
    const error = await web.invoke('folders:list', { path: 'relative' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 'EBAD_PATH', message: expect.stringContaining('is not a full path') });
  });

  it('delivers events to subscribers until they unsubscribe', async () => {
    const web = connect();
    const seen: (readonly string[])[] = [];
    const unsubscribe = web.on('app:folder-opened', ({ paths }) => seen.push(paths));
    await web.invoke('app:get-info', null);
    service.openPaths(['/one']);
    await until(() => seen.length === 1);
    unsubscribe();
    service.openPaths(['/two']);
    await web.invoke('app:get-info', null);
    expect(seen).toEqual([['/one']]);
  });

  it('rejects waiting requests when the connection drops, reconnects, keeps its listeners and resends the snapshot', async () => {
    // A bridge server the test controls: it answers get-current, never answers model:check,
    // and can drop every socket.
    const fake = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => fake.once('listening', resolve));
    let connections = 0;
    fake.on('connection', (socket) => {
      connections += 1;
      socket.on('message', (data) => {
        const { id, channel } = JSON.parse(data.toString()) as { id: number; channel: string };
        if (channel === 'batch:get-current') socket.send(JSON.stringify({ id, ok: true, response: null }));
        if (channel === 'app:get-info') socket.send(JSON.stringify({ id, ok: true, response: { host: 'web' } }));
      });
    });
    try {
      const web = connect(`ws://127.0.0.1:${(fake.address() as AddressInfo).port}`);
      const connection: boolean[] = [];
      web.onConnectionChange((up) => connection.push(up));
      const opened: (readonly string[])[] = [];
      const snapshots: (BatchSnapshot | null)[] = [];
      web.on('app:folder-opened', ({ paths }) => opened.push(paths));
      web.on('batch:snapshot-replaced', (snapshot) => snapshots.push(snapshot));
      await web.invoke('app:get-info', null);

      const waiting = web.invoke('model:check', null).catch((e: unknown) => e);
      await until(() => connections === 1);
      await new Promise((resolve) => setTimeout(resolve, 30));
      for (const client of fake.clients) client.terminate();
      expect(await waiting).toMatchObject({ code: 'EDISCONNECTED', message: expect.stringContaining('connection to AltGen was lost') });

      await until(() => connections === 2 && web.connected);
      await until(() => snapshots.length === 1);
      expect(snapshots).toEqual([null]);
      expect(connection).toEqual([true, false, true]);
      for (const client of fake.clients) client.send(JSON.stringify({ event: 'app:folder-opened', payload: { paths: ['/after'] } }));
      await until(() => opened.length === 1);
      expect(opened).toEqual([['/after']]);
    } finally {
      bridge?.close();
      for (const client of fake.clients) client.terminate();
      await new Promise((resolve) => fake.close(resolve));
    }
  });

  it('rejects every request once closed', async () => {
    const web = connect();
    web.close();
    expect(await web.invoke('app:get-info', null).catch((e: unknown) => e)).toMatchObject({ code: 'EDISCONNECTED' });
  });
});
