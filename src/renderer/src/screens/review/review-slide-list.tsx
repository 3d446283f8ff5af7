import { useEffect, type KeyboardEvent } from 'react';
import { Icon } from '../../components/icon';
import { pictureId } from '../../store/review-slice';
import { useApp } from '../../store/store-context';
import { slideItemName, slideStatusWords } from '../../text/review-text';
import { useSlideKeys } from './use-slide-keys';

/**
 * The slide items as a list box, the one being decided selected. A batch has far fewer slide
 * items than pictures, so every option is in the page; the arrows, Home and End move, and the
 * slide items' keys work here too.
 */

function optionId(index: number): string {
  return `review-slide-option-${index}`;
}

export function ReviewSlideList() {
  const items = useApp((state) => state.reviewSlides?.items ?? []);
  const current = useApp((state) => state.reviewSlideCurrent);
  const move = useApp((state) => state.movePicture);
  const select = useApp((state) => state.selectSlideItem);
  const { onKeyDown } = useSlideKeys();
  const currentIndex = current ? items.findIndex((item) => item.deck === current.deck && item.key === current.key) : -1;

  useEffect(() => {
    if (currentIndex >= 0) document.getElementById(optionId(currentIndex))?.scrollIntoView({ block: 'nearest' });
  }, [currentIndex]);

  const onListKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      move(event.key === 'ArrowDown' ? 1 : -1);
      return;
    }
    if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      const item = event.key === 'Home' ? items[0] : items[items.length - 1];
      if (item) select({ deck: item.deck, key: item.key });
      return;
    }
    onKeyDown(event);
  };

  return (
    <div className="review-queue">
      <div
        className="review-queue-scroll"
        role="listbox"
        aria-label="Slide items"
        tabIndex={0}
        aria-activedescendant={currentIndex >= 0 ? optionId(currentIndex) : undefined}
        onKeyDown={onListKeyDown}
      >
        {items.map((item, index) => (
          <div
            key={pictureId(item)}
            id={optionId(index)}
            role="option"
            aria-selected={index === currentIndex}
            aria-posinset={index + 1}
            aria-setsize={items.length}
            className={`review-option review-slide-option${index === currentIndex ? ' review-option-selected' : ''}`}
            onClick={() => select({ deck: item.deck, key: item.key })}
          >
            <span className="review-option-deck">{item.deck_name}</span>
            <span className="review-option-name">{slideItemName(item)}</span>
            <span className="review-option-status">
              {item.decision !== null ? <Icon name="check" /> : <Icon name="warning" />}
              {slideStatusWords(item)}
            </span>
          </div>
        ))}
      </div>
    </div>
  );
}
