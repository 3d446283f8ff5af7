import type { BridgeError } from '../../../shared/ipc-contract';

/** How `invoke` rejects, on both transports: an Error that also is a BridgeError. */
export class BridgeCallError extends Error implements BridgeError {
  readonly code: string;

  constructor(error: BridgeError) {
    super(error.message);
    this.name = 'BridgeCallError';
    this.code = error.code;
  }
}

/** Any rejection as a BridgeCallError (errors crossing Electron's contextBridge lose their fields). */
export function asBridgeCallError(error: unknown): BridgeCallError {
  if (error instanceof BridgeCallError) return error;
  const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown };
  return new BridgeCallError({
    code: typeof code === 'string' ? code : 'EIPC',
    message: typeof message === 'string' && message ? message : String(error),
  });
}
