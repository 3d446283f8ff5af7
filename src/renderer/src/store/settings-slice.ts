import type { BridgeError, ModelCheckRequest, ModelStatus, SettingsPatch, SettingsView } from '../../../shared/ipc-contract';
import type { SliceCreator } from './app-state';
import { toBridgeError } from './bridge-error';
import type { ServerField, ServerForm, SettingsErrors, SettingsField, SettingsForm } from './settings-form';
import {
  fieldOfBridgeError,
  formFromConfig,
  newServerForm,
  serverErrorKey,
  thresholdQuestion,
  typedModelAddress,
  typedServerAddress,
  validateSettingsForm,
  withoutUnchangedServers,
} from './settings-form';

/** A server's "Check": asking, or its answer. */
export type ServerCheck = { readonly state: 'checking' } | { readonly state: 'answered'; readonly status: ModelStatus };

/**
 * Checks are kept by what was asked (kind, address, model, key variable), so a server edited
 * after its check shows none, and a check that answers after its row was removed is shown nowhere.
 */
export function serverCheckKey(request: ModelCheckRequest): string {
  return JSON.stringify([request.provider, request.base_url, request.name, request.api_key_env ?? null]);
}

export interface SettingsSlice {
  readonly settings: SettingsView | null;
  /** The form as the user is editing it; null until settings are loaded. */
  readonly settingsForm: SettingsForm | null;
  readonly settingsFieldErrors: SettingsErrors;
  /** Main's answer when it refused to load or save (a BridgeError), shown next to the form. */
  readonly settingsError: BridgeError | null;
  readonly settingsSaving: boolean;
  /** Set after a successful save, cleared by the next edit. */
  readonly settingsSaved: boolean;
  /** A save waiting for the user to confirm that alt text people wrote will be replaced. */
  readonly settingsConfirm: 'overwrite' | null;
  /** The threshold text the user said they meant as typed (below 1 %), so it is not asked again. */
  readonly thresholdKeptAsTyped: string | null;
  /** "Check this address": the model server as typed in the form, before it is saved. */
  readonly settingsModelCheck: ModelStatus | null;
  readonly settingsModelChecking: boolean;
  /** Each server's "Check" by {@link serverCheckKey}. */
  readonly settingsServerChecks: Readonly<Record<string, ServerCheck>>;
  readonly cacheClearing: boolean;
  /** What the last "Clear the cache" did, or why it could not. */
  readonly cacheCleared: { readonly removed: number; readonly folder: string } | null;
  readonly cacheError: BridgeError | null;
  readonly loadSettings: () => Promise<void>;
  readonly editSetting: <F extends SettingsField>(field: F, value: SettingsForm[F]) => void;
  readonly resetSettingsForm: () => void;
  /** Saves the form; false when it was refused, or waits for an answer (the overwrite confirmation). */
  readonly saveSettings: () => Promise<boolean>;
  readonly confirmOverwrite: () => Promise<boolean>;
  readonly cancelOverwrite: () => void;
  /** The answer to "Did you mean 50 %?": the suggestion, or the value as typed. */
  readonly answerThreshold: (useSuggestion: boolean) => void;
  readonly checkTypedModel: () => Promise<void>;
  readonly addServer: () => void;
  readonly editServer: <F extends ServerField>(index: number, field: F, value: ServerForm[F]) => void;
  readonly removeServer: (index: number) => void;
  /** "Check" one server of the list, as typed: reachable, and its model there? */
  readonly checkServer: (index: number) => Promise<void>;
  readonly clearCache: () => Promise<void>;
}

export const createSettingsSlice: SliceCreator<SettingsSlice> =
  ({ bridge }) =>
  (set, get) => {
    const save = async (patch: SettingsPatch): Promise<boolean> => {
      set({ settingsSaving: true, settingsError: null, settingsFieldErrors: {}, settingsConfirm: null });
      try {
        const settings = await bridge.invoke('settings:save', patch);
        // "Settings saved." is said once, by the message that takes the focus (settings-screen.tsx).
        // The typed address is now the saved one, which checkModel asks about below.
        set({ settings, settingsForm: formFromConfig(settings.config), settingsSaved: true, thresholdKeptAsTyped: null, settingsModelCheck: null });
        void get().checkModel();
        return true;
      } catch (error) {
        const bridgeError = toBridgeError(error);
        const field = fieldOfBridgeError(bridgeError);
        set({ settingsError: bridgeError, settingsFieldErrors: field ? { [field]: bridgeError.message } : {} });
        return false;
      } finally {
        set({ settingsSaving: false });
        // The button pressed stays, but the answer is what the user needs next.
        get().requestFocus('settings-result');
      }
    };

    return {
      settings: null,
      settingsForm: null,
      settingsFieldErrors: {},
      settingsError: null,
      settingsSaving: false,
      settingsSaved: false,
      settingsConfirm: null,
      thresholdKeptAsTyped: null,
      settingsModelCheck: null,
      settingsModelChecking: false,
      settingsServerChecks: {},
      cacheClearing: false,
      cacheCleared: null,
      cacheError: null,
      loadSettings: async () => {
        try {
          const settings = await bridge.invoke('settings:get', null);
          set({ settings, settingsForm: formFromConfig(settings.config), settingsError: null, settingsFieldErrors: {} });
        } catch (error) {
          set({ settingsError: toBridgeError(error) });
        }
      },
      editSetting: (field, value) =>
        set((state) => {
          if (!state.settingsForm) return {};
          const { [field]: _cleared, ...otherErrors } = state.settingsFieldErrors;
          return { settingsForm: { ...state.settingsForm, [field]: value }, settingsFieldErrors: otherErrors, settingsSaved: false };
        }),
      resetSettingsForm: () =>
        set((state) => ({
          settingsForm: state.settings ? formFromConfig(state.settings.config) : null,
          settingsFieldErrors: {},
          settingsError: null,
          settingsSaved: false,
          thresholdKeptAsTyped: null,
          settingsServerChecks: {},
        })),
      saveSettings: async () => {
        const form = get().settingsForm;
        if (!form) return false;
        const { patch, errors } = validateSettingsForm(form);
        const question = thresholdQuestion(form, get().thresholdKeptAsTyped);
        if (!patch || question) {
          const asked = question ? { threshold_percent: `Did you mean ${question.suggestion} %? Choose below, then save again.` } : {};
          set({ settingsFieldErrors: { ...errors, ...asked }, settingsError: null, settingsSaved: false });
          get().requestFocus('settings-result');
          return false;
        }
        // Replacing alt text that people wrote is asked about once, when the policy turns to it.
        if (patch.alt_text?.policy === 'overwrite' && get().settings?.config.alt_text.policy !== 'overwrite') {
          set({ settingsConfirm: 'overwrite', settingsSaved: false });
          return false;
        }
        return save(withoutUnchangedServers(patch, get().settings?.config ?? null));
      },
      confirmOverwrite: async () => {
        const form = get().settingsForm;
        const patch = form ? validateSettingsForm(form).patch : null;
        set({ settingsConfirm: null });
        return patch ? save(withoutUnchangedServers(patch, get().settings?.config ?? null)) : false;
      },
      cancelOverwrite: () => set({ settingsConfirm: null }),
      answerThreshold: (useSuggestion) =>
        set((state) => {
          const form = state.settingsForm;
          const question = form ? thresholdQuestion(form, null) : null;
          if (!form || !question) return {};
          const { threshold_percent: _answered, ...otherErrors } = state.settingsFieldErrors;
          return useSuggestion
            ? { settingsForm: { ...form, threshold_percent: String(question.suggestion) }, settingsFieldErrors: otherErrors, thresholdKeptAsTyped: null }
            : { thresholdKeptAsTyped: form.threshold_percent.trim(), settingsFieldErrors: otherErrors };
        }),
      checkTypedModel: async () => {
        const form = get().settingsForm;
        if (!form || get().settingsModelChecking) return;
        const address = typedModelAddress(form);
        if (!address) {
          // Not an address yet: checking the saved one instead would answer another question.
          const message = 'Type the server’s address (starting with http:// or https://) and the model’s name first.';
          set({ settingsModelCheck: { provider: form.provider, model: form.model_name, base_url: form.base_url, state: 'unknown', message, fix: null } });
          return;
        }
        set({ settingsModelChecking: true });
        try {
          set({ settingsModelCheck: await bridge.invoke('model:check', address) });
        } catch (error) {
          const { message } = toBridgeError(error);
          set({ settingsModelCheck: { provider: form.provider, model: form.model_name, base_url: form.base_url, state: 'unknown', message, fix: null } });
        } finally {
          set({ settingsModelChecking: false });
        }
      },
      addServer: () => {
        set((state) => {
          const form = state.settingsForm;
          return form ? { settingsForm: { ...form, servers: [...form.servers, newServerForm(form)] }, settingsSaved: false } : {};
        });
        get().requestFocus('model-server-last');
      },
      editServer: (index, field, value) =>
        set((state) => {
          const form = state.settingsForm;
          const server = form?.servers[index];
          if (!form || !server) return {};
          const { [serverErrorKey(index, field)]: _cleared, servers: _list, ...otherErrors } = state.settingsFieldErrors;
          const servers = form.servers.map((each, at) => (at === index ? { ...server, [field]: value } : each));
          return { settingsForm: { ...form, servers }, settingsFieldErrors: otherErrors, settingsSaved: false };
        }),
      removeServer: (index) => {
        set((state) => {
          const form = state.settingsForm;
          if (!form || !form.servers[index]) return {};
          // The messages of the rows below would name the wrong server once they move up: Save says them again.
          const otherErrors = Object.fromEntries(Object.entries(state.settingsFieldErrors).filter(([key]) => !key.startsWith('servers')));
          return { settingsForm: { ...form, servers: form.servers.filter((_, at) => at !== index) }, settingsFieldErrors: otherErrors, settingsSaved: false };
        });
        get().requestFocus('model-servers-add');
      },
      checkServer: async (index) => {
        const form = get().settingsForm;
        if (!form) return;
        const request = typedServerAddress(form, index);
        if (!request) {
          // Not an address yet: the fields say what is missing, as Save would.
          const key = serverErrorKey(index, 'base_url');
          set((state) => ({ settingsFieldErrors: { ...state.settingsFieldErrors, [key]: `Server ${index + 1}: type its address (starting with http:// or https://) first, then check it.` } }));
          return;
        }
        const key = serverCheckKey(request);
        if (get().settingsServerChecks[key]?.state === 'checking') return;
        const answered = (status: ModelStatus) =>
          set((state) => ({ settingsServerChecks: { ...state.settingsServerChecks, [key]: { state: 'answered', status } } }));
        set((state) => ({ settingsServerChecks: { ...state.settingsServerChecks, [key]: { state: 'checking' } } }));
        try {
          answered(await bridge.invoke('model:check', request));
        } catch (error) {
          const { message } = toBridgeError(error);
          answered({ provider: request.provider, model: request.name, base_url: request.base_url, state: 'unknown', message, fix: null });
        }
      },
      clearCache: async () => {
        if (get().cacheClearing) return;
        set({ cacheClearing: true, cacheCleared: null, cacheError: null });
        try {
          const cleared = await bridge.invoke('cache:clear', null);
          // Said by the status message beside the button: announced once, there.
          set({ cacheCleared: cleared });
        } catch (error) {
          set({ cacheError: toBridgeError(error) });
        } finally {
          set({ cacheClearing: false });
        }
      },
    };
  };
