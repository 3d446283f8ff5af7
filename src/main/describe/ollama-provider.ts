import type { ModelConfig } from '../../shared/config-schema';
import { ModelMissingError, ModelRequestError } from './model-errors';
import {
  apiKeyHeaders,
  joinUrl,
  parseJson,
  probeOnce,
  refusedRequestError,
  retryPolicyFor,
  sendOnce,
  serverErrorMessage,
  snippet,
  type ProbeResult,
  type RequestClock,
  type RetryPolicy,
  type RetryTiming,
  type ServerDescription,
} from './model-http';
import { checkModelList } from './model-list-check';
import type { DescribeRequest, ModelCheck, ModelProvider, ModelReply, SendResult } from './model-provider';
import { RequestScheduler } from './request-scheduler';

/**
 * Ollama's native API: `POST /api/chat` without streaming, the picture as base64 in the user
 * message, `GET /api/tags` for the check. Ollama answers a chat for a model it does not have
 * with 404 `{"error":"model \"llava\" not found, try pulling it first"}`.
 */

/** Enough for two sentences in any language; stops a model that loops from running on. */
const MAX_ANSWER_TOKENS = 300;

const UNREACHABLE_FIX = 'Start Ollama with `ollama serve` (or open the Ollama app), then run the batch again.';
const RESTART_FIX = 'Restart Ollama (quit it and run `ollama serve`, or reopen the Ollama app).';
/** The probe's request: one token of text, no picture, so it costs the model next to nothing. */
const PROBE_PROMPT = 'Reply with the word OK.';

/** `llava` and `llava:latest` are the same Ollama model; the id uses the explicit tag. */
function canonicalModelName(name: string): string {
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  return lastSegment.includes(':') ? name : `${name}:latest`;
}

export class OllamaProvider implements ModelProvider {
  readonly id: string;
  private readonly baseUrl: string;
  private readonly headers: Record<string, string>;
  readonly policy: RetryPolicy;
  readonly description: ServerDescription;
  readonly parallelRequests: number | null;
  /** `ask` over this server alone (a batch's processors share the runner's scheduler instead). */
  private alone: RequestScheduler | null = null;

  constructor(
    private readonly config: ModelConfig,
    env: NodeJS.ProcessEnv = process.env,
    timing: RetryTiming = {},
  ) {
    this.id = `ollama:${canonicalModelName(config.name)}`;
    this.baseUrl = config.base_url.replace(/\/+$/, '').replace(/\/api$/, '');
    this.headers = apiKeyHeaders(config.api_key_env, env);
    this.policy = retryPolicyFor(config, timing);
    this.parallelRequests = config.parallel_requests;
    this.description = { baseUrl: config.base_url, unreachableFix: UNREACHABLE_FIX, restartFix: RESTART_FIX };
  }

  async send(request: DescribeRequest, signal?: AbortSignal, clock?: RequestClock): Promise<SendResult> {
    const body = {
      model: this.config.name,
      stream: false,
      messages: [
        { role: 'system', content: request.system },
        { role: 'user', content: request.prompt, images: [request.image.toString('base64')] },
      ],
      options: { temperature: this.config.temperature, num_predict: MAX_ANSWER_TOKENS },
    };
    const result = await sendOnce(joinUrl(this.baseUrl, '/api/chat'), body, this.headers, this.policy.timeoutMs, signal, clock);
    if (!result.ok) return result;
    const { answer } = result;
    if (answer.status >= 200 && answer.status < 300) return { ok: true, text: this.readAnswer(answer.text) };
    throw this.requestError(answer.status, answer.text);
  }

  ask(request: DescribeRequest, signal?: AbortSignal): Promise<ModelReply> {
    this.alone ??= new RequestScheduler([this]);
    return this.alone.ask(request, signal);
  }

  async describe(request: DescribeRequest, signal?: AbortSignal): Promise<string> {
    return (await this.ask(request, signal)).text;
  }

  capacity(): number {
    return this.alone?.capacity() ?? 1;
  }

  probe(timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
    const body = {
      model: this.config.name,
      stream: false,
      messages: [{ role: 'user', content: PROBE_PROMPT }],
      options: { temperature: 0, num_predict: 1 },
    };
    return probeOnce(joinUrl(this.baseUrl, '/api/chat'), body, this.headers, timeoutMs, signal);
  }

  check(): Promise<ModelCheck> {
    return checkModelList(this.config, {
      url: joinUrl(this.baseUrl, '/api/tags'),
      headers: this.headers,
      modelNames: (body) => {
        const models = (body as { models?: unknown } | null)?.models;
        return Array.isArray(models) ? (models as ({ name?: unknown; model?: unknown } | null)[]).map((m) => String(m?.name ?? m?.model ?? '')) : null;
      },
      fixes: {
        unreachable: 'Start Ollama with `ollama serve` (or open the Ollama app), then run the batch.',
        badAnswer: 'Check that the address is an Ollama server (`ollama serve`).',
        modelMissing: `ollama pull ${this.config.name}`,
      },
    });
  }

  private readAnswer(text: string): string {
    const body = parseJson(text) as { message?: { content?: unknown }; error?: unknown } | null;
    if (body === null || typeof body !== 'object') {
      throw new ModelRequestError(`The model server at ${this.config.base_url} answered with something that is not JSON: "${snippet(text)}".`);
    }
    if (typeof body.error === 'string') {
      throw new ModelRequestError(`The model server at ${this.config.base_url} reported an error: ${serverErrorMessage(text)}`);
    }
    const content = body.message?.content;
    if (typeof content !== 'string') {
      throw new ModelRequestError(`The model server at ${this.config.base_url} answered without message.content: "${snippet(text)}".`);
    }
    return content;
  }

  private requestError(status: number, text: string): Error {
    const detail = serverErrorMessage(text);
    if (status === 404 && /not found|pull/i.test(detail) && /model/i.test(detail)) {
      return new ModelMissingError(
        `The model "${this.config.name}" is not on the Ollama server at ${this.config.base_url}. Run \`ollama pull ${this.config.name}\`, then run the batch again.`,
      );
    }
    if (status === 404) {
      return new ModelRequestError(`The server at ${this.config.base_url} has no /api/chat (HTTP 404). Check that model.base_url is an Ollama server.`);
    }
    return refusedRequestError(this.config, status, text);
  }
}
