import type { RawData, WebSocket } from 'ws';
import type { BridgeRequestMessage, BridgeServerMessage } from '../../shared/bridge-protocol';
import type { AppService } from '../app-service/app-service';

/**
 * One browser tab's end of the bridge: requests in, answers and events out (protocol in
 * src/shared/bridge-protocol.ts). Every connected tab gets every event. A tab that stops
 * reading (its buffer past the limit) or stops answering pings is dropped; it reconnects and
 * rebuilds from a snapshot.
 */

const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
const PING_INTERVAL_MS = 30_000;

function parseRequest(data: RawData, isBinary: boolean): BridgeRequestMessage | string {
  if (isBinary) return 'Messages must be JSON text.';
  let value: unknown;
  try {
    value = JSON.parse(data.toString());
  } catch {
    return 'Messages must be JSON text.';
  }
  const message = value as Partial<BridgeRequestMessage> | null;
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return 'A message must be an object {id, channel, request}.';
  if (typeof message.id !== 'number' || !Number.isSafeInteger(message.id)) return 'A message needs a whole-number id.';
  if (typeof message.channel !== 'string') return 'A message needs a channel.';
  return { id: message.id, channel: message.channel, request: message.request };
}

function idOf(data: RawData): number | null {
  try {
    const id = (JSON.parse(data.toString()) as { id?: unknown }).id;
    return typeof id === 'number' && Number.isSafeInteger(id) ? id : null;
  } catch {
    return null;
  }
}

export function attachBridge(socket: WebSocket, service: AppService): void {
  let alive = true;
  const send = (message: BridgeServerMessage): void => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      socket.terminate();
      return;
    }
    socket.send(JSON.stringify(message));
  };
  const unsubscribe = service.subscribe(send);
  const ping = setInterval(() => {
    if (!alive) {
      socket.terminate();
      return;
    }
    alive = false;
    socket.ping();
  }, PING_INTERVAL_MS);
  ping.unref();
  socket.on('pong', () => {
    alive = true;
  });
  socket.on('message', (data, isBinary) => {
    const request = parseRequest(data, isBinary);
    if (typeof request === 'string') {
      send({ id: isBinary ? null : idOf(data), ok: false, error: { code: 'EBAD_REQUEST', message: request } });
      return;
    }
    void service.call(request.channel, request.request).then((result) => send({ id: request.id, ...result }));
  });
  socket.on('close', () => {
    clearInterval(ping);
    unsubscribe();
  });
  socket.on('error', () => socket.terminate());
}
