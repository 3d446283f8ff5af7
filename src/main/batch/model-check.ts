import type { ModelConfig } from '../../shared/config-schema';

/**
 * The dry run's model server check: is the configured server reachable and is the model on
 * it? Uses the same endpoints the processor will (Ollama's /api/tags, the OpenAI-compatible
 * /v1/models). Answers with a sentence and the command that fixes the problem.
 */
export type ModelCheck =
  | { readonly ok: true; readonly message: string }
  | { readonly ok: false; readonly problem: 'unreachable' | 'model-missing' | 'bad-answer'; readonly message: string; readonly fix: string };

function joinUrl(base: string, suffix: string): string {
  return base.replace(/\/+$/, '') + suffix;
}

function modelMatches(available: string, wanted: string): boolean {
  return available === wanted || available === `${wanted}:latest` || available.split(':')[0] === wanted;
}

export async function checkModelServer(model: ModelConfig, env: NodeJS.ProcessEnv = process.env): Promise<ModelCheck> {
  const isOllama = model.provider === 'ollama';
  const url = joinUrl(model.base_url, isOllama ? '/api/tags' : '/v1/models');
  const headers: Record<string, string> = {};
  const key = model.api_key_env ? env[model.api_key_env] : undefined;
  if (key) headers['authorization'] = `Bearer ${key}`;
  let body: unknown;
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(model.check_timeout_seconds * 1000) });
    if (!response.ok) {
      return {
        ok: false,
        problem: 'bad-answer',
        message: `The model server at ${model.base_url} answered HTTP ${response.status} to ${url}.`,
        fix: isOllama ? 'Check that the address is an Ollama server (`ollama serve`).' : 'Check model.base_url and the API key.',
      };
    }
    body = await response.json();
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${model.check_timeout_seconds} s` : 'connection failed';
    return {
      ok: false,
      problem: 'unreachable',
      message: `The model server at ${model.base_url} is not reachable (${reason}).`,
      fix: isOllama ? 'Start Ollama with `ollama serve` (or open the Ollama app), then run the batch.' : `Start the server at ${model.base_url}.`,
    };
  }
  const names = isOllama
    ? ((body as { models?: { name?: string; model?: string }[] }).models ?? []).map((m) => m.name ?? m.model ?? '')
    : ((body as { data?: { id?: string }[] }).data ?? []).map((m) => m.id ?? '');
  if (!names.some((name) => modelMatches(name, model.name))) {
    return {
      ok: false,
      problem: 'model-missing',
      message: `The model "${model.name}" is not on the server at ${model.base_url}${names.length ? ` (it has: ${names.slice(0, 5).join(', ')})` : ''}.`,
      fix: isOllama ? `ollama pull ${model.name}` : `Load "${model.name}" in the server, or set model.name to one it serves.`,
    };
  }
  return { ok: true, message: `Model server ${model.base_url} is reachable and has "${model.name}".` };
}
