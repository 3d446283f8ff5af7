import type { ModelConfig } from '../../shared/config-schema';
import { createProvider, type ModelCheck } from '../describe/model-provider';

export type { ModelCheck } from '../describe/model-provider';

/**
 * The dry run's model server check: is the configured server reachable and is the model on
 * it? It is the provider's own check, so it asks the endpoints the processor will use
 * (Ollama's /api/tags, the OpenAI-compatible /v1/models) with the same URL rules and key.
 */
export async function checkModelServer(model: ModelConfig, env: NodeJS.ProcessEnv = process.env): Promise<ModelCheck> {
  const provider = createProvider(model, env);
  if (!provider) return { ok: true, message: OFFLINE_MESSAGE };
  return provider.check();
}

export const OFFLINE_MESSAGE = 'No model server is used (provider: offline): AltGen writes drafts for review from the text in each picture and its slide.';
