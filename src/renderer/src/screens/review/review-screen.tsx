import { useEffect, useRef } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { ScreenHeading } from '../../components/screen-heading';
import { useApp } from '../../store/store-context';
import { ReviewList } from './review-list';
import { ReviewMessageBar } from './review-message';
import { ReviewPane } from './review-pane';
import { ReviewProgress } from './review-progress';
import { ReviewShortcuts } from './review-shortcuts';
import { ReviewSlideList } from './review-slide-list';
import { ReviewSlidePane } from './review-slide-pane';
import { ReviewToolbar } from './review-toolbar';
import { focusPicturePane } from './use-review-keys';
import './review.css';

/**
 * The review of a whole batch, like PowerPoint's Alt Text pane: one queue of every picture of
 * every complete deck beside the picture being reviewed, with its slide, its texts and the
 * actions, each with a key; Apply and Export for the whole batch.
 */
export function ReviewScreen() {
  const queue = useApp((state) => state.reviewQueue);
  const loading = useApp((state) => state.reviewLoading);
  const error = useApp((state) => state.reviewError);
  const manifest = useApp((state) => state.reviewManifest);
  const slides = useApp((state) => state.reviewSlides);
  const slideFilter = useApp((state) => state.reviewFilter === 'slides');
  const showView = useApp((state) => state.showView);
  const errorRef = useRef<HTMLDivElement>(null);
  const firstShown = useApp((state) => (state.reviewDetail !== null ? state.reviewManifest : null));

  // Once a batch's first picture is there, the focus goes to it: the review's keys work at once.
  useEffect(() => {
    if (firstShown) focusPicturePane();
  }, [firstShown]);

  // A refusal (an edit of a decorative picture, a model that cannot be reached) is where the eyes go next.
  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  return (
    <>
      <ScreenHeading>Review pictures and slides</ScreenHeading>
      <div className="controls">
        <button type="button" onClick={() => showView('queue')}>
          Back to the batch
        </button>
      </div>
      {!manifest ? <p className="panel">Open a batch, then choose Review on one of its finished decks.</p> : null}
      {loading ? (
        <p className="panel" role="status">
          Loading the pictures of the batch…
        </p>
      ) : null}
      <div ref={errorRef} tabIndex={-1} className="review-error">
        <ErrorMessage error={error} />
      </div>
      {queue ? (
        <>
          {queue.problems.map((problem) => (
            <p key={problem.deck} className="message message-warning">
              {problem.deck_name}: {problem.message}
            </p>
          ))}
          <ReviewProgress />
          <ReviewToolbar />
          <ReviewMessageBar />
          {slideFilter ? (
            <div className="review-layout">
              <ReviewSlideList />
              <ReviewSlidePane />
            </div>
          ) : queue.items.length === 0 ? (
            <p className="panel">
              The complete decks of this batch have no pictures to review.
              {(slides?.items.length ?? 0) > 0 ? ' Choose Slides under Show for their slide items.' : ''}
            </p>
          ) : (
            <div className="review-layout">
              <ReviewList />
              <ReviewPane />
            </div>
          )}
          <ReviewShortcuts />
        </>
      ) : null}
    </>
  );
}
