import type { ModelConfig } from '../../shared/config-schema';

/**
 * The model servers a configuration names, each as a complete `model` section: `model.servers`
 * when it lists any (an entry leaves out what the section around it says), else the one at
 * `model.base_url`. None for `provider: offline`, which uses no model at all.
 */
export function modelServerConfigs(model: ModelConfig): ModelConfig[] {
  if (model.provider === 'offline') return [];
  if (model.servers.length === 0) return [model];
  return model.servers.map((entry): ModelConfig => {
    if (typeof entry === 'string') return { ...model, base_url: entry, servers: [] };
    return {
      ...model,
      base_url: entry.base_url,
      provider: entry.provider ?? model.provider,
      name: entry.name ?? model.name,
      api_key_env: entry.api_key_env !== undefined ? entry.api_key_env : model.api_key_env,
      parallel_requests: entry.parallel_requests !== undefined ? entry.parallel_requests : model.parallel_requests,
      servers: [],
    };
  });
}
