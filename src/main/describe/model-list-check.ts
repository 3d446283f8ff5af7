import type { ModelConfig } from '../../shared/config-schema';
import { getOnce, modelMatches, parseJson } from './model-http';
import type { ModelCheck } from './model-provider';

/**
 * `ModelProvider.check()` for every provider: one GET of the server's model list, then "is
 * the configured model on it?". A provider says where its list is, how to read model names
 * out of it, and what the user should do about each problem; the sentences are the same.
 */
export interface ModelListSource {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The model names in the list's JSON, or null when the answer is not this server's model list. */
  readonly modelNames: (body: unknown) => readonly string[] | null;
  readonly fixes: {
    readonly unreachable: string;
    readonly badAnswer: string;
    readonly modelMissing: string;
  };
}

/** How many of the server's models the "not on the server" message lists. */
const LISTED_MODELS = 5;

export async function checkModelList(config: ModelConfig, source: ModelListSource): Promise<ModelCheck> {
  const { url, fixes } = source;
  const result = await getOnce(url, source.headers, config.check_timeout_seconds * 1000);
  if (!result.ok) {
    return result.problem === 'bad-answer'
      ? { ok: false, problem: 'bad-answer', message: `The model server at ${config.base_url} answered ${url} with ${result.detail}.`, fix: fixes.badAnswer }
      : { ok: false, problem: 'unreachable', message: `The model server at ${config.base_url} is not reachable (${result.detail}).`, fix: fixes.unreachable };
  }
  const names = result.answer.status === 200 ? source.modelNames(parseJson(result.answer.text)) : null;
  if (names === null) {
    return {
      ok: false,
      problem: 'bad-answer',
      message: `The model server at ${config.base_url} answered ${url} with HTTP ${result.answer.status} and no model list.`,
      fix: fixes.badAnswer,
    };
  }
  if (!names.some((name) => modelMatches(name, config.name))) {
    const listed = names.length ? ` (it has: ${names.slice(0, LISTED_MODELS).join(', ')})` : '';
    return {
      ok: false,
      problem: 'model-missing',
      message: `The model "${config.name}" is not on the server at ${config.base_url}${listed}.`,
      fix: fixes.modelMissing,
      models: names,
    };
  }
  return { ok: true, message: `Model server ${config.base_url} is reachable and has "${config.name}".`, models: names };
}
