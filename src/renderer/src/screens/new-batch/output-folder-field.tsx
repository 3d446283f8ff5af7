import { useApp } from '../../store/store-context';
import { FieldErrorText } from './field-error-text';
import { outputFieldError } from './field-errors';

/** Where the accessible copies, reports and the manifest go; suggested from the preview. */
export function OutputFolderField() {
  const outputDir = useApp((state) => state.outputDir);
  const edited = useApp((state) => state.outputDirEdited);
  const hasPreview = useApp((state) => state.preview !== null);
  const error = useApp(outputFieldError);
  const setOutputDir = useApp((state) => state.setOutputDir);
  const browseForOutput = useApp((state) => state.browseForOutput);
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor="output-dir">Output folder</label>
      <p className="hint" id="output-dir-hint">
        {hasPreview && !edited ? 'Suggested from the folder you chose. ' : ''}Your original decks are never changed; the copies with alt text
        go here.
      </p>
      <div className="field-row">
        <input
          id="output-dir"
          type="text"
          value={outputDir}
          spellCheck={false}
          autoComplete="off"
          aria-describedby={error ? 'output-dir-hint output-dir-error' : 'output-dir-hint'}
          aria-invalid={error ? true : undefined}
          onChange={(event) => setOutputDir(event.target.value)}
        />
        <button type="button" onClick={() => void browseForOutput()}>
          Browse…
        </button>
      </div>
      <FieldErrorText error={error} id="output-dir-error" />
    </div>
  );
}
