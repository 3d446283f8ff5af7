import { useEffect } from 'react';
import { useApp } from '../../store/store-context';
import { plural } from '../../text/plural';

/**
 * How far a batch's review is, and which decks still have pictures to review, with the way in.
 * Shown under the queue of a finished batch and in each row of History.
 */
export function BatchReviewStatus({ manifestPath, compact = false }: { readonly manifestPath: string; readonly compact?: boolean }) {
  const summary = useApp((state) => state.reviewSummaries[manifestPath] ?? null);
  const load = useApp((state) => state.loadReviewSummary);
  const openBatchReview = useApp((state) => state.openBatchReview);
  const complete = useApp((state) => (state.batch?.manifest_path === manifestPath ? state.batch.counts.complete : null));
  useEffect(() => {
    void load(manifestPath);
  }, [load, manifestPath, complete]);
  if (!summary || summary.pictures === 0) return null;
  const unreviewed = summary.decks.filter((deck) => deck.needs_review > 0);
  const line = `Review: ${summary.reviewed} of ${plural(summary.pictures, 'picture')} reviewed`;
  if (compact) {
    return (
      <span className="review-status-compact">
        {line}
        {unreviewed.length > 0 ? `; ${plural(unreviewed.length, 'deck')} still to review` : '; every deck reviewed'}
      </span>
    );
  }
  return (
    <section className="panel review-status" aria-labelledby="review-status-heading">
      <h3 id="review-status-heading">Review of the pictures</h3>
      <p data-testid="batch-review-status">
        {line}
        {unreviewed.length > 0 ? `. ${plural(unreviewed.length, 'deck')} still ${unreviewed.length === 1 ? 'has' : 'have'} pictures to review:` : '. Every deck is reviewed.'}
      </p>
      {unreviewed.length > 0 ? (
        <ul>
          {unreviewed.map((deck) => (
            <li key={deck.deck}>
              {deck.deck_name}: {plural(deck.needs_review, 'picture')} to review
            </li>
          ))}
        </ul>
      ) : null}
      <button type="button" className="primary" onClick={() => void openBatchReview(manifestPath)}>
        Review the pictures
      </button>
    </section>
  );
}
