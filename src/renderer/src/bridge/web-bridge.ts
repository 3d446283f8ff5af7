import type { BridgeRequestMessage, BridgeServerMessage } from '../../../shared/bridge-protocol';
import { BRIDGE_PATH, TOKEN_PARAM } from '../../../shared/bridge-protocol';
import type { AltgenBridge, EventChannel, EventContract, InvokeChannel, RequestOf, ResponseOf } from '../../../shared/ipc-contract';
import { isBridgeError, isEventChannel } from '../../../shared/ipc-contract';
import { BridgeCallError } from './bridge-call-error';

/**
 * `window.altgen` for the browser (`altgen serve`): the contract's verbs over one WebSocket.
 *
 * - The socket is authorised by the session token: from `?token=` in the page address when it
 *   is there, else by the HttpOnly session cookie the page load received (sent by the browser
 *   with the upgrade; scripts never see it).
 * - Requests made before the socket is open wait for it. When the socket closes, every request
 *   still waiting, sent or not, is rejected with EDISCONNECTED: none hangs.
 * - It reconnects on its own, with exponential backoff (and jitter) up to `maxDelayMs`.
 *   Listeners stay subscribed across reconnects (the server pushes every event to every
 *   socket); after a reconnect the current batch is fetched again and delivered as
 *   `batch:snapshot-replaced`, since events may have been missed while it was away.
 */

export interface WebBridgeOptions {
  /** The bridge's ws:// URL; by default derived from the page's own address. */
  readonly url?: string;
  readonly WebSocket?: typeof WebSocket;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly random?: () => number;
}

export interface WebBridge extends AltgenBridge {
  readonly connected: boolean;
  /** Returns the unsubscribe function. */
  onConnectionChange(listener: (connected: boolean) => void): () => void;
  /** Closes the socket for good; waiting requests are rejected. */
  close(): void;
}

/** The bridge URL for a page at `location`: same host, ws(s), the page's token if it has one. */
export function bridgeUrl(location: Pick<Location, 'protocol' | 'host' | 'search'>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = new URLSearchParams(location.search).get(TOKEN_PARAM);
  const query = token ? `?${TOKEN_PARAM}=${encodeURIComponent(token)}` : '';
  return `${scheme}//${location.host}${BRIDGE_PATH}${query}`;
}

interface Waiting {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  /** The message, until it is sent. */
  message: string | null;
}

type AnyListener = (payload: never) => void;

export function createWebBridge(options: WebBridgeOptions = {}): WebBridge {
  const url = options.url ?? bridgeUrl(window.location);
  const Socket = options.WebSocket ?? WebSocket;
  const initialDelayMs = options.initialDelayMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 5000;
  const random = options.random ?? Math.random;

  const waiting = new Map<number, Waiting>();
  const listeners = new Map<EventChannel, Set<AnyListener>>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  let socket: WebSocket | null = null;
  let nextId = 1;
  let failures = 0;
  let everConnected = false;
  let closed = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  function dispatch<E extends EventChannel>(channel: E, payload: EventContract[E]): void {
    for (const listener of [...(listeners.get(channel) ?? [])]) {
      try {
        (listener as (payload: EventContract[E]) => void)(payload);
      } catch (error) {
        console.error(`A listener of ${channel} failed`, error);
      }
    }
  }

  function setConnected(connected: boolean): void {
    for (const listener of [...connectionListeners]) listener(connected);
  }

  function flush(): void {
    if (socket?.readyState !== Socket.OPEN) return;
    for (const entry of waiting.values()) {
      if (entry.message === null) continue;
      socket.send(entry.message);
      entry.message = null;
    }
  }

  function receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: BridgeServerMessage;
    try {
      message = JSON.parse(data) as BridgeServerMessage;
    } catch {
      return;
    }
    if ('event' in message) {
      if (isEventChannel(message.event)) dispatch(message.event, message.payload);
      return;
    }
    const entry = message.id === null ? undefined : waiting.get(message.id);
    if (!entry || message.id === null) return;
    waiting.delete(message.id);
    if (message.ok) entry.resolve(message.response);
    else entry.reject(isBridgeError(message.error) ? new BridgeCallError(message.error) : new BridgeCallError({ code: 'EINTERNAL', message: 'AltGen answered with an unreadable error.' }));
  }

  function rejectAll(): void {
    const lost = new BridgeCallError({
      code: 'EDISCONNECTED',
      message: 'The connection to AltGen was lost; this page reconnects by itself once altgen serve runs again.',
    });
    for (const entry of waiting.values()) entry.reject(lost);
    waiting.clear();
  }

  function resynchronise(): void {
    invoke('batch:get-current', null).then(
      (snapshot) => dispatch('batch:snapshot-replaced', snapshot),
      () => undefined,
    );
  }

  function scheduleReconnect(): void {
    if (closed || reconnectTimer !== null) return;
    const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(failures, 16)) * (0.5 + random() / 2);
    failures += 1;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect();
    }, delay);
  }

  function connect(): void {
    if (closed || socket) return;
    const current = new Socket(url);
    socket = current;
    current.onopen = () => {
      failures = 0;
      const reconnected = everConnected;
      everConnected = true;
      setConnected(true);
      flush();
      if (reconnected) resynchronise();
    };
    current.onmessage = (event: MessageEvent) => receive(event.data);
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      rejectAll();
      setConnected(false);
      scheduleReconnect();
    };
    current.onerror = () => {
      // A close event follows every error; the reconnect happens there.
    };
  }

  function invoke<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    if (closed) return Promise.reject(new BridgeCallError({ code: 'EDISCONNECTED', message: 'The connection to AltGen is closed.' }));
    const id = nextId++;
    const message: BridgeRequestMessage = { id, channel, request: request ?? null };
    return new Promise<ResponseOf<C>>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject, message: JSON.stringify(message) });
      if (!socket) {
        if (reconnectTimer !== null) {
          clearTimeout(reconnectTimer);
          reconnectTimer = null;
        }
        connect();
      }
      flush();
    });
  }

  connect();

  return {
    invoke,
    on(channel, listener) {
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
      }
      const stored = listener as AnyListener;
      set.add(stored);
      return () => {
        set.delete(stored);
      };
    },
    pathForFile: () => null,
    get connected() {
      return socket?.readyState === Socket.OPEN;
    },
    onConnectionChange(listener) {
      connectionListeners.add(listener);
      return () => {
        connectionListeners.delete(listener);
      };
    },
    close() {
      closed = true;
      if (reconnectTimer !== null) clearTimeout(reconnectTimer);
      const current = socket;
      socket = null;
      current?.close();
      rejectAll();
    },
  };
}
