import type { BatchErrorCode, ItemErrorCode } from '../../shared/error-codes';
import { BATCH_ERROR_CODES, ITEM_ERROR_CODES } from '../../shared/error-codes';
import type { BridgeError } from '../../shared/ipc-contract';

/** The codes the bridge itself answers with (the core's own codes pass through unchanged). */
export const BRIDGE_FAILURE_CODES = [
  'EBAD_REQUEST',
  'EBUSY',
  'EFORBIDDEN',
  'ENOT_AVAILABLE',
  'ENOT_FOUND',
  'EOPEN_FAILED',
  'EINTERNAL',
  // A typed folder or file path that cannot be used (relative where nothing says relative to
  // what, `~user`): the page shows the sentence at the paths field, or at the output folder's.
  'EBAD_PATH',
  'EBAD_OUTPUT_DIR',
] as const;

export type BridgeFailureCode = (typeof BRIDGE_FAILURE_CODES)[number];

/** Every code main answers a request with: the bridge's own and the core's. */
export type BridgeErrorCode = BridgeFailureCode | BatchErrorCode | ItemErrorCode;

const BRIDGE_ERROR_CODES: ReadonlySet<string> = new Set<BridgeErrorCode>([...BRIDGE_FAILURE_CODES, ...BATCH_ERROR_CODES, ...ITEM_ERROR_CODES]);

export class BridgeFailure extends Error {
  constructor(
    readonly code: BridgeFailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'BridgeFailure';
  }
}

function isBridgeErrorCode(code: unknown): code is BridgeErrorCode {
  return typeof code === 'string' && BRIDGE_ERROR_CODES.has(code);
}

/**
 * Any thrown value as a BridgeError. Errors of the core carry a code of the closed unions and a
 * sentence meant for the user, so both pass through unchanged; anything else (a code no union
 * holds included, such as a bare EACCES from Node) is a bug, said as such.
 */
export function toBridgeError(error: unknown): BridgeError & { readonly code: BridgeErrorCode } {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (isBridgeErrorCode(code)) return { code, message: oneLine(message) };
  return { code: 'EINTERNAL', message: `Something went wrong inside AltGen: ${oneLine(message)}` };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
