import { useCallback } from 'react';
import { Icon } from '../../components/icon';
import { GridCell, VirtualGrid, type GridColumn } from '../../components/virtual-grid';
import { useApp } from '../../store/store-context';
import { IncludeToggle, PreviewAction } from './include-toggle';
import { plural } from '../../text/plural';
import { previewActionLabel, previewCounts, previewReason } from '../../text/preview-text';

const COLUMNS: readonly GridColumn[] = [
  { id: 'file', header: 'File' },
  // Beside the name, so that it is in view in a small window too.
  { id: 'include', header: 'In the batch' },
  { id: 'action', header: 'What will happen' },
  { id: 'reason', header: 'Reason' },
];
const TEMPLATE = 'minmax(12rem, 2fr) minmax(8.5rem, 1fr) minmax(11rem, 1fr) minmax(14rem, 3fr)';

/** What was found, before anything runs: counts by action, and every file with its reason. */
export function DiscoveryPreview() {
  const preview = useApp((state) => state.preview);
  const leftOut = useApp((state) => state.excludedPaths.size);
  const renderRow = useCallback(
    (position: number, activeColumn: number | null) => {
      const file = preview?.files[position];
      if (!file) return null;
      const label = previewActionLabel(file.action);
      return (
        <>
          <GridCell column={0} active={activeColumn === 0} className="cell-name">
            <span title={file.path}>{file.relative_path}</span>
          </GridCell>
          <GridCell column={1} active={activeColumn === 1}>
            {file.action === 'process' ? <IncludeToggle path={file.path} name={file.relative_path} /> : '—'}
          </GridCell>
          <GridCell column={2} active={activeColumn === 2}>
            <PreviewAction path={file.path}>
              <span className={`status status-preview-${file.action}`}>
                <Icon name={label.icon} />
                {label.words}
              </span>
            </PreviewAction>
          </GridCell>
          <GridCell column={3} active={activeColumn === 3} className="cell-detail">
            {previewReason(file)}
          </GridCell>
        </>
      );
    },
    [preview],
  );
  if (!preview) return null;
  const counts = previewCounts(preview);
  return (
    <section className="panel" aria-labelledby="preview-heading" data-testid="discovery-preview">
      <h3 id="preview-heading">Found in {preview.input_root}</h3>
      <ul className="preview-counts" aria-label="Files found, by what will happen">
        <li>
          <Icon name="check" />
          {plural(counts.process - leftOut, 'deck')} will be processed
        </li>
        {leftOut > 0 ? (
          <li>
            <Icon name="pending" />
            {plural(leftOut, 'deck')} left out by you
          </li>
        ) : null}
        <li>
          <Icon name="skip" />
          {plural(counts.skip, 'file')} will be skipped
        </li>
        <li>
          <Icon name="cross" />
          {plural(counts.fail, 'file')} cannot be processed
        </li>
      </ul>
      {preview.warnings.length > 0 ? (
        <ul className="message message-warning">
          {preview.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      ) : null}
      <VirtualGrid
        label="Files found"
        className="preview-grid"
        columns={COLUMNS}
        template={TEMPLATE}
        rowCount={preview.files.length}
        rowKey={(position) => preview.files[position]?.path ?? position}
        renderRow={renderRow}
        empty={<p>No PowerPoint files were found.</p>}
      />
    </section>
  );
}
