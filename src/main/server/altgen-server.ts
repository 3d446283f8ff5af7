import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { BRIDGE_PATH, MAX_BRIDGE_MESSAGE_BYTES, TOKEN_PARAM } from '../../shared/bridge-protocol';
import type { AppService } from '../app-service/app-service';
import { attachBridge } from './bridge-socket';
import type { GuardSettings } from './request-guard';
import { checkRequest, sessionCookie } from './request-guard';
import { SECURITY_HEADERS } from './security-headers';
import { resolveStaticFile } from './static-files';

/**
 * `altgen serve`: the renderer bundle and the WebSocket bridge on 127.0.0.1 only. Every HTTP
 * request and every socket upgrade passes the guard (request-guard.ts: Host, Origin, token)
 * before anything else is looked at. A page asked for with `?token=` is answered with a
 * redirect to the same address without it, carrying an HttpOnly, SameSite=Strict session
 * cookie (as Jupyter does): the token leaves the address bar and the history, and the page,
 * its assets and its socket are authorised by the cookie, which scripts cannot read.
 *
 * Every view of the UI has its own address (`/queue`, `/settings`, …): a path of one segment
 * without a file extension serves the page, so Back, reload and bookmarks work.
 */

export interface ServerOptions {
  readonly service: AppService;
  readonly rendererDir: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** The session token to require (`altgen serve` keeps one across restarts); a new random one by default. */
  readonly token?: string;
}

export interface RunningServer {
  /** The address to open, token included. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly server: http.Server;
  close(): Promise<void>;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  303: 'See Other',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  421: 'Misdirected Request',
  426: 'Upgrade Required',
};

function refuse(response: http.ServerResponse, status: number, reason: string, extra: Record<string, string> = {}): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...extra });
  response.end(`${status} ${STATUS_TEXT[status] ?? ''}: ${reason}\n`);
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

async function serveFile(request: http.IncomingMessage, response: http.ServerResponse, rendererDir: string, pathname: string, headers: Record<string, string>) {
  const file = await resolveStaticFile(rendererDir, pathname);
  if (!file && pathname === '/favicon.ico') {
    // Browsers ask for it unprompted; an empty answer keeps their consoles free of 404s.
    response.writeHead(204, { ...SECURITY_HEADERS, ...headers });
    response.end();
    return;
  }
  if (!file) {
    refuse(response, 404, 'No such file.', headers);
    return;
  }
  response.writeHead(200, { ...SECURITY_HEADERS, ...headers, 'Content-Type': file.contentType, 'Content-Length': String(file.size) });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(file.file)
    .on('error', () => response.destroy())
    .pipe(response);
}

/** A view of the UI (`/`, `/queue`, `/new-batch`): one segment of lower-case words, no extension. */
export function isPagePath(pathname: string): boolean {
  return pathname === '/' || /^\/[a-z][a-z-]*\/?$/.test(pathname);
}

/** The address the browser asked for, without the token: where the redirect sends it. */
function withoutToken(requestUrl: string | undefined): string {
  const url = new URL(requestUrl ?? '/', 'http://127.0.0.1');
  url.searchParams.delete(TOKEN_PARAM);
  return `${url.pathname}${url.search}`;
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(Object.assign(new Error(`Port ${port} is in use: choose another with --port, or leave it out for a free one.`), { code: 'EPORT_IN_USE' }));
      } else {
        reject(error);
      }
    };
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });
}

export async function startAltgenServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_BRIDGE_MESSAGE_BYTES, perMessageDeflate: false });
  let settings: GuardSettings = { port: 0, token };

  const server = http.createServer((request, response) => {
    const verdict = checkRequest(request, settings);
    if (!verdict.ok) {
      refuse(response, verdict.status, verdict.reason);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      refuse(response, 405, 'Only GET is served.', { Allow: 'GET, HEAD' });
      return;
    }
    if (verdict.pathname === BRIDGE_PATH) {
      refuse(response, 426, 'The bridge speaks WebSocket.', { Upgrade: 'websocket' });
      return;
    }
    const page = isPagePath(verdict.pathname);
    if (page && verdict.tokenInQuery) {
      response.writeHead(303, { ...SECURITY_HEADERS, 'Set-Cookie': sessionCookie(settings), Location: withoutToken(request.url) });
      response.end();
      return;
    }
    const headers: Record<string, string> = verdict.tokenInQuery ? { 'Set-Cookie': sessionCookie(settings) } : {};
    void serveFile(request, response, options.rendererDir, page ? '/' : verdict.pathname, headers).catch(() => response.destroy());
  });

  server.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const verdict = checkRequest(request, settings);
    if (!verdict.ok) {
      refuseUpgrade(socket, verdict.status, verdict.reason);
      return;
    }
    if (verdict.pathname !== BRIDGE_PATH) {
      refuseUpgrade(socket, 404, 'No such socket.');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => attachBridge(ws, options.service));
  });

  await listen(server, options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  settings = { port, token };
  return {
    url: `http://127.0.0.1:${port}/?${TOKEN_PARAM}=${token}`,
    port,
    token,
    server,
    close: async () => {
      for (const client of sockets.clients) client.close(1001, 'AltGen is shutting down.');
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
