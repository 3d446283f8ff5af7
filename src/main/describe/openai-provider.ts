import type { ModelConfig } from '../../shared/config-schema';
import { ModelMissingError, ModelRequestError } from './model-errors';
import {
  apiKeyHeaders,
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
 * Any OpenAI-compatible server (vLLM, LM Studio, llama.cpp server, LocalAI):
 * `POST /v1/chat/completions` with the picture as a data-URL `image_url` part, `GET /v1/models`
 * for the check. `model.base_url` may be given with or without the `/v1`.
 */

const MAX_ANSWER_TOKENS = 300;

/** `http://host:1234`, `http://host:1234/` and `http://host:1234/v1` all give `http://host:1234/v1`. */
export function openAiApiRoot(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  return /\/v1$/.test(trimmed) ? trimmed : `${trimmed}/v1`;
}

type ContentPart = { type?: unknown; text?: unknown };

export class OpenAiProvider implements ModelProvider {
  readonly id: string;
  private readonly apiRoot: string;
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
    this.id = `openai:${config.name}`;
    this.apiRoot = openAiApiRoot(config.base_url);
    this.headers = apiKeyHeaders(config.api_key_env, env);
    this.policy = retryPolicyFor(config, timing);
    this.parallelRequests = config.parallel_requests;
    this.description = {
      baseUrl: config.base_url,
      unreachableFix: `Start the model server at ${config.base_url}, then run the batch again.`,
      restartFix: `Restart the model server at ${config.base_url}.`,
    };
  }

  async send(request: DescribeRequest, signal?: AbortSignal, clock?: RequestClock): Promise<SendResult> {
    const body = {
      model: this.config.name,
      stream: false,
      temperature: this.config.temperature,
      max_tokens: MAX_ANSWER_TOKENS,
      messages: [
        { role: 'system', content: request.system },
        {
          role: 'user',
          content: [
            { type: 'text', text: request.prompt },
            { type: 'image_url', image_url: { url: `data:${request.mime};base64,${request.image.toString('base64')}` } },
          ],
        },
      ],
    };
    const result = await sendOnce(`${this.apiRoot}/chat/completions`, body, this.headers, this.policy.timeoutMs, signal, clock);
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

  /** One token of text, no picture: it costs the model next to nothing. */
  probe(timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
    const body = { model: this.config.name, stream: false, temperature: 0, max_tokens: 1, messages: [{ role: 'user', content: 'Reply with the word OK.' }] };
    return probeOnce(`${this.apiRoot}/chat/completions`, body, this.headers, timeoutMs, signal);
  }

  check(): Promise<ModelCheck> {
    return checkModelList(this.config, {
      url: `${this.apiRoot}/models`,
      headers: this.headers,
      modelNames: (body) => {
        const data = (body as { data?: unknown } | null)?.data;
        return Array.isArray(data) ? (data as ({ id?: unknown } | null)[]).map((m) => String(m?.id ?? '')) : null;
      },
      fixes: {
        unreachable: `Start the server at ${this.config.base_url}.`,
        badAnswer: 'Check model.base_url and the API key.',
        modelMissing: `Load "${this.config.name}" in the server, or set model.name to one it serves.`,
      },
    });
  }

  private readAnswer(text: string): string {
    const body = parseJson(text) as { choices?: { message?: { content?: unknown; refusal?: unknown } }[]; error?: unknown } | null;
    if (body === null || typeof body !== 'object') {
      throw new ModelRequestError(`The model server at ${this.config.base_url} answered with something that is not JSON: "${snippet(text)}".`);
    }
    if (body.error !== undefined && body.error !== null) {
      throw new ModelRequestError(`The model server at ${this.config.base_url} reported an error: ${serverErrorMessage(text)}`);
    }
    const message = Array.isArray(body.choices) ? body.choices[0]?.message : undefined;
    const content = message?.content;
    // A refusal is an answer too: passed on, so that cleanAnswer marks the picture for review.
    if (typeof message?.refusal === 'string' && message.refusal.trim() !== '') return message.refusal;
    if (typeof content === 'string') return content;
    if (Array.isArray(content)) {
      return (content as ContentPart[])
        .filter((part) => part?.type === 'text' && typeof part.text === 'string')
        .map((part) => part.text as string)
        .join(' ');
    }
    if (message !== undefined && content === null) return '';
    throw new ModelRequestError(`The model server at ${this.config.base_url} answered without choices[0].message.content: "${snippet(text)}".`);
  }

  private requestError(status: number, text: string): Error {
    const body = parseJson(text) as { error?: { code?: unknown; type?: unknown } } | null;
    const code = typeof body?.error === 'object' && body.error !== null ? body.error.code : undefined;
    if (code === 'model_not_found' || (status === 404 && body !== null)) {
      return new ModelMissingError(
        `The model "${this.config.name}" is not available on the server at ${this.config.base_url}. Load the model in the server, or change model.name to one it serves.`,
      );
    }
    if (status === 404) {
      return new ModelRequestError(
        `The server at ${this.config.base_url} has no ${this.apiRoot}/chat/completions (HTTP 404). Check that model.base_url is an OpenAI-compatible server.`,
      );
    }
    return refusedRequestError(this.config, status, text);
  }
}
