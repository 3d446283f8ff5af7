import { useState, type DragEvent } from 'react';
import { useApp } from '../../store/store-context';

/**
 * Drop a folder or PowerPoint files here. A pointer-only convenience: the paths field and
 * Browse… below do the same from the keyboard.
 */
export function DropZone() {
  const dropFiles = useApp((state) => state.dropFiles);
  const notice = useApp((state) => state.dropNotice);
  const [over, setOver] = useState(false);

  const onDragOver = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setOver(true);
  };
  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setOver(false);
    void dropFiles(Array.from(event.dataTransfer.files));
  };

  return (
    <div className={`drop-zone${over ? ' drop-zone-over' : ''}`} onDragOver={onDragOver} onDragLeave={() => setOver(false)} onDrop={onDrop} data-testid="drop-zone">
      <p className="drop-zone-title">
        <span aria-hidden="true">📂 </span>Drop a folder of lectures or PowerPoint files here
      </p>
      <p className="hint">or type a path below, or choose Browse…</p>
      {notice ? (
        <p className="message message-warning" role="status">
          {notice}
        </p>
      ) : null}
    </div>
  );
}
