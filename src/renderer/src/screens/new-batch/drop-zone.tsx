import { useState, type DragEvent } from 'react';
import { Icon } from '../../components/icon';
import { useApp } from '../../store/store-context';

/**
 * Drop a folder or PowerPoint files here. In the desktop app a drop gives their paths; in a
 * browser it never can (browsers do not tell pages where dropped files are), so there the zone
 * is a small note below the paths field that says so up front, and a drop only repeats it.
 */
export function DropZone() {
  const dropFiles = useApp((state) => state.dropFiles);
  const notice = useApp((state) => state.dropNotice);
  const web = useApp((state) => state.appInfo?.host === 'web');
  const [over, setOver] = useState(false);

  const onDragOver = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = web ? 'none' : 'copy';
    setOver(true);
  };
  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setOver(false);
    void dropFiles(Array.from(event.dataTransfer.files));
  };

  return (
    <div
      className={`drop-zone${web ? ' drop-zone-web' : ''}${over ? ' drop-zone-over' : ''}`}
      onDragOver={onDragOver}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      data-testid="drop-zone"
    >
      {web ? (
        <p className="hint">
          <Icon name="info" /> Dragging a folder onto this page does not work in a browser: browsers do not tell a page where dropped files are.
          Type or paste the folder’s path above, or choose Browse… to pick it.
        </p>
      ) : (
        <>
          <p className="drop-zone-title">Drop a folder of lectures or PowerPoint files here</p>
          <p className="hint">or type a path below, or choose Browse…</p>
        </>
      )}
      {notice ? (
        <p className="message message-warning" role="status">
          {notice}
        </p>
      ) : null}
    </div>
  );
}
