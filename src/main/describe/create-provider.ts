import type { ModelConfig } from '../../shared/config-schema';
import { assertNever } from '../../shared/assert-never';
import type { RetryTiming } from './model-http';
import type { ModelProvider } from './model-provider';
import { modelServerConfigs } from './model-servers';
import { OllamaProvider } from './ollama-provider';
import { OpenAiProvider } from './openai-provider';
import type { SchedulerOptions } from './request-scheduler';
import { RequestScheduler } from './request-scheduler';

export type ProviderOptions = RetryTiming;

/**
 * The client of one configured server (`model.base_url`, or one of `model.servers` as
 * model-servers.ts completes it); null for `provider: offline`, which uses no model at all.
 */
export function createProvider(config: ModelConfig, env: NodeJS.ProcessEnv = process.env, options: ProviderOptions = {}): ModelProvider | null {
  switch (config.provider) {
    case 'ollama':
      return new OllamaProvider(config, env, options);
    case 'openai':
      return new OpenAiProvider(config, env, options);
    case 'offline':
      return null;
    default:
      return assertNever(config.provider, 'model provider');
  }
}

/** Every configured server's client; none for `provider: offline`. */
export function createProviders(model: ModelConfig, env: NodeJS.ProcessEnv = process.env, options: ProviderOptions = {}): ModelProvider[] {
  return modelServerConfigs(model).flatMap((server) => createProvider(server, env, options) ?? []);
}

/** One scheduler over every configured server (request-scheduler.ts); null for `provider: offline`. */
export function createScheduler(
  model: ModelConfig,
  env: NodeJS.ProcessEnv = process.env,
  options: ProviderOptions & SchedulerOptions = {},
): RequestScheduler | null {
  const providers = createProviders(model, env, options);
  return providers.length === 0 ? null : new RequestScheduler(providers, options);
}
