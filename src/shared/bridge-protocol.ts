import type { BridgeEvent, BridgeResult } from './ipc-contract';

/**
 * The WebSocket bridge of `altgen serve` (src/main/server ↔ src/renderer/src/bridge): JSON
 * text messages. The client sends requests; the server answers each by its id and pushes every
 * event of the contract to every connected client.
 */
export const BRIDGE_PATH = '/bridge';

/** The query parameter that carries the session token (in the printed URL and on the socket). */
export const TOKEN_PARAM = 'token';

/** Larger messages close the socket (1009); the biggest request, a review's edits, is far smaller. */
export const MAX_BRIDGE_MESSAGE_BYTES = 4 * 1024 * 1024;

export interface BridgeRequestMessage {
  readonly id: number;
  readonly channel: string;
  readonly request: unknown;
}

/** `id` is null when the request was too broken to carry one. */
export type BridgeResponseMessage = { readonly id: number | null } & BridgeResult<unknown>;

export type BridgeServerMessage = BridgeResponseMessage | BridgeEvent;
