import type { ReviewPictureDetail } from '../../../../shared/review-types';

/** The picture's alt text before AltGen, as AltGen wrote it, and as the copy holds it now. */
export function ReviewTexts({ detail }: { readonly detail: ReviewPictureDetail }) {
  return (
    <dl className="before-after review-texts">
      <div>
        <dt>Before AltGen</dt>
        <dd data-testid="review-before">{detail.before ?? <em>no alt text</em>}</dd>
      </div>
      <div>
        <dt>Written by AltGen{detail.model ? ` (${detail.model})` : ''}</dt>
        <dd data-testid="review-generated">{detail.generated ?? <em>nothing</em>}</dd>
      </div>
      <div>
        <dt>In the accessible copy now</dt>
        <dd data-testid="review-written">{detail.written ?? <em>no alt text</em>}</dd>
      </div>
    </dl>
  );
}
