/**
 * Why a request of the batch review cannot be done, with a code of the closed unions (so the
 * app's bridge passes it through and `altgen` maps it to an exit code) and a sentence a faculty
 * member can act on.
 */
export type ReviewErrorCode = 'EREVIEW_REFUSED' | 'EOUTSIDE_OUTPUT' | 'EBAD_REPORT' | 'EUNREADABLE' | 'EUNKNOWN_PICTURE' | 'EBATCH_NOT_FOUND' | 'ENOT_FOUND';

export class ReviewError extends Error {
  constructor(
    readonly code: ReviewErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ReviewError';
  }
}
