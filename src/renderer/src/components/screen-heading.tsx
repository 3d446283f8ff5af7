import { useEffect, useRef, type ReactNode } from 'react';
import { useApp } from '../store/store-context';

/**
 * A screen's heading. When the user switches screens it takes the focus, so keyboard and
 * screen-reader users start at the top of the new screen; on first load the focus stays put.
 */
export function ScreenHeading({ children, id }: { readonly children: ReactNode; readonly id?: string }) {
  const viewChanges = useApp((state) => state.viewChanges);
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (viewChanges > 0) ref.current?.focus();
  }, [viewChanges]);
  return (
    <h2 ref={ref} tabIndex={-1} id={id} className="screen-heading">
      {children}
    </h2>
  );
}
