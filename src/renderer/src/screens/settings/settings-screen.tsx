import type { FormEvent } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { ScreenHeading } from '../../components/screen-heading';
import { DECORATIVE_MODES, POLICIES, PROVIDERS, type SettingsForm } from '../../store/settings-form';
import { useApp } from '../../store/store-context';
import { DECORATIVE_WORDS, POLICY_WORDS, PROVIDER_WORDS } from '../../text/settings-text';
import { ModelStatusLine } from '../queue/model-status-line';
import { SettingsField } from './settings-field';

type TextField = 'base_url' | 'model_name' | 'char_limit' | 'workers' | 'threshold_percent' | 'timeout_seconds';

/** Model server, alt text and batch settings, saved to the user's config.yaml. */
export function SettingsScreen() {
  const form = useApp((state) => state.settingsForm);
  const path = useApp((state) => state.settings?.path ?? null);
  const error = useApp((state) => state.settingsError);
  const saving = useApp((state) => state.settingsSaving);
  const saved = useApp((state) => state.settingsSaved);
  const invalid = useApp((state) => Object.keys(state.settingsFieldErrors).length);
  const editSetting = useApp((state) => state.editSetting);
  const saveSettings = useApp((state) => state.saveSettings);
  const resetSettingsForm = useApp((state) => state.resetSettingsForm);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void saveSettings();
  };
  const text = (field: TextField, inputMode?: 'numeric' | 'decimal' | 'url') => (props: object) => (
    <input {...props} type="text" inputMode={inputMode} value={form?.[field] ?? ''} onChange={(event) => editSetting(field, event.target.value)} />
  );

  return (
    <>
      <ScreenHeading>Settings</ScreenHeading>
      {path ? (
        <p className="meta">
          Saved to <code>{path}</code>
        </p>
      ) : null}
      <ErrorMessage error={error} id="settings-error" />
      {invalid > 0 && !error ? (
        <p className="message message-error" role="alert">
          <span aria-hidden="true">❌ </span>
          {invalid === 1 ? 'One setting needs fixing' : `${invalid} settings need fixing`}; see the messages below each field.
        </p>
      ) : null}
      {saved ? (
        <p className="message message-success" role="status">
          <span aria-hidden="true">✅ </span>Settings saved.
        </p>
      ) : null}
      {!form ? (
        <p className="panel">Loading settings…</p>
      ) : (
        <form className="settings-form" onSubmit={onSubmit} noValidate aria-describedby={error ? 'settings-error' : undefined}>
          <fieldset className="panel">
            <legend>Model server</legend>
            <SettingsField field="provider" label="Server type">
              {(props) => (
                <select {...props} value={form.provider} onChange={(event) => editSetting('provider', event.target.value as SettingsForm['provider'])}>
                  {PROVIDERS.map((provider) => (
                    <option key={provider} value={provider}>
                      {PROVIDER_WORDS[provider]}
                    </option>
                  ))}
                </select>
              )}
            </SettingsField>
            <SettingsField field="base_url" label="Server address (URL)">
              {text('base_url', 'url')}
            </SettingsField>
            <SettingsField field="model_name" label="Model">
              {text('model_name')}
            </SettingsField>
            <ModelStatusLine />
          </fieldset>
          <fieldset className="panel">
            <legend>Alt text</legend>
            <SettingsField field="policy" label="Which pictures to describe">
              {(props) => (
                <select {...props} value={form.policy} onChange={(event) => editSetting('policy', event.target.value as SettingsForm['policy'])}>
                  {POLICIES.map((policy) => (
                    <option key={policy} value={policy}>
                      {POLICY_WORDS[policy]}
                    </option>
                  ))}
                </select>
              )}
            </SettingsField>
            <SettingsField field="decorative" label="Decorative pictures">
              {(props) => (
                <select {...props} value={form.decorative} onChange={(event) => editSetting('decorative', event.target.value as SettingsForm['decorative'])}>
                  {DECORATIVE_MODES.map((mode) => (
                    <option key={mode} value={mode}>
                      {DECORATIVE_WORDS[mode]}
                    </option>
                  ))}
                </select>
              )}
            </SettingsField>
            <SettingsField field="char_limit" label="Character limit">
              {text('char_limit', 'numeric')}
            </SettingsField>
          </fieldset>
          <fieldset className="panel">
            <legend>Batches</legend>
            <SettingsField field="workers" label="Files at once (workers)">
              {text('workers', 'numeric')}
            </SettingsField>
            <SettingsField field="threshold_percent" label="Error threshold (percent)">
              {text('threshold_percent', 'decimal')}
            </SettingsField>
            <SettingsField field="timeout_seconds" label="Timeout per deck (seconds)">
              {text('timeout_seconds', 'decimal')}
            </SettingsField>
          </fieldset>
          <div className="controls">
            <button type="submit" className="primary" disabled={saving}>
              {saving ? 'Saving…' : 'Save settings'}
            </button>
            <button type="button" onClick={resetSettingsForm} disabled={saving}>
              Undo changes
            </button>
          </div>
        </form>
      )}
    </>
  );
}
