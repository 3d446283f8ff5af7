import { useEffect, useRef } from 'react';
import { useApp } from '../../store/store-context';
import { focusPicturePane } from './use-review-keys';

/** Asks before alt text a person wrote ("existing alt text kept") is edited. */
export function ReviewConfirmEdit() {
  const asking = useApp((state) => state.reviewAskingEdit);
  const before = useApp((state) => state.reviewDetail?.before ?? '');
  const answer = useApp((state) => state.answerReviewEdit);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (asking && !element.open) element.showModal();
    if (!asking && element.open) element.close();
  }, [asking]);
  const no = () => {
    answer(false);
    focusPicturePane();
  };
  return (
    <dialog ref={dialog} className="review-dialog" aria-labelledby="review-confirm-heading" aria-describedby="review-confirm-text" onCancel={no}>
      <h3 id="review-confirm-heading">Edit alt text a person wrote?</h3>
      <p id="review-confirm-text">
        This alt text was written by a person before AltGen, and AltGen kept it: “{before}”. Change it only if it is wrong or missing something.
      </p>
      <div className="controls">
        <button type="button" className="primary" autoFocus onClick={() => answer(true)}>
          Edit it
        </button>
        <button type="button" onClick={no}>
          Keep it
        </button>
      </div>
    </dialog>
  );
}
