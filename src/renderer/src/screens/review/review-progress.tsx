import { useApp } from '../../store/store-context';
import { reviewTotals } from '../../store/review-slice';
import { progressText, summaryDetails, type ReviewCounts } from '../../text/review-text';

/** "42 of 310 reviewed" (pictures and slide items), with what is left, as words and as a bar. */
export function ReviewProgress() {
  const summary = useApp((state) => state.reviewQueue?.summary ?? null);
  const slides = useApp((state) => state.reviewSlides);
  if (!summary) return null;
  const totals = reviewTotals(summary, slides);
  const toDecide = slides ? slides.items.length - slides.reviewed : 0;
  const counts: ReviewCounts = { reviewed: totals.reviewed, items: totals.items, needs_review: summary.needs_review + toDecide, pending: totals.pending };
  return (
    <section className="panel review-progress" aria-labelledby="review-progress-heading">
      <h3 id="review-progress-heading" className="visually-hidden">
        Progress of the review
      </h3>
      <p>
        <strong data-testid="review-progress">{progressText(counts)}</strong> · <span data-testid="review-progress-details">{summaryDetails(counts)}</span>
      </p>
      <progress aria-label="Pictures and slide items reviewed" max={Math.max(1, totals.items)} value={totals.reviewed} />
      {summary.decks.length > 1 ? (
        <details>
          <summary>Decks with pictures still to review</summary>
          <ul className="review-decks">
            {summary.decks.map((deck) => (
              <li key={deck.deck}>
                {deck.deck_name}: {deck.reviewed} of {deck.pictures} reviewed{deck.needs_review > 0 ? `, ${deck.needs_review} still need review` : ''}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
