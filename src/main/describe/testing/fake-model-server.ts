import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { HINT_LABEL } from '../prompts';

/**
 * A real HTTP server on 127.0.0.1 that speaks enough of Ollama's API (`/api/chat`,
 * `/api/tags`, `/api/show`, `/api/version`) and of the OpenAI-compatible API
 * (`/v1/chat/completions`, `/v1/models`) for the providers, the processor and the e2e tests.
 * Every request is recorded; a script decides, per request, how the server misbehaves.
 * By default a chat answer describes the picture by the hash of its bytes, so tests can tell
 * pictures apart (and, given a reviewer's hint, says so: `fakeHintedDescriptionFor`); a model
 * that is not in `models` gets the real servers' "model missing" 404.
 */

export interface FakeBehaviour {
  /** Chat answer text (default: `fakeDescriptionFor` the first picture). */
  readonly text?: string;
  /** Wait this long before answering (or dropping). */
  readonly delayMs?: number;
  /** Answer with this status and an error body shaped like the real API's; 404 on a chat means "model missing". */
  readonly status?: number;
  /** Close the socket without an answer, or after the headers and half the body. */
  readonly drop?: 'before-response' | 'mid-response';
  /** Answer 200 with a body that is not JSON. */
  readonly garbage?: boolean;
  /** Answer with a refusal instead of a description. */
  readonly refusal?: boolean;
  /**
   * Accept a chat request and never answer it (until the server stops). Other requests are
   * answered as usual, so `/api/version`, `/api/tags` and `/v1/models` still work: a wedged
   * Ollama does exactly that.
   */
  readonly hang?: boolean;
  /** With an error `status`: the Retry-After header, in seconds (429 and 503 as rate limits and busy servers send it). */
  readonly retryAfterSeconds?: number;
}

/** At most `slots` chats at once, `latencyMs` each; the rest wait their turn, up to `maxQueued` (then 503). */
export interface FakeCapacity {
  readonly slots: number;
  readonly latencyMs: number;
  /** Chats that may wait for a slot; one more is answered 503 with `Retry-After: retryAfterSeconds` (default: no limit). */
  readonly maxQueued?: number;
  readonly retryAfterSeconds?: number;
}

/** How busy the slots were: the bench's "share of slot-time used" is `busySlotMs ÷ (slots × wall time)`. */
export interface FakeSlotStats {
  /** Chats served through the slots. */
  readonly served: number;
  /** Sum over the chats of the time each held a slot. */
  readonly busySlotMs: number;
  /** Most chats in the slots at once, and most waiting for one. */
  readonly peakInService: number;
  readonly peakWaiting: number;
  /** Chats turned away with 503 because the queue was full. */
  readonly turnedAway: number;
}

export interface RecordedImage {
  readonly bytes: number;
  readonly sha256: string;
  readonly format: string | null;
  readonly width: number | null;
  readonly height: number | null;
}

export interface RecordedRequest {
  /** 0-based position among all requests this server received. */
  readonly index: number;
  readonly api: 'ollama' | 'openai' | 'other';
  readonly method: string;
  readonly path: string;
  readonly model: string | null;
  readonly system: string | null;
  readonly prompt: string | null;
  readonly images: readonly RecordedImage[];
  readonly temperature: number | null;
  readonly authorization: string | null;
  readonly body: unknown;
}

export type FakeScript = (request: RecordedRequest) => FakeBehaviour | undefined | void;

export interface FakeModelServer {
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Chat requests only (the ones that describe a picture). */
  chatRequests(): RecordedRequest[];
  /** Sets the behaviour for every following request; `undefined` from the script means normal. */
  script(fn: FakeScript): void;
  /** The models the server has (names as Ollama lists them, e.g. `llava:latest`). */
  setModels(names: readonly string[]): void;
  /** Limits chats to slots from now on (null: every chat at once, as by default); resets `slotStats`. */
  capacity(limit: FakeCapacity | null): void;
  slotStats(): FakeSlotStats;
  stop(): Promise<void>;
}

export const FAKE_REFUSAL = "I'm sorry, but I can't help with identifying or describing this image.";

/** The default answer for a picture, from the sha256 (hex) of the bytes the model received. */
export function fakeDescriptionFor(imageSha256: string): string {
  return `Test figure ${imageSha256.slice(0, 12)} with labelled structures.`;
}

/**
 * The default answer when the prompt carries a reviewer's hint (a regenerate from the review):
 * another text than without it, naming the hint, so a test sees that the hint reached the model.
 */
export function fakeHintedDescriptionFor(imageSha256: string, hint: string): string {
  return `Revised figure ${imageSha256.slice(0, 12)}: ${hint.slice(0, 60)}.`;
}

/** The reviewer's hint in a prompt (prompts.ts writes it on a line of its own), or null. */
function hintIn(prompt: string | null): string | null {
  const line = prompt?.split('\n').find((candidate) => candidate.startsWith(`${HINT_LABEL}: `));
  return line ? line.slice(HINT_LABEL.length + 2).trim() : null;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function recordImage(base64: string): Promise<RecordedImage> {
  const bytes = Buffer.from(base64, 'base64');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  try {
    const meta = await sharp(bytes).metadata();
    return { bytes: bytes.length, sha256, format: meta.format, width: meta.width, height: meta.height };
  } catch {
    return { bytes: bytes.length, sha256, format: null, width: null, height: null };
  }
}

type Message = { role?: unknown; content?: unknown; images?: unknown };

function textOf(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .filter((part: { type?: unknown; text?: unknown }) => part?.type === 'text' && typeof part.text === 'string')
      .map((part: { text: string }) => part.text)
      .join('\n');
  }
  return null;
}

function imagesOf(api: RecordedRequest['api'], messages: Message[]): string[] {
  const images: string[] = [];
  for (const message of messages) {
    if (api === 'ollama' && Array.isArray(message.images)) images.push(...message.images.filter((i): i is string => typeof i === 'string'));
    if (api === 'openai' && Array.isArray(message.content)) {
      for (const part of message.content as { type?: unknown; image_url?: { url?: unknown } }[]) {
        const url = part?.type === 'image_url' ? part.image_url?.url : undefined;
        if (typeof url === 'string') images.push(url.replace(/^data:[^,]*,/, ''));
      }
    }
  }
  return images;
}

function hasModel(models: readonly string[], wanted: string): boolean {
  return models.some((name) => name === wanted || name === `${wanted}:latest`);
}

/**
 * `port`: listen there instead of on a free port, to stand for a model server that went away
 * and came back at the same address (stop one, start another on its port).
 */
export async function startFakeModelServer(options: { models?: readonly string[]; capacity?: FakeCapacity; port?: number } = {}): Promise<FakeModelServer> {
  let models: readonly string[] = options.models ?? ['llava:latest'];
  let scriptFn: FakeScript = () => undefined;
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number, res: http.ServerResponse): Promise<void> =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
      res.on('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
        resolve();
      });
    });

  // The slots: chats in service, and the chats waiting for one, in arrival order.
  let limit: FakeCapacity | null = options.capacity ?? null;
  let inService = 0;
  const waiting: (() => void)[] = [];
  let stats = { served: 0, busySlotMs: 0, peakInService: 0, peakWaiting: 0, turnedAway: 0 };
  /** Hands free slots to the chats waiting longest; the slot is taken here, before the chat resumes. */
  const take = (): void => {
    inService += 1;
    stats.peakInService = Math.max(stats.peakInService, inService);
  };
  const nextInLine = (): void => {
    while (limit && inService < limit.slots && waiting.length > 0) {
      take();
      waiting.shift()?.();
    }
  };
  /** Holds a slot for `latencyMs`; false when the queue is full (the chat is answered 503). */
  const serve = async (res: http.ServerResponse): Promise<boolean> => {
    if (!limit) return true;
    const capacity = limit;
    if (inService >= capacity.slots) {
      if (capacity.maxQueued !== undefined && waiting.length >= capacity.maxQueued) {
        stats.turnedAway += 1;
        return false;
      }
      let handed = false;
      await new Promise<void>((resolve) => {
        const turn = (): void => {
          handed = true;
          resolve();
        };
        waiting.push(turn);
        stats.peakWaiting = Math.max(stats.peakWaiting, waiting.length);
        res.on('close', () => {
          const at = waiting.indexOf(turn);
          if (at >= 0) waiting.splice(at, 1);
          resolve();
        });
      });
      if (res.destroyed) {
        // Gone while waiting, or just as its slot came: the slot goes to the next in line.
        if (handed) {
          inService -= 1;
          nextInLine();
        }
        return true;
      }
    } else {
      take();
    }
    const started = performance.now();
    await sleep(capacity.latencyMs, res);
    inService -= 1;
    if (limit === capacity) {
      stats.served += 1;
      stats.busySlotMs += performance.now() - started;
    }
    nextInLine();
    return true;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const index = requests.length;
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const api: RecordedRequest['api'] = path.startsWith('/api/') ? 'ollama' : path.startsWith('/v1/') ? 'openai' : 'other';
    let body: unknown = null;
    try {
      body = raw && raw.length > 0 ? JSON.parse(raw.toString('utf8')) : null;
    } catch {
      body = raw?.toString('utf8') ?? null;
    }
    const fields = (typeof body === 'object' && body !== null ? body : {}) as {
      model?: unknown;
      name?: unknown;
      messages?: unknown;
      temperature?: unknown;
      options?: { temperature?: unknown };
    };
    const messages = Array.isArray(fields.messages) ? (fields.messages as Message[]) : [];
    const images = await Promise.all(imagesOf(api, messages).map(recordImage));
    const temperature = api === 'ollama' ? fields.options?.temperature : fields.temperature;
    const request: RecordedRequest = {
      index,
      api,
      method: req.method ?? 'GET',
      path,
      model: typeof fields.model === 'string' ? fields.model : typeof fields.name === 'string' ? fields.name : null,
      system: textOf(messages.find((m) => m.role === 'system')?.content),
      prompt: textOf([...messages].reverse().find((m) => m.role === 'user')?.content),
      images,
      temperature: typeof temperature === 'number' ? temperature : null,
      authorization: req.headers.authorization ?? null,
      body,
    };
    requests.push(request);
    let behaviour = scriptFn(request) ?? {};
    if (behaviour.hang && isChatRequest(request)) return;
    if (behaviour.delayMs) {
      await sleep(behaviour.delayMs, res);
      if (res.destroyed) return;
    }
    if (isChatRequest(request) && (behaviour.status ?? 200) === 200 && !(await serve(res))) {
      behaviour = { status: 503, ...(limit?.retryAfterSeconds !== undefined ? { retryAfterSeconds: limit.retryAfterSeconds } : {}) };
    }
    if (res.destroyed) return;
    respond(request, behaviour, res);
  };

  const respond = (request: RecordedRequest, behaviour: FakeBehaviour, res: http.ServerResponse): void => {
    const { api, path, method } = request;
    const isChat = isChatRequest(request);
    if (behaviour.drop === 'before-response') {
      res.socket?.destroy();
      return;
    }
    let status = 200;
    let payload: unknown;
    if (behaviour.status !== undefined && behaviour.status !== 200) {
      status = behaviour.status;
      payload = errorBody(api, status, request.model ?? '', isChat);
    } else if (behaviour.garbage) {
      send(res, 200, 'this is not json {"message": ', behaviour);
      return;
    } else if (isChat) {
      if (request.model === null || !hasModel(models, request.model)) {
        status = 404;
        payload = errorBody(api, 404, request.model ?? '', true);
      } else {
        const first = request.images[0];
        const hint = hintIn(request.prompt);
        const described = first ? (hint ? fakeHintedDescriptionFor(first.sha256, hint) : fakeDescriptionFor(first.sha256)) : 'A test answer without a picture.';
        const text = behaviour.refusal ? FAKE_REFUSAL : (behaviour.text ?? described);
        payload = chatAnswer(api, request.model, text);
      }
    } else if (method === 'GET' && path === '/api/tags') {
      payload = {
        models: models.map((name) => ({
          name,
          model: name,
          modified_at: '2024-01-01T00:00:00Z',
          size: 4_700_000_000,
          digest: createHash('sha256').update(name).digest('hex'),
          details: { format: 'gguf', family: 'llama', parameter_size: '7B', quantization_level: 'Q4_0' },
        })),
      };
    } else if (method === 'POST' && path === '/api/show') {
      if (request.model !== null && hasModel(models, request.model)) {
        payload = {
          modelfile: `FROM ${request.model}`,
          parameters: 'temperature 0.2',
          template: '{{ .Prompt }}',
          details: { format: 'gguf', family: 'llama', families: ['llama', 'clip'], parameter_size: '7B', quantization_level: 'Q4_0' },
          capabilities: ['completion', 'vision'],
        };
      } else {
        status = 404;
        payload = { error: `model '${request.model ?? ''}' not found` };
      }
    } else if (method === 'GET' && path === '/api/version') {
      payload = { version: '0.0.0-fake' };
    } else if (method === 'GET' && path === '/v1/models') {
      payload = { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' })) };
    } else {
      status = 404;
      payload = api === 'openai' ? { error: { message: `Unknown path ${path}`, type: 'invalid_request_error' } } : { error: '404 page not found' };
    }
    send(res, status, JSON.stringify(payload), behaviour);
  };

  const send = (res: http.ServerResponse, status: number, text: string, behaviour: FakeBehaviour): void => {
    const bytes = Buffer.from(text, 'utf8');
    const retryAfter = status !== 200 && behaviour.retryAfterSeconds !== undefined ? { 'retry-after': String(behaviour.retryAfterSeconds) } : {};
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(bytes.length), ...retryAfter });
    if (behaviour.drop === 'mid-response') {
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
      return;
    }
    res.end(bytes);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `fake server failed: ${(error as Error).message}` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    chatRequests: () => requests.filter((r) => r.path === '/api/chat' || r.path === '/v1/chat/completions'),
    script(fn) {
      scriptFn = fn;
    },
    setModels(names) {
      models = [...names];
    },
    capacity(next) {
      limit = next;
      stats = { served: 0, busySlotMs: 0, peakInService: inService, peakWaiting: waiting.length, turnedAway: 0 };
      nextInLine();
      if (!limit)
        while (waiting.length > 0) {
          take();
          waiting.shift()?.();
        }
    },
    slotStats: () => ({ ...stats }),
    stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function isChatRequest(request: RecordedRequest): boolean {
  return request.method === 'POST' && (request.path === '/api/chat' || request.path === '/v1/chat/completions');
}

function chatAnswer(api: RecordedRequest['api'], model: string, text: string): unknown {
  if (api === 'openai') {
    return {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 600, completion_tokens: 30, total_tokens: 630 },
    };
  }
  return {
    model,
    created_at: new Date().toISOString(),
    message: { role: 'assistant', content: text },
    done: true,
    done_reason: 'stop',
    total_duration: 1_000_000,
    eval_count: 30,
  };
}

function errorBody(api: RecordedRequest['api'], status: number, model: string, isChat: boolean): unknown {
  if (status === 404 && isChat) {
    return api === 'openai'
      ? { error: { message: `The model \`${model}\` does not exist.`, type: 'invalid_request_error', param: 'model', code: 'model_not_found' } }
      : { error: `model "${model}" not found, try pulling it first` };
  }
  const message = status >= 500 ? `fake server error ${status}` : `fake request error ${status}`;
  return api === 'openai' ? { error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error' } } : { error: message };
}
