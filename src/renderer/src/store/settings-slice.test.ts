import { describe, expect, it } from 'vitest';
import type { AltgenConfig } from '../../../shared/config-schema';
import { DEFAULT_CONFIG } from '../../../shared/config-schema';
import type { SettingsPatch } from '../../../shared/ipc-contract';
import { FakeBridge } from '../testing/fake-bridge';
import { createAppStore } from './app-store';

/** Settings that protect people: the overwrite confirmation, the threshold question, the typed address. */

function withPatch(config: AltgenConfig, patch: SettingsPatch): AltgenConfig {
  return {
    ...config,
    model: { ...config.model, ...patch.model },
    alt_text: { ...config.alt_text, ...patch.alt_text },
    batch_processing: { ...config.batch_processing, ...patch.batch_processing },
    cache: { ...config.cache, ...patch.cache },
  };
}

function mainSide(): FakeBridge {
  let config = DEFAULT_CONFIG;
  return new FakeBridge({
    'settings:get': () => ({ config, path: '/c.yaml' }),
    'settings:save': (patch) => {
      config = withPatch(config, patch);
      return { config, path: '/c.yaml' };
    },
    'model:check': (request) => ({
      provider: request?.provider ?? 'ollama',
      model: request?.name ?? 'llava',
      base_url: request?.base_url ?? 'http://127.0.0.1:11434',
      state: 'ok',
      message: null,
      fix: null,
      models: ['llava:latest', 'qwen2.5vl:7b'],
    }),
    'cache:clear': () => ({ removed: 3, folder: '/data/cache' }),
  });
}

async function loaded(bridge = mainSide()) {
  const store = createAppStore(bridge);
  await store.getState().loadSettings();
  return { store, bridge };
}

describe('settings that protect people', () => {
  it('asks before saving a policy that replaces alt text people wrote, and saves nothing if the answer is no', async () => {
    const { store, bridge } = await loaded();
    store.getState().editSetting('policy', 'overwrite');
    expect(await store.getState().saveSettings()).toBe(false);
    expect(store.getState().settingsConfirm).toBe('overwrite');
    expect(bridge.callsTo('settings:save')).toHaveLength(0);
    store.getState().cancelOverwrite();
    expect(store.getState().settingsConfirm).toBeNull();
    expect(bridge.callsTo('settings:save')).toHaveLength(0);

    expect(await store.getState().saveSettings()).toBe(false);
    expect(await store.getState().confirmOverwrite()).toBe(true);
    expect(bridge.callsTo('settings:save')).toEqual([expect.objectContaining({ alt_text: expect.objectContaining({ policy: 'overwrite' }) })]);
    // Once it is the saved policy, other changes save without asking again.
    store.getState().editSetting('char_limit', '150');
    expect(await store.getState().saveSettings()).toBe(true);
  });

  it('asks "Did you mean 50 %?" for a threshold below 1, and saves what the answer says', async () => {
    const { store, bridge } = await loaded();
    store.getState().editSetting('threshold_percent', '0.5');
    expect(await store.getState().saveSettings()).toBe(false);
    expect(store.getState().settingsFieldErrors.threshold_percent).toBe('Did you mean 50 %? Choose below, then save again.');
    expect(bridge.callsTo('settings:save')).toHaveLength(0);
    store.getState().answerThreshold(true);
    expect(store.getState().settingsForm?.threshold_percent).toBe('50');
    expect(await store.getState().saveSettings()).toBe(true);
    expect(bridge.callsTo('settings:save').at(-1)).toMatchObject({ batch_processing: { stop_on_error_threshold: 0.5 } });

    // "Keep 0.5 %": saved as 0.5 %, which config.yaml writes 0.005.
    store.getState().editSetting('threshold_percent', '0.5');
    store.getState().answerThreshold(false);
    expect(await store.getState().saveSettings()).toBe(true);
    expect(bridge.callsTo('settings:save').at(-1)).toMatchObject({ batch_processing: { stop_on_error_threshold: 0.005 } });
  });

  it('checks the address typed in the form, not the saved one, and offers the server’s models', async () => {
    const { store, bridge } = await loaded();
    store.getState().editSetting('base_url', 'http://gpu-box:11434');
    store.getState().editSetting('model_name', 'qwen2.5vl:7b');
    await store.getState().checkTypedModel();
    expect(bridge.callsTo('model:check')).toEqual([{ provider: 'ollama', base_url: 'http://gpu-box:11434', name: 'qwen2.5vl:7b' }]);
    expect(store.getState().settingsModelCheck).toMatchObject({ base_url: 'http://gpu-box:11434', models: ['llava:latest', 'qwen2.5vl:7b'] });
    // Not an address yet: nothing is asked (checking the saved one would answer another question).
    store.getState().editSetting('base_url', 'gpu-box');
    await store.getState().checkTypedModel();
    expect(bridge.callsTo('model:check')).toHaveLength(1);
    expect(store.getState().settingsModelCheck).toMatchObject({ state: 'unknown', message: expect.stringContaining('http://') });
  });

  it('saves the settings that used to exist only in config.yaml', async () => {
    const { store, bridge } = await loaded();
    store.getState().editSetting('course', '  Year 1 anatomy ');
    store.getState().editSetting('language', 'de');
    store.getState().editSetting('long_descriptions', 'notes');
    store.getState().editSetting('read_text_in_images', false);
    store.getState().editSetting('include_layouts', true);
    store.getState().editSetting('model_wait_minutes', '10');
    store.getState().editSetting('cache_enabled', false);
    expect(await store.getState().saveSettings()).toBe(true);
    expect(bridge.callsTo('settings:save')[0]).toMatchObject({
      alt_text: { course: 'Year 1 anatomy', language: 'de', long_descriptions: 'notes', read_text_in_images: false, include_layouts: true },
      batch_processing: { model_wait_minutes: 10 },
      cache: { enabled: false },
    });
    store.getState().editSetting('course', '');
    store.getState().editSetting('language', 'German');
    expect(await store.getState().saveSettings()).toBe(false);
    expect(store.getState().settingsFieldErrors.language).toBe('The language must be auto, or a language tag such as en, de or fr-CA.');
    store.getState().editSetting('language', 'auto');
    expect(await store.getState().saveSettings()).toBe(true);
    expect(bridge.callsTo('settings:save').at(-1)).toMatchObject({ alt_text: { course: null } });
  });

  it('clears the remembered descriptions and says how many', async () => {
    const { store } = await loaded();
    await store.getState().clearCache();
    expect(store.getState().cacheCleared).toEqual({ removed: 3, folder: '/data/cache' });
  });
});
