import { memo } from 'react';
import { GridCell } from '../../components/virtual-grid';
import { StatusLabel } from '../../components/status-label';
import { rowAt } from '../../../../shared/row-table';
import { useApp } from '../../store/store-context';
import { detailText, picturesText, timeText } from '../../text/row-text';

interface QueueRowCellsProps {
  readonly index: number;
  readonly activeColumn: number | null;
}

/** The cells of one deck's row; it re-renders only when its own row changes. */
export const QueueRowCells = memo(function QueueRowCells({ index, activeColumn }: QueueRowCellsProps) {
  const row = useApp((state) => (state.batch ? rowAt(state.batch.rows, index) : undefined));
  const dryRun = useApp((state) => state.batch?.dry_run ?? false);
  const manifestPath = useApp((state) => state.batch?.manifest_path ?? '');
  const openReview = useApp((state) => state.openReview);
  const showInFolder = useApp((state) => state.showInFolder);
  const openDeckDetails = useApp((state) => state.openDeckDetails);
  if (!row) return null;
  const name = row.relative_path;
  const detail = detailText(row, dryRun);
  // A review needs the processor's report; an external processor may not write one.
  const canReview = !dryRun && row.status === 'complete' && row.output_path !== null && row.reports.length > 0;
  const canShow = row.status === 'failed' || row.status === 'skipped';
  return (
    <>
      <GridCell column={0} active={activeColumn === 0} className="cell-name" header>
        {/* The deck's log and queue actions (queue-controls.tsx); one button, so the grid's Enter reaches it. */}
        <button type="button" tabIndex={-1} className="link-button" title={row.path} aria-haspopup="dialog" onClick={() => void openDeckDetails(index)}>
          {name}
        </button>
      </GridCell>
      <GridCell column={1} active={activeColumn === 1}>
        <StatusLabel status={row.status} dryRun={dryRun} />
      </GridCell>
      <GridCell column={2} active={activeColumn === 2}>
        {picturesText(row, dryRun)}
      </GridCell>
      <GridCell column={3} active={activeColumn === 3}>
        {timeText(row)}
      </GridCell>
      <GridCell column={4} active={activeColumn === 4} className="cell-detail">
        {detail}
      </GridCell>
      <GridCell column={5} active={activeColumn === 5}>
        {canReview ? (
          <button type="button" tabIndex={-1} className="small" aria-label={`Review ${name}`} onClick={() => void openReview({ manifest_path: manifestPath, index })}>
            Review
          </button>
        ) : canShow ? (
          <button type="button" tabIndex={-1} className="small" aria-label={`Show ${name} in its folder`} onClick={() => void showInFolder(row.path)}>
            Show in folder
          </button>
        ) : null}
      </GridCell>
    </>
  );
});
