import { useState, type KeyboardEvent } from 'react';
import type { ReviewAction, ReviewPictureDetail } from '../../../../shared/review-types';
import { useApp } from '../../store/store-context';
import { focusPicturePane, HINT_FIELD_ID, useReviewKeys } from './use-review-keys';
import { ReviewMoveButtons } from './review-move-buttons';

/** The actions on one picture, each with its key, and the way to the next. */
export function ReviewActions({ detail }: { readonly detail: ReviewPictureDetail }) {
  const { item } = detail;
  const busy = useApp((state) => state.reviewBusy);
  const regenerate = useApp((state) => state.regeneratePicture);
  const { run } = useReviewKeys();
  const [hint, setHint] = useState('');
  const canRegenerate = !['chart', 'smartart', 'table'].includes(item.kind) && detail.thumbnail !== null;
  const act = (command: Parameters<typeof run>[0]) => () => (busy !== null ? undefined : run(command));
  const ask = async () => {
    if (busy !== null) return;
    if (await regenerate(hint)) {
      setHint('');
      focusPicturePane();
    }
  };
  const hintKeys = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      void ask();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      focusPicturePane();
    }
  };
  const revertable = (to: Extract<ReviewAction, { type: 'revert' }>['to']) => (to === 'original' ? true : detail.generated !== null || item.decision === 'marked-decorative');
  return (
    <div className="review-actions">
      <div className="controls" role="group" aria-label="Decide">
        <button type="button" className="primary" aria-disabled={busy !== null} onClick={act('accept')} aria-keyshortcuts="A">
          Accept <kbd>A</kbd>
        </button>
        <button type="button" aria-disabled={busy !== null} onClick={act('edit')} aria-keyshortcuts="E">
          Edit <kbd>E</kbd>
        </button>
        <button type="button" aria-pressed={item.decorative} aria-disabled={busy !== null} onClick={act('decorative')} aria-keyshortcuts="D">
          Mark as decorative <kbd>D</kbd>
        </button>
        <button type="button" aria-disabled={busy !== null} onClick={act('revert-original')} aria-keyshortcuts="O">
          Revert to the text before AltGen <kbd>O</kbd>
        </button>
        {revertable('generated') ? (
          <button type="button" aria-disabled={busy !== null} onClick={act('revert-generated')} aria-keyshortcuts="R">
            Revert to AltGen's text <kbd>R</kbd>
          </button>
        ) : null}
      </div>
      {canRegenerate ? (
        <div className="review-regenerate">
          <label htmlFor={HINT_FIELD_ID}>Hint for the model (optional)</label>
          <div className="controls">
            <input id={HINT_FIELD_ID} type="text" value={hint} maxLength={300} placeholder="for example: name the fracture line" onChange={(event) => setHint(event.target.value)} onKeyDown={hintKeys} aria-keyshortcuts="G" />
            <button type="button" aria-disabled={busy !== null} onClick={() => void ask()}>
              {busy === 'regenerate' ? 'Asking the model…' : 'Regenerate'}
            </button>
          </div>
        </div>
      ) : null}
      <ReviewMoveButtons previous={act('previous')} next={act('next')} nextOpen={act('next-needs-review')} openLabel="Next that needs review" />
    </div>
  );
}
