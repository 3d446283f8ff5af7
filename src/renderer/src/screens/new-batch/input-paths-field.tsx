import type { KeyboardEvent } from 'react';
import { BusyButton } from '../../components/busy-button';
import { useApp } from '../../store/store-context';
import { FieldErrorText } from './field-error-text';
import { pathsFieldError } from './field-errors';

/**
 * The folder or files to process, typed, pasted or browsed; Enter finds the decks. Paths may be
 * written as people copy them: `~/Lectures`, in quotes (Windows "Copy as path"), a file://
 * address; main resolves them and answers one it cannot use with a sentence shown here.
 */
export function InputPathsField() {
  const text = useApp((state) => state.pathsText);
  const discovering = useApp((state) => state.discovering);
  const error = useApp(pathsFieldError);
  const web = useApp((state) => state.appInfo?.host === 'web');
  const setPathsText = useApp((state) => state.setPathsText);
  const discover = useApp((state) => state.discover);
  const browseForInput = useApp((state) => state.browseForInput);
  const lines = Math.min(6, Math.max(1, text.split('\n').length));

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      if (!discovering) void discover();
    }
  };

  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor="input-paths">Folder or PowerPoint files</label>
      <p className="hint" id="input-paths-hint">
        Type or paste the full path, for example <code>~/Lectures/Fall 2026</code> (~ is your home folder; quotes from “Copy as path” are
        fine{web ? ', and so is a name inside the folder altgen serve was started in' : ''}). One path per line (Shift+Enter adds a line);
        folders are searched with their subfolders.
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
        <BusyButton className="primary" busy={discovering} onClick={() => void discover()}>
          {discovering ? 'Looking…' : 'Find decks'}
        </BusyButton>
      </div>
      <FieldErrorText error={error} id="input-paths-error" />
    </div>
  );
}
