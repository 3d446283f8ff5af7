import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { BridgeServerMessage } from '../../shared/bridge-protocol';
import { MAX_BRIDGE_MESSAGE_BYTES } from '../../shared/bridge-protocol';
import { AppService } from '../app-service/app-service';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy';
import type { RunningServer } from './altgen-server';
import { startAltgenServer } from './altgen-server';

let root: string;
let rendererDir: string;
let service: AppService;
let server: RunningServer;

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

function request(pathAndQuery: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, path: pathAndQuery, method, headers: { host: `127.0.0.1:${server.port}`, ...headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Whether a plain TCP connection to `host:port` is accepted; an error code (or 'timeout') if not. */
function connectOutcome(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

/** Sends `head` as the raw request and resolves with the status line of the answer. */
function rawStatusLine(head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1', () => socket.write(head));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\r\n')) {
        resolve(text.slice(0, text.indexOf('\r\n')));
        socket.destroy();
      }
    });
    socket.once('error', reject);
    socket.once('end', () => resolve(text));
  });
}

function socketUrl(query = `?token=${server.token}`): string {
  return `ws://127.0.0.1:${server.port}/bridge${query}`;
}

/** Opens a socket; resolves with it, or with the HTTP status the upgrade was refused with. */
function openSocket(url: string, options: { headers?: Record<string, string>; origin?: string } = {}): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: options.headers, origin: options.origin });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

async function connected(url = socketUrl(), options: { headers?: Record<string, string>; origin?: string } = {}): Promise<WebSocket> {
  const socket = await openSocket(url, options);
  if (typeof socket === 'number') throw new Error(`upgrade refused with ${socket}`);
  return socket;
}

function nextMessage(socket: WebSocket, match: (message: BridgeServerMessage) => boolean = () => true): Promise<BridgeServerMessage> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const message = JSON.parse(data.toString()) as BridgeServerMessage;
      if (!match(message)) return;
      socket.off('message', onMessage);
      resolve(message);
    };
    socket.on('message', onMessage);
  });
}

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-serve-'));
  rendererDir = path.join(root, 'renderer');
  await fs.mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await fs.writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>AltGen</title><script type="module" src="./assets/app.js"></script>');
  await fs.writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log("app");');
  await fs.writeFile(path.join(root, 'secret.txt'), 'secret');
  service = new AppService({
    host: { kind: 'web', version: '1.2.3' },
    env: { ...process.env, ALTGEN_CONFIG_DIR: path.join(root, 'config'), ALTGEN_DATA_DIR: path.join(root, 'data') },
  });
  server = await startAltgenServer({ service, rendererDir, port: 0 });
});

afterEach(async () => {
  await server.close();
  await fs.rm(root, { recursive: true, force: true });
});

describe('altgen serve: binding', () => {
  it('listens on 127.0.0.1 only, on a random port, and prints a URL with a 32-byte token', async () => {
    const address = server.server.address() as AddressInfo;
    expect(address.address).toBe('127.0.0.1');
    expect(address.family).toBe('IPv4');
    expect(address.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${address.port}/?token=${server.token}`);
    expect(Buffer.from(server.token, 'base64url')).toHaveLength(32);
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((iface) => iface && iface.family === 'IPv4' && !iface.internal);
    if (external) {
      const refused = await new Promise<string>((resolve) => {
        const socket = net.connect(address.port, external.address);
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(refused).toBe('ECONNREFUSED');
    }
  });

  it('is not reachable on any other local address: not 0.0.0.0, not ::, not the rest of 127/8', async () => {
    const address = server.server.address() as AddressInfo;
    expect(['0.0.0.0', '::', '::ffff:0.0.0.0']).not.toContain(address.address);
    const others = ['::1', ...Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((iface) => iface.address))].filter(
      (candidate) => candidate !== '127.0.0.1' && !candidate.startsWith('fe80:'),
    );
    // Linux routes all of 127/8 to the loopback device: a server bound to 0.0.0.0 would answer there.
    if (process.platform === 'linux') others.push('127.0.0.2');
    for (const candidate of others) {
      expect(await connectOutcome(candidate, address.port), candidate).not.toBe('connected');
    }
  });

  it('requires the token it is given (altgen serve keeps one across restarts)', async () => {
    const token = 'A'.repeat(43);
    const other = await startAltgenServer({ service, rendererDir, port: 0, token });
    try {
      expect(other.token).toBe(token);
      expect(other.url).toBe(`http://127.0.0.1:${other.port}/?token=${token}`);
    } finally {
      await other.close();
    }
  });

  it('uses a new token on every start', async () => {
    const other = await startAltgenServer({ service, rendererDir, port: 0 });
    try {
      expect(other.token).not.toBe(server.token);
      expect(other.port).not.toBe(server.port);
    } finally {
      await other.close();
    }
  });
});

describe('altgen serve: HTTP', () => {
  it('refuses requests without the token, or with a wrong one', async () => {
    expect((await request('/')).status).toBe(403);
    expect((await request('/assets/app.js')).status).toBe(403);
    expect((await request('/?token=wrong')).status).toBe(403);
    expect((await request(`/?token=${server.token.slice(0, -1)}`)).status).toBe(403);
    expect((await request('/', { cookie: `altgen_session_${server.port}=wrong` })).status).toBe(403);
    // Another server's cookie (another port) is not this one's.
    expect((await request('/', { cookie: `altgen_session_1=${server.token}` })).status).toBe(403);
  });

  it('trades the token in the address for a strict HttpOnly cookie and a redirect to the address without it', async () => {
    const first = await request(`/?token=${server.token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = first.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toBe(`altgen_session_${server.port}=${server.token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=34560000`);
    expect(first.body).toBe('');
    const session = { cookie: cookie.split(';')[0] ?? '' };
    const page = await request('/', session);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>AltGen</title>');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['set-cookie']).toBeUndefined();
    const asset = await request('/assets/app.js', session);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['set-cookie']).toBeUndefined();
  });

  it('gives every view of the UI its own address, kept through the redirect', async () => {
    const redirected = await request(`/settings?token=${server.token}&from=bookmark`);
    expect(redirected.status).toBe(303);
    expect(redirected.headers.location).toBe('/settings?from=bookmark');
    const session = { cookie: `altgen_session_${server.port}=${server.token}` };
    for (const view of ['/queue', '/new-batch', '/settings', '/history/']) {
      const page = await request(view, session);
      expect(page.status, view).toBe(200);
      expect(page.body, view).toContain('<title>AltGen</title>');
    }
    // Only views: a name with an extension is a file, and two segments are nothing.
    expect((await request('/queue.js', session)).status).toBe(404);
    expect((await request('/queue/1', session)).status).toBe(404);
    expect((await request('/settings')).status).toBe(403);
  });

  it('refuses a wrong Host (DNS rebinding) with 421, even with the token', async () => {
    for (const host of ['evil.example:' + server.port, `127.0.0.1:${server.port + 1}`, '127.0.0.1', `0.0.0.0:${server.port}`, `[::1]:${server.port}`]) {
      expect((await request(`/?token=${server.token}`, { host })).status, host).toBe(421);
    }
    expect((await request(`/?token=${server.token}`, { host: `localhost:${server.port}` })).status).toBe(303);
  });

  it('refuses a request with two Host headers with 400, also when both name this server', async () => {
    const valid = `127.0.0.1:${server.port}`;
    for (const [first, second] of [
      [valid, 'evil.example'],
      ['evil.example', valid],
      [valid, valid],
    ]) {
      const head = `GET /?token=${server.token} HTTP/1.1\r\nHost: ${first}\r\nHost: ${second}\r\nConnection: close\r\n\r\n`;
      expect(await rawStatusLine(head), `${first} + ${second}`).toMatch(/^HTTP\/1\.1 400 /);
    }
    const upgrade =
      `GET /bridge?token=${server.token} HTTP/1.1\r\nHost: ${valid}\r\nHost: evil.example\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';
    expect(await rawStatusLine(upgrade)).toMatch(/^HTTP\/1\.1 400 /);
    expect(await rawStatusLine(`GET /?token=${server.token} HTTP/1.1\r\nHost: ${valid}\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 303 /);
  });

  it('refuses a request without a Host header', async () => {
    expect(await rawStatusLine(`GET /?token=${server.token} HTTP/1.0\r\n\r\n`)).toMatch(/^HTTP\/1\.[01] 421 /);
    expect(await rawStatusLine(`GET /?token=${server.token} HTTP/1.1\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.[01] (400|421) /);
  });

  it('refuses a foreign Origin with 403, and accepts its own', async () => {
    for (const origin of ['http://evil.example', `http://localhost:${server.port}`, `https://127.0.0.1:${server.port}`, 'null']) {
      expect((await request(`/?token=${server.token}`, { origin })).status, origin).toBe(403);
    }
    expect((await request(`/?token=${server.token}`, { origin: `http://127.0.0.1:${server.port}` })).status).toBe(303);
  });

  it('sends the security headers on pages and refusals alike', async () => {
    for (const answer of [await request(`/?token=${server.token}`), await request('/')]) {
      expect(answer.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
      expect(answer.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('serves files of the renderer only, and GET only', async () => {
    const token = `token=${server.token}`;
    for (const name of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/%00app.js', '/.hidden.js', '/nope.js']) {
      expect((await request(`${name}?${token}`)).status, name).toBe(404);
    }
    expect((await request(`/?${token}`, {}, 'POST')).status).toBe(405);
    expect((await request(`/bridge?${token}`)).status).toBe(426);
    expect((await request(`/?${token}`, {}, 'HEAD')).status).toBe(303);
    expect((await request('/', { cookie: `altgen_session_${server.port}=${server.token}` }, 'HEAD')).status).toBe(200);
    expect((await request(`/favicon.ico?${token}`)).status).toBe(204);
    expect((await request('/favicon.ico')).status).toBe(403);
  });
});

describe('altgen serve: WebSocket bridge', () => {
  it('refuses the upgrade without the token, with a wrong one, a wrong Host or a foreign Origin', async () => {
    expect(await openSocket(socketUrl(''))).toBe(403);
    expect(await openSocket(socketUrl('?token=wrong'))).toBe(403);
    expect(await openSocket(socketUrl(), { headers: { host: `evil.example:${server.port}` } })).toBe(421);
    expect(await openSocket(socketUrl(), { origin: 'http://evil.example' })).toBe(403);
    expect(await openSocket(`ws://127.0.0.1:${server.port}/other?token=${server.token}`)).toBe(404);
  });

  it('refuses every upgrade without the right token, even from its own Origin', async () => {
    const origin = `http://127.0.0.1:${server.port}`;
    for (const [why, query, cookie] of [
      ['no token', '', undefined],
      ['a wrong token', '?token=wrong', undefined],
      ['the token cut short', `?token=${server.token.slice(0, -1)}`, undefined],
      ['the token with more after it', `?token=${server.token}x`, undefined],
      ['a wrong cookie', '', `altgen_session_${server.port}=wrong`],
      ['the cookie of another port', '', `altgen_session_${server.port + 1}=${server.token}`],
      ['a token under another name', `?session=${server.token}`, undefined],
    ] as const) {
      expect(await openSocket(socketUrl(query), { origin, headers: cookie ? { cookie } : {} }), why).toBe(403);
    }
  });

  it('refuses every upgrade with a wrong Host (421) or a foreign Origin (403), even with the token', async () => {
    for (const host of [`evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, '127.0.0.1', `0.0.0.0:${server.port}`, `[::1]:${server.port}`, `192.168.1.10:${server.port}`]) {
      expect(await openSocket(socketUrl(), { headers: { host } }), host).toBe(421);
    }
    for (const origin of [
      'http://evil.example',
      'null',
      `http://localhost:${server.port}`,
      `https://127.0.0.1:${server.port}`,
      `http://127.0.0.1:${server.port + 1}`,
      `http://127.0.0.1.evil.example:${server.port}`,
      'file://',
    ]) {
      expect(await openSocket(socketUrl(), { origin }), origin).toBe(403);
      expect(await openSocket(socketUrl(''), { origin, headers: { cookie: `altgen_session_${server.port}=${server.token}` } }), `${origin} with cookie`).toBe(403);
    }
  });

  it('accepts the token in the query or the session cookie, with its own Origin', async () => {
    const byQuery = await connected(socketUrl(), { origin: `http://127.0.0.1:${server.port}` });
    const byCookie = await connected(socketUrl(''), { headers: { cookie: `altgen_session_${server.port}=${server.token}` } });
    byQuery.close();
    byCookie.close();
  });

  it('answers requests by id, errors as data, and pushes events to every socket', async () => {
    const socket = await connected();
    const other = await connected();
    try {
      let answer = nextMessage(socket);
      socket.send(JSON.stringify({ id: 1, channel: 'app:get-info', request: null }));
      expect(await answer).toMatchObject({ id: 1, ok: true, response: { host: 'web', version: '1.2.3' } });

      answer = nextMessage(socket);
      socket.send(JSON.stringify({ id: 2, channel: 'batch:start', request: { paths: ['/a'], output_dir: '/x', dry_run: 'yes' } }));
      expect(await answer).toMatchObject({ id: 2, ok: false, error: { code: 'EBAD_REQUEST' } });

      answer = nextMessage(socket);
      socket.send(JSON.stringify({ id: 3, channel: 'fs:rm', request: {} }));
      expect(await answer).toMatchObject({ id: 3, ok: false, error: { code: 'EBAD_REQUEST' } });

      answer = nextMessage(socket);
      socket.send('not json');
      expect(await answer).toMatchObject({ id: null, ok: false, error: { code: 'EBAD_REQUEST' } });

      answer = nextMessage(socket);
      socket.send(JSON.stringify({ id: 'x', channel: 'app:get-info' }));
      expect(await answer).toMatchObject({ id: null, ok: false });

      const events = [nextMessage(socket, (m) => 'event' in m), nextMessage(other, (m) => 'event' in m)];
      service.openPaths(['/home/me/Lectures']);
      for (const event of await Promise.all(events)) {
        expect(event).toEqual({ event: 'app:folder-opened', payload: { paths: ['/home/me/Lectures'] } });
      }
    } finally {
      socket.close();
      other.close();
    }
  });

  it('closes a socket that sends a message over the size limit', async () => {
    const socket = await connected();
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(JSON.stringify({ id: 1, channel: 'inputs:discover', request: { paths: ['/' + 'x'.repeat(MAX_BRIDGE_MESSAGE_BYTES)] } }));
    expect(await closed).toBe(1009);
  });

  it('answers a message nested too deeply with an error, unparsed, and keeps serving the socket', async () => {
    const socket = await connected();
    try {
      let answer = nextMessage(socket);
      socket.send(`{"id":7,"channel":"app:get-info","request":${'['.repeat(100)}${']'.repeat(100)}}`);
      expect(await answer).toEqual({ id: null, ok: false, error: { code: 'EBAD_REQUEST', message: 'Messages may nest at most 32 levels deep.' } });
      answer = nextMessage(socket);
      socket.send(JSON.stringify({ id: 8, channel: 'app:get-info', request: { note: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[' } }));
      expect(await answer).toMatchObject({ id: 8 });
    } finally {
      socket.close();
    }
  });

  it('keeps answering other clients while one sends 3 MB messages of "[", at a bounded CPU cost', async () => {
    // The hostile client is another process, so the CPU time measured here is the server's
    // (and the polite client's), not the sending.
    const messages = 10;
    const hostileScript = `
      const { WebSocket } = require('ws');
      const socket = new WebSocket(process.argv[1]);
      const hostile = '['.repeat(3 * 1024 * 1024);
      let answers = 0;
      socket.on('open', () => { for (let i = 0; i < ${messages}; i += 1) socket.send(hostile); });
      socket.on('message', (data) => {
        answers += 1;
        process.stdout.write('answer ' + data.toString() + '\\n');
        if (answers === ${messages}) socket.close();
      });
      socket.on('close', () => process.exit(0));
      socket.on('error', (error) => { process.stderr.write(String(error)); process.exit(1); });
    `;
    const polite = await connected();
    const cpuBefore = process.cpuUsage();
    const hostile = spawn(process.execPath, ['-e', hostileScript, socketUrl()], { cwd: fileURLToPath(new URL('../../..', import.meta.url)) });
    let hostileOutput = '';
    const firstAnswer = new Promise<void>((resolve) => {
      hostile.stdout.on('data', (chunk: Buffer) => {
        hostileOutput += chunk.toString();
        resolve();
      });
    });
    const hostileDone = new Promise<number | null>((resolve) => hostile.on('close', (code) => resolve(code)));
    const killer = setTimeout(() => hostile.kill('SIGKILL'), 50_000);
    try {
      await firstAnswer;
      const answer = nextMessage(polite);
      polite.send(JSON.stringify({ id: 1, channel: 'app:get-info', request: null }));
      expect(await answer).toMatchObject({ id: 1, ok: true, response: { host: 'web' } });
      expect(await hostileDone).toBe(0);
    } finally {
      clearTimeout(killer);
      polite.close();
    }
    const cpu = process.cpuUsage(cpuBefore);
    const answers = hostileOutput.trim().split('\n');
    expect(answers).toHaveLength(messages);
    for (const line of answers) expect(JSON.parse(line.slice('answer '.length))).toMatchObject({ id: null, ok: false, error: { code: 'EBAD_REQUEST' } });
    // Parsing each message (twice) cost far more than a second of CPU; refusing it unparsed, little.
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(1500);
  });

  it('stops listening and closes its sockets on close', async () => {
    const socket = await connected();
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    await server.close();
    expect(await closed).toBe(1001);
    await expect(request('/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    server = await startAltgenServer({ service, rendererDir, port: 0 });
  });
});
