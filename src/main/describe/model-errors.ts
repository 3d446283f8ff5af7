/**
 * Errors a model provider throws, each with a stable code the processor maps to its exit
 * code (DESIGN.md: an unreachable server pauses the batch, a missing model stops it, a bad
 * answer fails one picture) and a sentence a faculty member can act on.
 */
export type ModelErrorCode = 'EMODEL_UNAVAILABLE' | 'EMODEL_MISSING' | 'EMODEL_REQUEST';

export abstract class ModelError extends Error {
  abstract readonly code: ModelErrorCode;
}

/** The server could not be reached (refused, DNS, reset before any answer), after retries. */
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
