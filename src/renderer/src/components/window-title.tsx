import { useEffect } from 'react';
import { batchPhase } from '../../../shared/batch-fold';
import { useApp } from '../store/store-context';
import { windowTitle } from '../text/title-text';

/** Keeps the tab's title (the desktop window's too) on the batch's progress. */
export function WindowTitle() {
  const title = useApp((state) => windowTitle(state.batch ? { phase: batchPhase(state.batch), dryRun: state.batch.dry_run, counts: state.batch.counts } : null));
  useEffect(() => {
    document.title = title;
  }, [title]);
  return null;
}
