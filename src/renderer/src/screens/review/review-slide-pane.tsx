import { Icon } from '../../components/icon';
import { useApp } from '../../store/store-context';
import { slideDecisionKeyWords, slideDecisionWords, slideItemName, slideStatusWords } from '../../text/review-text';
import { SLIDE_DECISION_KEYS } from './review-keys';
import { SLIDE_PANE_ID, useSlideKeys } from './use-slide-keys';
import { ReviewMoveButtons } from './review-move-buttons';

/**
 * The slide item being decided: the problem the audit found, what to do, the suggested fix
 * (the title, the visual order naming the shapes) and the decisions it offers, each with its
 * key. The pane holds the focus between decisions, so the keys keep working item after item.
 */
export function ReviewSlidePane() {
  const items = useApp((state) => state.reviewSlides?.items ?? []);
  const current = useApp((state) => state.reviewSlideCurrent);
  const busy = useApp((state) => state.reviewBusy);
  const { run, onKeyDown } = useSlideKeys();
  const index = current ? items.findIndex((item) => item.deck === current.deck && item.key === current.key) : -1;
  const item = items[index];
  if (!item) {
    return (
      <section className="review-pane panel" id={SLIDE_PANE_ID} tabIndex={-1} aria-label="Slide item">
        <p>The complete decks of this batch have no slide without a title, no reading order to check and no low contrast.</p>
      </section>
    );
  }
  const order = item.suggestion !== null && Array.isArray(item.suggestion.value) ? (item.suggestion.value as readonly string[]) : null;
  const act = (command: Parameters<typeof run>[0]) => () => (busy !== null ? undefined : run(command));
  return (
    <section className="review-pane panel" id={SLIDE_PANE_ID} tabIndex={-1} aria-labelledby="review-slide-heading" onKeyDown={onKeyDown} data-testid="review-slide-pane">
      <h3 id="review-slide-heading">
        {item.deck_name} — {slideItemName(item)}
      </h3>
      <p className="hint">
        Slide item {index + 1} of {items.length}. Keys: N next, P previous, U next still to decide, {item.decisions.map((decision) => `${SLIDE_DECISION_KEYS[decision]} ${slideDecisionKeyWords(decision)}`).join(', ')}.
      </p>
      <p className="badges" data-testid="review-slide-badges">
        {item.decision !== null ? (
          <span className="badge badge-ok">
            <Icon name="check" /> Decided: {slideStatusWords(item)}
          </span>
        ) : (
          <span className="badge badge-warning">
            <Icon name="warning" /> To decide
          </span>
        )}
        {item.pending ? <span className="badge badge-info">Not applied yet: Apply writes it</span> : null}
      </p>
      <h4>The problem</h4>
      <p data-testid="review-slide-message">{item.message}</p>
      <p className="hint">{item.advice}</p>
      {item.suggestion !== null ? (
        <>
          <h4>Suggestion</h4>
          <p data-testid="review-slide-suggestion">{item.suggestion.text}</p>
          {order ? (
            <>
              <p className="hint">The order the slide shows them in, which a screen reader would then follow:</p>
              <ol>
                {order.map((name, at) => (
                  <li key={`${at}-${name}`}>{name}</li>
                ))}
              </ol>
            </>
          ) : null}
        </>
      ) : null}
      <div className="review-actions">
        <div className="controls" role="group" aria-label="Decide">
          {item.decisions.map((decision, at) => (
            <button
              key={decision}
              type="button"
              className={at === 0 ? 'primary' : undefined}
              aria-pressed={item.decision === decision}
              aria-disabled={busy !== null}
              onClick={act(decision)}
              aria-keyshortcuts={SLIDE_DECISION_KEYS[decision]}
            >
              {slideDecisionWords(decision)} <kbd>{SLIDE_DECISION_KEYS[decision]}</kbd>
            </button>
          ))}
        </div>
        <ReviewMoveButtons previous={act('previous')} next={act('next')} nextOpen={act('next-to-decide')} openLabel="Next still to decide" />
      </div>
    </section>
  );
}
