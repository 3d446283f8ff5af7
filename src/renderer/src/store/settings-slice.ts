import type { BridgeError, ModelStatus, SettingsPatch, SettingsView } from '../../../shared/ipc-contract';
import type { SliceCreator } from './app-state';
import { toBridgeError } from './bridge-error';
import type { SettingsErrors, SettingsField, SettingsForm } from './settings-form';
import { fieldOfBridgeError, formFromConfig, thresholdQuestion, typedModelAddress, validateSettingsForm } from './settings-form';

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
        return save(patch);
      },
      confirmOverwrite: async () => {
        const form = get().settingsForm;
        const patch = form ? validateSettingsForm(form).patch : null;
        set({ settingsConfirm: null });
        return patch ? save(patch) : false;
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
