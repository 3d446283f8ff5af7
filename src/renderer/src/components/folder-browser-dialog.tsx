import { useEffect, useRef, type FormEvent } from 'react';
import type { FolderPlaces } from '../../../shared/ipc-contract';
import { breadcrumbs } from '../store/discovery-slice';
import { useApp } from '../store/store-context';
import { baseName } from '../text/path-text';
import { plural } from '../text/plural';
import { ErrorMessage } from './error-message';

/**
 * The in-app folder browser over `folders:list`, for hosts without a native picker (the web
 * UI). A modal <dialog>: it keeps the focus inside, and Escape closes it. A path box (typed
 * paths as the paths field takes them: `~`, quotes), breadcrumbs, the places to start from
 * (home, recent folders, drives, volumes and network shares) and the folder's contents. After
 * every move the focus goes to the new listing and "Now in <folder>" is announced from inside
 * the dialog (a live region outside a modal dialog is not read).
 */

const VOLUME_WORDS: Readonly<Record<FolderPlaces['volumes'][number]['kind'], string>> = {
  drive: 'drive',
  volume: 'disk',
  network: 'network share',
};

export function FolderBrowserDialog() {
  const browser = useApp((state) => state.folderBrowser);
  const browseFolder = useApp((state) => state.browseFolder);
  const browseSubfolder = useApp((state) => state.browseSubfolder);
  const setPathText = useApp((state) => state.setBrowserPathText);
  const browseTypedPath = useApp((state) => state.browseTypedPath);
  const choose = useApp((state) => state.chooseBrowsedFolder);
  const close = useApp((state) => state.closeFolderBrowser);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const open = browser !== null;
  const moves = browser?.moves ?? 0;

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  // The user moved (Up, a folder, a place, the path box): the new listing takes the focus.
  useEffect(() => {
    if (moves > 0) listRef.current?.focus();
  }, [moves]);

  const listing = browser?.listing ?? null;
  const loading = browser?.loading ?? false;
  const places = browser?.places ?? null;
  const purpose = browser?.purpose === 'output' ? 'output folder' : 'folder of decks';
  const onGo = (event: FormEvent) => {
    event.preventDefault();
    if (!loading) void browseTypedPath();
  };
  const folders = listing?.entries.filter((entry) => entry.kind === 'folder').length ?? 0;
  const decks = (listing?.entries.length ?? 0) - folders;

  return (
    <dialog ref={dialogRef} className="folder-browser" aria-labelledby="folder-browser-title" onClose={close}>
      <h2 id="folder-browser-title">Choose the {purpose}</h2>
      <form className="field folder-path-form" onSubmit={onGo}>
        <label htmlFor="folder-path">Go to a folder</label>
        <div className="field-row">
          <input
            id="folder-path"
            type="text"
            value={browser?.pathText ?? ''}
            spellCheck={false}
            autoComplete="off"
            aria-describedby={browser?.error ? 'folder-path-error' : undefined}
            aria-invalid={browser?.error ? true : undefined}
            onChange={(event) => setPathText(event.target.value)}
          />
          <button type="submit" aria-disabled={loading || undefined}>
            Go
          </button>
        </div>
      </form>
      <ErrorMessage error={browser?.error ?? null} id="folder-path-error" />
      <div className="folder-browser-body">
        <nav className="folder-places" aria-label="Places">
          <ul>
            {places ? (
              <li>
                <button type="button" className="link-button" onClick={() => void browseFolder(places.home)}>
                  Home ({baseName(places.home)})
                </button>
              </li>
            ) : null}
          </ul>
          {places && places.recent.length > 0 ? (
            <>
              <h3 id="recent-folders-heading">Recent folders</h3>
              <ul aria-labelledby="recent-folders-heading">
                {places.recent.map((folder) => (
                  <li key={folder}>
                    <button type="button" className="link-button" title={folder} onClick={() => void browseFolder(folder)}>
                      {baseName(folder)}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {places && places.volumes.length > 0 ? (
            <>
              <h3 id="volumes-heading">Drives and network shares</h3>
              <ul aria-labelledby="volumes-heading">
                {places.volumes.map((volume) => (
                  <li key={volume.path}>
                    <button type="button" className="link-button" title={volume.path} onClick={() => void browseFolder(volume.path)}>
                      {volume.name} <span className="hint">({VOLUME_WORDS[volume.kind]})</span>
                    </button>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </nav>
        <div className="folder-contents">
          {listing ? (
            <nav aria-label="Folder path">
              <ol className="breadcrumbs">
                {breadcrumbs(listing.path).map((crumb, index, all) => (
                  <li key={crumb.path}>
                    {index === all.length - 1 ? (
                      <span aria-current="location" data-testid="browser-path" title={listing.path}>
                        {crumb.name}
                      </span>
                    ) : (
                      <button type="button" className="link-button" onClick={() => void browseFolder(crumb.path)}>
                        {crumb.name}
                      </button>
                    )}
                  </li>
                ))}
              </ol>
            </nav>
          ) : null}
          <p className="visually-hidden" role="status" data-testid="browser-announcement">
            {listing && moves > 0 ? `Now in ${listing.path}: ${plural(folders, 'folder')}, ${plural(decks, 'deck')}.` : ''}
          </p>
          <div className="controls">
            <button
              type="button"
              onClick={() => !loading && listing?.parent && void browseFolder(listing.parent)}
              disabled={!listing?.parent}
              aria-disabled={loading || undefined}
            >
              Up one level
            </button>
          </div>
          <ul
            ref={listRef}
            tabIndex={-1}
            className="folder-list"
            aria-label={listing ? `Contents of ${baseName(listing.path) || listing.path}` : 'Contents'}
            aria-busy={loading}
          >
            {listing?.entries.length === 0 ? <li className="hint">This folder is empty.</li> : null}
            {listing?.entries.map((entry) =>
              entry.kind === 'folder' ? (
                <li key={entry.name}>
                  <button type="button" className="folder-entry" onClick={() => !loading && void browseSubfolder(entry.name)}>
                    <FolderGlyph /> {entry.name}
                  </button>
                </li>
              ) : (
                <li key={entry.name} className="deck-entry">
                  {entry.name} <span className="hint">(deck)</span>
                </li>
              ),
            )}
          </ul>
        </div>
      </div>
      <div className="controls dialog-actions">
        <button type="button" className="primary" onClick={() => !loading && void choose()} disabled={!listing} aria-disabled={loading || undefined}>
          Choose this folder
        </button>
        <button type="button" onClick={close}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}

/** A folder drawn in SVG (emoji need a font many Linux desktops lack); the name beside it says the rest. */
function FolderGlyph() {
  return (
    <svg className="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path d="M1.5 4.2c0-.7.5-1.2 1.2-1.2h3.4l1.4 1.6h5.8c.7 0 1.2.5 1.2 1.2v6.6c0 .7-.5 1.2-1.2 1.2H2.7c-.7 0-1.2-.5-1.2-1.2z" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
    </svg>
  );
}
