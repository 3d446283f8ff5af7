import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type FocusEvent, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';

/**
 * A virtualised data grid: only the rows in view are in the page, yet screen readers know the
 * whole size (aria-rowcount, aria-rowindex) and the keyboard reaches every row. One cell is
 * in the tab order at a time; arrows, Page Up/Down, Home/End (Ctrl for the first and last
 * row) move it, scrolling as needed; Enter or Space activates the cell's button (buttons in
 * cells take tabIndex -1, so the grid is one stop in the tab order). A row's first cell may be
 * its header (GridCell `header`), which screen readers announce with the row's other cells.
 *
 * `follow` keeps a row in view as it changes (the file being processed), until the user
 * scrolls or moves through the grid themselves (`onUserScroll`): the grid never pulls the view
 * away from someone reading it.
 */
export interface GridColumn {
  readonly id: string;
  /** The header cell's content (a sort button or plain words). */
  readonly header: ReactNode;
  readonly sort?: 'ascending' | 'descending' | 'none';
}

export interface VirtualGridProps {
  readonly label: string;
  readonly columns: readonly GridColumn[];
  /** CSS grid-template-columns, shared by the header and every row. */
  readonly template: string;
  readonly rowCount: number;
  readonly rowKey: (position: number) => string | number;
  /** The cells of the row at `position`; `activeColumn` is the cell that holds the tab stop, if any. */
  readonly renderRow: (position: number, activeColumn: number | null) => ReactNode;
  readonly estimateRowHeight?: number;
  readonly empty: ReactNode;
  readonly className?: string;
  /** The id of the text that says how to move in the grid (the arrow keys). */
  readonly describedBy?: string;
  /** The position of a row to keep in view, or null. */
  readonly follow?: number | null;
  /** The user scrolled the grid or moved its cell: stop following. */
  readonly onUserScroll?: () => void;
  /** Moves the tab stop and the focus to the first cell of this row (each new `id` once), scrolling to it. */
  readonly focusRow?: { readonly position: number; readonly id: number } | null;
}

/** Keys that move through the grid (and so mean the user is reading it themselves). */
const MOVING_KEYS = new Set(['ArrowDown', 'ArrowUp', 'PageDown', 'PageUp', 'Home', 'End']);

interface ActiveCell {
  readonly row: number;
  readonly column: number;
}

const PAGE_ROWS = 10;

function nextCell(key: string, ctrl: boolean, cell: ActiveCell, rows: number, columns: number): ActiveCell | null {
  const clampRow = (row: number) => Math.max(0, Math.min(rows - 1, row));
  switch (key) {
    case 'ArrowDown':
      return { ...cell, row: clampRow(cell.row + 1) };
    case 'ArrowUp':
      return { ...cell, row: clampRow(cell.row - 1) };
    case 'PageDown':
      return { ...cell, row: clampRow(cell.row + PAGE_ROWS) };
    case 'PageUp':
      return { ...cell, row: clampRow(cell.row - PAGE_ROWS) };
    case 'ArrowRight':
      return { ...cell, column: Math.min(columns - 1, cell.column + 1) };
    case 'ArrowLeft':
      return { ...cell, column: Math.max(0, cell.column - 1) };
    case 'Home':
      return ctrl ? { row: 0, column: 0 } : { ...cell, column: 0 };
    case 'End':
      return ctrl ? { row: rows - 1, column: columns - 1 } : { ...cell, column: columns - 1 };
    default:
      return null;
  }
}

export function VirtualGrid(props: VirtualGridProps) {
  const { label, columns, template, rowCount, rowKey, renderRow, estimateRowHeight = 48, empty, className, describedBy, follow = null, onUserScroll, focusRow = null } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState<ActiveCell>({ row: 0, column: 0 });
  const focusPending = useRef(false);
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimateRowHeight,
    overscan: 8,
    getItemKey: rowKey,
  });

  const activeRow = Math.min(active.row, Math.max(0, rowCount - 1));

  useLayoutEffect(() => {
    if (!focusPending.current) return;
    const cell = scrollRef.current?.querySelector<HTMLElement>(`[data-position="${activeRow}"] [data-column="${active.column}"]`);
    if (cell) {
      focusPending.current = false;
      cell.focus({ preventScroll: false });
    }
  });

  useEffect(() => {
    if (follow !== null && follow >= 0 && follow < rowCount) virtualizer.scrollToIndex(follow, { align: 'auto' });
    // Only when the followed row changes: a new row count alone must not pull the view back.
  }, [follow]);

  // A resized window (or a zoom) reflows the rows under the same scroll offset: bring the followed
  // row back into view, since a resize is not the user scrolling away from it.
  const followRef = useRef(follow);
  followRef.current = follow;
  const hasRows = rowCount > 0;
  useEffect(() => {
    const element = scrollRef.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      const followed = followRef.current;
      if (followed !== null && followed >= 0) virtualizer.scrollToIndex(followed, { align: 'auto' });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasRows, virtualizer]);

  useEffect(() => {
    if (!focusRow || focusRow.position < 0 || focusRow.position >= rowCount) return;
    focusPending.current = true;
    setActive({ row: focusRow.position, column: 0 });
    virtualizer.scrollToIndex(focusRow.position, { align: 'auto' });
    // Each request once: a later change of the row count must not take the focus again.
  }, [focusRow?.id]);

  const userScrolled = useCallback(() => onUserScroll?.(), [onUserScroll]);
  const onMouseDown = useCallback(
    (event: MouseEvent<HTMLDivElement>) => {
      // A press on the scroll bar lands on the scrolling element itself, not on a row.
      if (event.target === event.currentTarget) userScrolled();
    },
    [userScrolled],
  );

  // The table changes under a filter or a new batch: keep the tab stop on a row that exists.
  useEffect(() => {
    if (active.row >= rowCount && rowCount > 0) setActive((cell) => ({ ...cell, row: rowCount - 1 }));
  }, [rowCount, active.row]);

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLDivElement>) => {
      if (rowCount === 0) return;
      if (event.key === 'Enter' || event.key === ' ') {
        const target = event.target as HTMLElement;
        if (!target.hasAttribute('data-column')) return;
        const button = target.querySelector<HTMLElement>('button, a[href]');
        if (button) {
          event.preventDefault();
          button.click();
        }
        return;
      }
      const next = nextCell(event.key, event.ctrlKey || event.metaKey, { row: activeRow, column: active.column }, rowCount, columns.length);
      if (!next) return;
      event.preventDefault();
      if (MOVING_KEYS.has(event.key)) userScrolled();
      focusPending.current = true;
      setActive(next);
      virtualizer.scrollToIndex(next.row, { align: 'auto' });
    },
    [rowCount, activeRow, active.column, columns.length, virtualizer, userScrolled],
  );

  const onFocus = useCallback((event: FocusEvent<HTMLDivElement>) => {
    const cell = (event.target as HTMLElement).closest<HTMLElement>('[data-column]');
    const row = cell?.closest<HTMLElement>('[data-position]');
    if (!cell || !row) return;
    const next = { row: Number(row.dataset['position']), column: Number(cell.dataset['column']) };
    setActive((current) => (current.row === next.row && current.column === next.column ? current : next));
  }, []);

  const items = virtualizer.getVirtualItems();
  return (
    <div
      role="grid"
      aria-label={label}
      aria-describedby={describedBy}
      aria-rowcount={rowCount + 1}
      aria-colcount={columns.length}
      aria-readonly="true"
      className={`grid ${className ?? ''}`}
      style={{ ['--grid-template' as string]: template }}
    >
      <div role="rowgroup" className="grid-head">
        <div role="row" aria-rowindex={1} className="grid-row">
          {columns.map((column, index) => (
            <div role="columnheader" key={column.id} aria-colindex={index + 1} aria-sort={column.sort} className="grid-cell">
              {column.header}
            </div>
          ))}
        </div>
      </div>
      {rowCount === 0 ? (
        <div className="grid-empty">{empty}</div>
      ) : (
        <div
          role="rowgroup"
          ref={scrollRef}
          className="grid-body"
          onKeyDown={onKeyDown}
          onFocus={onFocus}
          onWheel={userScrolled}
          onTouchMove={userScrolled}
          onMouseDown={onMouseDown}
        >
          <div role="presentation" className="grid-spacer" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => (
              <div
                role="row"
                key={item.key}
                aria-rowindex={item.index + 2}
                data-position={item.index}
                data-index={item.index}
                ref={virtualizer.measureElement}
                className="grid-row"
                style={{ transform: `translateY(${item.start}px)` }}
              >
                {renderRow(item.index, item.index === activeRow ? active.column : null)}
              </div>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}

/** One cell of a VirtualGrid row; the active one holds the grid's tab stop. `header`: the row's header cell (its name). */
export function GridCell({
  column,
  active,
  children,
  className,
  header = false,
}: {
  readonly column: number;
  readonly active: boolean;
  readonly children?: ReactNode;
  readonly className?: string;
  readonly header?: boolean;
}) {
  return (
    <div role={header ? 'rowheader' : 'gridcell'} aria-colindex={column + 1} data-column={column} tabIndex={active ? 0 : -1} className={`grid-cell ${className ?? ''}`}>
      {children}
    </div>
  );
}
