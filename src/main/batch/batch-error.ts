import type { BatchErrorCode } from '../../shared/error-codes';

/** A problem that ends the whole batch, not one file; `message` says what to do about it. */
export class BatchError extends Error {
  constructor(
    readonly code: BatchErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BatchError';
  }
}
