import { withoutCodeMarks } from '../../../../shared/plain-sentence';
import { BusyButton } from '../../components/busy-button';
import { Icon } from '../../components/icon';
import { useApp } from '../../store/store-context';
import { modelStateLabel } from '../../text/model-status-text';

/**
 * The model server as typed in the form: "Check this address" asks the address and model in
 * the fields, before they are saved, and the answer lists the server's models to choose from.
 * Until it is pressed, the saved address's last check is shown.
 */
export function ModelCheckLine() {
  const typed = useApp((state) => state.settingsModelCheck);
  const saved = useApp((state) => state.modelStatus);
  const checking = useApp((state) => state.settingsModelChecking);
  const check = useApp((state) => state.checkTypedModel);
  // A check of what is typed no longer describes the fields once they are edited again.
  const current = useApp((state) => typed !== null && typed.base_url === state.settingsForm?.base_url.trim() && typed.model === state.settingsForm.model_name.trim());
  // With `model.servers` saved, the saved check is of every listed server, not of the address.
  const savedServers = useApp((state) => state.settings?.config.model.servers.length ?? 0);
  const status = typed ?? saved;
  const label = modelStateLabel(status?.state ?? 'unknown');
  const what = !typed && savedServers > 0 ? `the ${savedServers === 1 ? 'listed server' : `${savedServers} listed servers`}` : status?.base_url ? `${status.model} at ${status.base_url}` : 'not checked yet';
  return (
    <div className="model-status" data-testid="settings-model-check">
      <p role="status">
        <span className="label">{typed ? (current ? 'This address:' : 'Last checked:') : savedServers > 0 ? 'Saved servers:' : 'Saved address:'}</span> {what}
        {' — '}
        <span className={`model-state model-state-${status?.state ?? 'unknown'}`}>
          {checking ? (
            'Checking…'
          ) : (
            <>
              {label.icon ? <Icon name={label.icon} /> : null}
              {label.words}
            </>
          )}
        </span>
      </p>
      {status && status.state !== 'ok' && status.message ? (
        <p className="hint">{withoutCodeMarks(`${status.message}${status.fix ? ` Fix: ${status.fix}` : ''}`)}</p>
      ) : null}
      <BusyButton busy={checking} onClick={() => void check()}>
        Check this address
      </BusyButton>
    </div>
  );
}
