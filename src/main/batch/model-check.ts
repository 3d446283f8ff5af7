import type { ModelConfig } from '../../shared/config-schema';
import { probeTimeoutMs } from '../describe/model-http';
import { createProvider } from '../describe/create-provider';
import type { ModelCheck, ModelProvider } from '../describe/model-provider';
import { modelServerConfigs } from '../describe/model-servers';

export type { ModelCheck } from '../describe/model-provider';

/**
 * The dry run's model server check: is the configured server reachable and is the model on
 * it? It is the provider's own check, so it asks the endpoints the processor will use
 * (Ollama's /api/tags, the OpenAI-compatible /v1/models) with the same URL rules and key.
 * With `model.servers`, every server is checked and each one that cannot be used is named.
 */
export async function checkModelServer(model: ModelConfig, env: NodeJS.ProcessEnv = process.env): Promise<ModelCheck> {
  const servers = modelServerConfigs(model);
  const checks = await Promise.all(servers.map((server) => (createProvider(server, env) as ModelProvider).check()));
  const [only] = checks;
  if (only === undefined) return { ok: true, message: OFFLINE_MESSAGE };
  if (checks.length === 1) return only;
  // `model.servers`: each one is checked, and each one that fails is named; the batch runs on the others.
  const failed = checks.filter((check): check is Extract<ModelCheck, { ok: false }> => !check.ok);
  const [first] = failed;
  if (first === undefined) return { ok: true, message: `All ${checks.length} model servers are reachable and have their models (${servers.map((server) => server.base_url).join(', ')}).` };
  const said = failed.map((check) => check.message.replace(/\.$/, '')).join('; ');
  const rest = failed.length < checks.length ? ` The batch uses the other ${checks.length - failed.length} meanwhile.` : '';
  return { ok: false, problem: first.problem, message: `${failed.length} of ${checks.length} model servers cannot be used: ${said}.${rest}`, fix: first.fix };
}

export const OFFLINE_MESSAGE = 'No model server is used (provider: offline): AltGen writes drafts for review from the text in each picture and its slide.';

/**
 * For a batch waiting on its model server: is it back? Back means it answers a minimal real
 * request, not only its model list, which a wedged Ollama still answers. A server without the
 * model counts as back: the processor then says the model is missing, which stops the batch
 * with the command that fixes it.
 */
export async function modelServerAnswers(model: ModelConfig, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const servers = modelServerConfigs(model);
  if (servers.length === 0) return true;
  // With `model.servers`, one that answers is enough: the batch's scheduler sends it everything.
  const answers = await Promise.all(
    servers.map(async (server) => {
      const provider = createProvider(server, env) as ModelProvider;
      const check = await provider.check();
      if (!check.ok) return check.problem === 'model-missing';
      return (await provider.probe(probeTimeoutMs(server))).answering;
    }),
  );
  return answers.some(Boolean);
}

/**
 * After a deck ran out of time: has the model server stopped answering? A sentence saying so
 * when it accepts connections but answers no minimal request (a wedged server), else null: a
 * server that is not there at all is for the processor to report, and it does.
 */
export async function modelServerSilence(model: ModelConfig, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const servers = modelServerConfigs(model);
  if (servers.length === 0) return null;
  const probes = await Promise.all(servers.map((server) => (createProvider(server, env) as ModelProvider).probe(probeTimeoutMs(server))));
  // With `model.servers`, the deck's time ran out on silence only when every one is silent.
  if (probes.some((probe) => probe.answering || probe.problem !== 'silent')) return null;
  const where = servers.length === 1 ? `The model server at ${model.base_url} has` : `None of the ${servers.length} model servers answers: each`;
  const detail = probes[0]?.answering === false ? probes[0].detail : '';
  return `${where} stopped answering: a deck ran out of time, and a minimal request then went unanswered (${detail}). Restart the model server (for Ollama: quit it and run \`ollama serve\`).`;
}
