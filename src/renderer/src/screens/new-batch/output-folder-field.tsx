import { useApp } from '../../store/store-context';

/** Where the accessible copies, reports and the manifest go; suggested from the preview. */
export function OutputFolderField() {
  const outputDir = useApp((state) => state.outputDir);
  const edited = useApp((state) => state.outputDirEdited);
  const hasPreview = useApp((state) => state.preview !== null);
  const setOutputDir = useApp((state) => state.setOutputDir);
  const browseForOutput = useApp((state) => state.browseForOutput);
  return (
    <div className="field">
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
          aria-describedby="output-dir-hint"
          onChange={(event) => setOutputDir(event.target.value)}
        />
        <button type="button" onClick={() => void browseForOutput()}>
          Browse…
        </button>
      </div>
    </div>
  );
}
