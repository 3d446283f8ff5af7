/**
 * The "Move" buttons of the review, for pictures and slide items alike: previous, next, and
 * the next one still open (`openLabel`: "Next that needs review", "Next still to decide"),
 * with the keys that do the same.
 */
export function ReviewMoveButtons({
  previous,
  next,
  nextOpen,
  openLabel,
}: {
  readonly previous: () => void;
  readonly next: () => void;
  readonly nextOpen: () => void;
  readonly openLabel: string;
}) {
  return (
    <div className="controls" role="group" aria-label="Move">
      <button type="button" onClick={previous} aria-keyshortcuts="P">
        Previous <kbd>P</kbd>
      </button>
      <button type="button" onClick={next} aria-keyshortcuts="N">
        Next <kbd>N</kbd>
      </button>
      <button type="button" onClick={nextOpen} aria-keyshortcuts="U">
        {openLabel} <kbd>U</kbd>
      </button>
    </div>
  );
}
