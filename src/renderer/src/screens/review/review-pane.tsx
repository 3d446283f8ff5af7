import { useMemo } from 'react';
import { Icon } from '../../components/icon';
import { filteredItems } from '../../store/review-slice';
import { useApp } from '../../store/store-context';
import { decisionWords, pictureName } from '../../text/review-text';
import { ReviewActions } from './review-actions';
import { ReviewAltEditor } from './review-alt-editor';
import { ReviewConfirmEdit } from './review-confirm-edit';
import { ReviewSlideContext } from './review-slide-context';
import { ReviewTexts } from './review-texts';
import { ReviewZoom } from './review-zoom';
import { PICTURE_PANE_ID, useReviewKeys } from './use-review-keys';

/**
 * The picture being reviewed: large, with its slide around it, its texts before and after, the
 * editor and the actions. The pane holds the focus between actions, so the review's keys keep
 * working from one picture to the next.
 */
export function ReviewPane() {
  const detail = useApp((state) => state.reviewDetail);
  const image = useApp((state) => state.reviewImage);
  const setZoom = useApp((state) => state.setReviewZoom);
  const queue = useApp((state) => state.reviewQueue);
  const filter = useApp((state) => state.reviewFilter);
  const { onKeyDown } = useReviewKeys();
  const items = useMemo(() => filteredItems(queue, filter), [queue, filter]);
  if (!detail) {
    return (
      <section className="review-pane panel" id={PICTURE_PANE_ID} tabIndex={-1} aria-label="Picture">
        <p>{items.length === 0 ? 'No picture matches this filter.' : 'Loading the picture…'}</p>
      </section>
    );
  }
  const { item } = detail;
  const position = items.findIndex((candidate) => candidate.deck === item.deck && candidate.key === item.key) + 1;
  const source = image?.data_url ?? detail.thumbnail;
  return (
    <section className="review-pane panel" id={PICTURE_PANE_ID} tabIndex={-1} aria-labelledby="review-picture-heading" onKeyDown={onKeyDown} data-testid="review-pane">
      <h3 id="review-picture-heading">
        {item.deck_name} — {pictureName(item)}
      </h3>
      <p className="hint">
        Picture {position > 0 ? position : '–'} of {items.length}
        {filter === 'all' ? '' : ' in this filter'}. Keys: N next, P previous, U next that needs review, A accept, E edit, D decorative, G regenerate.
      </p>
      <p className="badges" data-testid="review-badges">
        <span className="badge">{decisionWords(item.decision)}</span>
        {item.reviewed_at ? (
          <span className="badge badge-ok">
            <Icon name="check" /> Reviewed
          </span>
        ) : item.needs_review ? (
          <span className="badge badge-warning">
            <Icon name="warning" /> Needs review
          </span>
        ) : null}
        {item.decorative ? <span className="badge">Decorative</span> : null}
        {item.edited ? <span className="badge badge-info">Edited</span> : null}
        {item.regenerated ? <span className="badge badge-info">Described again{detail.hint ? ` (hint: ${detail.hint})` : ''}</span> : null}
        {item.pending ? <span className="badge badge-info">Not applied yet</span> : null}
      </p>
      <div className="review-columns">
        <div className="review-figure">
          {source ? (
            <button type="button" className="review-image-button" onClick={() => setZoom(true)} aria-label="Enlarge the picture (Z)">
              <img src={source} alt={item.decorative ? 'The picture (marked decorative)' : `The picture: ${item.alt ?? 'no alt text yet'}`} data-testid="review-image" />
            </button>
          ) : (
            <p className="hint">No image to show{item.kind === 'picture' ? '' : `: this is a ${item.kind === 'smartart' ? 'SmartArt graphic' : item.kind}, described from its own data`}.</p>
          )}
          <ReviewSlideContext detail={detail} />
        </div>
        <div className="review-work">
          <p className="hint">Why AltGen did this: {detail.reason}</p>
          <ReviewTexts detail={detail} />
          <ReviewAltEditor detail={detail} />
          <ReviewActions detail={detail} />
        </div>
      </div>
      <ReviewConfirmEdit />
      <ReviewZoom />
    </section>
  );
}
