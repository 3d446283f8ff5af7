import { BusyButton } from '../../components/busy-button';
import { ErrorMessage } from '../../components/error-message';
import { useApp } from '../../store/store-context';
import { SettingsCheckbox } from './settings-field';

/** Remember descriptions (the cache) or not, and forget them all now. */
export function CacheControls() {
  const clearing = useApp((state) => state.cacheClearing);
  const cleared = useApp((state) => state.cacheCleared);
  const error = useApp((state) => state.cacheError);
  const clearCache = useApp((state) => state.clearCache);
  return (
    <>
      <SettingsCheckbox
        field="cache_enabled"
        label="Remember descriptions"
        hint="A picture described once (a logo on forty slides, a deck run again) is not sent to the model again. Turn it off to have every picture described afresh."
      />
      <div className="field">
        <BusyButton busy={clearing} onClick={() => void clearCache()} aria-describedby="clear-cache-hint">
          {clearing ? 'Clearing…' : 'Clear remembered descriptions'}
        </BusyButton>
        <p className="hint" id="clear-cache-hint">
          After a model or prompt change, so that every picture is described again. Your decks and their copies are not touched.
        </p>
        <p role="status" className={cleared ? 'message message-success' : undefined}>
          {cleared ? `Removed ${cleared.removed === 1 ? '1 remembered description' : `${cleared.removed} remembered descriptions`} from ${cleared.folder}.` : ''}
        </p>
        <ErrorMessage error={error} />
      </div>
    </>
  );
}
