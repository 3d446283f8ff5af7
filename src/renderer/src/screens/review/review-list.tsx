import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import type { ReviewItem } from '../../../../shared/review-types';
import { Icon } from '../../components/icon';
import { filteredItems, pictureId } from '../../store/review-slice';
import { useApp } from '../../store/store-context';
import { itemStatusWords, pictureName } from '../../text/review-text';
import { useReviewKeys } from './use-review-keys';

/**
 * The queue as a list box: every picture of the filter, across decks, the one being reviewed
 * selected. Only the options in view are in the page (a batch has a thousand pictures); the up
 * and down arrows move through it, and the review's keys work here too.
 */

const ROW_PX = 60;

function optionId(index: number): string {
  return `review-option-${index}`;
}

export function ReviewList() {
  const queue = useApp((state) => state.reviewQueue);
  const filter = useApp((state) => state.reviewFilter);
  const current = useApp((state) => state.reviewCurrent);
  const movePicture = useApp((state) => state.movePicture);
  const selectPicture = useApp((state) => state.selectPicture);
  const { onKeyDown } = useReviewKeys();
  const items = useMemo(() => filteredItems(queue, filter), [queue, filter]);
  const currentIndex = useMemo(() => (current ? items.findIndex((item) => item.deck === current.deck && item.key === current.key) : -1), [items, current]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: items.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_PX, overscan: 8 });

  useEffect(() => {
    if (currentIndex >= 0) virtualizer.scrollToIndex(currentIndex, { align: 'auto' });
  }, [currentIndex, virtualizer]);

  const onListKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      movePicture(event.key === 'ArrowDown' ? 1 : -1);
      return;
    }
    if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      const item = event.key === 'Home' ? items[0] : items[items.length - 1];
      if (item) selectPicture({ deck: item.deck, key: item.key });
      return;
    }
    onKeyDown(event);
  };

  return (
    <div className="review-queue">
      <div
        ref={scroller}
        className="review-queue-scroll"
        role="listbox"
        aria-label="Pictures"
        tabIndex={0}
        aria-activedescendant={currentIndex >= 0 ? optionId(currentIndex) : undefined}
        onKeyDown={onListKeyDown}
      >
        <div role="presentation" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((row) => {
            const item = items[row.index];
            return item ? (
              <ReviewOption
                key={pictureId(item)}
                item={item}
                index={row.index}
                count={items.length}
                selected={row.index === currentIndex}
                top={row.start}
                onSelect={() => selectPicture({ deck: item.deck, key: item.key })}
              />
            ) : null;
          })}
        </div>
      </div>
    </div>
  );
}

interface OptionProps {
  readonly item: ReviewItem;
  readonly index: number;
  readonly count: number;
  readonly selected: boolean;
  readonly top: number;
  readonly onSelect: () => void;
}

const ReviewOption = memo(function ReviewOption({ item, index, count, selected, top, onSelect }: OptionProps) {
  const status = itemStatusWords(item);
  return (
    <div
      id={optionId(index)}
      role="option"
      aria-selected={selected}
      aria-posinset={index + 1}
      aria-setsize={count}
      className={`review-option${selected ? ' review-option-selected' : ''}`}
      style={{ transform: `translateY(${top}px)`, height: ROW_PX }}
      onClick={onSelect}
    >
      <span className="review-option-deck">{item.deck_name}</span>
      <span className="review-option-name">{pictureName(item)}</span>
      <span className="review-option-status">
        {item.reviewed_at ? <Icon name="check" /> : item.needs_review ? <Icon name="warning" /> : null}
        {status}
      </span>
    </div>
  );
});
