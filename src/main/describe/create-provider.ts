import type { ModelConfig } from '../../shared/config-schema';
import { assertNever } from '../../shared/assert-never';
import type { RetryTiming } from './model-http';
import type { ModelProvider } from './model-provider';
import { OllamaProvider } from './ollama-provider';
import { OpenAiProvider } from './openai-provider';

export type ProviderOptions = RetryTiming;

/** The configured model's client; null for `provider: offline`, which uses no model at all. */
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
