import type { BridgeError } from '../../shared/ipc-contract';

/** The codes the bridge itself answers with (the core's own codes pass through unchanged). */
export type BridgeFailureCode = 'EBAD_REQUEST' | 'EBUSY' | 'EFORBIDDEN' | 'ENOT_AVAILABLE' | 'ENOT_FOUND' | 'EOPEN_FAILED' | 'EINTERNAL';

export class BridgeFailure extends Error {
  constructor(
    readonly code: BridgeFailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'BridgeFailure';
  }
}

const STABLE_CODE = /^E[A-Z0-9_]+$/;

/**
 * Any thrown value as a BridgeError. Errors of the core carry a stable `code` and a sentence
 * meant for the user, so both pass through unchanged; anything else is a bug, said as such.
 */
export function toBridgeError(error: unknown): BridgeError {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && STABLE_CODE.test(code)) return { code, message: oneLine(message) };
  return { code: 'EINTERNAL', message: `Something went wrong inside AltGen: ${oneLine(message)}` };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
