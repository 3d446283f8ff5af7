import { assertNever } from '../../shared/assert-never';

/**
 * Errors a model provider throws, each with a stable code the processor maps to its exit
 * code (DESIGN.md: an unreachable server pauses the batch, a missing model stops it, a bad
 * answer fails one picture) and a sentence a faculty member can act on.
 */
export type ModelErrorCode = 'EMODEL_UNAVAILABLE' | 'EMODEL_MISSING' | 'EMODEL_REQUEST' | 'EMODEL_UNUSABLE';

export abstract class ModelError extends Error {
  abstract readonly code: ModelErrorCode;

  constructor(
    message: string,
    /** Another deck's request for the same picture failed so, and this one waited for it: no call of its own. */
    readonly shared = false,
  ) {
    super(message);
  }
}

/**
 * The server could not be reached (refused, DNS, reset before any answer), after retries, or
 * it accepts connections but answers nothing, not even a minimal request (a wedged server).
 */
export class ModelUnavailableError extends ModelError {
  readonly code = 'EMODEL_UNAVAILABLE' as const;
  override readonly name = 'ModelUnavailableError';
}

/** The server answered, but does not have the configured model. */
export class ModelMissingError extends ModelError {
  readonly code = 'EMODEL_MISSING' as const;
  override readonly name = 'ModelMissingError';
}

/** The server refused the request or answered with something unusable, after retries. */
export class ModelRequestError extends ModelError {
  readonly code = 'EMODEL_REQUEST' as const;
  override readonly name = 'ModelRequestError';
}

/**
 * The model answers, but none of its last answers could be used (refusals, text that is not
 * JSON, HTTP 500 for every picture): the model itself is broken, so the deck stops instead of
 * asking it about every remaining picture.
 */
export class ModelUnusableError extends ModelError {
  readonly code = 'EMODEL_UNUSABLE' as const;
  override readonly name = 'ModelUnusableError';
}

/** The error of this code (what crosses from the batch's scheduler to a processor). */
export function modelErrorOf(code: ModelErrorCode, message: string, shared = false): ModelError {
  switch (code) {
    case 'EMODEL_UNAVAILABLE':
      return new ModelUnavailableError(message, shared);
    case 'EMODEL_MISSING':
      return new ModelMissingError(message, shared);
    case 'EMODEL_REQUEST':
      return new ModelRequestError(message, shared);
    case 'EMODEL_UNUSABLE':
      return new ModelUnusableError(message, shared);
    default:
      return assertNever(code, 'model error code');
  }
}
