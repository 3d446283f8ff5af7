import { useCallback, type KeyboardEvent } from 'react';
import { assertNever } from '../../../../shared/assert-never';
import { useApp } from '../../store/store-context';
import { commandFor, type ReviewCommand } from './review-keys';

/** The element that holds the picture being reviewed: where the focus goes back after each action. */
export const PICTURE_PANE_ID = 'review-picture';
export const HINT_FIELD_ID = 'review-hint';

export function focusPicturePane(): void {
  // After React has shown the new picture.
  requestAnimationFrame(() => document.getElementById(PICTURE_PANE_ID)?.focus());
}

/** Runs the review's commands; the key handler for the picture and the list. */
export function useReviewKeys(): { readonly run: (command: ReviewCommand) => void; readonly onKeyDown: (event: KeyboardEvent<HTMLElement>) => void } {
  const movePicture = useApp((state) => state.movePicture);
  const reviewAct = useApp((state) => state.reviewAct);
  const startEdit = useApp((state) => state.startReviewEdit);
  const setZoom = useApp((state) => state.setReviewZoom);
  const decorative = useApp((state) => state.reviewDetail?.item.decorative ?? false);
  const hasPicture = useApp((state) => state.reviewDetail !== null);

  const run = useCallback(
    (command: ReviewCommand) => {
      const act = (action: Parameters<typeof reviewAct>[0]) => void reviewAct(action).then(focusPicturePane);
      switch (command) {
        case 'next':
          movePicture(1);
          focusPicturePane();
          return;
        case 'previous':
          movePicture(-1);
          focusPicturePane();
          return;
        case 'next-needs-review':
          movePicture(1, true);
          focusPicturePane();
          return;
        case 'accept':
          act({ type: 'accept' });
          return;
        case 'edit':
          startEdit('alt');
          return;
        case 'edit-long':
          startEdit('long');
          return;
        case 'decorative':
          act({ type: 'decorative', decorative: !decorative });
          return;
        case 'regenerate':
          document.getElementById(HINT_FIELD_ID)?.focus();
          return;
        case 'revert-original':
          act({ type: 'revert', to: 'original' });
          return;
        case 'revert-generated':
          act({ type: 'revert', to: 'generated' });
          return;
        case 'enlarge':
          setZoom(true);
          return;
        default:
          assertNever(command, 'review command');
      }
    },
    [movePicture, reviewAct, startEdit, setZoom, decorative],
  );

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLElement>) => {
      const command = commandFor(event);
      if (!command || !hasPicture) return;
      event.preventDefault();
      run(command);
    },
    [run, hasPicture],
  );
  return { run, onKeyDown };
}
