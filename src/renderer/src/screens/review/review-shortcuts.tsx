import { useApp } from '../../store/store-context';
import { REVIEW_SHORTCUTS, SLIDE_SHORTCUTS } from './review-keys';

/** Every key of the review, on screen: the pictures', or the slide items' under that filter. */
export function ReviewShortcuts() {
  const slides = useApp((state) => state.reviewFilter === 'slides');
  const shortcuts = slides ? SLIDE_SHORTCUTS : REVIEW_SHORTCUTS;
  return (
    <section className="panel review-shortcuts" aria-labelledby="review-shortcuts-heading">
      <h3 id="review-shortcuts-heading">Keyboard shortcuts</h3>
      <p className="hint">
        {slides
          ? 'They work while the slide item or the list of slide items has the focus. In the list, the up and down arrows move too.'
          : 'They work while the picture or the list of pictures has the focus, not while you type in a text field. In the list, the up and down arrows move too.'}
      </p>
      <dl>
        {shortcuts.map((shortcut) => (
          <div key={shortcut.command}>
            <dt>
              <kbd>{shortcut.label}</kbd>
            </dt>
            <dd>{shortcut.does}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
