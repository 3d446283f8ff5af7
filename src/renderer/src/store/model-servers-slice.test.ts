import { describe, expect, it } from 'vitest';
import type { AltgenConfig } from '../../../shared/config-schema';
import { DEFAULT_CONFIG } from '../../../shared/config-schema';
import type { ModelStatus, SettingsPatch } from '../../../shared/ipc-contract';
import { FakeBridge } from '../testing/fake-bridge';
import { createAppStore } from './app-store';
import { fieldOfBridgeError, typedServerAddress } from './settings-form';
import { serverCheckKey } from './settings-slice';

/** Settings, several model servers: the list as typed, its checks, and what Save sends main. */

const LAB = 'http://gpu-1.example.edu:11434';
const CLOUD = 'http://127.0.0.1:8000/v1';

function mainSide(config: AltgenConfig): FakeBridge {
  let saved = config;
  return new FakeBridge({
    'settings:get': () => ({ config: saved, path: '/c.yaml' }),
    'settings:save': (patch: SettingsPatch) => {
      saved = { ...saved, model: { ...saved.model, ...patch.model } };
      return { config: saved, path: '/c.yaml' };
    },
    'model:check': (request): ModelStatus => {
      const base = { provider: request?.provider ?? 'ollama', model: request?.name ?? 'llava', base_url: request?.base_url ?? '', fix: null };
      return request?.base_url === LAB
        ? { ...base, state: 'ok', message: 'Reachable.', models: ['llava:latest'] }
        : { ...base, state: 'unreachable', message: `Nothing answers at ${request?.base_url}.` };
    },
  });
}

const savesTo = (bridge: FakeBridge) => bridge.callsTo('settings:save') as SettingsPatch[];

async function loaded(config: AltgenConfig = DEFAULT_CONFIG) {
  const bridge = mainSide(config);
  const store = createAppStore(bridge);
  await store.getState().loadSettings();
  return { store, bridge };
}

describe('model servers in Settings', () => {
  it('shows the saved list, a bare address taking the kind above, and keeps what the screen does not edit', async () => {
    const { store } = await loaded({
      ...DEFAULT_CONFIG,
      model: { ...DEFAULT_CONFIG.model, provider: 'openai', servers: [LAB, { base_url: CLOUD, name: 'qwen2.5vl', api_key_env: 'LAB_KEY', parallel_requests: 8 }] },
    });
    expect(store.getState().settingsForm?.servers).toEqual([
      { base_url: LAB, provider: 'openai', name: '', api_key_env: '' },
      { base_url: CLOUD, provider: 'openai', name: 'qwen2.5vl', api_key_env: 'LAB_KEY', parallel_requests: 8 },
    ]);
  });

  it('adds, edits and removes servers, and saves the list with the rest of the settings', async () => {
    const { store, bridge } = await loaded();
    const state = () => store.getState();
    state().addServer();
    state().editServer(0, 'base_url', ` ${LAB} `);
    state().addServer();
    state().editServer(1, 'base_url', CLOUD);
    state().editServer(1, 'provider', 'openai');
    state().editServer(1, 'name', 'qwen2.5vl');
    state().editServer(1, 'api_key_env', 'LAB_KEY');
    state().addServer();
    state().editServer(2, 'base_url', 'http://spare:11434');
    state().removeServer(2);
    expect(state().focusRequest?.target).toBe('model-servers-add');
    expect(await state().saveSettings()).toBe(true);
    expect(savesTo(bridge)[0]?.model?.servers).toEqual([
      { base_url: LAB, provider: 'ollama' },
      { base_url: CLOUD, provider: 'openai', name: 'qwen2.5vl', api_key_env: 'LAB_KEY' },
    ]);
    // Saving other settings leaves the list as config.yaml writes it: it is sent only when changed.
    state().editSetting('char_limit', '150');
    expect(await state().saveSettings()).toBe(true);
    expect(savesTo(bridge)[1]?.model).not.toHaveProperty('servers');
    // Removing them all goes back to the address above alone.
    state().removeServer(1);
    state().removeServer(0);
    expect(await state().saveSettings()).toBe(true);
    expect(savesTo(bridge)[2]?.model?.servers).toEqual([]);
  });

  it('refuses a server field that is not right, under that field, and never a key pasted as the key variable', async () => {
    const { store, bridge } = await loaded();
    const state = () => store.getState();
    state().addServer();
    state().editServer(0, 'base_url', 'gpu-1');
    state().addServer();
    state().editServer(1, 'base_url', LAB);
    state().editServer(1, 'api_key_env', 'sk-proj-abc123');
    state().addServer();
    state().editServer(2, 'base_url', `${LAB}/`);
    expect(await state().saveSettings()).toBe(false);
    expect(bridge.callsTo('settings:save')).toHaveLength(0);
    expect(state().settingsFieldErrors).toEqual({
      'servers.0.base_url': 'Server 1: the address must be a web address starting with http:// or https://.',
      'servers.1.api_key_env': 'Server 2: enter the name of the environment variable that holds the key (for example OPENAI_API_KEY), not the key itself.',
      'servers.2.base_url': 'Server 3: this address is already in the list.',
    });
    state().editServer(1, 'api_key_env', 'OPENAI_API_KEY');
    expect(state().settingsFieldErrors).not.toHaveProperty('servers.1.api_key_env');
    // Removing a row drops the list's messages: the rows below moved up, and Save says them again.
    state().removeServer(2);
    expect(Object.keys(state().settingsFieldErrors)).toEqual([]);
    expect(await state().saveSettings()).toBe(false);
    expect(Object.keys(state().settingsFieldErrors)).toEqual(['servers.0.base_url']);
    expect(fieldOfBridgeError({ code: 'ECONFIG', message: 'model.servers.0.base_url: Invalid URL' })).toBe('servers');
  });

  it('checks each server as typed, keeps each answer beside its server, and shows none once it is edited', async () => {
    const { store, bridge } = await loaded();
    const state = () => store.getState();
    state().addServer();
    state().editServer(0, 'base_url', LAB);
    state().addServer();
    state().editServer(1, 'base_url', CLOUD);
    state().editServer(1, 'provider', 'openai');
    state().editServer(1, 'api_key_env', 'LAB_KEY');
    await Promise.all([state().checkServer(0), state().checkServer(1)]);
    expect(bridge.callsTo('model:check')).toEqual([
      { provider: 'ollama', base_url: LAB, name: 'llava' },
      { provider: 'openai', base_url: CLOUD, name: 'llava', api_key_env: 'LAB_KEY' },
    ]);
    const checkOf = (index: number) => {
      const form = state().settingsForm;
      const request = form ? typedServerAddress(form, index) : null;
      return request ? state().settingsServerChecks[serverCheckKey(request)] : undefined;
    };
    expect(checkOf(0)).toMatchObject({ state: 'answered', status: { state: 'ok', base_url: LAB } });
    expect(checkOf(1)).toMatchObject({ state: 'answered', status: { state: 'unreachable', message: `Nothing answers at ${CLOUD}.` } });
    state().editServer(1, 'name', 'qwen2.5vl');
    expect(checkOf(1)).toBeUndefined();
    // An address that is not one yet is not asked about; its field says why.
    state().addServer();
    await state().checkServer(2);
    expect(bridge.callsTo('model:check')).toHaveLength(2);
    expect(state().settingsFieldErrors['servers.2.base_url']).toContain('Server 3: type its address');
    // Checked, not saved.
    expect(bridge.callsTo('settings:save')).toHaveLength(0);
  });
});
