import { useEffect, useRef } from 'react';
import { ErrorMessage } from './error-message';
import { useApp } from '../store/store-context';

/**
 * The in-app folder browser over `folders:list`, for hosts without a native picker (the web
 * UI). A modal <dialog>: it keeps the focus inside, and Escape closes it.
 */
export function FolderBrowserDialog() {
  const browser = useApp((state) => state.folderBrowser);
  const browseFolder = useApp((state) => state.browseFolder);
  const browseSubfolder = useApp((state) => state.browseSubfolder);
  const choose = useApp((state) => state.chooseBrowsedFolder);
  const close = useApp((state) => state.closeFolderBrowser);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const open = browser !== null;

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const listing = browser?.listing ?? null;
  const purpose = browser?.purpose === 'output' ? 'output folder' : 'folder of decks';
  return (
    <dialog ref={dialogRef} className="folder-browser" aria-labelledby="folder-browser-title" onClose={close}>
      <h2 id="folder-browser-title">Choose the {purpose}</h2>
      <p className="meta">
        Current folder: <code data-testid="browser-path">{listing?.path ?? '…'}</code>
      </p>
      <ErrorMessage error={browser?.error ?? null} />
      <div className="controls">
        <button type="button" onClick={() => void browseFolder(listing?.parent ?? null)} disabled={!listing?.parent || browser?.loading}>
          <span aria-hidden="true">⬆️ </span>Up one level
        </button>
      </div>
      <ul className="folder-list" aria-label="Contents" aria-busy={browser?.loading ?? false}>
        {listing?.entries.length === 0 ? <li className="hint">This folder is empty.</li> : null}
        {listing?.entries.map((entry) =>
          entry.kind === 'folder' ? (
            <li key={entry.name}>
              <button type="button" className="folder-entry" onClick={() => void browseSubfolder(entry.name)}>
                <span aria-hidden="true">📁 </span>
                {entry.name}
              </button>
            </li>
          ) : (
            <li key={entry.name} className="deck-entry">
              <span aria-hidden="true">📄 </span>
              {entry.name} <span className="hint">(deck)</span>
            </li>
          ),
        )}
      </ul>
      <div className="controls dialog-actions">
        <button type="button" className="primary" onClick={() => void choose()} disabled={!listing || browser?.loading}>
          Choose this folder
        </button>
        <button type="button" onClick={close}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}

