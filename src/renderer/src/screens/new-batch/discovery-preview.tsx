import { useCallback } from 'react';
import { GridCell, VirtualGrid, type GridColumn } from '../../components/virtual-grid';
import { useApp } from '../../store/store-context';
import { plural } from '../../text/plural';
import { previewActionLabel, previewCounts, previewReason } from '../../text/preview-text';

const COLUMNS: readonly GridColumn[] = [
  { id: 'file', header: 'File' },
  { id: 'action', header: 'What will happen' },
  { id: 'reason', header: 'Reason' },
];
const TEMPLATE = 'minmax(12rem, 2fr) minmax(11rem, 1fr) minmax(14rem, 3fr)';

/** What was found, before anything runs: counts by action, and every file with its reason. */
export function DiscoveryPreview() {
  const preview = useApp((state) => state.preview);
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
            <span className={`status status-preview-${file.action}`}>
              <span aria-hidden="true">{label.emoji} </span>
              {label.words}
            </span>
          </GridCell>
          <GridCell column={2} active={activeColumn === 2} className="cell-detail">
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
          <span aria-hidden="true">✅ </span>
          {plural(counts.process, 'deck')} will be processed
        </li>
        <li>
          <span aria-hidden="true">⏭️ </span>
          {plural(counts.skip, 'file')} will be skipped
        </li>
        <li>
          <span aria-hidden="true">❌ </span>
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
