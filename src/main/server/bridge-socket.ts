import type { RawData, WebSocket } from 'ws';
import type { BridgeRequestMessage, BridgeServerMessage } from '../../shared/bridge-protocol';
import type { AppService } from '../app-service/app-service';

/**
 * One browser tab's end of the bridge: requests in, answers and events out (protocol in
 * src/shared/bridge-protocol.ts). Every connected tab gets every event. A tab that stops
 * reading (its buffer past the limit) or stops answering pings is dropped; it reconnects and
 * rebuilds from a snapshot.
 *
 * Parsing runs on the one thread that serves every tab, so it is bounded before it starts:
 * `ws` closes a socket whose message exceeds MAX_BRIDGE_MESSAGE_BYTES (maxPayload, set by the
 * server) before it is delivered, and a message that nests deeper than MAX_NESTING is answered
 * with an error without being parsed (a few megabytes of `[` cost JSON.parse seconds). Each
 * message is parsed once.
 */

const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
const PING_INTERVAL_MS = 30_000;
/** The deepest real request (a settings save) nests about five levels. */
const MAX_NESTING = 32;

type ParsedRequest =
  | { readonly ok: true; readonly request: BridgeRequestMessage }
  | { readonly ok: false; readonly id: number | null; readonly reason: string };

function refused(id: number | null, reason: string): ParsedRequest {
  return { ok: false, id, reason };
}

/**
 * Whether JSON text opens more than `limit` arrays or objects inside each other; a linear scan
 * that stops as soon as it knows, skipping strings (escapes included).
 */
function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth -= 1;
    }
  }
  return false;
}

function parseRequest(data: RawData, isBinary: boolean): ParsedRequest {
  if (isBinary) return refused(null, 'Messages must be JSON text.');
  const text = data.toString();
  if (nestsDeeperThan(text, MAX_NESTING)) return refused(null, `Messages may nest at most ${MAX_NESTING} levels deep.`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return refused(null, 'Messages must be JSON text.');
  }
  const message = value as Partial<BridgeRequestMessage> | null;
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return refused(null, 'A message must be an object {id, channel, request}.');
  if (typeof message.id !== 'number' || !Number.isSafeInteger(message.id)) return refused(null, 'A message needs a whole-number id.');
  if (typeof message.channel !== 'string') return refused(message.id, 'A message needs a channel.');
  return { ok: true, request: { id: message.id, channel: message.channel, request: message.request } };
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
    const parsed = parseRequest(data, isBinary);
    if (!parsed.ok) {
      send({ id: parsed.id, ok: false, error: { code: 'EBAD_REQUEST', message: parsed.reason } });
      return;
    }
    const { request } = parsed;
    void service.call(request.channel, request.request).then((result) => send({ id: request.id, ...result }));
  });
  socket.on('close', () => {
    clearInterval(ping);
    unsubscribe();
  });
  socket.on('error', () => socket.terminate());
}
