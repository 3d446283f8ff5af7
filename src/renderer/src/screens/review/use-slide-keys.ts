import { useCallback, type KeyboardEvent } from 'react';
import { assertNever } from '../../../../shared/assert-never';
import { useApp } from '../../store/store-context';
import { slideCommandFor, type SlideCommand } from './review-keys';

/** The element that holds the slide item being decided: where the focus goes back after each key. */
export const SLIDE_PANE_ID = 'review-slide-item';

export function focusSlidePane(): void {
  // After React has shown the item.
  requestAnimationFrame(() => document.getElementById(SLIDE_PANE_ID)?.focus());
}

/** Runs the slide items' commands; the key handler for the slide item and the list of them. */
export function useSlideKeys(): { readonly run: (command: SlideCommand) => void; readonly onKeyDown: (event: KeyboardEvent<HTMLElement>) => void } {
  const move = useApp((state) => state.movePicture);
  const decide = useApp((state) => state.decideSlide);
  const hasItem = useApp((state) => state.reviewSlideCurrent !== null);

  const run = useCallback(
    (command: SlideCommand) => {
      switch (command) {
        case 'next':
          move(1);
          focusSlidePane();
          return;
        case 'previous':
          move(-1);
          focusSlidePane();
          return;
        case 'next-to-decide':
          move(1, true);
          focusSlidePane();
          return;
        case 'accept':
        case 'leave':
        case 'checked':
        case 'to-fix':
          void decide(command).then((decided) => {
            // A refusal leaves the focus on its message.
            if (decided) focusSlidePane();
          });
          return;
        default:
          assertNever(command, 'slide command');
      }
    },
    [move, decide],
  );

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLElement>) => {
      const command = slideCommandFor(event);
      if (!command || !hasItem) return;
      event.preventDefault();
      run(command);
    },
    [run, hasItem],
  );
  return { run, onKeyDown };
}
