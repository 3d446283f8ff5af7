import type { ModelConfig } from '../../shared/config-schema';
import { probeTimeoutMs } from '../describe/model-http';
import { createProvider } from '../describe/create-provider';
import type { ModelCheck } from '../describe/model-provider';

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

/**
 * For a batch waiting on its model server: is it back? Back means it answers a minimal real
 * request, not only its model list, which a wedged Ollama still answers. A server without the
 * model counts as back: the processor then says the model is missing, which stops the batch
 * with the command that fixes it.
 */
export async function modelServerAnswers(model: ModelConfig, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const provider = createProvider(model, env);
  if (!provider) return true;
  const check = await provider.check();
  if (!check.ok) return check.problem === 'model-missing';
  return (await provider.probe(probeTimeoutMs(model))).answering;
}

/**
 * After a deck ran out of time: has the model server stopped answering? A sentence saying so
 * when it accepts connections but answers no minimal request (a wedged server), else null: a
 * server that is not there at all is for the processor to report, and it does.
 */
export async function modelServerSilence(model: ModelConfig, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const provider = createProvider(model, env);
  if (!provider) return null;
  const probe = await provider.probe(probeTimeoutMs(model));
  if (probe.answering || probe.problem !== 'silent') return null;
  return `The model server at ${model.base_url} has stopped answering: a deck ran out of time, and a minimal request then went unanswered (${probe.detail}). Restart the model server (for Ollama: quit it and run \`ollama serve\`).`;
}
