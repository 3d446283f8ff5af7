import type { BridgeError } from '../../../../shared/ipc-contract';
import type { AppState } from '../../store/app-state';

/**
 * Which field a refusal from main is about, by its code, so it is said at that field (and the
 * field marked aria-invalid) rather than as a message somewhere below the Start buttons.
 */
const PATHS_FIELD_CODES: ReadonlySet<string> = new Set(['EBAD_PATH', 'ENOT_FOUND', 'ENO_DECKS', 'EINPUT_MISSING', 'EINPUT_NOT_DIR', 'EINPUT_UNREADABLE']);
const OUTPUT_FIELD_CODES: ReadonlySet<string> = new Set(['EBAD_OUTPUT_DIR', 'EOUTPUT_NOT_WRITABLE', 'ENOSPC']);

/** The paths field's error: finding the decks failed, or starting the batch failed on a path. */
export function pathsFieldError(state: AppState): BridgeError | null {
  if (state.discoveryError) return state.discoveryError;
  const error = state.batchError;
  return error && PATHS_FIELD_CODES.has(error.code) ? error : null;
}

export function outputFieldError(state: AppState): BridgeError | null {
  const error = state.batchError;
  return error && OUTPUT_FIELD_CODES.has(error.code) ? error : null;
}

/** Whether a batch error is already said at a field, and so not again below the buttons. */
export function isFieldError(error: BridgeError | null): boolean {
  return error !== null && (PATHS_FIELD_CODES.has(error.code) || OUTPUT_FIELD_CODES.has(error.code));
}
