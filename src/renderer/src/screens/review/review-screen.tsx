import { ErrorMessage } from '../../components/error-message';
import { ScreenHeading } from '../../components/screen-heading';
import { changedEdits } from '../../store/review-slice';
import { useApp } from '../../store/store-context';
import { baseName } from '../../text/path-text';
import { ReviewPicture } from './review-picture';

/** A deck's pictures, their alt text before and after, and edits applied to the output copy. */
export function ReviewScreen() {
  const review = useApp((state) => state.review);
  const loading = useApp((state) => state.reviewLoading);
  const error = useApp((state) => state.reviewError);
  const applied = useApp((state) => state.reviewApplied);
  const applying = useApp((state) => state.reviewApplying);
  const changed = useApp((state) => (state.review ? changedEdits(state.review, state.reviewEdits).length : 0));
  const applyReviewEdits = useApp((state) => state.applyReviewEdits);
  const showInFolder = useApp((state) => state.showInFolder);
  const openPath = useApp((state) => state.openPath);
  const showView = useApp((state) => state.showView);
  const name = review ? baseName(review.deck_path) : 'deck';

  return (
    <>
      <ScreenHeading>Review: {name}</ScreenHeading>
      <div className="controls">
        <button type="button" onClick={() => showView('queue')}>
          <span aria-hidden="true">← </span>Back to the batch
        </button>
      </div>
      {loading ? <p className="panel">Loading the review…</p> : null}
      <ErrorMessage error={error} />
      {review ? (
        <>
          <section className="panel" aria-labelledby="review-files-heading">
            <h3 id="review-files-heading">Files</h3>
            <dl className="paths">
              <div>
                <dt>Original deck (never changed)</dt>
                <dd>
                  <code>{review.deck_path}</code>
                </dd>
              </div>
              <div>
                <dt>Accessible copy</dt>
                <dd>
                  <code data-testid="review-output-path">{review.output_path}</code>{' '}
                  <button type="button" className="small" onClick={() => void showInFolder(review.output_path)}>
                    Show in folder
                  </button>{' '}
                  <button type="button" className="small" onClick={() => void openPath(review.output_path)}>
                    Open
                  </button>
                </dd>
              </div>
              <div>
                <dt>Review report</dt>
                <dd>
                  <code>{review.report_path}</code>
                </dd>
              </div>
            </dl>
          </section>
          {applied ? (
            <p className="message message-success" role="status">
              <span aria-hidden="true">✅ </span>Applied {applied.changed} edited description{applied.changed === 1 ? '' : 's'} to{' '}
              <code>{applied.output_path}</code>.
            </p>
          ) : null}
          <ul className="review-list" aria-label="Pictures">
            {review.pictures.map((picture) => (
              <ReviewPicture key={picture.key} picture={picture} />
            ))}
          </ul>
          {review.pictures.length === 0 ? <p className="panel">This deck has no pictures.</p> : null}
          <div className="controls">
            <button type="button" className="primary" onClick={() => void applyReviewEdits()} disabled={applying || changed === 0}>
              {applying ? 'Applying…' : changed === 0 ? 'Apply edited descriptions' : `Apply ${changed} edited description${changed === 1 ? '' : 's'}`}
            </button>
            {changed === 0 && !applying ? <span className="hint">Edit a description above to apply it to the copy.</span> : null}
          </div>
        </>
      ) : null}
    </>
  );
}
