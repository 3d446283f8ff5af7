import type { ReactNode } from 'react';
import { Icon } from '../../components/icon';
import { useApp } from '../../store/store-context';

/**
 * One deck of the preview in or out of the batch: "Leave out", and once left out, "Include"
 * again. One button per cell, so the grid's Enter reaches it; its name says which deck.
 */
export function IncludeToggle({ path, name }: { readonly path: string; readonly name: string }) {
  const leftOut = useApp((state) => state.excludedPaths.has(path));
  const toggle = useApp((state) => state.toggleExcluded);
  return (
    <>
      {leftOut ? <span className="hint">Left out. </span> : null}
      <button type="button" tabIndex={-1} className="small" aria-label={`${leftOut ? 'Include' : 'Leave out'} ${name}`} onClick={() => toggle(path)}>
        {leftOut ? 'Include' : 'Leave out'}
      </button>
    </>
  );
}

/** What will happen to a deck of the preview: what its row says, unless the user left it out. */
export function PreviewAction({ path, children }: { readonly path: string; readonly children: ReactNode }) {
  const leftOut = useApp((state) => state.excludedPaths.has(path));
  if (!leftOut) return <>{children}</>;
  return (
    <span className="status status-preview-skip">
      <Icon name="pending" />
      Left out by you
    </span>
  );
}
