import type { FormEvent } from 'react';
import { BusyButton } from '../../components/busy-button';
import { Icon } from '../../components/icon';
import { ScreenHeading } from '../../components/screen-heading';
import { useFocusTarget } from '../../components/use-focus-target';
import { DECORATIVE_MODES, POLICIES, PROVIDERS, type SettingsForm } from '../../store/settings-form';
import { useApp, useAppShallow } from '../../store/store-context';
import { DECORATIVE_WORDS, LONG_DESCRIPTION_WORDS, POLICY_WORDS, PROVIDER_WORDS } from '../../text/settings-text';
import { CacheControls } from './cache-controls';
import { ModelCheckLine } from './model-check-line';
import { ModelServers } from './model-servers';
import { OverwriteConfirmDialog } from './overwrite-confirm-dialog';
import { SettingsCheckbox, SettingsField } from './settings-field';
import { ThresholdQuestion } from './threshold-question';

type TextField = 'base_url' | 'model_name' | 'char_limit' | 'course' | 'language' | 'workers' | 'threshold_percent' | 'timeout_seconds' | 'model_wait_minutes';

/** What the last save said: saved, refused by main, or fields to fix. It takes the focus after Save. */
function SaveResult() {
  const error = useApp((state) => state.settingsError);
  const saved = useApp((state) => state.settingsSaved);
  const invalid = useApp((state) => Object.keys(state.settingsFieldErrors).length);
  const ref = useFocusTarget<HTMLParagraphElement>('settings-result');
  if (error) {
    return (
      <p ref={ref} tabIndex={-1} className="message message-error" role="alert" id="settings-error">
        <Icon name="cross" /> {error.message}
      </p>
    );
  }
  if (invalid > 0) {
    return (
      <p ref={ref} tabIndex={-1} className="message message-error" role="alert">
        <Icon name="cross" /> {invalid === 1 ? 'One setting needs fixing' : `${invalid} settings need fixing`}; see the messages below each field.
      </p>
    );
  }
  if (saved) {
    return (
      <p ref={ref} tabIndex={-1} className="message message-success" role="status">
        <Icon name="check" /> Settings saved.
      </p>
    );
  }
  return null;
}

/** Model server, alt text, batch and cache settings, saved to the user's config.yaml. */
export function SettingsScreen() {
  const form = useApp((state) => state.settingsForm);
  const path = useApp((state) => state.settings?.path ?? null);
  const error = useApp((state) => state.settingsError);
  const saving = useApp((state) => state.settingsSaving);
  const models = useAppShallow((state) => (state.settingsModelCheck ?? state.modelStatus)?.models ?? []);
  const editSetting = useApp((state) => state.editSetting);
  const saveSettings = useApp((state) => state.saveSettings);
  const resetSettingsForm = useApp((state) => state.resetSettingsForm);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!saving) void saveSettings();
  };
  const text =
    (field: TextField, inputMode?: 'numeric' | 'decimal' | 'url', extra: { readonly list?: string; readonly suffix?: string } = {}) =>
    (props: object) => {
      const input = (
        <input {...props} type="text" inputMode={inputMode} list={extra.list} value={form?.[field] ?? ''} onChange={(event) => editSetting(field, event.target.value)} />
      );
      return extra.suffix ? (
        <span className="input-with-unit">
          {input}
          <span aria-hidden="true">{extra.suffix}</span>
        </span>
      ) : (
        input
      );
    };

  return (
    <>
      <ScreenHeading>Settings</ScreenHeading>
      {path ? (
        <p className="meta">
          Saved to <code>{path}</code>
        </p>
      ) : null}
      <SaveResult />
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
            <SettingsField
              field="model_name"
              label="Model"
              after={
                models.length > 0 ? (
                  <p className="hint" id="server-models">
                    On this server: {models.join(', ')}.
                  </p>
                ) : null
              }
            >
              {text('model_name', undefined, { list: 'server-model-names' })}
            </SettingsField>
            <datalist id="server-model-names">
              {models.map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
            <ModelCheckLine />
            <SettingsField field="model_wait_minutes" label="Wait for the model server (minutes)">
              {text('model_wait_minutes', 'decimal', { suffix: 'min' })}
            </SettingsField>
          </fieldset>
          <fieldset className="panel">
            <legend>Several model servers</legend>
            <ModelServers />
          </fieldset>
          <fieldset className="panel">
            <legend>Alt text</legend>
            <SettingsField
              field="policy"
              label="Which pictures to describe"
              after={
                form.policy === 'overwrite' ? (
                  <p className="message message-warning" id="policy-warning">
                    <Icon name="warning" /> This replaces alt text that people wrote. You will be asked to confirm when you save.
                  </p>
                ) : null
              }
            >
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
            <SettingsField field="course" label="Course">
              {text('course')}
            </SettingsField>
            <SettingsField field="language" label="Language of the alt text">
              {text('language')}
            </SettingsField>
            <SettingsField field="long_descriptions" label="Long descriptions">
              {(props) => (
                <select
                  {...props}
                  value={form.long_descriptions}
                  onChange={(event) => editSetting('long_descriptions', event.target.value as SettingsForm['long_descriptions'])}
                >
                  {(['off', 'notes'] as const).map((mode) => (
                    <option key={mode} value={mode}>
                      {LONG_DESCRIPTION_WORDS[mode]}
                    </option>
                  ))}
                </select>
              )}
            </SettingsField>
            <SettingsCheckbox
              field="read_text_in_images"
              label="Read the text in pictures"
              hint="Labels of diagrams and anatomy pictures are read on this computer and given to the model as context."
            />
            <SettingsCheckbox
              field="include_layouts"
              label="Also describe pictures in slide layouts and masters"
              hint="They are listed in the report either way; most are logos and backgrounds."
            />
          </fieldset>
          <fieldset className="panel">
            <legend>Batches</legend>
            <SettingsField field="workers" label="Files at once (workers)">
              {text('workers', 'numeric')}
            </SettingsField>
            <SettingsField field="threshold_percent" label="Error threshold (percent)" after={<ThresholdQuestion />}>
              {text('threshold_percent', 'decimal', { suffix: '%' })}
            </SettingsField>
            <SettingsField field="timeout_seconds" label="Timeout per deck (seconds)">
              {text('timeout_seconds', 'decimal', { suffix: 's' })}
            </SettingsField>
          </fieldset>
          <fieldset className="panel">
            <legend>Remembered descriptions</legend>
            <CacheControls />
          </fieldset>
          <div className="controls">
            <BusyButton type="submit" className="primary" busy={saving}>
              {saving ? 'Saving…' : 'Save settings'}
            </BusyButton>
            <button type="button" onClick={resetSettingsForm} aria-disabled={saving || undefined}>
              Undo changes
            </button>
          </div>
        </form>
      )}
      <OverwriteConfirmDialog />
    </>
  );
}
