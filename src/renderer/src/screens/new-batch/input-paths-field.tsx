import type { KeyboardEvent } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { useApp } from '../../store/store-context';

/** The folder or files to process, typed or browsed; Enter finds the decks. */
export function InputPathsField() {
  const text = useApp((state) => state.pathsText);
  const discovering = useApp((state) => state.discovering);
  const error = useApp((state) => state.discoveryError);
  const setPathsText = useApp((state) => state.setPathsText);
  const discover = useApp((state) => state.discover);
  const browseForInput = useApp((state) => state.browseForInput);
  const lines = Math.min(6, Math.max(1, text.split('\n').length));

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void discover();
    }
  };

  return (
    <div className="field">
      <label htmlFor="input-paths">Folder or PowerPoint files</label>
      <p className="hint" id="input-paths-hint">
        One path per line (Shift+Enter adds a line). Folders are searched with their subfolders.
      </p>
      <div className="field-row">
        <textarea
          id="input-paths"
          rows={lines}
          value={text}
          spellCheck={false}
          autoComplete="off"
          aria-describedby={error ? 'input-paths-hint input-paths-error' : 'input-paths-hint'}
          aria-invalid={error ? true : undefined}
          onChange={(event) => setPathsText(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="button" onClick={() => void browseForInput()}>
          Browse…
        </button>
        <button type="button" className="primary" onClick={() => void discover()} disabled={discovering}>
          {discovering ? 'Looking…' : 'Find decks'}
        </button>
      </div>
      <ErrorMessage error={error} id="input-paths-error" />
    </div>
  );
}
