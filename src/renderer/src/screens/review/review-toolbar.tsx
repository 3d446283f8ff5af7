import { REVIEW_FILTERS } from '../../../../shared/review-types';
import { filteredItems, reviewTotals, type QueueFilter } from '../../store/review-slice';
import { useApp } from '../../store/store-context';
import { FILTER_WORDS } from '../../text/review-text';
import { plural } from '../../text/plural';

/** The filter, and what acts on the whole batch: Apply, Undo, and Export for sign-off. */
export function ReviewToolbar() {
  const filter = useApp((state) => state.reviewFilter);
  const setFilter = useApp((state) => state.setReviewFilter);
  const queue = useApp((state) => state.reviewQueue);
  const slides = useApp((state) => state.reviewSlides);
  const busy = useApp((state) => state.reviewBusy);
  const applyReview = useApp((state) => state.applyReview);
  const undo = useApp((state) => state.undoReviewApply);
  const exportReview = useApp((state) => state.exportReview);
  if (!queue) return null;
  const { summary } = queue;
  const pending = reviewTotals(summary, slides).pending;
  const slideCount = slides?.items.length ?? 0;
  const filters: readonly QueueFilter[] = [...REVIEW_FILTERS, 'slides'];
  const counts = Object.fromEntries(filters.map((name) => [name, name === 'slides' ? slideCount : filteredItems(queue, name).length])) as Record<QueueFilter, number>;
  return (
    <div className="review-toolbar">
      <div className="review-filter">
        <label htmlFor="review-filter">Show</label>
        <select id="review-filter" value={filter} onChange={(event) => setFilter(event.target.value as QueueFilter)} aria-describedby="review-filter-count">
          {filters.map((name) => (
            <option key={name} value={name}>
              {FILTER_WORDS[name]} ({counts[name]})
            </option>
          ))}
        </select>
        <span id="review-filter-count" className="hint">
          {filter === 'slides' ? plural(slideCount, 'slide item') : plural(counts[filter], 'picture')} shown
        </span>
      </div>
      <div className="review-batch-actions">
        <button type="button" className="primary" aria-disabled={busy !== null} onClick={() => void applyReview()}>
          {busy === 'apply' ? 'Applying…' : pending > 0 ? `Apply ${plural(pending, 'change')} to the copies` : 'Apply the review to the copies'}
        </button>
        {summary.undo ? (
          <button type="button" aria-disabled={busy !== null} onClick={() => void undo()}>
            {busy === 'undo' ? 'Undoing…' : `Undo the last apply (${plural(summary.undo.decks, 'deck')})`}
          </button>
        ) : null}
        <button type="button" aria-disabled={busy !== null} onClick={() => void exportReview('docx')}>
          {busy === 'export' ? 'Exporting…' : 'Export for sign-off (Word)'}
        </button>
        <button type="button" aria-disabled={busy !== null} onClick={() => void exportReview('csv')}>
          Export as CSV
        </button>
      </div>
    </div>
  );
}
