import type { BridgeError, SettingsView } from '../../../shared/ipc-contract';
import type { SliceCreator } from './app-state';
import { toBridgeError } from './bridge-error';
import type { SettingsErrors, SettingsField, SettingsForm } from './settings-form';
import { fieldOfBridgeError, formFromConfig, validateSettingsForm } from './settings-form';

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
  readonly loadSettings: () => Promise<void>;
  readonly editSetting: <F extends SettingsField>(field: F, value: SettingsForm[F]) => void;
  readonly resetSettingsForm: () => void;
  readonly saveSettings: () => Promise<boolean>;
}

export const createSettingsSlice: SliceCreator<SettingsSlice> =
  ({ bridge }) =>
  (set, get) => ({
    settings: null,
    settingsForm: null,
    settingsFieldErrors: {},
    settingsError: null,
    settingsSaving: false,
    settingsSaved: false,
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
      })),
    saveSettings: async () => {
      const form = get().settingsForm;
      if (!form) return false;
      const { patch, errors } = validateSettingsForm(form);
      if (!patch) {
        set({ settingsFieldErrors: errors, settingsError: null, settingsSaved: false });
        return false;
      }
      set({ settingsSaving: true, settingsError: null, settingsFieldErrors: {} });
      try {
        const settings = await bridge.invoke('settings:save', patch);
        set({ settings, settingsForm: formFromConfig(settings.config), settingsSaved: true });
        get().announce('Settings saved.');
        void get().checkModel();
        return true;
      } catch (error) {
        const bridgeError = toBridgeError(error);
        const field = fieldOfBridgeError(bridgeError);
        set({ settingsError: bridgeError, settingsFieldErrors: field ? { [field]: bridgeError.message } : {} });
        return false;
      } finally {
        set({ settingsSaving: false });
      }
    },
  });
