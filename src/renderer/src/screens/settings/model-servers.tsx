import type { ReactNode } from 'react';
import { withoutCodeMarks } from '../../../../shared/plain-sentence';
import { BusyButton } from '../../components/busy-button';
import { Icon } from '../../components/icon';
import { useFocusTarget } from '../../components/use-focus-target';
import type { ServerField, ServerForm, ServerKind } from '../../store/settings-form';
import { serverErrorKey, typedServerAddress } from '../../store/settings-form';
import { serverCheckKey } from '../../store/settings-slice';
import { useApp } from '../../store/store-context';
import { modelStateLabel } from '../../text/model-status-text';
import { PROVIDER_WORDS } from '../../text/settings-text';
import { FieldFrame, type FieldControlProps } from './settings-field';

const SERVER_KINDS: readonly ServerKind[] = ['ollama', 'openai'];

/** One labelled input of a server, its hint and its error right below, as the other settings show them. */
function ServerInput({
  index,
  field,
  label,
  hint,
  children,
}: {
  readonly index: number;
  readonly field: ServerField;
  readonly label: string;
  readonly hint?: string;
  readonly children: (props: FieldControlProps) => ReactNode;
}) {
  const error = useApp((state) => state.settingsFieldErrors[serverErrorKey(index, field)]);
  return (
    <FieldFrame id={`server-${index}-${field}`} label={label} hint={hint} error={error}>
      {children}
    </FieldFrame>
  );
}

/**
 * The answer to a server's "Check", beside its button: a live region that is always there, so the
 * answer is announced; empty until "Check" is pressed for what is typed now.
 */
function ServerCheckLine({ index }: { readonly index: number }) {
  const check = useApp((state) => {
    const request = state.settingsForm ? typedServerAddress(state.settingsForm, index) : null;
    return request ? (state.settingsServerChecks[serverCheckKey(request)] ?? null) : null;
  });
  const status = check?.state === 'answered' ? check.status : null;
  const label = status ? modelStateLabel(status.state) : null;
  return (
    <p role="status" className="model-status">
      {check?.state === 'checking' ? 'Checking…' : null}
      {status && label ? (
        <>
          <span className={`model-state model-state-${status.state}`}>
            {label.icon ? <Icon name={label.icon} /> : null}
            {label.words}
          </span>
          {status.state === 'ok'
            ? `: ${status.model} is on this server.`
            : status.message
              ? ` — ${withoutCodeMarks(`${status.message}${status.fix ? ` Fix: ${status.fix}` : ''}`)}`
              : null}
        </>
      ) : null}
    </p>
  );
}

function ServerRow({ index, server, last }: { readonly index: number; readonly server: ServerForm; readonly last: boolean }) {
  const mainModel = useApp((state) => state.settingsForm?.model_name.trim() ?? '');
  const checking = useApp((state) => {
    const request = state.settingsForm ? typedServerAddress(state.settingsForm, index) : null;
    return request ? state.settingsServerChecks[serverCheckKey(request)]?.state === 'checking' : false;
  });
  const editServer = useApp((state) => state.editServer);
  const removeServer = useApp((state) => state.removeServer);
  const checkServer = useApp((state) => state.checkServer);
  const newest = useFocusTarget<HTMLInputElement>('model-server-last');
  const number = index + 1;
  return (
    <li>
      <fieldset className="model-server" data-testid={`model-server-${number}`}>
        <legend>Server {number}</legend>
        <ServerInput index={index} field="base_url" label="Address (URL)" hint="For example http://gpu-lab.example.edu:11434 or http://127.0.0.1:8000.">
          {(props) => (
            <input
              {...props}
              ref={last ? newest : undefined}
              type="text"
              inputMode="url"
              value={server.base_url}
              onChange={(event) => editServer(index, 'base_url', event.target.value)}
            />
          )}
        </ServerInput>
        <ServerInput index={index} field="provider" label="Kind">
          {(props) => (
            <select {...props} value={server.provider} onChange={(event) => editServer(index, 'provider', event.target.value as ServerKind)}>
              {SERVER_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {PROVIDER_WORDS[kind]}
                </option>
              ))}
            </select>
          )}
        </ServerInput>
        <ServerInput index={index} field="name" label="Model (optional)" hint={`Empty: the model above${mainModel ? ` (${mainModel})` : ''}.`}>
          {(props) => <input {...props} type="text" value={server.name} onChange={(event) => editServer(index, 'name', event.target.value)} />}
        </ServerInput>
        <ServerInput
          index={index}
          field="api_key_env"
          label="Key variable (optional)"
          hint="The name of the environment variable that holds this server’s key, for example OPENAI_API_KEY; never the key itself. Empty: the one in config.yaml, if any."
        >
          {(props) => <input {...props} type="text" value={server.api_key_env} onChange={(event) => editServer(index, 'api_key_env', event.target.value)} />}
        </ServerInput>
        <ServerCheckLine index={index} />
        <div className="controls">
          <BusyButton busy={checking} onClick={() => void checkServer(index)}>
            Check server {number}
          </BusyButton>
          <button type="button" onClick={() => removeServer(index)}>
            Remove server {number}
          </button>
        </div>
      </fieldset>
    </li>
  );
}

/**
 * `model.servers`: the model servers one batch spreads its requests over. Empty, the batch uses
 * the server address above alone, which the screen says. Saved with the rest of the settings.
 */
export function ModelServers() {
  const servers = useApp((state) => state.settingsForm?.servers ?? []);
  const listError = useApp((state) => state.settingsFieldErrors.servers);
  const addServer = useApp((state) => state.addServer);
  const addButton = useFocusTarget<HTMLButtonElement>('model-servers-add');
  return (
    <div className="model-servers">
      <p className="hint" id="model-servers-hint">
        {servers.length === 0
          ? 'None listed: batches use the server address above alone. Add servers to spread a batch over several (Ollama computers, vLLM, LM Studio, llama.cpp’s server, LiteLLM); each request goes to the least busy one that answers.'
          : `Batches use ${servers.length === 1 ? 'this server' : `these ${servers.length} servers`} instead of the address above; each request goes to the least busy one that answers. Remove them all to use the address above alone.`}
      </p>
      {listError ? (
        <p className="field-error" id="model-servers-error">
          <Icon name="cross" /> {listError}
        </p>
      ) : null}
      {servers.length > 0 ? (
        <ol className="model-server-list" aria-label="Model servers">
          {servers.map((server, index) => (
            // Keyed by place: rows are added at the end and removed, and every input shows the store's value.
            <ServerRow key={index} index={index} server={server} last={index === servers.length - 1} />
          ))}
        </ol>
      ) : null}
      <div className="controls">
        <button ref={addButton} type="button" onClick={addServer} aria-describedby="model-servers-hint">
          Add a server
        </button>
      </div>
    </div>
  );
}
