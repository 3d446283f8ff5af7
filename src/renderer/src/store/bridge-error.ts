import type { BridgeError } from '../../../shared/ipc-contract';

/** Whatever a rejected invoke carries (an Error with a code, or the bridge's plain error data), as a BridgeError. */
export function toBridgeError(error: unknown): BridgeError {
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (typeof message === 'string' && message.length > 0) {
      return { code: typeof code === 'string' ? code : 'EUNKNOWN', message };
    }
  }
  return { code: 'EUNKNOWN', message: typeof error === 'string' && error ? error : 'Something went wrong; please try again.' };
}
